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
    rounds: list[waiting.WaitProgress] = []

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


# ---- one server: rounds, ERROR, timeouts, gone (what tests/functional/cli/test_waiting.py
# checked through gc's 1.0 s polling, here on a fake clock) ------------------------------


class ScriptedWire:
    """GET answers a server's views in turn (the last one again); None is a 404."""

    def __init__(self, *views: dict | None) -> None:
        self.views = list(views)
        self.gets = 0

    def get(self, server_id: str) -> dict:
        view = self.views[min(self.gets, len(self.views) - 1)]
        self.gets += 1
        if view is None:
            raise exceptions.NotFound("gone", http_status=404)
        return {"id": server_id, **view}


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def timed(timeout: float, rounds: list | None = None) -> tuple[waiting.Poller, Clock]:
    clock = Clock()
    progress = rounds.append if rounds is not None else None
    made = waiting.Poller(timeout, progress=progress, sleep=clock.sleep, clock=lambda: clock.now)
    return made, clock


def test_a_wait_polls_once_a_second_until_the_status():
    wire = ScriptedWire({"status": "BUILD"}, {"status": "BUILD"}, {"status": "ACTIVE"})
    rounds: list[waiting.WaitProgress] = []
    made, clock = timed(60, rounds)
    view = waiting.wait_for_status(wire, "s1", "ACTIVE", poller=made)  # type: ignore[arg-type]
    assert view == {"id": "s1", "status": "ACTIVE"}
    assert wire.gets == 3
    assert clock.sleeps == [waiting.POLL_INTERVAL, waiting.POLL_INTERVAL] == [1.0, 1.0]
    assert rounds == [
        waiting.WaitProgress("ACTIVE", 1, 0, ("s1",), elapsed=0.0),
        waiting.WaitProgress("ACTIVE", 1, 0, ("s1",), elapsed=1.0),
    ]


def test_a_server_already_in_the_status_costs_no_round():
    wire = ScriptedWire({"status": "ACTIVE"})
    made, clock = timed(60)
    waiting.wait_for_status(wire, "s1", "ACTIVE", poller=made)  # type: ignore[arg-type]
    assert (wire.gets, clock.sleeps) == (1, [])


def test_error_ends_the_wait_with_the_fault_message():
    wire = ScriptedWire({"status": "BUILD"}, {"status": "ERROR", "fault": {"message": "No host"}})
    made, _ = timed(60)
    with pytest.raises(exceptions.WaitError) as caught:
        waiting.wait_for_status(wire, "s1", "ACTIVE", poller=made)  # type: ignore[arg-type]
    assert str(caught.value) == "Server s1 went to ERROR while waiting for ACTIVE: No host"


def test_error_without_a_fault_says_only_error():
    made, _ = timed(60)
    with pytest.raises(exceptions.WaitError) as caught:
        waiting.wait_for_status(
            ScriptedWire({"status": "error"}),  # type: ignore[arg-type]
            "s1",
            "BLESSED",
            poller=made,
        )
    assert str(caught.value) == "Server s1 went to ERROR while waiting for BLESSED"


def test_a_timeout_names_the_seconds_and_the_last_status_and_never_oversleeps():
    wire = ScriptedWire({"status": "BUILD"})
    made, clock = timed(3)
    with pytest.raises(exceptions.WaitError) as caught:
        waiting.wait_for_status(wire, "s1", "ACTIVE", poller=made)  # type: ignore[arg-type]
    assert str(caught.value) == "Timed out after 3 s waiting for s1 to become ACTIVE (now BUILD)"
    assert clock.sleeps == [1.0, 1.0, 1.0]
    assert clock.now - 100.0 <= 3


def test_a_timeout_shorter_than_a_round_looks_again_at_the_deadline():
    """It said "Timed out after 0.5 s" at once, after one look at 0 s."""
    wire = ScriptedWire({"status": "BUILD"})
    made, clock = timed(0.5)
    with pytest.raises(exceptions.WaitError, match=r"^Timed out after 0\.5 s "):
        waiting.wait_for_status(wire, "s1", "ACTIVE", poller=made)  # type: ignore[arg-type]
    assert (wire.gets, clock.sleeps, clock.now) == (2, [0.5], 100.5)


class SlowWire(ScriptedWire):
    """Each GET takes 0.2 s of the clock, as a real request does."""

    def __init__(self, clock: Clock, *views) -> None:
        super().__init__(*views)
        self.clock = clock
        self.looks: list[float] = []

    def get(self, server_id: str) -> dict:
        self.clock.now += 0.2
        self.looks.append(round(self.clock.now - 100.0, 6))
        return super().get(server_id)


def test_a_timeout_is_told_at_the_deadline_when_requests_take_time():
    """The real-stack run of 2026-12-05 (tests/realstack/test_servers.py,
    ``gc wait --wait-timeout 3``) ended after 2.9 s in all: the poller gave up when a
    whole round no longer fitted. Now the last sleep is shortened and the last look is
    taken at the deadline."""
    made, clock = timed(3)
    wire = SlowWire(clock, {"status": "BUILD"})
    with pytest.raises(exceptions.WaitError, match=r"^Timed out after 3 s "):
        waiting.wait_for_status(wire, "s1", "ACTIVE", poller=made)  # type: ignore[arg-type]
    assert wire.looks == [0.2, 1.4, 2.6, 3.2]
    assert [round(s, 6) for s in clock.sleeps] == [1.0, 1.0, 0.4]


def test_the_poller_counts_its_rounds():
    made, clock = timed(10)
    for _ in range(4):
        made.next_round("x")
    assert (made.rounds, clock.now) == (4, 104.0)


def test_gone_waits_for_the_404():
    wire = ScriptedWire({"status": "ACTIVE"}, {"status": "DELETED"}, None)
    rounds: list[waiting.WaitProgress] = []
    made, clock = timed(60, rounds)
    waiting.wait_until_gone(wire, ["s1"], poller=made)  # type: ignore[arg-type]
    assert (wire.gets, clock.sleeps) == (3, [1.0, 1.0])
    assert rounds == [
        waiting.WaitProgress("", 1, 0, ("s1",), elapsed=0.0),
        waiting.WaitProgress("", 1, 0, ("s1",), elapsed=1.0),
    ]


def test_a_task_state_holds_the_wait_although_the_status_is_reached():
    wire = ScriptedWire(
        {"status": "ACTIVE", "OS-EXT-STS:task_state": "migrating"}, {"status": "ACTIVE"}
    )
    made, clock = timed(60)
    waiting.wait_for_status(wire, "s1", "ACTIVE", poller=made)  # type: ignore[arg-type]
    assert (wire.gets, clock.sleeps) == (2, [1.0])
