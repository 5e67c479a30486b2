"""Every way a write ends is told (issue 11): failed waits, output columns refused before
the write, the export destination, and ``gc wait``; gc run in-process against the
simulator's App, waits and timeouts on the fake clock.

Moved from tests/functional/cli/test_write_outcomes.py with the same assertions; signals,
unwritable or closed output, a size-limited disk, pipes, concurrent processes and lost
answers stay there (they need real processes or sockets).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from gcclient.simulator.testing import DEFAULT_IMAGE
from tests.functional.gcrun import make_blessed, requests_since
from tests.inprocess.insim import run_gc as gc


@pytest.fixture
def sim(simulator):
    return simulator


def test_wait_timeout_after_launch_prints_the_id_and_says_carried_out(slow_after):
    slow, image = slow_after(lambda sim: make_blessed(sim, "wait-fail"))
    result = gc(
        slow, "launch", "--wait", "--wait-timeout", "1", image["id"], "-f", "value", "-c", "ID"
    )
    children = slow.action(image["id"], {"gc_list_launched": {}})[1]
    assert result.code == 1 and len(children) == 1
    child = children[0]["id"]
    assert result.out == f"{child}\n"
    assert result.err == (
        f"ERROR: The launch was carried out ({child}); only the wait failed: Timed out after "
        f"1 s waiting for {child} to become ACTIVE (now BUILD); resume it with gc wait {child}\n"
    )


def test_boot_wait_that_times_out_shows_the_last_view_polled(slow_after):
    slow, _ = slow_after(lambda sim: None)
    result = gc(
        slow,
        "boot",
        "--image",
        DEFAULT_IMAGE,
        "--flavor",
        "1",
        "bt",
        "--wait",
        "--wait-timeout",
        "1",
        "-f",
        "json",
    )
    assert result.code == 1
    shown = json.loads(result.out)
    assert (shown["status"], shown["image"], shown["flavor"]) == ("BUILD", DEFAULT_IMAGE, "1")
    assert shown["name"] == "bt" and shown["adminPass"]


@pytest.mark.parametrize(
    "command",
    [
        ("bless", "{plain}"),
        ("launch", "{image}"),
        ("launch", "--num-instances", "2", "{image}"),
        ("export", "{image}", "-"),
    ],
    ids=["bless", "launch", "launch-2", "export"],
)
def test_an_unknown_output_column_is_refused_before_the_write(sim, command):
    # cliff matches -c without case ("-c id", "-c export image id" work): so does the check.
    """Issue 21: a bad -c was found after the write (exit 1, "The output could not be
    written"), and a three-try retry loop launched three servers."""
    plain = sim.boot("col-plain")
    image = make_blessed(sim, "col-image")
    args = [a.format(plain=plain["id"], image=image["id"]) for a in command]
    mark = sim.mark()
    result = gc(sim, *args, "-c", "Nmae")
    assert (result.code, result.out) == (2, "")
    columns = (
        "export_image_id, file, server" if args[0] == "export" else "ID, Name, Status, Networks"
    )
    assert result.err.splitlines()[-1] == (
        f"gc {args[0]}: error: argument -c/--column: unknown column 'Nmae' (choose from {columns})"
    )
    assert [r for r in requests_since(sim, mark) if r[0] != "GET"] == []


def test_export_replaces_a_file_keeping_its_mode_and_links(sim, tmp_path):
    image = make_blessed(sim, "exp-mode")
    real = tmp_path / "real.json"
    real.write_text("old")
    os.chmod(real, 0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    result = gc(sim, "export", image["id"], str(link))
    assert result.code == 0, result.err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text().startswith("{")
    assert oct(os.stat(real).st_mode & 0o777) == oct(0o640)


@pytest.mark.parametrize("where", ["dir", "unwritable", "missing-dir"])
def test_export_to_a_bad_destination_sends_nothing(sim, tmp_path, where):
    image = make_blessed(sim, f"exp-{where}")
    target = {
        "dir": tmp_path,
        "unwritable": tmp_path / "ro" / "out.json",
        "missing-dir": tmp_path / "no" / "such" / "out.json",
    }[where]
    if where == "unwritable":
        (tmp_path / "ro").mkdir()
        os.chmod(tmp_path / "ro", 0o500)
        if os.geteuid() == 0:
            # root writes through 0500; a process directory is unwritable even for root.
            target = Path(f"/proc/{os.getpid()}/out.json")
            if os.access(target.parent, os.W_OK):
                pytest.skip("no directory here that root cannot write")
    reason = {
        "dir": "it is a directory",
        "unwritable": "Permission denied",
        "missing-dir": "No such file or directory",
    }[where]
    mark = sim.mark()
    result = gc(sim, "export", image["id"], str(target))
    assert (result.code, result.out) == (1, "")
    assert result.err == f"ERROR: Cannot write export file '{target}': {reason}\n"
    assert [r for r in requests_since(sim, mark) if r[0] != "GET"] == []


def test_gc_wait_for_a_status_with_one_listing_per_round(sim):
    image = make_blessed(sim, "w-status")
    kids = [sim.action(image["id"], {"gc_launch": {}})[1][0]["id"] for _ in range(3)]
    mark = sim.mark()
    result = gc(sim, "wait", "--status", "active", *kids, "-f", "value", "-c", "ID", "-c", "Status")
    assert result.code == 0, result.err
    assert sorted(result.out.split("\n")[:-1]) == sorted(f"{k} ACTIVE" for k in kids)
    assert {(m, p) for m, p, _ in requests_since(sim, mark)} == {("GET", "/servers/detail")}


def test_gc_wait_gone(sim):
    servers = [sim.boot(f"w-gone-{i}")["id"] for i in range(2)]
    for server in servers:
        sim.delete(server)
    result = gc(sim, "wait", "--gone", *servers)
    assert (result.code, result.out, result.err) == (0, "", "")
    assert all(sim.get(s) is None for s in servers)


def test_gc_wait_timeout(slow_after):
    slow, source = slow_after(lambda sim: sim.boot("w-timeout"))
    slow.delete(source["id"])
    result = gc(slow, "wait", "--gone", "--wait-timeout", "1", source["id"])
    assert result.code == 1 and result.out == ""
    assert result.err == f"ERROR: Timed out after 1 s waiting for {source['id']} to be gone\n"


def test_gc_wait_gives_each_server_its_own_status(sim):
    """Issue 21: ``gc wait web web-golden`` waited for both to reach the first one's
    status (ACTIVE), so the live image never matched and the wait timed out."""
    plain = sim.boot("w-own-plain")
    image = make_blessed(sim, "w-own-image")
    result = gc(
        sim,
        "wait",
        plain["id"],
        image["id"],
        "--wait-timeout",
        "10",
        "-f",
        "value",
        "-c",
        "ID",
        "-c",
        "Status",
    )
    assert result.code == 0, result.err
    assert sorted(result.out.splitlines()) == sorted(
        [f"{plain['id']} ACTIVE", f"{image['id']} BLESSED"]
    )


def test_gc_wait_refuses_an_unknown_status_before_any_request(sim):
    plain = sim.boot("w-bad-status")
    mark = sim.mark()
    result = gc(sim, "wait", "--status", "ACTVE", plain["id"])
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines()[-1] == (
        "gc wait: error: argument --status: must be one of ACTIVE, BLESSED, BUILD, DELETED, "
        "ERROR, HARD_REBOOT, MIGRATING, PASSWORD, PAUSED, REBOOT, REBUILD, RESCUE, RESIZE, "
        "REVERT_RESIZE, SHUTOFF, SUSPENDED, UNKNOWN, VERIFY_RESIZE"
    )
    assert sim.journal_since(mark) == []


def test_gc_wait_timeout_names_each_late_server_and_its_status(slow_after):
    slow, made = slow_after(lambda sim: [sim.boot(f"w-late-{i}") for i in range(12)])
    ids = [server["id"] for server in made]
    for server_id in ids:
        slow.delete(server_id)
    result = gc(slow, "wait", "--gone", "--wait-timeout", "1", *ids)
    assert result.code == 1 and result.out == ""
    named = ", ".join(f"{server_id} (ACTIVE)" for server_id in ids[:10])
    assert result.err == (
        f"ERROR: Timed out after 1 s waiting for 12 servers to be gone: {named}, and 2 more\n"
    )
