"""gcclient.cli.server_commands: the parsers of gc-migrate, show and delete."""

from __future__ import annotations

import pytest

from .parsers import check_parser, usage_error


def test_migrate_with_and_without_a_destination():
    check_parser("gc-migrate", ["web"], {"server": "web", "dest": None, "wait": False})
    check_parser(
        "gc-migrate",
        ["web", "host2", "--wait", "--wait-timeout", "5"],
        {"server": "web", "dest": "host2", "wait": True, "wait_timeout": 5.0},
    )


def test_show_takes_one_server():
    check_parser("show", ["web"], {"server": "web"})


def test_delete_several_with_wait_and_parallel():
    check_parser(
        "delete",
        ["a", "b", "--wait", "--parallel", "10"],
        {"server": ["a", "b"], "wait": True, "wait_timeout": 600.0, "parallel": 10},
    )


@pytest.mark.parametrize(
    ("name", "argv", "text"),
    [
        ("gc-migrate", [], "arguments are required"),
        ("gc-migrate", ["a", "b", "c"], "unrecognized arguments"),
        ("gc-migrate", ["a", "--wait-timeout", "x"], "--wait-timeout"),
        ("show", [], "arguments are required"),
        ("delete", [], "arguments are required"),
        ("delete", ["a", "--parallel", "65"], "--parallel"),
    ],
)
def test_usage_errors(name, argv, text, capsys):
    assert text in usage_error(name, argv, capsys)
