"""HTTP requests per gc command with a warm token cache, from the simulator's journal.

In-process tier (tests/inprocess/insim.py): moved from tests/functional/cli with the same
assertions; only the gc runner and the simulator fixtures are the tier's.
"""

from __future__ import annotations

import pytest

from gcclient.simulator.testing import is_identity_path
from tests.inprocess.insim import run_gc as gc


def warm(sim, home, *args: str):
    return gc(sim, *args, env={"XDG_CACHE_HOME": str(home), "GC_NO_TOKEN_CACHE": ""})


@pytest.fixture
def image(simulator, request):
    source = simulator.boot(f"counts-{request.node.name}")
    _, blessed = simulator.action(source["id"], {"gc_bless": {}})
    return source, simulator.wait_status(blessed[0]["id"], "BLESSED")


def count(sim, home, *args: str) -> list[tuple[str, str]]:
    mark = sim.mark()
    result = warm(sim, home, *args)
    assert result.code == 0, result.err
    return [(e["method"], e["path"]) for e in sim.journal_since(mark)]


@pytest.mark.parametrize(
    "command",
    [
        ("bless", "{source}"),
        ("launch", "{image}"),
        ("list-launched", "{image}"),
        ("list-blessed", "{source}"),
        ("show", "{source}"),
        ("show", "{source_name}"),
    ],
)
def test_one_request_per_simple_command_with_a_warm_cache(simulator, image, tmp_path, command):
    source, blessed = image
    values = {"source": source["id"], "image": blessed["id"], "source_name": source["name"]}
    args = [part.format(**values) for part in command]
    first = count(simulator, tmp_path, *args)
    assert sum(1 for _, path in first if is_identity_path(path)) == 1
    assert len(first) == 2, first
    second = count(simulator, tmp_path, *args)
    assert len(second) == 1, second
    assert not is_identity_path(second[0][1])


def test_launch_wait_polls_with_one_list_launched_per_round(simulator, image, tmp_path):
    _, blessed = image
    assert warm(simulator, tmp_path, "show", blessed["id"]).code == 0
    mark = simulator.mark()
    result = warm(simulator, tmp_path, "launch", "--num-instances", "20", "--wait", blessed["id"])
    assert result.code == 0, result.err
    entries = simulator.journal_since(mark)
    kinds = [
        next(iter(e["body"])) if isinstance(e.get("body"), dict) else e["path"] for e in entries
    ]
    after = kinds[kinds.index("gc_launch") + 1 :]
    assert after and set(after) == {"gc_list_launched"}, kinds


def test_delete_of_many_is_one_listing_and_a_delete_each(simulator, tmp_path):
    """Issue 26: live images are refused from the project's listing, not from a GET of
    each server, so N deletes cost N + 1 requests (warm cache)."""
    servers = [simulator.boot(f"counts-del-{n}")["id"] for n in range(6)]
    assert warm(simulator, tmp_path, "show", servers[0]).code == 0
    sent = [
        (m, "/servers/" + p.split("/servers/", 1)[1])
        for m, p in count(simulator, tmp_path, "delete", *servers)
    ]
    assert sorted(sent) == sorted(
        [("GET", "/servers/detail")] + [("DELETE", f"/servers/{s}") for s in servers]
    )
