"""docs/openstack.rst's table of the plugin's commands is the registered list: every
entry point of ``openstack.live_image.v1`` in setup.cfg has one row, every row is a
registered command, and its gc and nova equivalents exist."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from cliff import command

from gcclient.cli import commands
from gcclient.nova import nova_shell
from tests.references import registered

ROOT = Path(__file__).resolve().parents[3]
TABLE_HEADER = "``openstack`` command"


def documented() -> dict[str, tuple[list[str], list[str]]]:
    """The table's rows: openstack command to (gc commands, nova commands); a row whose
    first cell is empty continues the one above (RST simple tables)."""
    lines = (ROOT / "docs" / "openstack.rst").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(TABLE_HEADER))
    border = lines[start - 1]
    edges = [m.span() for m in re.finditer("=+", border)]
    end = next(i for i in range(start + 2, len(lines)) if lines[i] == border)
    rows: dict[str, tuple[list[str], list[str]]] = {}
    last = ""
    for line in lines[start + 2 : end]:
        cells = [line[a : (edges[i + 1][0] if i + 1 < len(edges) else None)].strip()
                 for i, (a, _) in enumerate(edges)]  # fmt: skip
        if cells[0]:
            last = cells[0].strip("`")
            rows[last] = ([], [])
        gc_cells = re.findall(r"``([^`]+)``", cells[1])
        nova_cells = re.findall(r"``nova ([^`]+)``", cells[2])
        rows[last][0].extend(gc_cells)
        rows[last][1].extend(nova_cells)
    return rows


def test_the_table_lists_exactly_the_registered_commands():
    assert sorted(documented()) == sorted(registered())


def test_each_registered_command_loads_and_follows_the_guide():
    """Objects and actions as OSC's guide spells them: lower-case words, the action
    one of the guide's verbs, no hyphenated object."""
    for name, target in registered().items():
        module, _, attr = target.partition(":")
        cls = getattr(importlib.import_module(module), attr)
        assert issubclass(cls, command.Command), name
        *obj, action = name.split()
        assert action in ("create", "delete", "list", "show", "migrate"), name
        assert all(re.fullmatch("[a-z]+", word) for word in obj), name


@pytest.mark.parametrize("name", sorted(registered()))
def test_each_row_names_existing_gc_and_nova_commands(name):
    gc_names, nova_names = documented()[name]
    assert gc_names, name
    for gc_name in gc_names:
        assert gc_name in commands.COMMANDS, gc_name
    nova_commands = {n[3:].replace("_", "-") for n in dir(nova_shell) if n.startswith("do_")}
    for nova_name in nova_names:
        assert nova_name in nova_commands | {"show"}, nova_name
