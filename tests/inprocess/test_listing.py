"""gc list and gc lineage at scale: one GET /servers/detail per page, counted in the journal.

In-process tier (tests/inprocess/insim.py): moved from tests/functional/cli with the same
assertions; only the gc runner and the simulator fixtures are the tier's. The table on a
terminal of a given width needs a pty: tests/functional/cli/test_listing_terminal.py.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs

import pytest

from gcclient.simulator.fixtures import seed_servers
from gcclient.simulator.identity import USERS
from tests.functional.gcrun import requests_since
from tests.inprocess.insim import InProcessSimulator as Simulator
from tests.inprocess.insim import run_gc as gc

HEADER = '"ID","Name","Status","Role","Source"'
# Source (a second ID) is a --long column: the default table fits 80 columns.
WITH_SOURCE = [
    "--long",
    "-f",
    "csv",
    *(f"-c{c}" for c in ("ID", "Name", "Status", "Role", "Source")),
]


def listing_queries(sim, mark):
    """The query of each compute request since ``mark`` (all must be GET /servers/detail)."""
    entries = [e for e in sim.journal_since(mark) if "/servers" in e["path"]]
    assert all(e["method"] == "GET" and e["path"].endswith("/servers/detail") for e in entries)
    return [{k: v[-1] for k, v in parse_qs(e["query"] or "").items()} for e in entries]


@pytest.fixture(scope="module")
def family(listing_family):
    return listing_family


def csv_row(view, role, source=""):
    return f'"{view["id"]}","{view["name"]}","{view["status"]}","{role}","{source}"'


def test_list_shows_the_blessed_live_images_in_one_filtered_request(simulator, family):
    mark = simulator.mark()
    result = gc(simulator, "list", *WITH_SOURCE)
    assert result.code == 0, result.err
    src = family["src"]["id"]
    assert result.out.splitlines() == [
        HEADER,
        csv_row(family["img-a"], "live image", src),
        csv_row(family["img-b"], "live image", src),
    ]
    assert listing_queries(simulator, mark) == [{"status": "BLESSED", "limit": "1000"}]


def test_list_launched_and_all(simulator, family):
    result = gc(simulator, "list", "--launched", *WITH_SOURCE)
    assert result.code == 0, result.err
    img_a = family["img-a"]["id"]
    assert result.out.splitlines() == [
        HEADER,
        csv_row(family["a-1"], "launched", img_a),
        csv_row(family["a-2"], "launched", img_a),
    ]
    result = gc(simulator, "list", "--all", "-f", "value", "-c", "Name", "-c", "Role")
    assert result.code == 0, result.err
    assert sorted(result.out.splitlines()) == [
        "a-1 launched",
        "a-2 launched",
        "img-a live image",
        "img-b live image",
        "other source",
        "src source",
    ]


def test_status_and_name_are_filtered_by_the_server(simulator, family):
    mark = simulator.mark()
    result = gc(simulator, "list", "--all", "--status", "blessed", "-f", "value", "-c", "Name")
    assert result.code == 0, result.err
    assert sorted(result.out.split()) == ["img-a", "img-b"]
    result = gc(simulator, "list", "--launched", "--name", "^a-2$", "-f", "value", "-c", "ID")
    assert result.code == 0, result.err
    assert result.out.split() == [family["a-2"]["id"]]
    assert listing_queries(simulator, mark) == [
        {"status": "BLESSED", "limit": "1000"},
        {"name": "^a-2$", "limit": "1000"},
    ]


def test_long_adds_host_az_created_and_networks(simulator, family):
    result = gc(simulator, "list", "--launched", "--long", "-f", "json")
    assert result.code == 0, result.err
    rows = result.json()
    assert [row["Name"] for row in rows] == ["a-1", "a-2"]
    view = simulator.get(family["a-1"]["id"])
    assert rows[0] == {
        "ID": view["id"],
        "Name": "a-1",
        "Status": "ACTIVE",
        "Role": "launched",
        "Source": family["img-a"]["id"],
        "Host": "",  # an admin-only attribute
        "AZ": "nova",
        "Created": view["created"],
        "Networks": f"private={view['addresses']['private'][0]['addr']}",
    }
    admin_server = simulator.boot("admin-vm", user="admin")
    result = gc(simulator, "list", "--all", "--long", "-f", "json", user="admin")
    assert result.code == 0, result.err
    [row] = [row for row in result.json() if row["ID"] == admin_server["id"]]
    assert row["Host"] == simulator.get(admin_server["id"], user="admin")["OS-EXT-SRV-ATTR:host"]
    assert row["Host"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--status", "blesed"], "argument --status: must be one of ACTIVE, BLESSED, "),
        (["--name", "web("], "argument --name: not a regular expression ("),
        (["--all", "--launched"], "argument --launched: not allowed with argument --all"),
    ],
)
def test_bad_options_are_refused_before_any_request(simulator, args, message):
    mark = simulator.mark()
    result = gc(simulator, "list", *args)
    assert result.code == 2
    assert message in result.err
    assert result.out == ""
    assert simulator.journal_since(mark) == []


# -- a seeded project of 1,500 servers: two pages ------------------------------------------------


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """1 source x 10 live images x 100 launched (1,011 servers) and 489 plain servers,
    written into the state before the simulator starts."""
    path = os.path.join(tmp_path_factory.mktemp("seeded"), "state.db")
    demo = USERS["demo"]
    made = seed_servers(path, demo.project.id, demo.id, plain=489)
    made.update(seed_servers(path, demo.project.id, demo.id, sources=1, images=10, launched=100))
    sim = Simulator(state=path).start()
    try:
        yield sim, made
    finally:
        sim.cleanup()


def test_list_follows_the_pages_one_request_each(seeded):
    sim, made = seeded
    mark = sim.mark()
    result = gc(sim, "list", "--all", "-f", "value", "-c", "ID")
    assert result.code == 0, result.err
    ids = result.out.split()
    assert len(ids) == len(set(ids)) == 1500
    queries = listing_queries(sim, mark)
    assert len(queries) == 2
    assert queries[0] == {"limit": "1000"}
    # The second page starts after the last server of the first one.
    first_page = sim.request("GET", "/servers/detail?limit=1000")[1]["servers"]
    assert queries[1] == {"limit": "1000", "marker": first_page[-1]["id"]}


def test_list_of_the_live_images_is_one_request_whatever_the_size_of_the_project(seeded):
    sim, made = seeded
    mark = sim.mark()
    result = gc(sim, "list", "-f", "value", "-c", "ID")
    assert result.code == 0, result.err
    assert sorted(result.out.split()) == sorted(made["images"])
    assert listing_queries(sim, mark) == [{"status": "BLESSED", "limit": "1000"}]


def test_lineage_of_10_live_images_with_100_launched_each_is_four_requests(seeded):
    sim, made = seeded
    source = made["sources"][0]
    mark = sim.mark()
    result = gc(sim, "lineage", source, "-f", "value", "-c", "ID", "-c", "Kind")
    assert result.code == 0, result.err
    rows = [line.split() for line in result.out.splitlines()]
    assert len(rows) == 1 + 10 + 1000
    assert [kind for _, kind in rows].count("launched") == 1000
    assert rows[1] == [made["images"][0], "blessed"]
    assert {server_id for server_id, _ in rows} == {source, *made["images"], *made["launched"]}
    # The lookup of the source and its list-blessed; then 10 live images are more than a
    # level expanded server by server: the two pages of the project's listing.
    reqs = requests_since(sim, mark)
    assert [(method, path) for method, path, _ in reqs] == [
        ("GET", f"/servers/{source}"),
        ("POST", f"/servers/{source}/action"),
        ("GET", "/servers/detail"),
        ("GET", "/servers/detail"),
    ]
    assert reqs[1][2] == {"gc_list_blessed": {}}


def test_an_ambiguous_name_points_to_the_list_that_shows_the_ids(simulator_factory):
    # A simulator of its own: the twins would show in the module's other listings.
    simulator = simulator_factory()
    twins = {simulator.boot("twin.1")["id"], simulator.boot("twin.1")["id"]}
    result = gc(simulator, "show", "twin.1")
    assert result.code == 1
    assert result.err.startswith(
        "ERROR: Multiple server matches found for 'twin.1', use an ID to be more specific: "
    )
    assert result.err.endswith(" (all of them: gc list --all --name '^twin\\.1$')\n")
    assert len(result.err.splitlines()) == 1
    result = gc(simulator, "list", "--all", "--name", "^twin\\.1$", "-f", "value", "-c", "ID")
    assert result.code == 0, result.err
    assert set(result.out.split()) == twins
