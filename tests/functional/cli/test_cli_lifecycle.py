"""The seed's whole scenario with the real gc, and the README's main command."""

import os
import subprocess
import sys

from tests.functional.gcrun import GC, actions, gc

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def test_seed_scenario_with_gc_alone(simulator):
    source = simulator.boot("scenario")
    mark = simulator.mark()

    blessed = gc(
        simulator, "bless", source["id"], "--wait", "-f", "value", "-c", "ID", "-c", "Status"
    )
    assert blessed.code == 0, blessed.err
    blessed_id, status = blessed.out.split()
    assert status == "BLESSED"

    first = gc(simulator, "launch", blessed_id, "--wait", "-f", "value", "-c", "ID")
    second = gc(simulator, "launch", "scenario-0", "--wait", "-f", "value", "-c", "ID")
    assert first.code == second.code == 0, first.err + second.err
    launched = sorted([first.out.strip(), second.out.strip()])

    listing = gc(simulator, "list-launched", blessed_id, "-f", "json")
    assert sorted(row["ID"] for row in listing.json()) == launched
    assert {row["Status"] for row in listing.json()} == {"ACTIVE"}

    deleted = gc(simulator, "delete", "--parallel", "1", "--wait", *launched)
    assert deleted.code == 0, deleted.err
    assert gc(simulator, "list-launched", blessed_id, "-f", "json").json() == []

    assert gc(simulator, "delete", "--wait", source["id"]).code == 0
    discarded = gc(simulator, "discard", "--wait", blessed_id)
    assert (discarded.code, discarded.out, discarded.err) == (0, "", "")
    gone = gc(simulator, "show", blessed_id)
    assert gone.code == 1
    assert gone.err == f"ERROR: No server with a name or ID of '{blessed_id}' exists.\n"

    bodies = [
        (method, path, body)
        for method, path, body in actions(simulator.journal_since(mark))
        if method != "GET"
    ]
    assert bodies == [
        ("POST", f"/servers/{source['id']}/action", {"gc_bless": {}}),
        ("POST", f"/servers/{blessed_id}/action", {"gc_launch": {}}),
        ("POST", f"/servers/{blessed_id}/action", {"gc_launch": {}}),
        ("POST", f"/servers/{blessed_id}/action", {"gc_list_launched": {}}),
        ("DELETE", f"/servers/{launched[0]}", None),
        ("DELETE", f"/servers/{launched[1]}", None),
        ("POST", f"/servers/{blessed_id}/action", {"gc_list_launched": {}}),
        ("DELETE", f"/servers/{source['id']}", None),
        ("POST", f"/servers/{blessed_id}/action", {"gc_discard": {}}),
    ]


def test_piped_commands_in_interactive_mode_exit_0(simulator):
    source = simulator.boot("piped")
    env = dict(os.environ, **simulator.env, GC_NO_TOKEN_CACHE="1")
    proc = subprocess.run(
        [GC],
        input=f"show {source['id']} -f value -c name\nlist-blessed {source['id']}\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "piped" in proc.stdout


def test_piped_commands_with_a_failure_exit_1(simulator):
    env = dict(os.environ, **simulator.env, GC_NO_TOKEN_CACHE="1")
    proc = subprocess.run(
        [GC],
        input="show no-such-server\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "No server with a name or ID of 'no-such-server' exists." in proc.stderr


def test_readme_main_command_runs_the_lifecycle():
    proc = subprocess.run(
        [sys.executable, os.path.join(ROOT, "examples", "lifecycle.py"), "--build-time", "0.1"],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    commands = [line for line in proc.stdout.splitlines() if line.startswith("$ gc ")]
    verbs = [line.split()[2] for line in commands]
    assert verbs == [
        "boot",
        "show",
        "bless",
        "list-blessed",
        "launch",
        "launch",
        "list-launched",
        "delete",
        "list-launched",
        "delete",
        "discard",
    ]
    assert "the lifecycle is complete" in proc.stdout


def _reap(pid: int, seconds: float = 10.0) -> int:
    """The child's wait status; killed when it has not ended in time, so a failed test
    never hangs the run."""
    import signal
    import time

    for _ in range(int(seconds * 10)):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    return os.waitpid(pid, 0)[1]


def test_interactive_shell_on_a_terminal_has_the_gc_prompt(simulator):
    import pty
    import select

    env = dict(os.environ, **simulator.env, GC_NO_TOKEN_CACHE="1", TERM="dumb")
    pid, fd = pty.fork()
    if pid == 0:  # the child: gc on a terminal
        os.execve(GC, [GC], env)
    output = b""

    def read_until(marker: bytes | None, seconds: int = 30, after: bytes = b"") -> None:
        # Read until the marker shows (or, for None, until the terminal closes). "quit" is
        # sent only once the command's output has been read: a process that exits may take
        # output still in the terminal's buffer with it, which made this test flaky.
        nonlocal output
        for _ in range(seconds):
            if marker is not None and marker in (output.partition(after)[2] if after else output):
                return
            ready, _, _ = select.select([fd], [], [], 1)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                return
            if not chunk:
                return
            output += chunk

    try:
        os.write(fd, b"capabilities -f value\r")
        read_until(b"launch-nics")
        read_until(b"(gc) ", seconds=10, after=b"launch-nics")  # the next prompt
        os.write(fd, b"quit\r")
        read_until(None)
    finally:
        status = _reap(pid)
    text = output.decode(errors="replace")
    assert "(gc) " in text
    assert "launch-nics" in text
    assert os.waitstatus_to_exitcode(status) == 0
