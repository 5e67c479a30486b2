"""The command table, aliases and in-process runs of the later commands on a fake wire."""

from __future__ import annotations

import io
import json
import logging

import pytest

from gcclient.api import exceptions
from gcclient.cli import application as app
from gcclient.cli import base, commands

from ..fakes import FakeWire

ALIASES = {
    "live-image-create": "bless",
    "live-image-start": "launch",
    "live-image-delete": "discard",
    "live-image-list": "list-blessed",
    "live-image-servers": "list-launched",
    "cobalt-migrate": "gc-migrate",
    "cobalt-capabilities": "capabilities",
    "migrate": "gc-migrate",
    "gc-export": "export",
    "live-image-export": "export",
    "gc-import": "import",
    "live-image-import": "import",
    "gc-boot": "boot",
}


def test_every_alias_points_at_its_command():
    assert commands.ALIASES == ALIASES
    table = commands.all_commands()
    for alias, name in ALIASES.items():
        assert table[alias] == commands.COMMANDS[name]


@pytest.mark.parametrize("name", sorted(commands.all_commands()))
def test_every_command_loads_and_has_a_description(name):
    cls = commands.LazyCommand(name, commands.all_commands()[name]).load()
    doc = cls.__doc__.strip()
    assert doc
    if name in ALIASES:
        assert f"(alias of '{ALIASES[name]}')" in doc.splitlines()[0]
        original = commands.LazyCommand(ALIASES[name], commands.COMMANDS[ALIASES[name]]).load()
        assert issubclass(cls, original)


def run(monkeypatch, wire, *argv):
    monkeypatch.setattr(base, "wire", lambda command: wire)
    gc = app.GcApp()
    out, err = io.StringIO(), io.StringIO()
    gc.stdout, gc.stderr = out, err
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    code = gc.run(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_capabilities_lists_what_is_advertised(monkeypatch):
    code, out, _ = run(monkeypatch, FakeWire(), "capabilities", "-f", "value")
    assert code == 0
    assert out.splitlines() == ["launch-name", "made-up", "user-data"]


@pytest.mark.parametrize("argv", [["capabilities"], ["cobalt-capabilities", "--all"]])
def test_capabilities_without_the_extension_say_so_on_stderr(monkeypatch, argv):
    wire = FakeWire()
    wire.offered = False
    code, out, err = run(monkeypatch, wire, *argv)
    assert (code, out) == (1, "")
    assert err == "ERROR: This cloud does not offer the Gridcentric extension\n"


def test_capabilities_all_shows_every_known_one(monkeypatch):
    code, out, _ = run(monkeypatch, FakeWire(), "cobalt-capabilities", "--all", "-f", "json")
    assert code == 0
    rows = {row["Capability"]: row for row in json.loads(out)}
    assert rows["launch-name"] == {
        "Capability": "launch-name",
        "Advertised": True,
        "Gates": "launch --name",
    }
    assert rows["launch-nics"]["Advertised"] is False
    assert rows["made-up"]["Gates"] == "(unknown to gc)"
    assert len(rows) == 14


@pytest.mark.parametrize("name", sorted(commands.COMMANDS))
def test_every_option_and_argument_has_help(name):
    import argparse

    cls = commands.LazyCommand(name, commands.COMMANDS[name]).load()
    parser = cls(app.GcApp(), None, cmd_name=name).get_parser(f"gc {name}")
    for action in parser._actions:
        if action.help == argparse.SUPPRESS:
            continue  # cliff's own hidden options (the shell formatter's --variable)
        assert action.help, (name, action.dest)
    positionals = [a for a in parser._actions if not a.option_strings]
    for action in positionals:
        if "name or ID" in action.help or action.metavar == "<server>":
            assert action.help.endswith("(name or ID)"), (name, action.help)


class RejectedTokenWire(FakeWire):
    """keystoneauth warns, then Keystone refuses the token (tests/realstack/test_auth.py)."""

    def list_servers_page(self, params):
        logging.getLogger("keystoneauth.identity.generic.base").warning(
            "Failed to discover available identity versions when contacting http://k/."
        )
        raise exceptions.TokenRejected("Failed to validate token", 404)


def test_a_read_only_commands_error_is_in_gcs_words_and_one_line(monkeypatch):
    code, out, err = run(monkeypatch, RejectedTokenWire(), "list")
    assert (code, out) == (1, "")
    assert err == (
        "ERROR: The token is expired, revoked or invalid: Keystone answered 'Failed to "
        "validate token' (HTTP 404); get a new --os-token or OS_TOKEN\n"
    )


def test_keystoneauths_own_warnings_show_with_v(monkeypatch):
    code, _, err = run(monkeypatch, RejectedTokenWire(), "-v", "list")
    assert code == 1
    assert err.splitlines()[0] == (
        "WARNING: Failed to discover available identity versions when contacting http://k/."
    )
    assert err.splitlines()[-1].startswith("ERROR: The token is expired")
