"""Every Python gc declares: the declarations agree, and nothing in the source is
refused by a newer compiler than the one running the tests.

Python 3.13 dedents docstrings at compile time and encodes them as UTF-8: a
docstring holding a lone surrogate (an escape such as ``"\\udcff"`` written without
its backslash doubled) compiled on 3.11 and stopped every ``gc`` command on 3.13
(issue 20). ``.ci/interpreters`` compiles and runs the unit tests on each other
interpreter the machine has; this test catches the docstring case on any one.
"""

from __future__ import annotations

import ast
import configparser
import pathlib
import re
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[2]
SUPPORTED = ("3.11", "3.12", "3.13")


def _docstrings(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            doc = ast.get_docstring(node, clean=False)
            if doc is not None:
                yield node, doc


def test_no_docstring_holds_a_lone_surrogate():
    bad = []
    for path in sorted(ROOT.glob("**/*.py")):
        if any(part.startswith(".") or part in ("build", "dist") for part in path.parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node, doc in _docstrings(tree):
            try:
                doc.encode("utf-8")
            except UnicodeEncodeError:
                line = getattr(node, "lineno", 1)
                bad.append(f"{path.relative_to(ROOT)}:{line}")
    assert bad == []


def test_declared_interpreters_agree():
    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg")
    assert setup["options"]["python_requires"] == f">={SUPPORTED[0]}"
    classifiers = setup["metadata"]["classifiers"]
    declared = re.findall(r"Programming Language :: Python :: (3\.\d+)$", classifiers, re.M)
    assert tuple(declared) == SUPPORTED
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["tool"]["ruff"]["target-version"] == "py" + SUPPORTED[0].replace(".", "")
    assert pyproject["tool"]["mypy"]["python_version"] == SUPPORTED[0]
    # CI: the README's command runs on python3 (3.11); .ci/interpreters on the others.
    script = (ROOT / ".ci" / "interpreters").read_text()
    assert re.search(r"GC_CI_PYTHONS:-([\d. ]+)\}", script).group(1).split() == list(SUPPORTED[1:])
