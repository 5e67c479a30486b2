"""The command reference (docs/cli.rst, docs/openstack.rst) is generated from the
commands (cliff's ``autoprogram-cliff``), so it cannot drift: every gc command has
its generated block, no synopsis is written by hand, and every option the prose
names exists. tests/functional/packaging/test_packaging_docs.py builds the HTML and
checks that each option of each command is in it."""

from __future__ import annotations

import configparser
import re

import pytest
from cliff import sphinxext

from gcclient.cli import commands
from tests.references import DOCS, ROOT, options_of, parser_of


def directives(page: str) -> list[tuple[str, dict[str, str]]]:
    """Each ``autoprogram-cliff`` of a page: its argument and options."""
    text = (DOCS / page).read_text(encoding="utf-8")
    found = []
    for match in re.finditer(r"^\.\. autoprogram-cliff:: (\S+)\n((?:   :\S+: .*\n)*)", text, re.M):
        options = dict(re.findall(r"   :(\S+): (.*)", match.group(2)))
        found.append((match.group(1), options))
    return found


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
