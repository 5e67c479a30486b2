"""gc's words for ``launch --ensure`` (gcclient/cli/ensure_launch.py): the option's
checks, the closing line and the warnings, from the core's results (issue 27)."""

from __future__ import annotations

import argparse

import pytest

from gcclient.api import exceptions
from gcclient.cli import ensure_launch
from gcclient.core.ensure import Ensured


def v(server_id: str, status: str = "ACTIVE") -> dict:
    return {"id": server_id, "status": status}


@pytest.mark.parametrize(
    ("value", "error"),
    [("0", "it must be at least 1"), ("-2", "it must be at least 1"), ("2.0", "whole number")],
)
def test_count_type_refuses(value, error):
    with pytest.raises(argparse.ArgumentTypeError, match=error):
        ensure_launch.count_type(value)


def test_count_type_takes_a_whole_number():
    assert ensure_launch.count_type("12") == 12


def test_accounting_lines():
    none = Ensured("img", 2, None, existing=[v("a"), v("b")], counted=[v("a"), v("b")])
    assert ensure_launch.accounting(none) == (
        "--ensure 2: servers launched from img: 2 existed (a, b); none launched"
    )
    made = Ensured("img", 3, "web", existing=[v("a")], launched=[v("n1"), v("n2")], requested=2)
    assert ensure_launch.accounting(made) == (
        "--ensure 3: servers launched from img named web: 1 existed (a); 2 launched now (n1, n2)"
    )
    raced = Ensured("img", 2, None, existing=[], launched=[v("n1"), v("x"), v("n2")], requested=2)
    assert ensure_launch.accounting(raced).endswith(
        "0 existed; 2 launched now, among the 3 that appeared since the count (n1, x, n2)"
    )


def test_warnings_name_error_going_and_surplus():
    result = Ensured(
        "img",
        1,
        None,
        existing=[],
        launched=[v("n1"), v("x")],
        answer=[v("n1")],
        requested=1,
        counted=[v("n1"), v("x")],
        errored=[v("e", "ERROR")],
        going=[v("d")],
    )
    assert ensure_launch.warnings(None, result) == [
        "1 server(s) launched from img in ERROR were not counted: e (they are not deleted: "
        "delete them if they are not wanted)",
        "1 server(s) being deleted were not counted: d",
        "2 servers launched from img count where 1 were ensured: n1, x; another launch from "
        "the same live image ran at the same time (--ensure is safe to retry, not a lock) and "
        "its servers cannot be told from this one's; the answer to this launch named n1; "
        "nothing is deleted",
    ]


def test_what_is_known_of_a_failed_launch():
    lost = exceptions.UnknownOutcome("gc_launch", server="img")
    assert ensure_launch._not_done(3, lost, False) == (
        "; the launch of 3 more may have been carried out: running the same command again "
        "counts what it made and launches only what is missing"
    )
    refused = exceptions.CapabilityError("key_name", "launch-key")
    assert ensure_launch._not_done(2, refused, False) == "; the launch of 2 more was not sent"
    failed = exceptions.ClientException("quota")
    assert ensure_launch._not_done(3, failed, True) == (
        "; the launch of 1 more failed (2 more were not sent)"
    )
