"""Every private attribute of cliff, cmd2 and keystoneauth1 that gcclient uses is in
gcclient/cli/startup.py (issue: start-up shortcuts in one module) or, for keystoneauth's
loaders, which the session layer needs without the CLI, gcclient/session/loaders.py
(issue 22); each module's header names each one."""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
STARTUP = ROOT / "gcclient" / "cli" / "startup.py"
LOADERS = ROOT / "gcclient" / "session" / "loaders.py"
HOOK_MODULES = {STARTUP: "gcclient.cli.startup", LOADERS: "gcclient.session.loaders"}
LIBRARIES = ("cliff", "cmd2", "keystoneauth1")
# In a string: a dotted path into one of the libraries that reaches a private name.
PRIVATE_PATH = re.compile(r"\b(?:cliff|cmd2|keystoneauth1)(?:\.\w+)*?\.(_[a-z]\w*)")


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def library_private_names() -> set[str]:
    """Private module, module-level and class-level names of the three libraries."""
    names: set[str] = set()
    for library in LIBRARIES:
        package = importlib.import_module(library)
        modules = [package]
        for info in pkgutil.walk_packages(package.__path__, library + ".", onerror=lambda _: None):
            if ".tests" in info.name or ".extras" in info.name:
                continue
            names.update(part for part in info.name.split(".") if _private(part))
            try:
                modules.append(importlib.import_module(info.name))
            except Exception:
                continue
        for module in modules:
            for key, value in vars(module).items():
                if _private(key):
                    names.add(key)
                if inspect.isclass(value) and value.__module__ == module.__name__:
                    names.update(k for k in vars(value) if _private(k))
    return names


def uses(path: Path, private: set[str]) -> list[tuple[int, str]]:
    """(line, name) of each private library name the file reaches: an attribute
    (``x._name``), an import or an override (``def _name``), a getattr string, a path."""
    found = []
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text()).readline))
    for index, token in enumerate(tokens):
        before = tokens[index - 1].string if index else ""
        if token.type == tokenize.NAME and token.string in private:
            if before in (".", "def", "import"):
                found.append((token.start[0], token.string))
        elif token.type == tokenize.STRING:
            text = token.string.strip("'\"")
            if text in private:
                found.append((token.start[0], text))
            found += [(token.start[0], m.group(1)) for m in PRIVATE_PATH.finditer(token.string)]
    return found


@pytest.fixture(scope="module")
def private() -> set[str]:
    return library_private_names()


def test_private_library_attributes_only_in_startup(private):
    stray = []
    for path in sorted((ROOT / "gcclient").rglob("*.py")):
        if path in HOOK_MODULES or "simulator" in path.parts:  # the simulator is stdlib only
            continue
        stray += [f"{path.relative_to(ROOT)}:{line}: {name}" for line, name in uses(path, private)]
    assert stray == [], "move these to gcclient/cli/startup.py and list them in its header"


@pytest.mark.parametrize("path", sorted(HOOK_MODULES))
def test_startup_header_names_each_private_hook_it_uses(private, path):
    header = inspect.getdoc(importlib.import_module(HOOK_MODULES[path])) or ""
    used = {name for _, name in uses(path, private)}
    assert used, "the scan found nothing: it would not see a stray use either"
    assert {name for name in used if not re.search(rf"(?<!\w){name}(?!\w)", header)} == set()


def test_the_scan_sees_each_kind_of_use(private, tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from cliff import _argparse\n"
        "class C:\n"
        "    def _load_hooks(self): pass\n"
        "x = command._dists_by_mods\n"
        "y = getattr(factory, '_description', '')\n"
        "z = 'keystoneauth1.loading._plugins.identity.v3:Password'\n"
        "self._wire = None\n"
    )
    assert [name for _, name in uses(sample, private)] == [
        "_argparse",
        "_load_hooks",
        "_dists_by_mods",
        "_description",
        "_plugins",
    ]
