"""``gc complete``: cliff's bash completion script loads in bash and offers gc's commands."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from gcclient.cli import commands

from .gcrun import GC

BASH = shutil.which("bash")
BASH_COMPLETION = "/usr/share/bash-completion/bash_completion"
# bash-completion's helper, when the package is not installed (CI images often lack it):
# enough for the words cliff's script reads.
SHIM = """
_get_comp_words_by_ref() {
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  words=("${COMP_WORDS[@]}")
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
