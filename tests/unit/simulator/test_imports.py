"""The simulator's modules import each other in one direction only (no circles, not even
under ``TYPE_CHECKING``), so each part can be read and built on its own."""

from __future__ import annotations

import ast
from pathlib import Path

import gcclient.simulator

PACKAGE = Path(gcclient.simulator.__file__).parent


def local_imports(path: Path) -> set[str]:
    """Sibling modules a module imports, at any depth of its syntax tree."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            prefix = "gcclient.simulator."
            if node.module.startswith(prefix):
                found.add(node.module[len(prefix) :].split(".")[0])
    return found


def graph() -> dict[str, set[str]]:
    return {path.stem: local_imports(path) for path in PACKAGE.glob("*.py")}


def cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a path of module names, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = 1
        stack.append(name)
        for target in sorted(edges.get(name, ())):
            if state.get(target) == 1:
                return stack[stack.index(target) :] + [target]
            if target not in state and (found := visit(target)):
                return found
        state[name] = 2
        stack.pop()
        return None

    for name in sorted(edges):
        if name not in state and (found := visit(name)):
            return found
    return None


def test_cycle_finder_finds_a_circle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


def test_simulator_has_no_import_circles():
    edges = graph()
    assert {"app", "compute", "extension", "servers", "request"} <= set(edges)
    assert cycle(edges) is None


def test_compute_and_extension_do_not_reach_back_into_the_app():
    edges = graph()
    assert "app" not in edges["compute"] | edges["extension"] | edges["servers"]


def test_no_two_modules_differ_only_by_a_plural():
    """``server.py`` (HTTP) beside ``servers.py`` (domain) invited the wrong import; the HTTP
    transport is ``httpd.py``."""
    names = {path.stem for path in PACKAGE.glob("*.py")}
    assert "httpd" in names and "server" not in names
    assert not {n for n in names if n.endswith("s") and n[:-1] in names}
