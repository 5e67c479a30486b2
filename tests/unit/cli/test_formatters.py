"""gc's JSON list formatter writes what cliff's writes, byte for byte."""

from __future__ import annotations

import argparse
import io

import pytest
from cliff.formatters import json_format

from gcclient.cli import formatters, output

ROWS = [
    ("a", "web \u00e9", None, output.NetworksColumn({"net": ["10.0.0.1", "fe80::1"]})),
    ("b", 'q"uote\n', 3, output.NetworksColumn({})),
    ("c", "", 1.5, output.NetworksColumn({"x": [], "y": ["1.2.3.4"]})),
    ("d", {"n": {"deep": [1, {"e": []}, {}], 2: True}}, [[], [None, "\u2603"]], False),
]
COLUMNS = ("ID", "Name", "Other", "Networks")


@pytest.mark.parametrize("noindent", [False, True])
@pytest.mark.parametrize("count", [0, 1, 4])
def test_the_same_bytes_as_cliffs(noindent, count):
    args = argparse.Namespace(noindent=noindent)
    theirs, ours = io.StringIO(), io.StringIO()
    json_format.JSONFormatter().emit_list(COLUMNS, ROWS[:count], theirs, args)
    formatters.JSONFormatter().emit_list(COLUMNS, iter(ROWS[:count]), ours, args)
    assert ours.getvalue() == theirs.getvalue()


def test_one_write_per_row():
    class Counting(io.StringIO):
        writes = 0

        def write(self, text):
            Counting.writes += 1
            return super().write(text)

    formatters.JSONFormatter().emit_list(
        COLUMNS, ROWS, Counting(), argparse.Namespace(noindent=False)
    )
    assert Counting.writes == len(ROWS) + 2
