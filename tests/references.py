"""What the documentation is generated from, for the tests that check it: the parser
of each gc command as ``autoprogram-cliff`` renders it, and the openstack plugin's
registered commands. Shared by tests/unit (the sources) and tests/functional (the
built HTML and a live ``openstack``)."""

from __future__ import annotations

import argparse
import configparser
import functools
import sys
from pathlib import Path

from gcclient.cli import commands

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def conf() -> dict:
    """docs/conf.py's settings, read as Sphinx reads them."""
    namespace: dict = {"__file__": str(DOCS / "conf.py")}
    saved = list(sys.path)
    try:
        exec(compile((DOCS / "conf.py").read_text(), "conf.py", "exec"), namespace)
    finally:
        sys.path[:] = saved
    return namespace


@functools.cache
def ignored_options() -> tuple[str, ...]:
    return tuple(conf()["autoprogram_cliff_ignored"])


def parser_of(name: str) -> argparse.ArgumentParser:
    """The parser as the directive renders it (cliff.sphinxext: the class made with no
    app, the ignored options dropped)."""
    ignored = ignored_options()
    cls = commands.LazyCommand(name, commands.COMMANDS[name]).load()
    parser = cls(None, None).get_parser(name)
    for action in list(parser._actions):
        if any(option in ignored for option in action.option_strings):
            parser._remove_action(action)
            for option in action.option_strings:
                parser._option_string_actions.pop(option, None)
    return parser


def options_of(parser: argparse.ArgumentParser) -> set[str]:
    return {o for a in parser._actions for o in a.option_strings if o.startswith("--")}


def registered() -> dict[str, str]:
    """The openstack plugin's commands (as openstack spells them) to their
    ``module:Class``, from setup.cfg's entry points."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    group = config["options.entry_points"]["openstack.live_image.v1"]
    found = {}
    for line in group.strip().splitlines():
        name, _, target = line.partition("=")
        found[name.strip().replace("_", " ")] = target.strip()
    return found
