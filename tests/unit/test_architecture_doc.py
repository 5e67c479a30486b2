"""docs/architecture.rst stays true: every module of the client is on its map, and
its recipes name files that exist (issue 22)."""

from __future__ import annotations

import pathlib
import re

import gcclient

PACKAGE = pathlib.Path(gcclient.__file__).parent
DOC = (PACKAGE.parent / "docs" / "architecture.rst").read_text()


def _section(title: str) -> str:
    start = DOC.index(f"\n{title}\n")
    following = re.search(r"\n[^\n]+\n-{3,}\n", DOC[start + len(title) + 2 :])
    end = start + len(title) + 2 + following.start() if following else len(DOC)
    return DOC[start:end]


def test_every_module_of_the_client_is_on_the_map():
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "simulator":
            continue  # docs/simulator.rst maps the simulator
        if path.name == "__init__.py":
            if rel.parent.name in ("api", "session", "core", "cli", "osc"):
                continue  # a package's docstring only
            wanted = "__init__.py"
        else:
            wanted = path.name
        if f"``{wanted}``" not in DOC and f"gcclient/{rel}" not in DOC:
            missing.append(str(rel))
    assert missing == []


def test_recipes_name_files_that_exist():
    named = set(re.findall(r"``((?:gcclient|tests|docs)/[\w/.]+\.(?:py|rst))``", DOC))
    assert named, "the scan found no file names"
    assert sorted(n for n in named if not (PACKAGE.parent / n).exists()) == []


def test_a_launch_option_is_one_row():
    """The recipe's code step names one file: the table."""
    recipe = _section("Add a launch option")
    code_step = recipe.split("\n2. ")[0]
    assert re.findall(r"gcclient/[\w/]+\.py", code_step) == ["gcclient/api/launch_options.py"]
    assert (PACKAGE.parent / "tests" / "unit" / "api" / "test_launch_options.py").exists()
