"""gcclient.cli.policy: the parsers of install-policy and get-policy."""

from __future__ import annotations

import pytest

from .parsers import check_parser, usage_error


def test_install_policy_file_and_wait():
    check_parser("install-policy", ["p.ini"], {"policy_file": "p.ini", "wait": False})
    check_parser("install-policy", ["p.ini", "--wait"], {"policy_file": "p.ini", "wait": True})


def test_get_policy_takes_one_server():
    check_parser("get-policy", ["web"], {"server": "web"})


@pytest.mark.parametrize(
    ("name", "argv", "text"),
    [
        ("install-policy", [], "arguments are required"),
        ("install-policy", ["p.ini", "q.ini"], "unrecognized arguments"),
        ("get-policy", [], "arguments are required"),
    ],
)
def test_usage_errors(name, argv, text, capsys):
    assert text in usage_error(name, argv, capsys)
