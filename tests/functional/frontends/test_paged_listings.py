"""Every front-end's whole-project listing reads every page of ``GET /servers/detail``.

Nova caps each page at ``[api] max_limit`` (1000 by default); issue 20 found the Python
API's ``list()`` returning 1000 of 1017 servers, silently. gc, the Python API, the
openstack plugin and novaclient's extension all list through the one core walk
(:func:`gcclient.api.paging.iter_servers`); these check each front-end over it against
gc-simulator with 1,003 live images of one source: more than one page even when the
listing asks nova for live images only (``status=BLESSED``).

The last three are process-level copies of tests/inprocess/test_paging_waits.py's
cases (the Python API in its own interpreter, gc waits on servers of page two), so
that GC_UNDER_TEST_BIN can show them failing on an earlier gcclient (docs/simulator.rst,
"Issue 20 against ab4f943").
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs

import pytest

from gcclient.simulator.fixtures import seed_servers
from gcclient.simulator.identity import USERS
from tests.functional.gcrun import OPENSTACK, gc, nova_api, openstack, python_api, python_client

IMAGES = 1003


@pytest.fixture(scope="module")
def big(tmp_path_factory, module_simulator_factory):
    """(simulator, IDs of the live images)."""
    path = os.path.join(tmp_path_factory.mktemp("paged"), "state.db")
    demo = USERS["demo"]
    made = seed_servers(path, demo.project.id, demo.id, sources=1, images=IMAGES)
    return module_simulator_factory(state=path), sorted(made["images"])


def _pages_read(sim, mark: int) -> int:
    """How many ``GET /servers/detail`` pages were asked for, the second with a marker."""
    queries = [
        parse_qs(e["query"] or "") for e in sim.journal_since(mark) if e["path"].endswith("/detail")
    ]
    assert all("marker" in q for q in queries[1:]), queries
    return len(queries)


def test_gc_list(big):
    sim, images = big
    mark = sim.mark()
    result = gc(sim, "list", "-f", "json")
    assert result.code == 0, result.err
    assert sorted(row["ID"] for row in result.json()) == images
    assert _pages_read(sim, mark) == 2


@pytest.mark.skipif(not OPENSTACK, reason="python-openstackclient is not installed")
def test_openstack_live_image_list(big):
    sim, images = big
    mark = sim.mark()
    result = openstack(sim, "live", "image", "list", "-f", "json")
    assert result.code == 0, result.err
    assert sorted(row["ID"] for row in result.json()) == images
    assert _pages_read(sim, mark) == 2


def test_python_api_list(big):
    sim, images = big
    found = python_client(sim).gridcentric.list()
    assert len(found) == IMAGES + 1  # and their source
    assert set(images) <= {s.id for s in found}


def test_novaclient_extension_list(big):
    sim, images = big
    found = nova_api(sim).gridcentric.list()
    assert len(found) == IMAGES + 1
    assert set(images) <= {s.id for s in found}


@pytest.fixture()
def page_two(tmp_path, simulator_factory):
    """(simulator, two servers on page two): 1,003 ACTIVE servers, the first two seeded
    the oldest, so the listing shows them on its second page."""
    path = os.path.join(tmp_path, "state.db")
    demo = USERS["demo"]
    made = seed_servers(path, demo.project.id, demo.id, plain=1003)
    return simulator_factory(state=path, build_time=1.0), made["plain"][:2]


def test_python_api_list_in_its_own_interpreter(page_two, tmp_path):
    """Issue 20: ``Client().gridcentric.list()`` returned 1000 of 1017 servers."""
    sim, (a, b) = page_two
    code = (
        "ids = [s.id for s in client.gridcentric.list()]\n"
        f"print(len(ids), len(set(ids)), ids.count({a!r}), ids.count({b!r}))\n"
    )
    result = python_api(sim, code, cwd=str(tmp_path))
    assert result.code == 0, result.err
    assert result.out.split() == ["1003", "1003", "1", "1"]


def test_gc_wait_gone_does_not_take_page_two_for_gone(page_two):
    """Issue 20: ``gc wait --gone A B`` exited 0 while both existed."""
    sim, (a, b) = page_two
    result = gc(sim, "wait", "--gone", a, b, "--wait-timeout", "1")
    assert result.code == 1, result.err
    assert result.err.startswith("ERROR: Timed out after 1 s waiting for 2 servers to be gone")
    assert sim.get(a) is not None and sim.get(b) is not None


def test_gc_delete_wait_returns_when_page_two_is_gone(page_two):
    """Issue 20: ``gc delete A B --wait`` exited 0 while both were still deleting."""
    sim, (a, b) = page_two
    result = gc(sim, "delete", a, b, "--wait", "--wait-timeout", "30")
    assert result.code == 0, result.err
    assert sim.get(a) is None and sim.get(b) is None
