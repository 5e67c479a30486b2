"""The real stack's fixtures: skip everything with one reason when it is not up.

``python -m tests.realstack up`` (or ``tox -e realstack``) brings it up; these tests
never start it themselves, so that the normal test command stays fast.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import services
from .rest import Rest
from .stack import layout, load

NOT_UP = "the real OpenStack stack is not up (python -m tests.realstack up, or tox -e realstack)"
# Set by .ci/run and tox -e realstack: there a stack that is not up is an error, so that
# a run can never pass by skipping every test.
REQUIRED_ENV = "GC_REALSTACK_REQUIRED"


def _up() -> dict[str, Any] | None:
    lay = layout()
    record = load(lay)
    if record is None or not record.get("populated"):
        return None
    pids = services.running(lay)
    if not all(pids.values()):
        return None
    if not all(services.answers(record, s) for s in ("keystone", "nova")):
        return None
    return record


_RECORD: dict[str, Any] | None = None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    global _RECORD
    here = Path(__file__).parent
    mine = [item for item in items if here in Path(str(item.fspath)).parents]
    if not mine:
        return
    _RECORD = _up()
    if _RECORD is None and os.environ.get(REQUIRED_ENV, "") not in ("", "0"):
        raise pytest.UsageError(f"{REQUIRED_ENV} is set and {NOT_UP}")
    if _RECORD is None:
        skip = pytest.mark.skip(reason=NOT_UP)
        for item in mine:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def stack() -> dict[str, Any]:
    if _RECORD is None:
        pytest.skip(NOT_UP)
    return _RECORD


@pytest.fixture(scope="session")
def rest(stack: dict[str, Any]) -> Iterator[Rest]:
    """REST calls as the stack's users; the demo project is emptied before and after."""
    api = Rest(stack)
    api.purge("demo")
    try:
        yield api
    finally:
        api.purge("demo")
        api.purge("dom2")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An empty HOME for one gc run: no clouds.yaml or token cache of the machine's user."""
    path = tmp_path / "home"
    path.mkdir()
    return path
