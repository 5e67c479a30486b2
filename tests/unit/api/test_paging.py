"""gcclient.api.paging: following nova's pages of GET /servers/detail with limit and
marker, as linked or not, without reading a server twice or looping."""

from __future__ import annotations

import pytest

from gcclient.api import paging


class Pages:
    """A wire that answers scripted pages and records the params of each request."""

    def __init__(self, *pages):
        self.pages = list(pages)
        self.sent: list[dict] = []

    def list_servers_page(self, params):
        self.sent.append(dict(params))
        return self.pages.pop(0)


def servers(*ids):
    return [{"id": i, "name": f"n-{i}"} for i in ids]


def ids(views):
    return [v["id"] for v in views]


def test_limit_is_always_sent_and_filters_are_passed_on():
    wire = Pages((servers("a"), None))
    assert ids(paging.iter_servers(wire, status="ACTIVE")) == ["a"]
    assert wire.sent == [{"status": "ACTIVE", "limit": "1000"}]


def test_linked_pages_are_followed_with_the_marker():
    wire = Pages((servers("a", "b"), "b"), (servers("c", "d"), "d"), (servers("e"), None))
    assert ids(paging.iter_servers(wire, page_size=2)) == ["a", "b", "c", "d", "e"]
    assert wire.sent == [
        {"limit": "2"},
        {"limit": "2", "marker": "b"},
        {"limit": "2", "marker": "d"},
    ]


def test_an_unlinked_full_page_is_followed_with_its_last_id():
    """An era that never links its pages is still read to the end."""
    wire = Pages((servers("a", "b"), None), (servers("c", "d"), None), ([], None))
    assert ids(paging.iter_servers(wire, page_size=2)) == ["a", "b", "c", "d"]
    assert [s.get("marker") for s in wire.sent] == [None, "b", "d"]


def test_a_short_unlinked_page_is_the_end():
    wire = Pages((servers("a"), None))
    assert ids(paging.iter_servers(wire, page_size=2)) == ["a"]
    assert len(wire.sent) == 1


def test_once_pages_were_linked_a_missing_link_is_the_end():
    wire = Pages((servers("a", "b"), "b"), (servers("c", "d"), None))
    assert ids(paging.iter_servers(wire, page_size=2)) == ["a", "b", "c", "d"]
    assert len(wire.sent) == 2


def test_a_server_seen_twice_is_yielded_once_and_a_stale_page_ends_the_walk():
    """A server that ignores the marker answers the first page again: no loop."""
    wire = Pages((servers("a", "b"), "b"), (servers("b", "c"), "c"), (servers("b", "c"), "c"))
    assert ids(paging.iter_servers(wire, page_size=2)) == ["a", "b", "c"]
    assert len(wire.sent) == 3


def test_a_page_of_servers_all_seen_ends_the_walk_whatever_it_links():
    wire = Pages((servers("a", "b"), "b"), (servers("a", "b"), "z"))
    assert ids(paging.iter_servers(wire, page_size=2)) == ["a", "b"]
    assert len(wire.sent) == 2


def test_a_link_to_the_same_marker_ends_the_walk():
    wire = Pages((servers("a", "b"), "b"), (servers("c"), "b"))
    assert ids(paging.iter_servers(wire, page_size=2)) == ["a", "b", "c"]
    assert len(wire.sent) == 2


def test_views_are_handed_on_as_each_page_arrives():
    wire = Pages((servers("a", "b"), "b"), (servers("c"), None))
    walk = paging.iter_servers(wire, page_size=2)
    assert next(walk)["id"] == "a"
    assert next(walk)["id"] == "b"
    assert len(wire.sent) == 1
    assert ids(walk) == ["c"]
    assert len(wire.sent) == 2


def test_the_default_page_is_novas_max_limit():
    assert paging.PAGE_SIZE == 1000


@pytest.mark.parametrize(
    ("links", "marker"),
    [
        (None, None),
        ([], None),
        ([{"rel": "next", "href": "http://nova/v2.1/servers/detail?limit=2&marker=abc"}], "abc"),
        ([{"rel": "self", "href": "http://nova/v2.1/servers/detail?marker=abc"}], None),
        ([{"rel": "next", "href": "http://nova/v2.1/servers/detail?limit=2"}], None),
        (["not a link", {"rel": "next"}], None),
    ],
)
def test_next_marker_reads_only_a_next_link(links, marker):
    body = {"servers": []} if links is None else {"servers": [], "servers_links": links}
    assert paging.next_marker(body) == marker
