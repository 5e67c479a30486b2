"""Server-provided text reaches a terminal escaped (issue 21): a server named
``"\x1b[2J..."`` cleared the screen of whoever ran ``gc list``. Table and value
output escape control characters; JSON escapes them itself; the name is kept as
it is on the wire.

In-process tier (tests/inprocess/insim.py): moved from tests/functional/cli with the same
assertions; only the gc runner and the simulator fixtures are the tier's.
"""

from __future__ import annotations

import json

import pytest

from tests.inprocess.insim import run_gc as gc

EVIL = "ok\x1b[2J\x1b]0;owned\x07\u202egnp.exe"
SHOWN = "ok\\x1b[2J\\x1b]0;owned\\x07\\u202egnp.exe"


@pytest.fixture(scope="module")
def evil(simulator):
    return simulator.boot(EVIL)


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--all", "-f", "value", "-c", "Name"),
        ("list", "--all", "-f", "table", "-c", "Name"),
        ("show", "{id}", "-f", "value", "-c", "name"),
        ("show", "{id}", "-f", "table"),
    ],
    ids=["list-value", "list-table", "show-value", "show-table"],
)
def test_control_characters_are_escaped_in_table_and_value_output(simulator, evil, args):
    result = gc(simulator, *(a.format(id=evil["id"]) for a in args))
    assert result.code == 0, result.err
    assert SHOWN in result.out
    assert not any(ch in result.out for ch in "\x1b\x07\u202e")


def test_json_output_keeps_the_name_exact(simulator, evil):
    result = gc(simulator, "show", evil["id"], "-f", "json")
    assert result.code == 0, result.err
    assert "\x1b" not in result.out  # JSON escapes it: \u001b
    assert json.loads(result.out)["name"] == EVIL
