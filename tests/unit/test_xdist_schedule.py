"""tests/conftest.py's scheduler for ``--dist loadgroup``: tests one by one, the modules
of ONE_WORKER whole on one worker (xdist_group marks stopped grouping with pytest 9.2)."""

from __future__ import annotations

import os

from tests import conftest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_every_module_kept_on_one_worker_exists():
    assert [m for m in conftest.ONE_WORKER if not os.path.exists(os.path.join(ROOT, m))] == []


def test_only_those_modules_are_one_unit_of_work():
    grouped = "tests/functional/packaging/test_packaging.py"
    assert grouped in conftest.ONE_WORKER
    assert conftest.xdist_scope(f"{grouped}::test_sdist_is_complete") == grouped
    assert conftest.xdist_scope(f"{grouped}::test_gc_version_from_the_wheel[gc]") == grouped
    other = "tests/unit/test_client.py::test_servers_are_equal_by_id"
    assert conftest.xdist_scope(other) == other
