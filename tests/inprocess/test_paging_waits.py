"""Waits and listings in a project larger than one page of ``GET /servers/detail``.

Nova pages every listing (``[api] max_limit``, 1000 by default): a server that is
not on the first page still exists. gc once read one page and took every server
missing from it for gone (issue 20: ``gc wait --gone A B`` exited 0 while both
existed; ``gc delete A B --wait`` returned while both were still deleting, and so
did ``gc discard A B --wait``; the Python API's ``list()`` returned 1000 of 1017
servers). These run the real gc and the Python API against gc-simulator with 1,003
servers, the awaited ones oldest, so that they are on the second page. Two servers
are read by a GET each, whatever the project's size (issue 26); three or more by
the listing's pages.

In-process tier (tests/inprocess/insim.py): moved from tests/functional/cli with the same
assertions; only the gc runner and the simulator fixtures are the tier's.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs

import pytest

from gcclient.simulator.fixtures import seed_servers
from gcclient.simulator.identity import USERS
from tests.functional.gcrun import python_client
from tests.inprocess.insim import run_gc as gc

PLAIN = 1003


@pytest.fixture()
def big(tmp_path, simulator_factory):
    """1,003 ACTIVE servers; the first three seeded are the oldest: on page two."""
    path = os.path.join(tmp_path, "state.db")
    demo = USERS["demo"]
    made = seed_servers(path, demo.project.id, demo.id, plain=PLAIN)
    return simulator_factory(state=path, build_time=1.0), made["plain"][:3]


@pytest.fixture()
def big_images(tmp_path, simulator_factory):
    """Two live images seeded before 1,003 servers: the oldest, so on page two."""
    path = os.path.join(tmp_path, "state.db")
    demo = USERS["demo"]
    made = seed_servers(path, demo.project.id, demo.id, sources=1, images=2, prefix="old")
    seed_servers(path, demo.project.id, demo.id, plain=PLAIN)
    return simulator_factory(state=path, build_time=1.0), made["images"]


def _detail_queries(sim, mark):
    return [
        {k: v[-1] for k, v in parse_qs(e["query"] or "").items()}
        for e in sim.journal_since(mark)
        if e["path"].endswith("/servers/detail")
    ]


def test_wait_for_active_finds_servers_past_the_first_page(big):
    sim, (a, b, c) = big
    mark = sim.mark()
    result = gc(sim, "wait", a, b, c, "--wait-timeout", "20")
    assert result.code == 0, result.err
    assert "gone" not in result.err
    # The first listing page misses all three: the walk goes on to the second.
    queries = _detail_queries(sim, mark)
    assert queries[0] == {"limit": "1000"}
    assert queries[1]["marker"]
    assert len(queries) == 2


def test_wait_on_two_servers_reads_no_page(big):
    sim, (a, b, _) = big
    mark = sim.mark()
    result = gc(sim, "wait", a, b, "--wait-timeout", "20")
    assert result.code == 0, result.err
    assert _detail_queries(sim, mark) == []
    reads = [e["path"] for e in sim.journal_since(mark) if "/servers/" in e["path"]]
    assert sorted(p.rsplit("/", 1)[1] for p in reads) == sorted([a, b])


def test_wait_gone_does_not_take_a_server_on_page_two_for_gone(big):
    sim, (a, b, _) = big
    result = gc(sim, "wait", "--gone", a, b, "--wait-timeout", "2")
    assert result.code == 1
    assert result.err.startswith("ERROR: Timed out after 2 s waiting for 2 servers to be gone")
    assert sim.get(a) is not None and sim.get(b) is not None


def test_delete_several_with_wait_returns_only_when_they_are_gone(big):
    sim, (a, b, _) = big
    result = gc(sim, "delete", a, b, "--wait", "--wait-timeout", "30")
    assert result.code == 0, result.err
    assert sim.get(a) is None and sim.get(b) is None


def test_discard_several_with_wait_returns_only_when_they_are_gone(big_images):
    sim, (a, b) = big_images
    mark = sim.mark()
    result = gc(sim, "discard", a, b, "--wait", "--wait-timeout", "30")
    assert result.code == 0, result.err
    assert sim.get(a) is None and sim.get(b) is None
    # Not taken for gone from page one: two servers are asked by a GET each (issue 26).
    assert _detail_queries(sim, mark) == []


def test_python_api_list_reads_every_page(big):
    sim, (a, b, _) = big
    client = python_client(sim)
    servers = client.gridcentric.list()
    ids = [s.id for s in servers]
    assert len(ids) == len(set(ids)) == PLAIN
    assert a in ids and b in ids
