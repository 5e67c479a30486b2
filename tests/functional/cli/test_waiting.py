"""--wait where a real process is needed: the progress line on a terminal (a pty),
answers lost on the socket, and the live wait line (issue 25). The other --wait,
discard --delete-launched and several-server cases run gc in-process with a fake
clock: tests/inprocess/test_waiting.py."""

from __future__ import annotations

import os
import pty
import re
import subprocess

import pytest

from tests.functional import gcrun
from tests.functional.gcrun import GC, default_signals, gc

# -- progress line -----------------------------------------------------------------------------


def test_progress_line_only_on_a_terminal(simulator_factory):
    # 1.5 s transitions: the wait lasts at least one of gc's 1.0 s rounds.
    slow = simulator_factory(era="cobalt", build_time=1.5)
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
            preexec_fn=default_signals,
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
    assert lines[-1] == (
        "ERROR: 3 of 3 delete operations have an unknown outcome (they may have been carried "
        "out: check with gc show <server>)"
    )
    assert "failed" not in lines[-1]
    assert lines[-2] == f"3 deletions: 0 done, 0 failed, 0 not attempted, 3 unknown ({checks})"


@pytest.fixture(scope="module")
def watched(module_simulator_factory):
    """Transitions take 4 s: a server booted before gc starts is still BUILD at gc's
    first poll even on a loaded machine (its start and first GET can take over 1.5 s),
    so the progress line is sure to be drawn."""
    return module_simulator_factory(era="cobalt", build_time=4.0)


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
