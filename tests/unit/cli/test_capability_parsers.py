"""gcclient.cli.capability: the parser of capabilities."""

from __future__ import annotations

from .parsers import check_parser, usage_error


def test_capabilities_all():
    check_parser("capabilities", [], {"all": False})
    check_parser("capabilities", ["--all"], {"all": True})
    check_parser("cobalt-capabilities", ["--all", "-f", "json"], {"all": True, "formatter": "json"})


def test_usage_errors(capsys):
    assert "unrecognized arguments" in usage_error("capabilities", ["web"], capsys)
    assert "--format" in usage_error("capabilities", ["-f", "xml"], capsys)
