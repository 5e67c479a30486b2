"""--wait on bless, launch, discard, delete and gc-migrate; discard --delete-launched;
several servers per command. The real gc against gc-simulator."""

from __future__ import annotations

import os
import pty
import re
import subprocess

import pytest

from gcclient.simulator.testing import Simulator
from tests.functional import gcrun
from tests.functional.gcrun import GC, gc, requests_since

UNKNOWN = "00000000-0000-0000-0000-000000000000"


@pytest.fixture(scope="module")
def sim():
    simulator = Simulator(era="cobalt", build_time=0.05).start()
    yield simulator
    simulator.cleanup()


@pytest.fixture(scope="module")
def slow():
    """Transitions take 1.5 s: waits need several poll rounds (gc polls every second)."""
    simulator = Simulator(era="cobalt", build_time=1.5).start()
    yield simulator
    simulator.cleanup()


@pytest.fixture(scope="module")
def watched():
    """Transitions take 4 s: a server booted before gc starts is still BUILD at gc's
    first poll even on a loaded machine (its start and first GET can take over 1.5 s),
    so the progress line is sure to be drawn."""
    simulator = Simulator(era="cobalt", build_time=4.0).start()
    yield simulator
    simulator.cleanup()


def make_blessed(sim, name: str) -> dict:
    return gcrun.make_blessed(sim, name, timeout=20)


def action_names(sim, mark) -> list[str]:
    return [
        next(iter(body))
        for method, path, body in requests_since(sim, mark)
        if method == "POST" and path.endswith("/action")
    ]


# -- bless ------------------------------------------------------------------------------


def test_bless_wait_ends_blessed(sim):
    source = sim.boot("wait-bless")
    mark = sim.mark()
    result = gc(sim, "bless", "--wait", source["id"], "-f", "json")
    assert result.code == 0, result.err
    (row,) = result.json()
    assert row["Status"] == "BLESSED"
    reqs = requests_since(sim, mark)
    assert reqs[0] == ("POST", f"/servers/{source['id']}/action", {"gc_bless": {}})
    assert {(m, p) for m, p, _ in reqs[1:]} == {("GET", f"/servers/{row['ID']}")}
    assert "Waiting" not in result.err  # stderr is not a terminal


def test_bless_wait_timeout_exits_1(slow):
    source = slow.boot("wait-timeout")
    result = gc(slow, "bless", "--wait", "--wait-timeout", "0.5", source["id"])
    assert result.code == 1
    assert "Timed out after 0.5 s waiting for" in result.err


def test_bless_several_servers(sim):
    a, b = sim.boot("multi-a"), sim.boot("multi-b")
    result = gc(sim, "bless", a["id"], b["id"], "-f", "value", "-c", "Name")
    assert result.code == 0, result.err
    assert sorted(result.out.split()) == ["multi-a-0", "multi-b-0"]


def test_bless_several_with_one_failure_reports_each_and_counts(sim):
    a = sim.boot("multi-c")
    mark = sim.mark()
    result = gc(sim, "bless", a["id"], UNKNOWN, "no-such-name", "-f", "value", "-c", "Name")
    assert result.code == 1
    assert result.out == "multi-c-0\n"  # what succeeded is still shown
    assert f"{UNKNOWN}: Instance {UNKNOWN} could not be found." in result.err
    assert "no-such-name: No server with a name or ID of 'no-such-name' exists." in result.err
    assert result.err.rstrip().endswith("2 of 3 bless operations failed")
    assert action_names(sim, mark) == ["gc_bless", "gc_bless"]


# -- launch -------------------------------------------------------------------------------


def test_launch_wait_single_ends_active(sim):
    image = make_blessed(sim, "wait-launch")
    mark = sim.mark()
    result = gc(sim, "launch", "--wait", image["id"], "-f", "json")
    assert result.code == 0, result.err
    (row,) = result.json()
    assert row["Status"] == "ACTIVE"
    assert list(row["Networks"]) == ["private"]
    assert all(addr.startswith("10.") for addr in row["Networks"]["private"])
    assert action_names(sim, mark) == ["gc_launch"]


