"""docs/simulator.rst's table of accepted differences is the differential test's."""

from __future__ import annotations

from pathlib import Path

from tests.realstack.differences import KNOWN, rst_table

DOCS = Path(__file__).resolve().parents[3] / "docs" / "simulator.rst"


def test_docs_table_is_the_tests_table():
    assert rst_table() in DOCS.read_text(), (
        "docs/simulator.rst's 'Against a real OpenStack' table differs from "
        "tests/realstack/differences.py: paste the output of rst_table()"
    )


def test_every_accepted_difference_says_why():
    for key, (real, sim, why) in KNOWN.items():
        assert real != sim, key
        assert why.split(":", 1)[0] in ("Era", "Stack", "Simulator", "Users"), key
