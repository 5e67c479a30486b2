"""``gc launch --ensure N`` against gc-simulator (issue 27): real gc processes, every
request counted in the simulator's journal.

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
    make_blessed,
    readme_console,
    requests_since,
    shell,
)

LIST = {"gc_list_launched": {}}


def launched_from(sim, image_id: str) -> list[dict]:
    status, body = sim.action(image_id, LIST)
    assert status == 200, body
    return body  # type: ignore[return-value]


def writes(requests) -> list:
    """The requests that are not reads (only gc_launch may appear here)."""
    return [
        (method, body)
        for method, path, body in requests
        if method != "GET" and not (isinstance(body, dict) and "gc_list_launched" in body)
    ]


def lists(requests) -> int:
    return sum(1 for _, _, body in requests if body == LIST)


def ids_of(out: str) -> list[str]:
    return out.split()


def test_from_zero_launches_n_in_one_request_and_names_each(simulator):
    image = make_blessed(simulator, "ens0")
    mark = simulator.mark()
    result = gc(simulator, "launch", image["id"], "--ensure", "3", "-f", "value", "-c", "ID")
    assert result.code == 0, result.err
    sent = requests_since(simulator, mark)
    assert writes(sent) == [("POST", {"gc_launch": {"num_instances": 3}})]
    assert lists(sent) == 2  # the count, then the listing that names every server made
    made = sorted(s["id"] for s in launched_from(simulator, image["id"]))
    assert sorted(ids_of(result.out)) == made and len(made) == 3
    line = next(x for x in result.err.splitlines() if x.startswith("--ensure 3"))
    assert line.startswith(f"--ensure 3: servers launched from {image['id']}: 0 existed; ")
    assert sorted(line.split("; 3 launched now (")[1].rstrip(")").split(", ")) == made


def test_from_two_launches_one_without_num_instances_and_waits_for_all(simulator):
    image = make_blessed(simulator, "ens2")
    first = gc(simulator, "launch", image["id"], "--ensure", "2", "-f", "value", "-c", "ID")
    assert first.code == 0, first.err
    existing = ids_of(first.out)
    mark = simulator.mark()
    result = gc(simulator, "launch", image["id"], "--ensure", "3", "--wait", "-f", "json")
    assert result.code == 0, result.err
    assert writes(requests_since(simulator, mark)) == [("POST", {"gc_launch": {}})]
    shown = result.json()  # the seed's list: sorted by ID
    assert [s["Status"] for s in shown] == ["ACTIVE"] * 3
    (now,) = {s["ID"] for s in shown} - set(existing)
    assert len(shown) == 3 and set(existing) < {s["ID"] for s in shown}
    line = next(x for x in result.err.splitlines() if x.startswith("--ensure 3"))
    before, _, after = line.partition(": 2 existed (")[2].partition("); ")
    assert sorted(before.split(", ")) == sorted(existing) and after == f"1 launched now ({now})"


def test_from_three_sends_nothing_but_the_list(simulator):
    image = make_blessed(simulator, "ens3")
    assert gc(simulator, "launch", image["id"], "--ensure", "3", "--wait").code == 0
    mark = simulator.mark()
    result = gc(simulator, "launch", image["id"], "--ensure", "3", "--wait", "-f", "value")
    assert result.code == 0, result.err
    assert requests_since(simulator, mark) == [("POST", f"/servers/{image['id']}/action", LIST)]
    assert len(result.out.splitlines()) == 3
    assert "3 existed (" in result.err and "none launched" in result.err
    assert len(launched_from(simulator, image["id"])) == 3


def test_an_error_clone_is_not_counted_and_is_named(simulator_factory):
    """A clone launched while its live image is still being blessed goes to ERROR
    (the simulator's "Live image is not ready."): it does not count, and is not
    deleted."""
    sim = simulator_factory(build_time=0.5)
    source = sim.boot("ense")
    code, body = sim.action(source["id"], {"gc_bless": {}})
    assert code == 200, body
    image_id = body[0]["id"]
    code, body = sim.action(image_id, {"gc_launch": {}})
    assert code == 200, body
    broken = sim.wait_status(body[0]["id"], "ERROR")["id"]
    sim.wait_status(image_id, "BLESSED")
    mark = sim.mark()
    result = gc(sim, "launch", image_id, "--ensure", "3", "--wait", "-f", "value", "-c", "ID")
    assert result.code == 0, result.err
    assert writes(requests_since(sim, mark)) == [("POST", {"gc_launch": {"num_instances": 3}})]
    assert broken not in result.out and len(result.out.split()) == 3
    warning = next(x for x in result.err.splitlines() if "in ERROR" in x)
    assert warning == (
        f"WARNING: 1 server(s) launched from {image_id} in ERROR were not counted: {broken} "
        "(they are not deleted: delete them if they are not wanted)"
    )
    children = {s["id"]: s["status"] for s in launched_from(sim, image_id)}
    assert children[broken] == "ERROR" and len(children) == 4


def test_name_filters_what_counts(simulator):
    image = make_blessed(simulator, "ensn")
    other = gc(simulator, "launch", image["id"], "--num-instances", "2", "--name", "db")
    assert other.code == 0, other.err
    web = gc(simulator, "launch", image["id"], "--name", "web", "-f", "value", "-c", "ID")
    assert web.code == 0, web.err
    mark = simulator.mark()
    result = gc(
        simulator, "launch", image["id"], "--ensure", "3", "--name", "web", "-f", "value",
        "-c", "ID", "-c", "Name",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert writes(requests_since(simulator, mark)) == [
        ("POST", {"gc_launch": {"name": "web", "num_instances": 2}})
    ]
    rows = [line.split() for line in result.out.splitlines()]
    assert [name for _, name in rows] == ["web"] * 3
    assert web.out.strip() in [server_id for server_id, _ in rows]
    assert f"named web: 1 existed ({web.out.strip()}); 2 launched now" in result.err
    names = sorted(s["name"] for s in launched_from(simulator, image["id"]))
    assert names == ["db", "db", "web", "web", "web"]


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


def test_a_cloud_without_num_instances_gets_one_launch_per_missing_server(simulator_factory):
    """Essex-era clouds advertise no capability (no /gcinfo): plain ``launch
    --num-instances`` is refused there, and --ensure sends one gc_launch a server."""
    sim = simulator_factory(era="essex", build_time=0.05)
    image = make_blessed(sim, "ensx")
    mark = sim.mark()
    result = gc(sim, "launch", image["id"], "--ensure", "2", "--wait", "-f", "value", "-c", "ID")
    assert result.code == 0, result.err
    assert writes(requests_since(sim, mark)) == [("POST", {"gc_launch": {}})] * 2
    made = sorted(c["id"] for c in launched_from(sim, image["id"]))
    assert sorted(result.out.split()) == made and len(made) == 2
    line = next(x for x in result.err.splitlines() if "0 existed; 2 launched now (" in x)
    assert sorted(line.split("launched now (")[1].rstrip(")").split(", ")) == made


def test_usage_errors_send_nothing(simulator):
    mark = simulator.mark()
    for args, message in [
        (
            ["--ensure", "2", "--num-instances", "3"],
            "argument --num-instances: not allowed with argument --ensure",
        ),
        (["--ensure", "0"], "argument --ensure: invalid value '0': it must be at least 1"),
        (["--ensure", "x"], "argument --ensure: invalid value 'x': expected a whole number"),
        (["--ensure", "-1"], "argument --ensure: invalid value '-1': it must be at least 1"),
    ]:
        result = gc(simulator, "launch", "img", *args)
        assert result.code == 2, result
        assert result.err.splitlines()[-1] == f"gc launch: error: {message}"
    assert simulator.journal_since(mark) == []


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
