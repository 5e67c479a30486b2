"""gcclient.cli.boot: the parser of boot."""

from __future__ import annotations

import pytest

from .parsers import check_parser, usage_error


def test_boot_options():
    check_parser(
        "boot",
        ["vm", "--image", "cirros", "--flavor", "m1.tiny"],
        {"name": "vm", "image": "cirros", "flavor": "m1.tiny", "host": None, "wait": False},
    )
    check_parser(
        "boot",
        ["vm", "--image", "i", "--flavor", "1", "--host", "h1", "--wait", "--wait-timeout", "7"],
        {
            "name": "vm",
            "image": "i",
            "flavor": "1",
            "host": "h1",
            "wait": True,
            "wait_timeout": 7.0,
        },
    )


@pytest.mark.parametrize(
    ("argv", "text"),
    [
        (["vm"], "--image, --flavor"),
        (["vm", "--image", "i"], "--flavor"),
        (["--image", "i", "--flavor", "1"], "arguments are required"),
        (["vm", "--image", "i", "--flavor", "1", "--wait-timeout", "x"], "--wait-timeout"),
    ],
)
def test_usage_errors(argv, text, capsys):
    assert text in usage_error("boot", argv, capsys)
