"""The commit rule of docs/contributing.rst, as .ci/commit_msg.py checks it."""

from __future__ import annotations

import importlib.util
import pathlib
import subprocess
import sys

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / ".ci" / "commit_msg.py"
spec = importlib.util.spec_from_file_location("commit_msg", SCRIPT)
assert spec is not None and spec.loader is not None
commit_msg = importlib.util.module_from_spec(spec)
spec.loader.exec_module(commit_msg)


def test_a_good_message_passes():
    assert commit_msg.problems("Short subject\n\nWhy it is done.\n# a comment\n") == []


def test_each_broken_rule_is_named():
    long = "x" * 73
    assert commit_msg.problems(f"{long}\n\nWhy.") == ["the subject has 73 characters (at most 72)"]
    assert commit_msg.problems("Subject\nWhy.") == ["the subject is not followed by a blank line"]
    assert commit_msg.problems("Subject\n\n# only comments\n") == [
        "there is no body: say why the change is made"
    ]
    assert commit_msg.problems("") == ["the subject line is empty"]
    assert commit_msg.problems("Merge branch 'main' into h-move\n") == []


def test_the_hook_exits_1_and_says_why(tmp_path):
    message = tmp_path / "COMMIT_EDITMSG"
    message.write_text("Subject without a body\n")
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(message)], capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == 1
    assert proc.stderr == (
        "commit message: there is no body: say why the change is made (docs/contributing.rst)\n"
    )
