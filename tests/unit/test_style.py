"""ruff (lint and format) and mypy are part of the test suite, so CI enforces them."""

import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUFF = shutil.which("ruff", path=os.path.dirname(sys.executable)) or shutil.which("ruff")


@pytest.mark.skipif(RUFF is None, reason="ruff is not installed")
@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]])
def test_ruff(args):
    proc = subprocess.run([RUFF, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


MYPY = shutil.which("mypy", path=os.path.dirname(sys.executable))


@pytest.mark.skipif(MYPY is None, reason="mypy is not installed")
def test_mypy():
    proc = subprocess.run([MYPY], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_no_test_module_imports_another():
    """Shared fixtures live in a conftest.py and shared helpers in a plain module
    (gcrun.py, references.py, ...): a test module imported by another runs its tests'
    set-up twice and ties the two together (issue 23)."""
    import ast
    from pathlib import Path

    tests = Path(__file__).resolve().parents[1]
    found = []
    for path in sorted(tests.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            if any(n.rpartition(".")[2].startswith("test_") for n in names):
                found.append(f"{path.relative_to(tests)}:{node.lineno}")
    assert found == []