def test_launch_wait_five_instances_costs_one_list_launched_per_round(slow):
    image = make_blessed(slow, "wait-five")
    existing = slow.action(image["id"], {"gc_launch": {}})[1][0]
    mark = slow.mark()
    result = gc(slow, "launch", "--wait", "--num-instances", "5", image["id"], "-f", "json")
    assert result.code == 0, result.err
    rows = result.json()
    assert len(rows) == 5
    assert {r["Status"] for r in rows} == {"ACTIVE"}
    assert existing["id"] not in {r["ID"] for r in rows}  # an older child is not counted
    reqs = requests_since(slow, mark)
    launch_at = next(i for i, r in enumerate(reqs) if r[2] == {"gc_launch": {"num_instances": 5}})
    after = reqs[launch_at + 1 :]
    # Every request after the launch is one list-launched (a poll round), never a GET per server.
    assert after
    assert all(body == {"gc_list_launched": {}} for _, _, body in after), after
    assert 2 <= len(after) <= 5
    # Before the launch: /gcinfo (num-instances is gated, so checked before anything else is
    # sent) and one list of the existing children.
    assert [body or path for _, path, body in reqs[:launch_at]] == [
        "/gcinfo",
        {"gc_list_launched": {}},
    ]


def test_launch_wait_fails_with_exit_1_when_a_server_goes_to_error(simulator_factory):
    # The bless must still be under way when the launch arrives, on a loaded machine
    # too: 5 s transitions (the shared 1.5 s one raced gc's start-up under load).
    slow = simulator_factory(era="cobalt", build_time=5)
    source = slow.boot("err-src")
    code, body = slow.action(source["id"], {"gc_bless": {}})
    assert code == 200
    building = body[0]["id"]
    # Launching from a blessed server still in BUILD is accepted; the child fails (spec 3.2).
    result = gc(slow, "launch", "--wait", building)
    assert result.code == 1
    assert "went to ERROR while waiting for ACTIVE" in result.err


# -- discard and delete --------------------------------------------------------------------


def test_discard_wait_until_gone(sim):
    image = make_blessed(sim, "wait-discard")
    mark = sim.mark()
    result = gc(sim, "discard", "--wait", image["id"])
    assert result.code == 0, result.err
    assert result.out == ""
    assert sim.get(image["id"]) is None
    reqs = requests_since(sim, mark)
    assert reqs[0] == ("POST", f"/servers/{image['id']}/action", {"gc_discard": {}})
    entries = [e for e in sim.journal_since(mark) if e["path"].endswith(image["id"])]
    assert entries[-1]["method"] == "GET" and entries[-1]["status"] == 404


def test_discard_delete_launched_deletes_waits_then_discards(sim):
    image = make_blessed(sim, "cascade")
    children = []
    for _ in range(2):
        children.append(sim.action(image["id"], {"gc_launch": {}})[1][0]["id"])
    for child in children:
        sim.wait_status(child, "ACTIVE")
    mark = sim.mark()
    result = gc(sim, "discard", "--delete-launched", "--wait", image["name"])
    assert result.code == 0, result.err
    assert sim.get(image["id"]) is None
    assert all(sim.get(child) is None for child in children)
    reqs = requests_since(sim, mark)
    shape = [(m, body if body else p) for m, p, body in reqs]
    assert shape[0] == ("GET", "/servers/detail")
    assert shape[1] == ("POST", {"gc_list_launched": {}})
    assert sorted(shape[2:4]) == sorted(("DELETE", f"/servers/{c}") for c in children)
    discard_at = shape.index(("POST", {"gc_discard": {}}))
    polls = shape[4:discard_at]
    assert polls and all(poll == ("POST", {"gc_list_launched": {}}) for poll in polls)
    assert {m for m, _ in shape[discard_at + 1 :]} == {"GET"}


def test_discard_several_with_failures_reports_each(sim):
    a, b = make_blessed(sim, "dis-a"), make_blessed(sim, "dis-b")
    regular = sim.boot("dis-regular")
    result = gc(sim, "discard", a["id"], regular["id"], b["id"])
    assert result.code == 1
    assert f"Instance {regular['id']} is not a live image." in result.err
    assert result.err.rstrip().endswith("1 of 3 discard operations failed")
    for image in (a, b):
        sim.wait_gone(image["id"])


