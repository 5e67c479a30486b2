"""The README's pipx lines, as written, in a throwaway PIPX_HOME: gc and gcclient with
their man pages, nova with the extension, openstack with the plugin.

Slow (three environments from the package registry, about 30 s with a warm pip cache)
and needs pipx on PATH; skipped otherwise (unless GC_PIPX_REQUIRED=1), and with
GC_SKIP_PACKAGING=1 like the other packaging tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.functional.gcrun import literal_block_after

ROOT = Path(__file__).resolve().parents[3]

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("GC_SKIP_PACKAGING") == "1", reason="GC_SKIP_PACKAGING=1 is set"
    ),
    # .ci/run installs pipx into a venv of its own and sets GC_PIPX_REQUIRED=1: there a
    # missing pipx fails the test instead of skipping it.
    pytest.mark.skipif(
        shutil.which("pipx") is None and os.environ.get("GC_PIPX_REQUIRED") != "1",
        reason="pipx is not installed",
    ),
]


def test_pipx_lines_install_every_front_end(tmp_path):
    lines = literal_block_after("Installing with pipx")
    assert [line.split()[:2] for line in lines] == [["pipx", "install"], ["pipx", "inject"],
                                                    ["pipx", "install"]]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OS_", "VIRTUAL", "PIPX"))}
    env.update(
        PIPX_HOME=str(tmp_path / "home"),
        PIPX_BIN_DIR=str(tmp_path / "bin"),
        PIPX_MAN_DIR=str(tmp_path / "man"),
    )
    for line in lines:
        proc = subprocess.run(
            ["bash", "-e", "-c", line], cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=900,
        )  # fmt: skip
        assert proc.returncode == 0, (line, proc.stdout[-2000:], proc.stderr[-2000:])
    bin_dir = tmp_path / "bin"
    assert {"gc", "gcclient", "gc-simulator", "nova", "openstack"} <= set(os.listdir(bin_dir))
    assert {"gc.1", "gcclient.1"} <= set(os.listdir(tmp_path / "man" / "man1"))

    def help_of(program: str) -> str:
        proc = subprocess.run(
            [str(bin_dir / program), "help"], env=env, capture_output=True, text=True,
            timeout=120,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    assert "live image create" in help_of("openstack")
    assert "list-launched" in help_of("nova")
