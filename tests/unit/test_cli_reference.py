"""The command reference (docs/cli.rst, docs/openstack.rst) is generated from the
commands (cliff's ``autoprogram-cliff``), so it cannot drift: every gc command has
its generated block, no synopsis is written by hand, and every option the prose
names exists. tests/functional/packaging/test_packaging_docs.py builds the HTML and
checks that each option of each command is in it."""

from __future__ import annotations

import argparse
import configparser
import re
import sys
from pathlib import Path

import pytest
from cliff import sphinxext

from gcclient.cli import commands

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def conf() -> dict:
    namespace: dict = {"__file__": str(DOCS / "conf.py")}
    saved = list(sys.path)
    try:
        exec(compile((DOCS / "conf.py").read_text(), "conf.py", "exec"), namespace)
    finally:
        sys.path[:] = saved
    return namespace


IGNORED = conf()["autoprogram_cliff_ignored"]


def directives(page: str) -> list[tuple[str, dict[str, str]]]:
    """Each ``autoprogram-cliff`` of a page: its argument and options."""
    text = (DOCS / page).read_text(encoding="utf-8")
    found = []
    for match in re.finditer(r"^\.\. autoprogram-cliff:: (\S+)\n((?:   :\S+: .*\n)*)", text, re.M):
        options = dict(re.findall(r"   :(\S+): (.*)", match.group(2)))
        found.append((match.group(1), options))
    return found


def parser_of(name: str) -> argparse.ArgumentParser:
    """The parser as the directive renders it (cliff.sphinxext: the class made with no
    app, the ignored options dropped)."""
    cls = commands.LazyCommand(name, commands.COMMANDS[name]).load()
    parser = cls(None, None).get_parser(name)
    for action in list(parser._actions):
        if any(option in IGNORED for option in action.option_strings):
            parser._remove_action(action)
            for option in action.option_strings:
                parser._option_string_actions.pop(option, None)
    return parser


def options_of(parser: argparse.ArgumentParser) -> set[str]:
    return {o for a in parser._actions for o in a.option_strings if o.startswith("--")}


def test_every_gc_command_has_its_generated_reference():
    covered = [opts.get("command") for arg, opts in directives("cli.rst") if arg == "gc"]
    assert sorted(covered) == sorted(commands.COMMANDS)


def test_the_openstack_page_generates_the_plugins_reference():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    assert "openstack.live_image.v1" in config["options.entry_points"]
    assert ("openstack.live_image.v1", {"application": "openstack"}) in directives("openstack.rst")


def test_no_synopsis_is_written_by_hand():
    """A hand-written ``gc <command> [--option ...]`` line is what drifted (it missed
    --parallel and --wait-timeout): the generated usage replaces it."""
    text = (DOCS / "cli.rst").read_text(encoding="utf-8")
    names = "|".join(re.escape(n) for n in commands.COMMANDS)
    assert not re.findall(rf"^``gc (?:{names}) \[.*$", text, re.M)


@pytest.mark.parametrize("name", sorted(commands.COMMANDS))
def test_the_generated_block_has_every_option(name):
    parser = parser_of(name)
    rendered = "\n".join(sphinxext._format_parser(parser))
    for option in options_of(parser):
        assert f".. option:: {option}" in rendered or f", {option}" in rendered, option


def test_every_option_the_prose_names_exists():
    """An option renamed or removed in the code and still named in docs/cli.rst
    fails here."""
    from gcclient.cli.application import GcApp

    known = set(options_of(GcApp().parser))
    for name in commands.COMMANDS:
        cls = commands.LazyCommand(name, commands.COMMANDS[name]).load()
        known |= options_of(cls(None, None).get_parser(name))
    text = (DOCS / "cli.rst").read_text(encoding="utf-8")
    named = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*[a-z0-9])(?![\w<])", text))
    assert sorted(named - known) == []
