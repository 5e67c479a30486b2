"""gcclient.cli.lineage_commands: the parser of lineage."""

from __future__ import annotations

import pytest

from .parsers import check_parser, usage_error


def test_lineage_options():
    check_parser(
        "lineage", ["web"], {"server": "web", "root": False, "max_depth": None, "ascii": False}
    )
    check_parser(
        "lineage",
        ["web", "--root", "--max-depth", "2", "--ascii", "-f", "csv"],
        {"server": "web", "root": True, "max_depth": 2, "ascii": True, "formatter": "csv"},
    )


@pytest.mark.parametrize(
    ("argv", "text"),
    [
        ([], "arguments are required"),
        (["web", "--max-depth", "deep"], "--max-depth"),
        (["web", "other"], "unrecognized arguments"),
    ],
)
def test_usage_errors(argv, text, capsys):
    assert text in usage_error("lineage", argv, capsys)
