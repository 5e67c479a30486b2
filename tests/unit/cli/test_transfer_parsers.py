"""gcclient.cli.transfer: the parsers of export and import."""

from __future__ import annotations

import pytest

from .parsers import check_parser, usage_error


def test_export_takes_a_server_and_a_file():
    check_parser("export", ["img", "out.json"], {"server": "img", "file": "out.json"})


def test_import_overrides_accumulate():
    check_parser("import", ["in.json"], {"file": "in.json", "override": [], "wait": False})
    check_parser(
        "import",
        ["in.json", "--override", "name=x", "--override", "tags=a,b", "--wait"],
        {"file": "in.json", "override": ["name=x", "tags=a,b"], "wait": True},
    )


@pytest.mark.parametrize(
    ("name", "argv", "text"),
    [
        ("export", ["img"], "arguments are required"),
        ("export", [], "arguments are required"),
        ("import", [], "arguments are required"),
        ("import", ["in.json", "--override"], "--override"),
        ("import", ["in.json", "--wait-timeout", "x"], "--wait-timeout"),
    ],
)
def test_usage_errors(name, argv, text, capsys):
    assert text in usage_error(name, argv, capsys)
