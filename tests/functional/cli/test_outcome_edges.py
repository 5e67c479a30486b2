"""Issue 21's items against a real ``gc`` process, for those whose other tests run
in-process (tests/inprocess) or did not fail before the fix: so that every item can be
run against the executables of an earlier commit (``GC_UNDER_TEST_BIN``, see
docs/reliability.rst, "Against ab4f943"), where each of these fails."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from tests.functional.gcrun import (
    GC,
    default_signals,
    gc,
    launched_from,
    make_blessed,
    requests_since,
)


@pytest.fixture
def sim(simulator):
    """The conftest's module simulator (cobalt, 0.05 s builds)."""
    return simulator


# -- -c is checked before the write ------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [("bless", "{plain}"), ("launch", "--num-instances", "2", "{image}")],
    ids=["bless", "launch-2"],
)
def test_an_unknown_output_column_is_refused_before_the_write(sim, command):
    """Before: the write was sent, then exit 1 "The output could not be written"."""
    plain = sim.boot("edge-col-plain")
    image = make_blessed(sim, "edge-col-image")
    args = [a.format(plain=plain["id"], image=image["id"]) for a in command]
    mark = sim.mark()
    result = gc(sim, *args, "-c", "Nmae")
    assert [r for r in requests_since(sim, mark) if r[0] != "GET"] == []
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines()[-1] == (
        f"gc {args[0]}: error: argument -c/--column: unknown column 'Nmae' "
        "(choose from ID, Name, Status, Networks)"
    )


# -- gc wait --------------------------------------------------------------------------------


def test_gc_wait_gives_each_server_its_own_status(sim):
    """Before: both waited for the first one's status (ACTIVE): a timeout."""
    plain = sim.boot("edge-own-plain")
    image = make_blessed(sim, "edge-own-image")
    result = gc(sim, "wait", plain["id"], image["id"], "--wait-timeout", "5",
                "-f", "value", "-c", "ID", "-c", "Status")  # fmt: skip
    assert (result.code, result.err) == (0, "")
    assert sorted(result.out.splitlines()) == sorted(
        [f"{plain['id']} ACTIVE", f"{image['id']} BLESSED"]
    )


def test_gc_wait_refuses_an_unknown_status_before_any_request(sim):
    """Before: ``--status ACTVE`` was accepted and waited out the timeout."""
    plain = sim.boot("edge-bad-status")
    mark = sim.mark()
    result = gc(sim, "wait", "--status", "ACTVE", "--wait-timeout", "2", plain["id"])
    assert sim.journal_since(mark) == []
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines()[-1] == (
        "gc wait: error: argument --status: must be one of ACTIVE, BLESSED, BUILD, DELETED, "
        "ERROR, HARD_REBOOT, MIGRATING, PASSWORD, PAUSED, REBOOT, REBUILD, RESCUE, RESIZE, "
        "REVERT_RESIZE, SHUTOFF, SUSPENDED, UNKNOWN, VERIFY_RESIZE"
    )


def test_gc_wait_timeout_names_each_late_server_and_its_status(slow_after):
    """Before: "waiting for 12 servers to be gone", none of them named."""
    slow, made = slow_after(lambda s: [s.boot(f"edge-late-{i}") for i in range(12)])
    ids = [server["id"] for server in made]
    for server_id in ids:
        slow.delete(server_id)
    result = gc(slow, "wait", "--gone", "--wait-timeout", "1", *ids)
    named = ", ".join(f"{server_id} (ACTIVE)" for server_id in ids[:10])
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        f"ERROR: Timed out after 1 s waiting for 12 servers to be gone: {named}, and 2 more\n"
    )


# -- terminal escapes ---------------------------------------------------------------------

EVIL = "ok\x1b[2J\x1b]0;owned\x07\u202egnp.exe"
SHOWN = "ok\\x1b[2J\\x1b]0;owned\\x07\\u202egnp.exe"


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--all", "-f", "value", "-c", "Name"),
        ("list", "--all", "-f", "table", "-c", "Name"),
        ("show", "{id}", "-f", "value", "-c", "name"),
        ("show", "{id}", "-f", "table"),
    ],
    ids=["list-value", "list-table", "show-value", "show-table"],
)
def test_control_characters_from_the_server_are_escaped(sim, args):
    """Before: a server named ``"\\x1b[2J..."`` cleared the screen of ``gc list``."""
    evil = sim.boot(EVIL)
    result = gc(sim, *(a.format(id=evil["id"]) for a in args))
    sim.delete(evil["id"])
    assert (result.code, result.err) == (0, "")
    assert not [ch for ch in "\x1b\x07\u202e" if ch in result.out]
    assert SHOWN in result.out


