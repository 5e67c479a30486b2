"""gcclient.cli.wait: the parser of wait."""

from __future__ import annotations

import pytest

from .parsers import check_parser, usage_error


def test_wait_options():
    check_parser(
        "wait",
        ["a"],
        {"server": ["a"], "status": None, "gone": False, "wait_timeout": 600.0},
    )
    check_parser(
        "wait", ["a", "b", "--gone", "--wait-timeout", "3"],
        {"server": ["a", "b"], "gone": True, "wait_timeout": 3.0},
    )  # fmt: skip
    check_parser("wait", ["a", "--status", "ACTIVE"], {"status": "ACTIVE", "gone": False})


@pytest.mark.parametrize(
    ("argv", "text"),
    [
        ([], "arguments are required"),
        (["a", "--status", "ACTIVE", "--gone"], "not allowed with argument --status"),
        (["a", "--wait-timeout", "x"], "--wait-timeout"),
    ],
)
def test_usage_errors(argv, text, capsys):
    assert text in usage_error("wait", argv, capsys)
