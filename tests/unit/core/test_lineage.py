"""gcclient.core.lineage: tree building (a request per node of a small level, one listing for
larger ones), drawing, nested data."""

from __future__ import annotations

import pytest

from gcclient.core import lineage

from ..fakes import FakeWire, view


def family():
    return [
        view("src", "web"),
        view("b1", "web-0", "BLESSED", "2", blessed_from="src"),
        view("b0", "web-1", "BLESSED", "1", blessed_from="src"),
        view("l1", "web-0-clone", "ACTIVE", "3", launched_from="b1"),
        view("l2", "web-0-clone", "ERROR", "4", launched_from="b1"),
        view("bb", "web-0-clone-0", "BLESSED", "5", blessed_from="l1"),
        view("ll", "deep", "BUILD", "6", launched_from="bb"),
    ]


def test_kind_comes_from_the_metadata_markers():
    assert lineage.kind_of(view("a", "a")) == "source"
    assert lineage.kind_of(view("a", "a", blessed_from="x")) == "blessed"
    assert lineage.kind_of(view("a", "a", status="BLESSED")) == "blessed"
    assert lineage.kind_of(view("a", "a", launched_from="x")) == "launched"


def test_a_small_tree_costs_one_list_request_per_node():
    wire = FakeWire(family())
    tree = lineage.build(wire, wire.servers["src"])
    order = [(depth, node.id) for depth, node in tree.walk()]
    # Children sorted by creation time: b0 before b1.
    assert order == [
        (0, "src"),
        (1, "b0"),
        (1, "b1"),
        (2, "l1"),
        (3, "bb"),
        (4, "ll"),
        (2, "l2"),
    ]
    assert len(wire.calls) == tree.count() == 7
    kinds = {call[0]: [] for call in wire.calls}
    for name, server_id in wire.calls:
        kinds[name].append(server_id)
    assert sorted(kinds["list_launched"]) == ["b0", "b1", "bb"]
    assert sorted(kinds["list_blessed"]) == ["l1", "l2", "ll", "src"]


def test_a_level_larger_than_the_budget_switches_to_one_listing():
    wire = FakeWire(family())
    tree = lineage.build(wire, wire.servers["src"], budget=1)
    assert [n.id for _, n in tree.walk()] == ["src", "b0", "b1", "l1", "bb", "ll", "l2"]
    # src alone is expanded with its list; b0 and b1 are two: one listing for the rest.
    assert wire.calls == [("list_blessed", "src"), ("list_servers_page", None)]


def test_ten_live_images_of_a_hundred_cost_a_listing_not_a_request_each():
    servers = [view("src", "src")]
    for i in range(10):
        servers.append(view(f"img{i}", f"img{i}", "BLESSED", blessed_from="src"))
        servers += [view(f"l{i}-{n}", f"l{i}-{n}", launched_from=f"img{i}") for n in range(100)]
    wire = FakeWire(servers)
    tree = lineage.build(wire, wire.servers["src"])
    assert tree.count() == 1011
    # The list of src, then the two pages of the project's 1,011 servers.
    assert wire.calls == [
        ("list_blessed", "src"),
        ("list_servers_page", None),
        ("list_servers_page", "l9-88"),
    ]


def test_build_follows_the_pages_of_the_listing():
    wire = FakeWire(family())
    family_ = lineage.Family(lineage.roles.iter_servers(wire, page_size=3))
    tree = lineage.build(wire, wire.servers["src"], family=family_)
    assert tree.count() == 7
    assert wire.calls == [
        ("list_servers_page", None),
        ("list_servers_page", "b0"),
        ("list_servers_page", "bb"),
    ]


def test_build_from_a_blessed_server_lists_its_launched_servers():
    wire = FakeWire(family())
    tree = lineage.build(wire, wire.servers["b1"])
    assert [n.id for _, n in tree.walk()] == ["b1", "l1", "bb", "ll", "l2"]


