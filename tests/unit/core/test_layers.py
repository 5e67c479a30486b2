"""The layers of docs/architecture.rst, checked on the source.

Every ``import`` of a gcclient module is read with :mod:`ast` at every depth (module
level, function bodies, ``if TYPE_CHECKING`` blocks, ``importlib.import_module("...")``
with a literal name), each module is mapped to its layer by its package, and the test
fails when a module imports a layer above it or outside its allowed set, or when the
imports form a circle. Function-local imports (kept for ``gc --help``'s start-up) are
arrows like any other: they are checked, not hidden.
"""

from __future__ import annotations

import ast
import pathlib
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest

import gcclient

PACKAGE = pathlib.Path(gcclient.__file__).parent

# The layers, lowest first; a module's layer is the longest prefix that names it.
LAYER_OF_PREFIX = {
    "gcclient.version": "base",
    "gcclient.api": "api",
    "gcclient.session": "session",
    "gcclient.core": "core",
    "gcclient.cli": "cli",
    "gcclient.__main__": "cli",
    "gcclient.nova": "nova",
    "gcclient.osc": "osc",
    "gcclient.client": "python-api",
    "gcclient": "python-api",  # the package: ``gcclient.Client``
    "gcclient.simulator": "simulator",
}
# How high each layer stands: an import of a higher rank is "a layer above it".
RANK = {
    "base": 0,
    "api": 1,
    "session": 2,
    "core": 3,
    "cli": 4,
    "nova": 4,
    "osc": 5,  # the openstack plugin runs gc's command classes
    "python-api": 4,
    "simulator": 9,  # beside the client: any import of it is outside its set
}
# What each layer may import (itself included).
ALLOWED = {
    "base": {"base"},
    "api": {"base", "api"},
    "session": {"base", "api", "session"},
    "core": {"base", "api", "core"},
    "cli": {"base", "api", "session", "core", "cli"},
    "nova": {"base", "api", "core", "nova"},
    "osc": {"base", "api", "core", "cli", "osc"},
    "python-api": {"base", "api", "session", "core", "python-api"},
    "simulator": {"simulator"},  # beside the client, importing nothing of it
}
# The layers that speak no front-end's words in their messages.
NEUTRAL_LAYERS = ("api", "session", "core")


def layer(module: str) -> str:
    prefixes = [p for p in LAYER_OF_PREFIX if module == p or module.startswith(p + ".")]
    if not prefixes:
        raise KeyError(f"{module} is in no layer: add it to LAYER_OF_PREFIX")
    return LAYER_OF_PREFIX[max(prefixes, key=len)]


def modules(root: pathlib.Path) -> dict[str, pathlib.Path]:
    """Every module of the package at ``root``, by dotted name."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(path: pathlib.Path, module: str, known: set[str]) -> Iterator[tuple[int, str]]:
    """(line, module) of each gcclient module ``path`` imports, at every depth."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    top = module.partition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.partition(".")[0] == top:
                    yield node.lineno, _nearest(alias.name, known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            if base.partition(".")[0] != top:
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                yield node.lineno, candidate if candidate in known else _nearest(base, known)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, (ast.Attribute, ast.Name))
            and (getattr(node.func, "attr", None) or getattr(node.func, "id", None))
            == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and node.args[0].value.partition(".")[0] == top
        ):
            yield node.lineno, _nearest(node.args[0].value, known)


def _nearest(name: str, known: set[str]) -> str:
    while name not in known and "." in name:
        name = name.rpartition(".")[0]
    return name


def graph(root: pathlib.Path) -> dict[str, dict[str, int]]:
    """module -> {imported module: line of the first such import}."""
    found = modules(root)
    known = set(found)
    edges: dict[str, dict[str, int]] = {}
    for module, path in found.items():
        edges[module] = {}
        for line, target in imports(path, module, known):
            if target != module:
                edges[module].setdefault(target, line)
    return edges


def violations(edges: dict[str, dict[str, int]], root: pathlib.Path) -> list[str]:
    """Each import of a layer above the importer, or outside its allowed set."""
    found = []
    for module, targets in sorted(edges.items()):
        mine = layer(module)
        for target, line in sorted(targets.items()):
            theirs = layer(target)
            if theirs in ALLOWED[mine]:
                continue
            where = f"{_path(module, root)}:{line}: {module} ({mine}) imports {target} ({theirs})"
            if RANK[theirs] > RANK[mine]:
                found.append(f"{where}: a layer above it")
            else:
                found.append(f"{where}: outside its allowed set {sorted(ALLOWED[mine])}")
    return found


def _path(module: str, root: pathlib.Path) -> str:
    return str(modules(root)[module].relative_to(root.parent))


def find_cycles(edges: dict[str, dict[str, int]] | dict[str, set[str]]) -> list[list[str]]:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if nxt not in edges:
                continue
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    return cycles


# -- the rules on the real tree -----------------------------------------------------


def test_every_module_is_in_a_layer():
    assert {m: layer(m) for m in modules(PACKAGE)}  # KeyError names a module without one


def test_no_module_imports_a_layer_above_it_or_outside_its_set():
    assert violations(graph(PACKAGE), PACKAGE) == []


