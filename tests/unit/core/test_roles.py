"""gcclient.core.roles: pages followed to the end, one request each; roles from the markers."""

from __future__ import annotations

import pytest

from gcclient.core import roles as listing


def server(n, **metadata):
    return {"id": f"id-{n:03d}", "name": f"s{n}", "status": "ACTIVE", "metadata": metadata}


class Pages:
    """A server that pages ``servers`` by ``limit`` (capped at ``cap``) and links the
    next page as ``links`` says: "more" (later nova), "full" (early nova: the page
    fills the asked limit) or "never"."""

    def __init__(self, servers, *, cap=1000, links="more"):
        self.servers = servers
        self.cap = cap
        self.links = links
        self.params: list[dict[str, str]] = []

    def list_servers_page(self, params):
        self.params.append(dict(params))
        views = self.servers
        if "marker" in params:
            views = views[[v["id"] for v in views].index(params["marker"]) + 1 :]
        limit = min(int(params["limit"]), self.cap)
        page = views[:limit]
        linked = {"more": len(views) > limit, "full": len(page) == limit, "never": False}
        return page, (page[-1]["id"] if page and linked[self.links] else None)


def test_one_request_when_everything_fits_and_limit_is_always_sent():
    wire = Pages([server(n) for n in range(5)])
    assert [s["id"] for s in listing.iter_servers(wire, status="ACTIVE")] == [
        f"id-{n:03d}" for n in range(5)
    ]
    assert wire.params == [{"status": "ACTIVE", "limit": "1000"}]


@pytest.mark.parametrize(
    ("count", "links", "requests"),
    [
        (10, "more", 4),  # 3 + 3 + 3 + 1, each page linked while more remain
        (9, "more", 3),  # the last full page has no link: the end
        (9, "full", 4),  # early nova links every full page: one empty page more
        (10, "never", 4),  # never linked: full pages are followed by their last ID
        (9, "never", 4),
    ],
)
def test_pages_are_followed_to_the_end(count, links, requests):
    wire = Pages([server(n) for n in range(count)], links=links)
    found = list(listing.iter_servers(wire, page_size=3, name="^s"))
    assert [s["id"] for s in found] == [f"id-{n:03d}" for n in range(count)]
    assert len(wire.params) == requests
    assert all(p["name"] == "^s" and p["limit"] == "3" for p in wire.params)
    assert [p.get("marker") for p in wire.params[1:]] == [
        f"id-{n:03d}" for n in range(2, 3 * (requests - 1), 3)
    ]


def test_a_server_that_pages_smaller_than_asked_is_followed_by_its_links():
    wire = Pages([server(n) for n in range(7)], cap=2)
    assert len(list(listing.iter_servers(wire, page_size=1000))) == 7
    assert len(wire.params) == 4


def test_a_page_that_repeats_itself_ends_the_walk():
    class Stuck:
        calls = 0

        def list_servers_page(self, params):
            self.calls += 1
            return [server(1)], "id-001"

    wire = Stuck()
    assert [s["id"] for s in listing.iter_servers(wire)] == ["id-001"]
    assert wire.calls == 2


def test_roles_and_sources_come_from_the_markers():
    assert listing.role_of(server(1)) == "source"
    assert listing.role_of(server(1, blessed_from="x")) == "live image"
    assert listing.role_of({**server(1), "status": "BLESSED"}) == "live image"
    assert listing.role_of(server(1, launched_from="y")) == "launched"
    assert listing.source_of(server(1, blessed_from="x")) == "x"
    assert listing.source_of(server(1, launched_from="y")) == "y"
    assert listing.source_of(server(1)) == ""


def test_list_servers_keeps_the_roles_asked_and_sends_the_filters():
    views = [server(1), server(2, blessed_from="id-001"), server(3, launched_from="id-002")]
    wire = Pages(views)
    assert [s["id"] for s in listing.list_servers(wire)] == ["id-002"]
    # Live images alone: the server filters BLESSED ones, unless a status is asked for.
    assert wire.params[-1] == {"status": "BLESSED", "limit": "1000"}
    list(listing.list_servers(wire, status="error"))
    assert wire.params[-1] == {"status": "ERROR", "limit": "1000"}
    assert [s["id"] for s in listing.list_servers(wire, roles=listing.ROLES, status="blessed")] == [
        "id-001",
        "id-002",
        "id-003",
    ]
    assert wire.params[-1] == {"status": "BLESSED", "limit": "1000"}
    assert [s["id"] for s in listing.list_servers(wire, roles=("launched",), name="x")] == [
        "id-003"
    ]
    assert wire.params[-1] == {"name": "x", "limit": "1000"}
