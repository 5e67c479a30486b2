"""gc list and gc lineage on a terminal of a given width (issue 25): the default table
fits 80 columns and a narrow terminal keeps the lineage tree whole. They need a pty, so
a real gc process; the other listing tests run in-process: tests/inprocess/test_listing.py.
"""

from __future__ import annotations

import pytest

from tests.functional.gcrun import gc, gc_on_terminal


@pytest.fixture(scope="module")
def family(listing_family):
    return listing_family


def test_default_table_fits_80_columns(simulator, family):
    """Issue 25: the default table was 117 columns (each row wrapped to 3 lines)."""
    result = gc(simulator, "list", "--all", env={"COLUMNS": "80"})
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[1] == "| ID                                   | Name  | Status  | Role       |"
    assert max(len(line) for line in lines) <= 80
    # on an 80-column terminal: one line per server, nothing wrapped
    code, _, seen = gc_on_terminal(simulator, "list", "--all", columns=80, stdout=True)
    assert code == 0
    shown = seen.decode().splitlines()
    assert max(len(line) for line in shown) <= 80
    assert len([line for line in shown if line.startswith("| ")]) == 1 + len(family)


def test_lineage_stays_whole_on_a_narrow_terminal(simulator, family):
    """A wrapped Server cell broke the tree apart: the IDs give way first."""
    code, _, seen = gc_on_terminal(simulator, "lineage", "src", columns=60, stdout=True)
    assert code == 0
    short = {name: family[name]["id"][:8] for name in family}
    assert seen.decode().splitlines() == [
        "+-------------+----------+---------+----------+",
        "| Server      | ID       | Status  | Kind     |",
        "+-------------+----------+---------+----------+",
        f"| src         | {short['src']} | ACTIVE  | source   |",
        f"| ├── img-a   | {short['img-a']} | BLESSED | blessed  |",
        f"| │   ├── a-1 | {short['a-1']} | ACTIVE  | launched |",
        f"| │   └── a-2 | {short['a-2']} | ACTIVE  | launched |",
        f"| └── img-b   | {short['img-b']} | BLESSED | blessed  |",
        "+-------------+----------+---------+----------+",
    ]
    code, _, seen = gc_on_terminal(simulator, "lineage", "src", columns=120, stdout=True)
    assert f"| src         | {family['src']['id']} | ACTIVE  | source   |" in seen.decode()
