"""The README's main command (the whole lifecycle with real gc processes), piped and
interactive gc. The seed's scenario step by step runs in-process:
tests/inprocess/test_cli_lifecycle.py."""

import os
import subprocess
import sys

from tests.functional.gcrun import GC

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


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
