"""Waits on several servers in a project of more than one page (1,001+ servers).

The real stack shows it with nova's max_limit at 2 (tests/realstack/test_servers.py);
gc-simulator pages at nova's default of 1000, so it takes 1,003 servers here. The
first two booted are the oldest: on the second page of ``GET /servers/detail``.
"""

from __future__ import annotations

import time

import pytest

from gcclient.simulator.testing import DEFAULT_IMAGE

from .gcrun import gc

PAGING_WAIT = pytest.mark.xfail(
    strict=True,
    reason="gc: a wait on several servers reads one page of GET /servers/detail and takes "
    "any server not on it for gone (issue 20)",
)


@pytest.fixture
def crowded(simulator_factory):
    sim = simulator_factory(era="cobalt", build_time=5.0)
    first = sim.boot("old-1", wait=False)
    second = sim.boot("old-2", wait=False)
    body = {
        "server": {"name": "crowd", "imageRef": DEFAULT_IMAGE, "flavorRef": "1", "min_count": 1001}
    }
    status, data = sim.request("POST", "/servers", body)
    assert status == 202, data
    return sim, first, second


@PAGING_WAIT
def test_wait_gone_does_not_take_the_second_page_for_gone(crowded):
    sim, first, second = crowded
    started = time.monotonic()
    result = gc(sim, "wait", "--gone", first["id"], second["id"], "--wait-timeout", "3")
    assert result.code == 1, (result.code, result.err)
    assert time.monotonic() - started >= 3


@PAGING_WAIT
def test_delete_wait_waits_for_servers_past_the_first_page(crowded):
    sim, first, second = crowded
    started = time.monotonic()
    result = gc(sim, "delete", first["id"], second["id"], "--wait")
    assert result.code == 0, result.err
    assert time.monotonic() - started >= 4  # DELETE takes build_time (5 s) to finish
    assert sim.get(first["id"]) is None and sim.get(second["id"]) is None
