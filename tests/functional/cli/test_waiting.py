"""--wait where a real process is needed: the progress line on a terminal (a pty) and
answers lost on the socket. The other --wait, discard --delete-launched and several-server
cases run gc in-process with a fake clock: tests/inprocess/test_waiting.py."""

from __future__ import annotations

import os
import pty
import subprocess

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
    assert lines[-2] == f"3 deletions: 0 done, 0 failed, 0 not attempted, 3 unknown ({checks})"
    assert lines[-1] == (
        "ERROR: 3 of 3 delete operations have an unknown outcome (they may have been carried "
        "out: check with gc show <server>)"
    )
    assert "failed" not in lines[-1]
