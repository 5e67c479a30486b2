"""core/known.py: a bulk delete refuses live images from the project's listing, not
from a GET each (issue 26: 1,000 + 2 requests for 1,000 servers)."""

from __future__ import annotations

import uuid

from gcclient.api import paging
from gcclient.api.exceptions import BlessedDelete, NotFound
from gcclient.core import known
from gcclient.core.operations import Operations
from tests.unit.fakes import FakeWire, view


class DeletingWire(FakeWire):
    def delete(self, server_id):
        self.calls.append(("delete", server_id))
        if server_id not in self.servers:
            raise NotFound(f"Instance {server_id} could not be found.")
        del self.servers[server_id]


def ids(count: int) -> list[str]:
    return [str(uuid.UUID(int=i + 1)) for i in range(count)]


def project(plain: int, images: int = 0) -> DeletingWire:
    servers = [view(i, f"s-{n}") for n, i in enumerate(ids(plain))]
    servers += [
        view(str(uuid.UUID(int=10_000 + n)), f"img-{n}", "BUILD", blessed_from="x")
        for n in range(images)
    ]
    return DeletingWire(servers)


def test_delete_of_many_is_one_listing_and_a_delete_each():
    wire = project(5)
    results = known.delete_each(Operations(wire, parallel=1), ids(5))
    assert [r.error for r in results] == [None] * 5
    assert wire.calls == [("list_servers_page", None)] + [("delete", i) for i in ids(5)]


def test_a_live_image_is_refused_from_its_listed_view():
    """Its status is BUILD (a bless under way): blessed_from in the listing says it."""
    wire = project(2, images=1)
    image = str(uuid.UUID(int=10_000))
    results = known.delete_each(Operations(wire, parallel=1), [*ids(2), image])
    assert isinstance(results[2].error, BlessedDelete)
    assert ("delete", image) not in wire.calls
    assert ("get", image) not in wire.calls


def test_pages_stop_when_every_server_is_seen(monkeypatch):
    monkeypatch.setattr(paging, "PAGE_SIZE", 3)
    wire = project(9)
    known.delete_each(Operations(wire, parallel=1), ids(9)[:3])
    assert [c for c in wire.calls if c[0] != "delete"] == [("list_servers_page", None)]


def test_unseen_servers_cost_a_lookup_each_once_pages_are_dearer(monkeypatch):
    """Two servers on the last of 5 pages: once 2 pages are read and 2 servers are
    still unseen, a lookup each is no dearer: 4 reads, not 5."""
    monkeypatch.setattr(paging, "PAGE_SIZE", 3)
    wire = project(15)
    wanted = ids(15)[-2:]
    known.delete_each(Operations(wire, parallel=1), wanted)
    reads = [c for c in wire.calls if c[0] != "delete"]
    third = ids(15)[2]
    assert reads == [
        ("list_servers_page", None),
        ("list_servers_page", third),
        ("find", wanted[0]),
        ("find", wanted[1]),
    ]


def test_one_server_is_one_lookup_as_before():
    wire = project(3)
    known.delete_each(Operations(wire, parallel=1), ids(1))
    assert wire.calls == [("find", ids(1)[0]), ("delete", ids(1)[0])]


def test_an_id_missing_from_the_listing_is_looked_up_as_before():
    wire = project(2)
    gone = str(uuid.UUID(int=999))
    results = known.delete_each(Operations(wire, parallel=1), [ids(2)[0], gone])
    assert isinstance(results[1].error, NotFound)
    assert ("find", gone) in wire.calls and ("delete", gone) not in wire.calls