def test_delete_several_with_wait(sim):
    servers = [sim.boot(f"del-{i}") for i in range(3)]
    mark = sim.mark()
    result = gc(sim, "delete", "--wait", *(s["id"] for s in servers))
    reqs = requests_since(sim, mark)
    assert result.code == 0, result.err
    assert all(sim.get(s["id"]) is None for s in servers)
    deletes = [p for m, p, _ in reqs if m == "DELETE"]
    # Sent in parallel (--parallel 32 by default): each once, in any order.
    assert sorted(deletes) == sorted(f"/servers/{s['id']}" for s in servers)
    # The wait for several servers is one listing per round, never a GET per server.
    last_delete = max(i for i, r in enumerate(reqs) if r[0] == "DELETE")
    polls = [(m, p) for m, p, _ in reqs[last_delete + 1 :]]
    assert polls and set(polls) == {("GET", "/servers/detail")}
    done = "; ".join(s["id"] for s in servers)
    assert result.err == f"3 deletions: 3 done ({done}), 0 failed, 0 not attempted, 0 unknown\n"


def test_delete_several_serially_in_argument_order(sim):
    servers = [sim.boot(f"del-serial-{i}") for i in range(3)]
    mark = sim.mark()
    result = gc(sim, "delete", "--parallel", "1", *(s["id"] for s in servers))
    assert result.code == 0, result.err
    deletes = [p for m, p, _ in requests_since(sim, mark) if m == "DELETE"]
    assert deletes == [f"/servers/{s['id']}" for s in servers]


def test_delete_several_with_a_blessed_one_refuses_it_and_counts(sim):
    image = make_blessed(sim, "del-blessed")
    plain = sim.boot("del-plain")
    mark = sim.mark()
    result = gc(sim, "delete", image["id"], plain["id"], "missing-name")
    assert result.code == 1
    assert "is a blessed server (live image): use 'gc discard'" in result.err
    assert "missing-name: No server with a name or ID of 'missing-name' exists." in result.err
    assert result.err.rstrip().endswith("2 of 3 delete operations failed")
    assert [p for m, p, _ in requests_since(sim, mark) if m == "DELETE"] == [
        f"/servers/{plain['id']}"
    ]


# -- gc-migrate --------------------------------------------------------------------------------


def test_migrate_wait_ends_active_on_the_new_host(sim):
    server = sim.boot("mig-wait", user="admin")
    old = server["OS-EXT-SRV-ATTR:host"]
    dest = next(h for h in ("compute-1", "compute-2", "compute-3") if h != old)
    mark = sim.mark()
    result = gc(sim, "gc-migrate", "--wait", server["id"], dest, user="admin")
    assert result.code == 0, result.err
    assert result.out == ""
    reqs = requests_since(sim, mark)
    assert reqs[0] == ("POST", f"/servers/{server['id']}/action", {"gc_migrate": {"dest": dest}})
    assert {(m, p) for m, p, _ in reqs[1:]} == {("GET", f"/servers/{server['id']}")}
    after = sim.get(server["id"], user="admin")
    assert after["status"] == "ACTIVE"
    assert after["OS-EXT-SRV-ATTR:host"] == dest


def test_migrate_wait_without_destination(sim):
    server = sim.boot("mig-any")
    mark = sim.mark()
    result = gc(sim, "cobalt-migrate", "--wait", server["name"])
    assert result.code == 0, result.err
    assert action_names(sim, mark) == ["gc_migrate"]
    assert requests_since(sim, mark)[1][2] == {"gc_migrate": {}}
    assert sim.get(server["id"])["status"] == "ACTIVE"


# -- progress line -----------------------------------------------------------------------------


def test_progress_line_only_on_a_terminal(slow):
    source = slow.boot("tty-src")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(slow.env)
    env["GC_NO_TOKEN_CACHE"] = "1"
    master, slave = pty.openpty()
    try:
        proc = subprocess.run(
            [GC, "bless", "--wait", source["id"], "-f", "value", "-c", "Status"],
            stdout=subprocess.PIPE,
            stderr=slave,
            stdin=subprocess.DEVNULL,
            env=env,
            timeout=60,
        )
        os.close(slave)
        slave = -1
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)
    assert proc.returncode == 0
    assert proc.stdout == b"BLESSED\n"
    assert b"Waiting for" in seen