def test_children_are_what_the_list_actions_answer():
    # A server blessed from a launched one can carry both markers: it is the
    # blessed child of its source, not a launched child of the older live image.
    servers = family() + [view("bx", "both", "BLESSED", "7", blessed_from="l2", launched_from="b1")]
    wire = FakeWire(servers)
    found = lineage.Family(servers)
    for server in servers:
        expected = (
            wire.list_launched(server["id"])
            if lineage.kind_of(server) == "blessed"
            else wire.list_blessed(server["id"])
        )
        assert {c["id"] for c in found.children(server)} == {c["id"] for c in expected}


def test_max_depth_stops_fetching_and_marks_truncated_nodes():
    wire = FakeWire(family())
    tree = lineage.build(wire, wire.servers["src"], max_depth=1)
    assert [n.id for _, n in tree.walk()] == ["src", "b0", "b1"]
    assert wire.calls == [("list_blessed", "src")]
    assert [n.truncated for _, n in tree.walk()] == [False, True, True]
    none = FakeWire(family())
    assert lineage.build(none, view("src", "web"), max_depth=0).truncated
    assert none.calls == []


def test_a_server_seen_twice_is_not_expanded_again():
    # a was launched from b, and b blessed from a: a loop no consistent cloud shows.
    servers = [view("a", "a", launched_from="b"), view("b", "b", "BLESSED", blessed_from="a")]
    wire = FakeWire(servers)
    tree = lineage.build(wire, wire.servers["a"])
    assert [n.id for _, n in tree.walk()] == ["a", "b"]


def test_to_dict_is_nested():
    wire = FakeWire(family()[:4])
    data = lineage.build(wire, wire.servers["src"]).to_dict()
    assert data == {
        "id": "src",
        "name": "web",
        "status": "ACTIVE",
        "kind": "source",
        "children": [
            {"id": "b0", "name": "web-1", "status": "BLESSED", "kind": "blessed", "children": []},
            {
                "id": "b1",
                "name": "web-0",
                "status": "BLESSED",
                "kind": "blessed",
                "children": [
                    {
                        "id": "l1",
                        "name": "web-0-clone",
                        "status": "ACTIVE",
                        "kind": "launched",
                        "children": [],
                    }
                ],
            },
        ],
    }


@pytest.mark.parametrize("ascii_only", [False, True])
def test_tree_rows_draw_branches(ascii_only):
    wire = FakeWire(family())
    rows = lineage.tree_rows(lineage.build(wire, wire.servers["src"]), ascii_only=ascii_only)
    labels = [label for label, _ in rows]
    expected = [
        "web",
        "├── web-1",
        "└── web-0",
        "    ├── web-0-clone",
        "    │   └── web-0-clone-0",
        "    │       └── deep",
        "    └── web-0-clone",
    ]
    if ascii_only:
        table = str.maketrans({"├": "|", "└": "`", "│": "|", "─": "-"})
        expected = [line.translate(table) for line in expected]
    assert labels == expected


def test_truncated_nodes_are_marked_in_the_drawing():
    wire = FakeWire(family())
    rows = lineage.tree_rows(lineage.build(wire, wire.servers["src"], max_depth=1))
    assert [label for label, _ in rows] == ["web", "├── web-1 ...", "└── web-0 ..."]


def test_find_root_follows_markers_until_a_missing_ancestor():
    wire = FakeWire(family())
    assert lineage.find_root(wire, wire.servers["ll"])["id"] == "src"
    assert wire.calls == [("get", "bb"), ("get", "l1"), ("get", "b1"), ("get", "src")]
    orphan = FakeWire([view("x", "x", launched_from="gone")])
    assert lineage.find_root(orphan, orphan.servers["x"])["id"] == "x"


def test_find_root_in_a_listing_sends_nothing_more():
    wire = FakeWire(family())
    found = lineage.Family(family())
    assert lineage.find_root(wire, wire.servers["ll"], family=found)["id"] == "src"
    assert wire.calls == []
    orphan = FakeWire([view("x", "x", launched_from="gone")])
    assert lineage.find_root(orphan, orphan.servers["x"], family=lineage.Family([]))["id"] == "x"
    assert orphan.calls == [("get", "gone")]
