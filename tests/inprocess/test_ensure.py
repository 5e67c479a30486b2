"""``gc launch --ensure N`` (issue 27), gc run in-process against the simulator's App,
every request counted in the simulator's journal. Moved from tests/functional/cli/test_ensure.py
with the same assertions; what needs processes or socket faults stays there.

The servers launched from a live image (one list-launched) that are not in ERROR nor
being deleted, and named NAME when ``--name`` is given, are counted; only the missing
ones are launched (``num_instances`` = N - existing, the key left out for one); nothing
is deleted. Launch records are created in the ``gc_launch`` request itself (cobalt
9989f67 cobalt/nova/api.py:471-560, ``_launch_instances``), so a listing after a lost
answer sees what the launch made: a second run counts them.
"""

from __future__ import annotations

from tests.functional.gcrun import (
    LIST_LAUNCHED,
    launched_from,
    make_blessed,
    requests_since,
    writes,
)
from tests.inprocess.insim import run_gc as gc

LIST = LIST_LAUNCHED


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