def test_several_deletions_with_lost_answers_end_unknown_not_failed(simulator_factory):
    """Issue 21: after an accounting line of "3 unknown" the last line said "3 of 3
    delete operations failed", and a retry loop took that for a refusal. The last
    line keeps the accounting's words, and each unknown names the check."""
    lossy = simulator_factory(
        era="cobalt",
        build_time=0.05,
        extra_args=[
            "--fault-rate",
            "1",
            "--fault-kinds",
            "reset-after",
            "--fault-match",
            "^DELETE /v2/",
        ],
    )
    ids = [lossy.boot(f"lost-{i}")["id"] for i in range(3)]
    result = gc(lossy, "delete", *ids)
    assert (result.code, result.out) == (1, "")
    lines = result.err.splitlines()
    checks = "; ".join(f"{i}: check with gc show {i}" for i in ids)
    assert lines[-2] == f"3 deletions: 0 done, 0 failed, 0 not attempted, 3 unknown ({checks})"
    assert lines[-1] == (
        "ERROR: 3 of 3 delete operations have an unknown outcome (they may have been carried "
        "out: check with gc show <server>)"
    )
    assert "failed" not in lines[-1]


def test_live_wait_line_names_pending_servers_with_elapsed_time(watched):
    """On a terminal: one line rewritten with "\\r", the elapsed seconds, done/total and
    the names still pending (issue 25: a static "Waiting for 0 of 3 ..." line)."""
    first = watched.boot("live-a", wait=False)
    second = watched.boot("live-b", wait=False)
    code, out, seen = gcrun.gc_on_terminal(
        watched, "wait", first["id"], second["id"], "-f", "value", "-c", "Name"
    )
    assert code == 0
    assert out == "live-b\nlive-a\n" or out == "live-a\nlive-b\n"
    text = seen.decode()
    lines = [part.removesuffix("\x1b[K") for part in text.split("\r") if part.strip("\x1b[K")]
    assert lines, text
    assert re.fullmatch(
        r"Waiting for 2 servers to become ACTIVE: 0 of 2 done, \d+ s; pending: live-a, live-b",
        lines[0],
    ), text
    seconds = [int(re.search(r"done, (\d+) s;", line)[1]) for line in lines]
    assert seconds == sorted(seconds), text  # the elapsed time counts up
    assert "\n" not in text.replace("\r\n", "")  # one line, rewritten in place
    assert text.endswith("\r\x1b[K")  # cleared at the end


def test_live_wait_line_fits_a_narrow_terminal(watched):
    """A line wider than the terminal would wrap, and "\r" would not rewrite it."""
    server = watched.boot("narrow-terminal-server-with-a-long-name", wait=False)
    code, _, seen = gcrun.gc_on_terminal(watched, "wait", server["id"], "-f", "value", columns=60)
    assert code == 0
    lines = [p.removesuffix("\x1b[K") for p in seen.decode().split("\r") if p.strip("\x1b[K")]
    # the elapsed seconds depend on the machine's load: read back, the rest exact
    elapsed = re.match(r"Waiting for 1 server to become ACTIVE: 0 of 1 done, (\d+) s", lines[0])
    assert elapsed, lines
    full = (
        f"Waiting for 1 server to become ACTIVE: 0 of 1 done, {elapsed[1]} s; "
        "pending: narrow-terminal-server-with-a-long-name"
    )
    assert lines[0] == full[:59]  # one column kept free: no wrap at the margin


def test_without_a_terminal_the_wait_line_comes_at_v(watched):
    server = watched.boot("heartbeat", wait=False)
    quiet = gc(watched, "wait", server["id"])
    assert quiet.code == 0 and "Waiting" not in quiet.err
    server = watched.boot("heartbeat-2", wait=False)
    told = gc(watched, "-v", "wait", server["id"])
    assert told.code == 0
    waits = [line for line in told.err.splitlines() if line.startswith("Waiting")]
    # transitions take 4 s: one line (the next would be 10 s later)
    assert len(waits) == 1, told.err
    assert re.fullmatch(
        r"Waiting for 1 server to become ACTIVE: 0 of 1 done, \d+ s; pending: heartbeat-2",
        waits[0],
    )
