"""--wait on bless, launch, discard, delete and gc-migrate; discard --delete-launched;
several servers per command: gc in this process against the simulator's App
(tests/inprocess/insim.py), its 1.0 s poll rounds on the fake clock.

Moved from tests/functional/cli/test_waiting.py with the same assertions (requests in the
journal, exit codes, output); what needs a real process (the progress line on a pty,
answers lost on the socket) stays there.
"""

from __future__ import annotations

import re

from tests.functional import gcrun
from tests.functional.gcrun import requests_since

UNKNOWN = "00000000-0000-0000-0000-000000000000"


def make_blessed(sim, name: str) -> dict:
    return gcrun.make_blessed(sim, name, timeout=20)


def action_names(sim, mark) -> list[str]:
    return [
        next(iter(body))
        for method, path, body in requests_since(sim, mark)
        if method == "POST" and path.endswith("/action")
    ]


# -- bless ------------------------------------------------------------------------------


def test_bless_wait_ends_blessed(insim, gc):
    source = insim.boot("wait-bless")
    mark = insim.mark()
    result = gc(insim, "bless", "--wait", source["id"], "-f", "json")
    assert result.code == 0, result.err
    (row,) = result.json()
    assert row["Status"] == "BLESSED"
    reqs = requests_since(insim, mark)
    assert reqs[0] == ("POST", f"/servers/{source['id']}/action", {"gc_bless": {}})
    assert {(m, p) for m, p, _ in reqs[1:]} == {("GET", f"/servers/{row['ID']}")}
    assert "Waiting" not in result.err  # stderr is not a terminal


def test_bless_wait_timeout_exits_1(slow_insim, gc):
    source = slow_insim.boot("wait-timeout")
    result = gc(slow_insim, "bless", "--wait", "--wait-timeout", "0.5", source["id"])
    assert result.code == 1
    assert "Timed out after 0.5 s waiting for" in result.err


def test_bless_several_servers(insim, gc):
    a, b = insim.boot("multi-a"), insim.boot("multi-b")
    result = gc(insim, "bless", a["id"], b["id"], "-f", "value", "-c", "Name")
    assert result.code == 0, result.err
    assert sorted(result.out.split()) == ["multi-a-0", "multi-b-0"]


def test_bless_several_with_one_failure_reports_each_and_counts(insim, gc):
    a = insim.boot("multi-c")
    mark = insim.mark()
    result = gc(insim, "bless", a["id"], UNKNOWN, "no-such-name", "-f", "value", "-c", "Name")
    assert result.code == 1
    assert result.out == "multi-c-0\n"  # what succeeded is still shown
    assert f"{UNKNOWN}: Instance {UNKNOWN} could not be found." in result.err
    assert "no-such-name: No server with a name or ID of 'no-such-name' exists." in result.err
    assert result.err.rstrip().endswith("2 of 3 bless operations failed")
    assert action_names(insim, mark) == ["gc_bless", "gc_bless"]


# -- launch -------------------------------------------------------------------------------


def test_launch_wait_single_ends_active(insim, gc):
    image = make_blessed(insim, "wait-launch")
    mark = insim.mark()
    result = gc(insim, "launch", "--wait", image["id"], "-f", "json")
    assert result.code == 0, result.err
    (row,) = result.json()
    assert row["Status"] == "ACTIVE"
    assert list(row["Networks"]) == ["private"]
    assert all(addr.startswith("10.") for addr in row["Networks"]["private"])
    assert action_names(insim, mark) == ["gc_launch"]


def test_launch_wait_five_instances_costs_one_list_launched_per_round(slow_insim, gc):
    image = make_blessed(slow_insim, "wait-five")
    existing = slow_insim.action(image["id"], {"gc_launch": {}})[1][0]
    mark = slow_insim.mark()
    result = gc(slow_insim, "launch", "--wait", "--num-instances", "5", image["id"], "-f", "json")
    assert result.code == 0, result.err
    rows = result.json()
    assert len(rows) == 5
    assert {r["Status"] for r in rows} == {"ACTIVE"}
    assert existing["id"] not in {r["ID"] for r in rows}  # an older child is not counted
    reqs = requests_since(slow_insim, mark)
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


def test_launch_wait_fails_with_exit_1_when_a_server_goes_to_error(insim_factory, gc):
    # The bless must still be under way when the launch arrives: 5 s transitions.
    slow = insim_factory(era="cobalt", build_time=5)
    source = slow.boot("err-src")
    code, body = slow.action(source["id"], {"gc_bless": {}})
    assert code == 200
    building = body[0]["id"]
    # Launching from a blessed server still in BUILD is accepted; the child fails (spec 3.2).
    result = gc(slow, "launch", "--wait", building)
    assert result.code == 1
    assert "went to ERROR while waiting for ACTIVE" in result.err


# -- discard and delete --------------------------------------------------------------------


def test_discard_wait_until_gone(insim, gc):
    image = make_blessed(insim, "wait-discard")
    mark = insim.mark()
    result = gc(insim, "discard", "--wait", image["id"])
    assert result.code == 0, result.err
    assert result.out == ""
    assert insim.get(image["id"]) is None
    reqs = requests_since(insim, mark)
    assert reqs[0] == ("POST", f"/servers/{image['id']}/action", {"gc_discard": {}})
    entries = [e for e in insim.journal_since(mark) if e["path"].endswith(image["id"])]
    assert entries[-1]["method"] == "GET" and entries[-1]["status"] == 404


