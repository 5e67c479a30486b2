"""A several-server command whose arguments name one server twice (the same
argument, or a name and its ID) sends one write for it and says the duplicate was
dropped (issue 21: ``gc delete X X`` sent two DELETEs, ``gc bless S S`` made two
live images)."""

from __future__ import annotations

import pytest

from gcclient.simulator.testing import Simulator
from tests.functional.gcrun import gc, make_blessed


@pytest.fixture(scope="module")
def sim(module_simulator_factory):
    return module_simulator_factory(era="cobalt", build_time=0.05)


def writes(sim: Simulator, mark: int, method: str, key: str | None = None) -> list[str]:
    found = []
    for entry in sim.journal_since(mark):
        body = entry.get("body")
        if entry["method"] != method or "/v2/" not in entry["path"]:
            continue
        if key is None or (isinstance(body, dict) and key in body):
            found.append(entry["path"])
    return found


@pytest.mark.parametrize("parallel", ["1", "4"])
def test_delete_of_one_server_named_twice_sends_one_delete(sim, parallel):
    server = sim.boot(f"dup-delete-{parallel}")
    mark = sim.mark()
    result = gc(sim, "delete", "--parallel", parallel, server["id"], server["id"])
    assert writes(sim, mark, "DELETE") == [writes(sim, mark, "DELETE")[0]]
    assert result.code == 0 and result.out == ""
    assert result.err == (
        f"WARNING: {server['id']} names {server['id']} again: one delete is sent for it "
        "(the duplicate was dropped)\n"
    )


def test_a_name_and_its_id_are_one_server(sim):
    server = sim.boot("dup-by-name")
    other = sim.boot("dup-other")
    mark = sim.mark()
    result = gc(sim, "delete", "--parallel", "1", "dup-by-name", other["id"], server["id"])
    deleted = sorted(p.rsplit("/", 1)[1] for p in writes(sim, mark, "DELETE"))
    assert deleted == sorted([server["id"], other["id"]])
    assert result.code == 0
    assert result.err == (
        f"WARNING: {server['id']} names {server['id']} again: one delete is sent for it "
        "(the duplicate was dropped)\n"
        f"2 deletions: 2 done ({server['id']}; {other['id']}), 0 failed, 0 not attempted, "
        "0 unknown\n"
    )


def test_bless_of_one_server_named_twice_makes_one_live_image(sim):
    source = sim.boot("dup-bless")
    mark = sim.mark()
    result = gc(sim, "bless", source["id"], "dup-bless", "-f", "value", "-c", "id")
    assert len(writes(sim, mark, "POST", "gc_bless")) == 1
    assert result.code == 0 and len(result.out.split()) == 1
    assert result.err.startswith("WARNING: dup-bless names ")


def test_discard_delete_launched_of_one_image_named_twice_discards_once(sim):
    image = make_blessed(sim, "dup-discard")
    mark = sim.mark()
    result = gc(sim, "discard", "--delete-launched", image["id"], image["name"])
    assert len(writes(sim, mark, "POST", "gc_discard")) == 1
    assert result.code == 0, result.err
    assert result.err == (
        f"WARNING: {image['name']} names {image['id']} again: one discard is sent for it "
        "(the duplicate was dropped)\n"
    )
