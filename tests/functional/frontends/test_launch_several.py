"""A launch of several servers names every server it made, on every front-end and
however it ends (issue 21). Cobalt's gc_launch answers with the first clone only
(cobalt nova/gridcentric/api.py launch: ``return self.get(context, instances[0])``
... one instance), so the core lists the live image's servers before and after."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from gcclient.simulator.testing import Simulator
from tests.functional.gcrun import GC, default_signals, gc, make_blessed, python_api, tool


def children(sim: Simulator, image_id: str) -> list[str]:
    _, found = sim.action(image_id, {"gc_list_launched": {}})
    return [s["id"] for s in found]  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def sim(module_simulator_factory):
    return module_simulator_factory(era="cobalt", build_time=0.05)


def test_gc_launch_of_three_without_wait_prints_all_three(sim):
    # Failed before: one ID on stdout, exit 0, not a word about the other two.
    image = make_blessed(sim, "three-gc")
    result = gc(sim, "launch", "--num-instances", "3", image["id"], "-f", "value", "-c", "ID")
    made = children(sim, image["id"])
    assert result.code == 0 and result.err == ""
    assert len(made) == 3
    assert sorted(result.out.split()) == sorted(made)


def test_python_api_launch_of_three_returns_all_three(sim, tmp_path):
    """In a process of its own, so that it runs against the gcclient under test."""
    image = make_blessed(sim, "three-api")
    code = f"for s in client.gridcentric.launch({image['id']!r}, num_instances=3): print(s.id)"
    result = python_api(sim, code, cwd=str(tmp_path))
    assert (result.code, result.err) == (0, "")
    assert sorted(result.out.split()) == sorted(children(sim, image["id"]))
    assert len(result.out.split()) == 3


def test_nova_launch_of_three_prints_all_three(sim):
    """Before: ``nova launch --num-instances 3`` printed the first clone only."""
    image = make_blessed(sim, "three-nova")
    result = tool(sim, "nova", "launch", "--num-instances", "3", image["id"])
    made = children(sim, image["id"])
    assert result.code == 0 and "Traceback" not in result.err  # novaclient warns it is old
    assert len(made) == 3
    assert [i for i in made if i not in result.out] == []


def test_a_failed_wait_names_all_three(simulator_factory, tmp_path):
    state = str(tmp_path / "state.db")
    fast = simulator_factory(era="cobalt", build_time=0.05, state=state)
    image = make_blessed(fast, "three-wait")
    fast.stop()
    slow = simulator_factory(era="cobalt", state=state, build_time=60)
    result = gc(
        slow, "launch", "--num-instances", "3", "--wait", "--wait-timeout", "1", image["id"],
        "-f", "value", "-c", "ID",
    )  # fmt: skip
    made = children(slow, image["id"])
    assert result.code == 1 and len(made) == 3
    assert sorted(result.out.split()) == sorted(made)
    carried = result.err.split("only the wait failed")[0]
    assert carried.startswith("ERROR: The launch was carried out (")
    assert all(i in carried for i in made)


def test_ctrl_c_during_the_wait_names_all_three(simulator_factory, tmp_path):
    state = str(tmp_path / "state.db")
    fast = simulator_factory(era="cobalt", build_time=0.05, state=state)
    image = make_blessed(fast, "three-sig")
    fast.stop()
    slow = simulator_factory(era="cobalt", state=state, build_time=60)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(slow.env, GC_NO_TOKEN_CACHE="1")
    proc = subprocess.Popen(
        [GC, "launch", "--num-instances", "3", "--wait", image["id"]],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        text=True, env=env, preexec_fn=default_signals,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while len(children(slow, image["id"])) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # the listing after the launch is in
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    made = children(slow, image["id"])
    assert proc.returncode == 130
    assert err.startswith("Interrupted: servers ") and err.endswith(
        " were created; the wait was stopped\n"
    )
    assert all(f"{i} (BUILD)" in err for i in made)


def test_a_listing_that_fails_after_the_launch_says_what_is_not_known(simulator_factory, tmp_path):
    """Every gc_launch/gc_list_launched action after the first two (the listing before,
    the launch) answers a 500: the launch is done, only its first server is known."""
    state = str(tmp_path / "state.db")
    setup = simulator_factory(era="cobalt", build_time=0.05, state=state)
    image = make_blessed(setup, "three-lost")
    before = server_ids(setup)
    setup.stop()
    sim = simulator_factory(
        era="cobalt", build_time=0.05, state=state,
        extra_args=["--fault-rate", "1", "--fault-kinds", "500", "--fault-skip", "2",
                    "--fault-match", rf"^POST /v2/[^/]+/servers/{image['id']}/action$"],
    )  # fmt: skip
    result = gc(sim, "launch", "--num-instances", "3", image["id"], "-f", "value", "-c", "ID")
    made = server_ids(sim) - before
    assert result.code == 0 and len(made) == 3
    first = result.out.strip()
    assert first in made
    assert result.err == (
        f"WARNING: 3 servers were requested and the launch was carried out, but only 1 are "
        f"known ({first}): check with gc list-launched {image['id']} for the others before "
        f"launching again\n"
    )


def server_ids(sim: Simulator) -> set[str]:
    """Every server's ID, by GET /servers/detail (not faulted here)."""
    return {s["id"] for s in sim.request("GET", "/servers/detail")[1]["servers"]}  # type: ignore[index]
