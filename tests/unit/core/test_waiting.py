"""gcclient.core.waiting: the rounds of a wait on several servers, on a fake paged wire
with a fake clock (no sleeping): what each round asks for and what it concludes."""

from __future__ import annotations

import pytest

from gcclient.api import exceptions
from gcclient.core import waiting


class PagedWire:
    """A project of ``size`` servers listed newest first, ``page`` a page, counting
    requests; ``status`` maps IDs to a status, a missing ID is gone."""

    def __init__(self, size: int, page: int) -> None:
        self.ids = [f"s{n:05d}" for n in range(size)]  # newest first
        self.page = page
        self.status = {server_id: "ACTIVE" for server_id in self.ids}
        self.requests: list[tuple[str, str]] = []

    def _view(self, server_id: str) -> dict:
        return {"id": server_id, "status": self.status[server_id]}

    def get(self, server_id: str) -> dict:
        self.requests.append(("GET", server_id))
        if server_id not in self.status:
            raise exceptions.NotFound("gone", http_status=404)
        return self._view(server_id)

    def list_servers_page(self, params):
        self.requests.append(("LIST", params.get("marker", "")))
        alive = [i for i in self.ids if i in self.status]
        start = alive.index(params["marker"]) + 1 if "marker" in params else 0
        chunk = alive[start : start + self.page]
        more = start + self.page < len(alive)
        return [self._view(i) for i in chunk], (chunk[-1] if more else None)


def poller(rounds: list[waiting.WaitProgress]) -> waiting.Poller:
    clock = [0.0]

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    return waiting.Poller(10, progress=rounds.append, sleep=sleep, clock=lambda: clock[0])


def test_recent_servers_cost_one_listing_page_a_round_in_a_large_project():
    wire = PagedWire(size=10_000, page=1000)
    wire.status["s00001"] = "BUILD"
    rounds: list[waiting.WaitProgress] = []

    def seen(views):
        wire.status["s00001"] = "ACTIVE"  # between round one and round two

    views = waiting.wait_servers(
        wire, ["s00000", "s00001", "s00002"], "ACTIVE", poller=poller(rounds), seen=seen
    )
    assert [v["id"] for v in views] == ["s00000", "s00001", "s00002"]
    # Round one: page one holds all three; round two: only the one still awaited, by
    # GET (round one needed one page, and one server is as cheap by GET).
    assert wire.requests == [("LIST", ""), ("GET", "s00001")]
    assert rounds == [
        waiting.WaitProgress("ACTIVE", total=3, done=2, pending=("s00001",), elapsed=0.0)
    ]


def test_two_servers_cost_two_gets_a_round_whatever_the_project_size():
    """Issue 26: a wait on the 2 oldest servers of 10,000 reads no page (a page could
    spare one GET at most, and finding them would take all ten)."""
    wire = PagedWire(size=10_000, page=1000)
    wire.status["s09998"] = "BUILD"
    rounds: list[str] = []

    def seen(views):
        if len(rounds) == 2:
            wire.status["s09998"] = "ACTIVE"

    waiting.wait_servers(wire, ["s09998", "s09999"], "ACTIVE", poller=poller(rounds), seen=seen)
    gets = [("GET", "s09998"), ("GET", "s09999")]
    # Round one: both; rounds two to four: the one still in BUILD (it turns ACTIVE
    # after round three's answer).
    assert wire.requests == gets + [("GET", "s09998")] * 3
    assert len(rounds) == 3


def test_servers_past_the_first_page_are_not_gone():
    wire = PagedWire(size=2500, page=1000)
    ids = ["s02400", "s02450", "s02499"]
    views = waiting.wait_servers(wire, ids, "ACTIVE", poller=poller([]))
    assert [v["id"] for v in views] == ids
    assert wire.requests == [("LIST", ""), ("LIST", "s00999"), ("LIST", "s01999")]


def test_after_a_long_walk_the_rounds_ask_each_server():
    wire = PagedWire(size=2500, page=1000)
    wire.status["s02400"] = "BUILD"
    rounds: list[waiting.WaitProgress] = []
    seen_rounds = []

    def seen(views):
        seen_rounds.append(len(wire.requests))
        if len(seen_rounds) == 2:
            wire.status["s02400"] = "ACTIVE"

    ids = ["s02400", "s02450", "s02499"]
    waiting.wait_servers(wire, ids, "ACTIVE", poller=poller(rounds), seen=seen)
    # Round one walked three pages; round two asks its one server by GET; round three too.
    assert wire.requests[:3] == [("LIST", ""), ("LIST", "s00999"), ("LIST", "s01999")]
    assert wire.requests[3:] == [("GET", "s02400"), ("GET", "s02400")]


def test_a_server_missing_from_every_page_is_gone():
    wire = PagedWire(size=1500, page=1000)
    del wire.status["s01200"]
    with pytest.raises(exceptions.WaitError, match="s01200 is gone while waiting for ACTIVE"):
        waiting.wait_servers(wire, ["s00003", "s00004", "s01200"], "ACTIVE", poller=poller([]))
    # Page one sees two; the third, no dearer by GET than another page, answers 404.
    assert wire.requests == [("LIST", ""), ("GET", "s01200")]


def test_a_walk_stops_when_the_unseen_are_no_more_than_the_pages_read():
    wire = PagedWire(size=10_000, page=1000)
    ids = ["s00001", "s00002", "s00003", "s09000", "s09999"]
    views = waiting.wait_servers(wire, ids, "ACTIVE", poller=poller([]))
    assert [v["id"] for v in views] == ids
    # Page one sees three; two unseen after two pages: a GET each, not eight more pages.
    assert wire.requests == [("LIST", ""), ("LIST", "s00999"), ("GET", "s09000"), ("GET", "s09999")]


def test_gone_wait_times_out_on_servers_that_exist_past_page_one():
    wire = PagedWire(size=1500, page=1000)
    with pytest.raises(exceptions.WaitError, match="Timed out after 10 s waiting for 3 server"):
        waiting.wait_servers(wire, ["s01400", "s01450", "s01499"], None, poller=poller([]))


def test_a_marker_that_vanished_between_pages_falls_back_to_gets():
    wire = PagedWire(size=2500, page=1000)
    real = wire.list_servers_page

    def list_page(params):
        if "marker" in params:
            wire.requests.append(("LIST", params["marker"]))
            raise exceptions.BadRequest("marker [x] not found", http_status=400)
        return real(params)

    wire.list_servers_page = list_page  # type: ignore[method-assign]
    ids = ["s00001", "s01200", "s01300", "s02400"]
    views = waiting.wait_servers(wire, ids, "ACTIVE", poller=poller([]))
    assert [v["id"] for v in views] == ids
    assert wire.requests == [("LIST", ""), ("LIST", "s00999")] + [("GET", i) for i in ids[1:]]


@pytest.mark.parametrize(
    ("fault", "detail"),
    [
        ({"message": "No valid host was found.<br />\n\nThere are not enough hosts"},
         ": No valid host was found. There are not enough hosts"),
        ({"message": ""}, ""),
        ({}, ""),
        (None, ""),
    ],
)  # fmt: skip
def test_a_fault_message_reaches_the_error_line_plain(fault, detail):
    """Server text in an error line: no markup, no blank lines (a nova fault's message)."""
    assert waiting.fault_detail({"id": "s1", "status": "ERROR", "fault": fault}) == detail
