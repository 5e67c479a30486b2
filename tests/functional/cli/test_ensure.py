"""``gc launch --ensure N`` against gc-simulator (issue 27) where real processes are needed:
answers lost or delayed on the socket (gc-simulator's faults), two gc processes at once,
and the README's shell lines. The other cases run in-process:
tests/inprocess/test_ensure.py. Every request is counted in the simulator's journal.

The servers launched from a live image (one list-launched) that are not in ERROR nor
being deleted, and named NAME when ``--name`` is given, are counted; only the missing
ones are launched (``num_instances`` = N - existing, the key left out for one); nothing
is deleted. Launch records are created in the ``gc_launch`` request itself (cobalt
9989f67 cobalt/nova/api.py:471-560, ``_launch_instances``), so a listing after a lost
answer sees what the launch made: a second run counts them.
"""

from __future__ import annotations

import os
import subprocess

from tests.functional.gcrun import (
    GC,
    default_signals,
    gc,
    launched_from,
    make_blessed,
    readme_console,
    requests_since,
    shell,
    writes,
)


def test_a_lost_answer_then_a_second_run_makes_three_never_four(simulator_factory):
    """The launch is carried out but its connection is reset (reset-after): the first
    run says the outcome is unknown; the second counts the three and sends nothing."""
    match = r"^POST /v2/[^/]+/servers/[^/]+/action$"
    sim = simulator_factory(
        build_time=0.05,
        # eligible: the bless (1), the first run's count (2), its launch (3): reset
        extra_args=[
            "--fault-rate", "1", "--fault-kinds", "reset-after", "--fault-match", match,
            "--fault-skip", "2", "--fault-limit", "1",
        ],
    )  # fmt: skip
    image = make_blessed(sim, "ensl")
    first = gc(sim, "launch", image["id"], "--ensure", "3", "--wait")
    assert first.code == 1
    faulted = [e for e in sim.journal() if e.get("fault")]
    assert [(e["body"], e["processed"]) for e in faulted] == [
        ({"gc_launch": {"num_instances": 3}}, True)
    ]
    assert (
        "--ensure 3: servers launched from "
        f"{image['id']}: 0 existed; the launch of 3 more may have been carried out: running "
        "the same command again counts what it made and launches only what is missing"
    ) in first.err
    assert f"check with gc list-launched {image['id']}" in first.err
    mark = sim.mark()
    second = gc(sim, "launch", image["id"], "--ensure", "3", "--wait", "-f", "value", "-c", "ID")
    assert second.code == 0, second.err
    assert writes(requests_since(sim, mark)) == []
    assert "3 existed (" in second.err and "none launched" in second.err
    children = launched_from(sim, image["id"])
    assert len(children) == 3
    assert sorted(second.out.split()) == sorted(c["id"] for c in children)


def test_two_runs_at_once_both_launch_and_say_so(simulator_factory):
    """Both counts are answered late (slow: processed at once, answered 4 s later), so
    each run counts 0 and launches 3: --ensure is not a lock. The run whose launch
    came second sees six and says so, with every ID."""
    match = r"^POST /v2/[^/]+/servers/[^/]+/action$"
    sim = simulator_factory(
        build_time=0.05,
        # eligible: the bless (1), then the two counts: slow
        extra_args=[
            "--fault-rate", "1", "--fault-kinds", "slow", "--fault-match", match,
            "--fault-skip", "1", "--fault-limit", "2", "--slow-seconds", "4",
        ],
    )  # fmt: skip
    image = make_blessed(sim, "ensr")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(sim.env, GC_NO_TOKEN_CACHE="1")
    command = [GC, "launch", image["id"], "--ensure", "3", "--wait", "-f", "value", "-c", "ID"]
    runs = [
        subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            preexec_fn=default_signals,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    children = sorted(c["id"] for c in launched_from(sim, image["id"]))
    assert len(children) == 6
    launches = [e for e in sim.journal() if e["body"] == {"gc_launch": {"num_instances": 3}}]
    assert len(launches) == 2
    warned = [err for _, err in outputs if "were ensured" in err]
    assert warned, outputs
    for err in warned:
        line = next(x for x in err.splitlines() if "were ensured" in x)
        assert line.startswith(
            f"WARNING: 6 servers launched from {image['id']} count where 3 were ensured: "
        )
        assert all(child in line for child in children)
        assert "(--ensure is safe to retry, not a lock)" in line
        assert line.endswith("; nothing is deleted")
        assert "0 existed; 3 launched now, among the 6 that appeared since the count (" in err


def test_readme_scripting_example_runs_as_written(simulator_factory, tmp_path):
    """The README's "Scripting launches" lines, as written, after its bless example: the
    first launches 3 web-clone, the retry loop sends nothing but the listing."""
    sim = simulator_factory(era="cobalt", build_time=0.05)
    sim.boot("web")
    commands = readme_console("Scripting launches")
    assert len(commands) == 2 and all("--ensure 3" in c for c in commands), commands
    marks = []
    for command in ["gc bless web --name web-golden --wait", *commands]:
        marks.append(sim.mark())
        proc = shell(command, sim, cwd=str(tmp_path))
        assert proc.code == 0, (command, proc.out, proc.err)
        assert "ERROR" not in proc.err and "WARNING" not in proc.err, proc.err
    assert writes(requests_since(sim, marks[2])) == []
    golden = next(s for s in sim.servers() if s["name"] == "web-golden")
    children = launched_from(sim, golden["id"])
    assert [c["name"] for c in children] == ["web-clone"] * 3
