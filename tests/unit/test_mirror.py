"""tests/unit/ mirrors the source tree: every gcclient module has a unit module of its own.

``gcclient/<pkg>/<name>.py`` is tested by ``tests/unit/<pkg>/test_<name>.py`` (or
``test_<name>_<aspect>.py``, e.g. test_boot_parsers.py for cli/boot.py). A module without
one fails here unless COVERED_ELSEWHERE names, with the reason, what tests it; the modules
that still lack one are KNOWN_GAPS, strict xfails, so that each one fails loudly the day its
unit module is added (then take it off the list).
"""

from __future__ import annotations

import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCE = os.path.join(ROOT, "gcclient")
UNIT = os.path.join(ROOT, "tests", "unit")

# Keep this short: a module here is one with nothing of its own to test in isolation.
COVERED_ELSEWHERE = {
    "__init__.py": "the lazy export of Client; tests/unit/test_lazy_imports.py",
    "version.py": "one constant; tests/functional/packaging/test_packaging.py reads it",
    "nova/__init__.py": "the extension's entry points; tests/unit/nova/test_novaclient_ext.py",
    "simulator/config.py": "a dataclass of settings; every simulator test builds one",
    "simulator/fixtures.py": "seeded images and networks: data every simulator test reads",
}

# Modules that have no unit module yet (issue 23): each is an xfail(strict=True).
KNOWN_GAPS: set[str] = set()


def source_modules() -> list[str]:
    """Every module of gcclient, relative to it; a package's ``__init__.py`` counts when
    it holds code (more than re-exports and a docstring, i.e. over 10 lines)."""
    found = []
    for folder, _, files in os.walk(SOURCE):
        for name in files:
            if not name.endswith(".py") or name == "__main__.py":
                continue
            path = os.path.join(folder, name)
            if name == "__init__.py":
                with open(path, encoding="utf-8") as handle:
                    if len(handle.readlines()) <= 10:
                        continue
            found.append(os.path.relpath(path, SOURCE).replace(os.sep, "/"))
    return sorted(found)


def unit_modules_for(module: str) -> list[str]:
    folder, _, name = module.rpartition("/")
    stem = name[: -len(".py")]
    here = os.path.join(UNIT, folder)
    if not os.path.isdir(here):
        return []
    return sorted(
        f
        for f in os.listdir(here)
        if f == f"test_{stem}.py" or (f.startswith(f"test_{stem}_") and f.endswith(".py"))
    )


MODULES = source_modules()


def _param(module: str) -> object:
    if module in KNOWN_GAPS:
        mark = pytest.mark.xfail(strict=True, reason="no unit module yet (issue 23)")
        return pytest.param(module, marks=mark)
    return module


@pytest.mark.parametrize("module", [_param(m) for m in MODULES])
def test_every_source_module_has_a_unit_module(module):
    if module in COVERED_ELSEWHERE:
        assert not unit_modules_for(module), f"{module} has a unit module: unlist it"
        return
    assert unit_modules_for(module), (
        f"gcclient/{module} has no tests/unit/{module.rpartition('/')[0]}/test_<name>.py"
    )


def test_the_lists_name_only_existing_modules():
    listed = set(COVERED_ELSEWHERE) | KNOWN_GAPS
    assert sorted(listed - set(MODULES)) == []
    assert not set(COVERED_ELSEWHERE) & KNOWN_GAPS
