"""The in-process tier itself: gc over the real wire format, without a socket."""

from __future__ import annotations

from tests.functional.gcrun import make_blessed, requests_since


def test_gc_lists_over_the_simulators_wire_format(insim, gc):
    blessed = make_blessed(insim, "web")
    mark = insim.mark()
    result = gc(insim, "list", "-f", "value", "-c", "ID")
    assert (result.code, result.out, result.err) == (0, f"{blessed['id']}\n", "")
    assert [(method, path) for method, path, _ in requests_since(insim, mark)] == [
        ("GET", "/servers/detail")
    ]


def test_a_wait_sleeps_on_the_fake_clock(insim_factory, gc, clock):
    sim = insim_factory(build_time=30)
    source = sim.boot("slow", wait=False)
    clock.sleep(30)  # the build, on the fake clock
    assert sim.get(source["id"])["status"] == "ACTIVE"
    before = len(clock.sleeps)
    result = gc(sim, "bless", source["id"], "--wait", "-f", "value", "-c", "status")
    assert (result.code, result.out) == (0, "BLESSED\n"), result.err
    rounds = clock.sleeps[before:]  # gc's 1.0 s rounds, on the fake clock
    assert set(rounds) == {1.0} and 29 <= len(rounds) <= 30, rounds
