"""gcclient/cli/base.py: the argument types every command shares (refused with exit 2
before anything is sent), -c checked against a command's columns, the closing line
of a several-server command, and arguments that are not UTF-8."""

from __future__ import annotations

import argparse

import pytest

from gcclient.api import exceptions
from gcclient.cli import base
from gcclient.core.operations import Each

WORDS = exceptions.Words(checks={"show": "with gc show {server}"})


def parser_with(add) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gc x")
    add(parser)
    return parser


def test_whole_number_is_decimal():
    assert base.whole_number("12") == 12
    with pytest.raises(argparse.ArgumentTypeError, match="'0x1': expected a whole number"):
        base.whole_number("0x1")


@pytest.mark.parametrize("value", ["0", "65", "-1"])
def test_parallel_is_from_1_to_the_bound(value):
    with pytest.raises(argparse.ArgumentTypeError) as caught:
        base.parallel_type(value)
    assert str(caught.value) == f"invalid value '{value}': it must be from 1 to 64"


def test_parallel_defaults_to_32_and_takes_the_bounds():
    parser = parser_with(base.add_parallel_argument)
    assert parser.parse_args([]).parallel == base.CLI_PARALLEL == 32
    assert parser.parse_args(["--parallel", "1"]).parallel == 1
    assert parser.parse_args(["--parallel", "64"]).parallel == base.MAX_PARALLEL == 64


def test_wait_arguments_and_their_default():
    parser = parser_with(lambda p: base.add_wait_arguments(p, "it is ACTIVE"))
    parsed = parser.parse_args([])
    assert (parsed.wait, parsed.wait_timeout) == (False, 600.0)
    assert parser.parse_args(["--wait", "--wait-timeout", "2.5"]).wait_timeout == 2.5


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "invalid value '0': it must be a finite number of seconds greater than 0"),
        ("inf", "invalid value 'inf': it must be a finite number of seconds greater than 0"),
        ("-3", "invalid value '-3': it must be a finite number of seconds greater than 0"),
    ],
)
def test_seconds_are_finite_and_positive(value, message):
    with pytest.raises(argparse.ArgumentTypeError) as caught:
        base.seconds_type("--wait-timeout")(value)
    assert str(caught.value) == message


def test_seconds_that_are_no_number_get_argparses_float_message(capsys):
    parser = parser_with(lambda p: base.add_wait_arguments(p, "done"))
    with pytest.raises(SystemExit) as caught:
        parser.parse_args(["--wait-timeout", "soon"])
    assert caught.value.code == 2
    assert "argument --wait-timeout: invalid float value: 'soon'" in capsys.readouterr().err


def test_a_column_is_matched_as_cliff_matches_it():
    column = base.column_type(["ID", "Name", "Export Image ID"])
    assert column("id") == "id"
    assert column(" export_image_id ") == " export_image_id "
    with pytest.raises(argparse.ArgumentTypeError) as caught:
        column("Nmae")
    assert str(caught.value) == "unknown column 'Nmae' (choose from ID, Name, Export Image ID)"


def unknown(server: str) -> exceptions.UnknownOutcome:
    return exceptions.UnknownOutcome(
        "delete", server=server, check=exceptions.Check("show", server)
    )


def test_the_closing_line_counts_refusals_as_failed():
    results = [Each("a"), Each("b", error=exceptions.NotFound("gone")), Each("c")]
    assert base.closing_line("delete", results, WORDS) == "1 of 3 delete operations failed"


def test_the_closing_line_keeps_one_unknown_outcome_unknown_with_its_check():
    results = [Each("a"), Each("b", error=unknown("b"))]
    assert base.closing_line("delete", results, WORDS) == (
        "1 of 2 delete operations have an unknown outcome (they may have been carried "
        "out: check with gc show b)"
    )


def test_several_unknowns_and_a_refusal_name_the_check_of_any_server():
    results = [
        Each("a", error=unknown("a")),
        Each("b", error=unknown("b")),
        Each("c", error=exceptions.Forbidden("no")),
    ]
    assert base.closing_line("delete", results, WORDS) == (
        "1 of 3 delete operations failed; 2 delete operations have an unknown outcome "
        "(they may have been carried out: check with gc show <server>)"
    )


def test_arguments_that_are_not_utf8_are_refused_naming_the_option(capsys):
    parser = base.check_utf8(argparse.ArgumentParser(prog="gc x"))
    parser.add_argument("--name")
    assert parser.parse_args(["--name", "web"]).name == "web"
    undecodable = b"caf\xe9".decode("utf-8", "surrogateescape")
    with pytest.raises(SystemExit) as caught:
        parser.parse_args(["--name", undecodable])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "--name" in err and "UTF-8" in err
