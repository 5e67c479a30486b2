"""gcclient.cli.listing_commands: the parser of list."""

from __future__ import annotations

import pytest

from .parsers import check_parser, usage_error


@pytest.mark.parametrize(
    ("argv", "roles"),
    [
        ([], ("live image",)),
        (["--live-images"], ("live image",)),
        (["--launched"], ("launched",)),
        (["--all"], ("source", "live image", "launched")),
    ],
)
def test_roles(argv, roles):
    check_parser("list", argv, {"roles": roles, "long": False, "status": None, "name": None})


def test_long_status_and_name():
    check_parser(
        "list",
        ["--all", "--long", "--status", "active", "--name", "^w"],
        {"long": True, "status": "ACTIVE", "name": "^w"},
    )


@pytest.mark.parametrize(
    ("argv", "text"),
    [
        (["--all", "--launched"], "not allowed with argument"),
        (["--status", "bogus"], "argument --status: must be one of ACTIVE"),
        (["--name", "("], "argument --name: not a regular expression"),
        (["web"], "unrecognized arguments"),
    ],
)
def test_usage_errors(argv, text, capsys):
    assert text in usage_error("list", argv, capsys)