def test_discard_delete_launched_deletes_waits_then_discards(insim, gc):
    image = make_blessed(insim, "cascade")
    children = []
    for _ in range(2):
        children.append(insim.action(image["id"], {"gc_launch": {}})[1][0]["id"])
    for child in children:
        insim.wait_status(child, "ACTIVE")
    mark = insim.mark()
    result = gc(insim, "discard", "--delete-launched", "--wait", image["name"])
    assert result.code == 0, result.err
    assert insim.get(image["id"]) is None
    assert all(insim.get(child) is None for child in children)
    reqs = requests_since(insim, mark)
    shape = [(m, body if body else p) for m, p, body in reqs]
    assert shape[0] == ("GET", "/servers/detail")
    assert shape[1] == ("POST", {"gc_list_launched": {}})
    assert sorted(shape[2:4]) == sorted(("DELETE", f"/servers/{c}") for c in children)
    discard_at = shape.index(("POST", {"gc_discard": {}}))
    polls = shape[4:discard_at]
    assert polls and all(poll == ("POST", {"gc_list_launched": {}}) for poll in polls)
    assert {m for m, _ in shape[discard_at + 1 :]} == {"GET"}


def test_discard_several_with_failures_reports_each(insim, gc):
    a, b = make_blessed(insim, "dis-a"), make_blessed(insim, "dis-b")
    regular = insim.boot("dis-regular")
    result = gc(insim, "discard", a["id"], regular["id"], b["id"])
    assert result.code == 1
    assert f"Instance {regular['id']} is not a live image." in result.err
    assert result.err.rstrip().endswith("1 of 3 discard operations failed")
    for image in (a, b):
        insim.wait_gone(image["id"])


def test_delete_several_with_wait(insim, gc):
    servers = [insim.boot(f"del-{i}") for i in range(3)]
    mark = insim.mark()
    result = gc(insim, "delete", "--wait", *(s["id"] for s in servers))
    reqs = requests_since(insim, mark)
    assert result.code == 0, result.err
    assert all(insim.get(s["id"]) is None for s in servers)
    deletes = [p for m, p, _ in reqs if m == "DELETE"]
    # Sent in parallel (--parallel 32 by default): each once, in any order.
    assert sorted(deletes) == sorted(f"/servers/{s['id']}" for s in servers)
    # The wait for several servers is one listing per round, never a GET per server.
    last_delete = max(i for i, r in enumerate(reqs) if r[0] == "DELETE")
    polls = [(m, p) for m, p, _ in reqs[last_delete + 1 :]]
    assert polls and set(polls) == {("GET", "/servers/detail")}
    done = "; ".join(s["id"] for s in servers)
    assert result.err == f"3 deletions: 3 done ({done}), 0 failed, 0 not attempted, 0 unknown\n"


def test_delete_several_serially_in_argument_order(insim, gc):
    servers = [insim.boot(f"del-serial-{i}") for i in range(3)]
    mark = insim.mark()
    result = gc(insim, "delete", "--parallel", "1", *(s["id"] for s in servers))
    assert result.code == 0, result.err
    deletes = [p for m, p, _ in requests_since(insim, mark) if m == "DELETE"]
    assert deletes == [f"/servers/{s['id']}" for s in servers]


def test_delete_several_with_a_blessed_one_refuses_it_and_counts(insim, gc):
    image = make_blessed(insim, "del-blessed")
    plain = insim.boot("del-plain")
    mark = insim.mark()
    result = gc(insim, "delete", image["id"], plain["id"], "missing-name")
    assert result.code == 1
    assert "is a blessed server (live image): use 'gc discard'" in result.err
    assert "missing-name: No server with a name or ID of 'missing-name' exists." in result.err
    assert result.err.rstrip().endswith("2 of 3 delete operations failed")
    assert [p for m, p, _ in requests_since(insim, mark) if m == "DELETE"] == [
        f"/servers/{plain['id']}"
    ]


# -- gc-migrate --------------------------------------------------------------------------------


def test_migrate_wait_ends_active_on_the_new_host(insim, gc):
    server = insim.boot("mig-wait", user="admin")
    old = server["OS-EXT-SRV-ATTR:host"]
    dest = next(h for h in ("compute-1", "compute-2", "compute-3") if h != old)
    mark = insim.mark()
    result = gc(insim, "gc-migrate", "--wait", server["id"], dest, user="admin")
    assert result.code == 0, result.err
    assert result.out == ""
    reqs = requests_since(insim, mark)
    assert reqs[0] == ("POST", f"/servers/{server['id']}/action", {"gc_migrate": {"dest": dest}})
    assert {(m, p) for m, p, _ in reqs[1:]} == {("GET", f"/servers/{server['id']}")}
    after = insim.get(server["id"], user="admin")
    assert after["status"] == "ACTIVE"
    assert after["OS-EXT-SRV-ATTR:host"] == dest


def test_migrate_wait_without_destination(insim, gc):
    server = insim.boot("mig-any")
    mark = insim.mark()
    result = gc(insim, "cobalt-migrate", "--wait", server["name"])
    assert result.code == 0, result.err
    assert action_names(insim, mark) == ["gc_migrate"]
    assert requests_since(insim, mark)[1][2] == {"gc_migrate": {}}
    assert insim.get(server["id"])["status"] == "ACTIVE"


def test_without_a_terminal_the_wait_line_comes_at_v(insim_factory, gc):
    """Moved from tests/functional/cli/test_waiting.py (same assertions): the 4 s
    transitions and gc's rounds on the fake clock."""
    watched = insim_factory(era="cobalt", build_time=4.0)
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
