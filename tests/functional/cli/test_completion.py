"""``gc complete``: the bash completion script loads in bash and offers gc's commands, their
options, the global options and the -f values; the interactive shell completes on a pty."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from gcclient.cli import commands
from tests.functional.gcrun import GC, default_signals

BASH = shutil.which("bash")
BASH_COMPLETION = "/usr/share/bash-completion/bash_completion"
# bash-completion's helper, when the package is not installed (CI images often lack it):
# enough for the words cliff's script reads.
SHIM = """
_get_comp_words_by_ref() {
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  words=("${COMP_WORDS[@]}")
  cword=$COMP_CWORD
}
"""

pytestmark = pytest.mark.skipif(BASH is None, reason="bash is not installed")


def bash(script: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env["PATH"] = os.path.dirname(GC) + os.pathsep + env.get("PATH", "")
    return subprocess.run(
        [BASH, "--norc", "--noprofile", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        preexec_fn=default_signals,
    )


def test_script_loads_in_bash_without_error():
    proc = bash("set -e; source <(gc complete); complete -p gc")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout.strip() == "complete -F _gc gc"


def complete(*words: str) -> list[str]:
    """What TAB offers after ``gc <words>`` (the last word is the one being typed)."""
    helper = f"source {BASH_COMPLETION}" if os.path.exists(BASH_COMPLETION) else SHIM
    line = " ".join(f"'{w}'" for w in ("gc", *words))
    proc = bash(
        f"""{helper}
source <(gc complete)
COMP_WORDS=({line})
COMP_CWORD={len(words)}
_gc
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_offers_every_command_and_alias():
    offered = complete("")
    assert set(commands.all_commands()) <= set(offered)
    assert "help" in offered and "complete" in offered


def test_completes_a_command_prefix():
    assert complete("list-") == ["list-blessed", "list-launched"]
    assert complete("live-image-s") == ["live-image-servers", "live-image-start"]


def test_completes_a_command_options():
    offered = complete("launch", "--n")
    assert {"--name", "--num-instances", "--nic"} <= set(offered)
    assert "--wait" not in offered


def test_data_only_format():
    proc = bash("gc complete --shell none")
    assert proc.returncode == 0, proc.stderr
    assert any(line.strip().startswith("cmds_launch=") for line in proc.stdout.splitlines())


def test_script_says_it_needs_bash_completion_in_one_comment_line():
    proc = bash("gc complete")
    first = proc.stdout.splitlines()[0]
    assert first.startswith("# ") and "needs the bash-completion package" in first
    assert [line for line in proc.stdout.splitlines() if line.startswith("#")] == [first]


def test_completes_global_options():
    offered = complete("--os-clo")
    assert offered == ["--os-cloud"]
    assert {"--os-auth-url", "--timing", "--insecure", "--debug"} <= set(complete("--"))
    assert complete("--os-cloud", "sim", "list-l") == ["list-launched"]


def test_completes_format_values_not_file_names():
    assert complete("list-blessed", "-f", "") == ["csv", "json", "table", "value", "yaml"]
    assert complete("show", "x", "--format", "s") == ["shell"]
    assert complete("launch", "img", "-f", "j") == ["json"]


def test_interactive_shell_completes_gc_commands_and_options(simulator):
    """On a terminal, TAB after "capabil" gives "capabilities", after "-f js" gives "json":
    the completed line runs and prints capabilities as JSON."""
    import pty
    import re
    import select
    import time

    env = dict(os.environ, **simulator.env, GC_NO_TOKEN_CACHE="1", TERM="xterm")
    pid, fd = pty.fork()
    if pid == 0:  # the child: gc on a terminal, with Ctrl-C as a terminal gives it
        default_signals()
        os.execve(GC, [GC], env)
    output = b""

    def read_for(seconds: float) -> None:
        nonlocal output
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    return
                if not chunk:
                    return
                output += chunk

    try:
        read_for(3)
        for keys in (b"capabil\t", b"--al\t", b"-f js\t", b"\r"):
            os.write(fd, keys)
            read_for(2)
        os.write(fd, b"quit\r")
        read_for(5)
    finally:
        _, status = os.waitpid(pid, 0)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output.decode(errors="replace"))
    assert '"Capability": "launch-nics"' in text, text[-2000:]
    assert os.waitstatus_to_exitcode(status) == 0