def test_no_import_circles_at_any_depth():
    edges = graph(PACKAGE)
    # The scan sees function-local and TYPE_CHECKING imports (a scan that sees
    # nothing would pass as well).
    assert "gcclient.core.operations" in edges["gcclient.cli.base"]
    assert "gcclient.api.gcwire" in edges["gcclient.osc.plugin"]
    assert find_cycles(edges) == []


def test_find_cycles_finds_one():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


# -- the checker on a deliberately bad tree -----------------------------------------


def _tree(tmp_path: pathlib.Path, files: dict[str, str]) -> pathlib.Path:
    root = tmp_path / "gcclient"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def test_the_checker_finds_imports_at_every_depth(tmp_path):
    root = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "api/__init__.py": "",
            "api/wire.py": """
                def f():
                    from gcclient.session import settings  # a function body
            """,
            "session/__init__.py": "",
            "session/settings.py": """
                from typing import TYPE_CHECKING
                if TYPE_CHECKING:
                    from gcclient.cli import startup
            """,
            "core/__init__.py": "",
            "core/ops.py": """
                import importlib
                def g():
                    return importlib.import_module("gcclient.session.settings")
            """,
            "cli/__init__.py": "",
            "cli/startup.py": "from ..api import wire\n",
            "simulator/__init__.py": "from gcclient.api import wire\n",
        },
    )
    found = violations(graph(root), root)
    assert found == [
        "gcclient/api/wire.py:3: gcclient.api.wire (api) imports gcclient.session.settings "
        "(session): a layer above it",
        "gcclient/core/ops.py:4: gcclient.core.ops (core) imports gcclient.session.settings "
        "(session): outside its allowed set ['api', 'base', 'core']",
        "gcclient/session/settings.py:4: gcclient.session.settings (session) imports "
        "gcclient.cli.startup (cli): a layer above it",
        "gcclient/simulator/__init__.py:1: gcclient.simulator (simulator) imports "
        "gcclient.api.wire (api): outside its allowed set ['simulator']",
    ]
    cycles = find_cycles(graph(root))
    assert [
        "gcclient.api.wire",
        "gcclient.session.settings",
        "gcclient.cli.startup",
        "gcclient.api.wire",
    ] in cycles


# -- what the layers mean at run time -----------------------------------------------

PROBE = """
import sys
import {module}
loaded = sorted(m for m in sys.modules if m == "gcclient.cli" or m.startswith("gcclient.cli."))
print("CLI=" + ",".join(loaded))
"""


@pytest.mark.parametrize(
    "module",
    ["gcclient.api.gcwire", "gcclient.nova", "gcclient.session.connect", "gcclient.client"],
)
def test_the_wire_and_the_nova_extension_load_no_cli_module(module):
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "CLI="


# -- words and sizes ----------------------------------------------------------------

GC_COMMAND = re.compile(
    r"\bgc (bless|launch|discard|delete|show|list|list-launched|list-blessed|capabilities|"
    r"gc-migrate|export|import|wait|get-policy|install-policy|boot)\b"
)
OPTION = re.compile(r"(^|[\s('\"])--[a-z]")


def _messages(path: pathlib.Path) -> list[tuple[int, str]]:
    """The string literals of a module, without its docstrings."""
    tree = ast.parse(path.read_text())
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


# Known, deliberate exceptions (path, a part of the text): why each one stays.
KNOWN_WORDING = {
    # nova's own text for the --nic syntax, which gc, nova and the Python API's
    # ``networks`` strings share (tests/functional/badinput.py asserts it).
    ("api/bodies.py", "Invalid nic argument"),
    # check_name's default option name; every front-end passes its own.
    ("api/bodies.py", "--name"),  # (the whole literal)
    # A known gap: the token cache's hint names gc's option; the Python API turns the
    # cache on only with token_cache=True (tests/unit/session/test_tokencache.py).
    ("session/tokencache.py", "--no-cache to skip the cache)"),
}


def test_wire_session_and_core_use_no_front_end_wording():
    found = []
    for module, path in modules(PACKAGE).items():
        if layer(module) not in NEUTRAL_LAYERS:
            continue
        rel = str(path.relative_to(PACKAGE))
        for line, text in _messages(path):
            if any(rel == known and part in text for known, part in KNOWN_WORDING):
                continue
            if GC_COMMAND.search(text) or OPTION.search(text) or "nova " in text:
                found.append(f"{rel}:{line}: {text!r}")
    assert found == []


def test_the_check_catches_gc_wording():
    assert GC_COMMAND.search("check with gc list-launched x")
    assert OPTION.search("does not support --name")
    assert not OPTION.search("a 4-space-indented file")


def test_no_module_over_500_lines():
    long = [
        f"{p.relative_to(PACKAGE)}: {n}"
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text().splitlines())) > 500
    ]
    assert long == []


def test_module_names_are_unique_across_the_client():
    """No two modules share a basename (``views.py`` twice made readers open the wrong
    one); packages' ``__init__`` and ``__main__`` aside."""
    seen: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        if path.stem not in ("__init__", "__main__"):
            seen.setdefault(path.stem, []).append(str(path.relative_to(PACKAGE)))
    assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}