# -- discard --delete-launched: an unknown deletion names its check ------------------------


def test_discard_delete_launched_names_the_check_of_each_unknown(simulator_factory, tmp_path):
    """Every DELETE is carried out and its answer lost (a reset): before, the accounting
    line listed the unknown deletions without the command that checks them."""
    state = str(tmp_path / "state.db")
    setup = simulator_factory(era="cobalt", build_time=0.05, state=state)
    image = make_blessed(setup, "edge-discard")
    code, _ = setup.action(image["id"], {"gc_launch": {"num_instances": 2}})
    assert code == 200
    children = [c["id"] for c in launched_from(setup, image["id"])]
    setup.stop()
    lossy = simulator_factory(
        era="cobalt", build_time=0.05, state=state,
        extra_args=["--fault-rate", "1", "--fault-kinds", "reset-after",
                    "--fault-match", "^DELETE /v2/"],
    )  # fmt: skip
    result = gc(lossy, "discard", "--delete-launched", image["id"])
    checks = "; ".join(f"{i}: check with gc show {i}" for i in children)
    image_id = image["id"]
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        f"2 deletions: 0 done, 0 failed, 0 not attempted, 2 unknown ({checks}) "
        f"(launched from {image_id})\n"
        f"{image_id} was not discarded\n"
        f"ERROR: Not every server launched from {image_id} was deleted; {image_id} was not "
        "discarded\n"
    )


# -- an interrupted bulk run sends nothing after its line ----------------------------------


def full_pipe() -> tuple[int, int, int]:
    """A pipe whose buffer is full: (read end, write end, bytes in it). A process that
    writes to it blocks until the test reads, as on a terminal paused with Ctrl-S or a
    slow ssh link."""
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    filled = 0
    for size in (4096, 512, 64, 8, 1):  # writes up to PIPE_BUF are all or nothing
        try:
            while True:
                filled += os.write(write_end, b"x" * size)
        except BlockingIOError:
            pass
    os.set_blocking(write_end, True)
    return read_end, write_end, filled


def test_sigint_while_names_are_looked_up_sends_no_delete_after_the_line(slow_after):
    """Every GET of servers is answered after 3 s, so that the lookups before the
    deletions are in flight when Ctrl-C comes, and stderr is a full pipe, so that the
    process is still there after its line is composed. Before: the line said "0 of 4
    deletions were sent" while the workers, given their lookups' answers, sent their
    DELETEs (issue 21: "2 of 8 deletions were sent", 7 in the journal)."""
    sim, ids = slow_after(
        lambda s: [s.boot(f"edge-bulk-{i}")["id"] for i in range(4)],
        build_time=0.05,
        extra_args=["--fault-rate", "1", "--fault-kinds", "slow", "--slow-seconds", "3",
                    "--fault-match", r"^GET /v2/[^/]+/servers"],
    )  # fmt: skip
    mark = sim.mark()
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(sim.env, GC_NO_TOKEN_CACHE="1")
    read_end, write_end, filled = full_pipe()
    proc = subprocess.Popen(
        [GC, "delete", "--parallel", "4", *ids], stdout=subprocess.DEVNULL,
        stderr=write_end, stdin=subprocess.DEVNULL, env=env, preexec_fn=default_signals,
    )  # fmt: skip
    os.close(write_end)
    deadline = time.monotonic() + 20
    while not any(e["path"].endswith("/auth/tokens") for e in sim.journal_since(mark)):
        assert time.monotonic() < deadline, "no token request"
        time.sleep(0.05)
    time.sleep(1.0)  # the lookups are in flight, answered 2 s from now
    proc.send_signal(signal.SIGINT)
    time.sleep(5)  # a DELETE sent after the line would be in the journal now
    deleted = [r for r in requests_since(sim, mark) if r[0] == "DELETE"]
    with os.fdopen(read_end, "rb") as stderr:
        err = stderr.read()[filled:].decode()
    assert proc.wait(timeout=30) == 130
    assert (deleted, err) == ([], "Interrupted: nothing was sent\n")
