"""The core's writes that every front-end shares: typed ledger states and their
transitions, ledger sections, bless of several servers, launch of any count, and
discard with its cascade (issue 22: the CLI no longer does this work itself)."""

from __future__ import annotations

from typing import Any

import pytest

from gcclient.api import exceptions
from gcclient.core import ledger as ledger_module
from gcclient.core.launch_request import LaunchRequest
from gcclient.core.ledger import Entry, Ledger, LedgerError, State
from gcclient.core.operations import Operations
from gcclient.core.waiting import Poller


class WritingWire:
    """Just enough of the wire for the core's writes, recording each request."""

    def __init__(self, children: list[str] | None = None, fail_delete: str = "") -> None:
        self.sent: list[tuple[str, str]] = []
        self.children = list(children or [])
        self.fail_delete = fail_delete

    def resolve(self, name_or_id: str) -> str:
        if name_or_id == "missing":
            raise exceptions.NotFound("No server missing", http_status=404)
        return name_or_id.replace("name-", "id-")

    def bless(self, server_id: str, name: str | None = None) -> list[dict[str, Any]]:
        self.sent.append(("bless", server_id))
        return [{"id": f"blessed-{server_id}", "status": "BLESSED"}]

    def list_launched(self, server_id: str) -> list[dict[str, Any]]:
        self.sent.append(("list-launched", server_id))
        return [{"id": c, "status": "ACTIVE"} for c in self.children]

    def require(self, needed: Any, params: Any) -> None:
        self.sent.append(("require", ",".join(needed)))

    def launch_body(self, server_id: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        self.sent.append(("launch", server_id))
        return [{"id": "new-1", "status": "BUILD"}]

    def delete(self, server_id: str) -> None:
        self.sent.append(("delete", server_id))
        if server_id == self.fail_delete:
            raise exceptions.Conflict("busy", http_status=409)
        self.children.remove(server_id)

    def discard(self, server_id: str) -> None:
        self.sent.append(("discard", server_id))


def poller() -> Poller:
    return Poller(5, interval=0, sleep=lambda s: None)


# -- states ---------------------------------------------------------------------------


def test_states_are_typed_and_word_themselves():
    assert isinstance(ledger_module.DONE, State)
    assert f"{State.NOT_ATTEMPTED}" == "not attempted"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (State.NOT_ATTEMPTED, State.SENDING),
        (State.NOT_ATTEMPTED, State.FAILED),
        (State.SENDING, State.DONE),
        (State.SENDING, State.UNKNOWN),
        (State.UNKNOWN, State.DONE),  # a worker's late answer after an interruption
    ],
)
def test_allowed_transitions(start, end):
    entry = Entry("delete", "s", start)
    entry.move(end)
    assert entry.state is end


@pytest.mark.parametrize(
    ("start", "end"),
    [(State.DONE, State.SENDING), (State.FAILED, State.DONE), (State.SENDING, State.NOT_ATTEMPTED)],
)
def test_a_transition_outside_the_table_is_a_bug(start, end):
    with pytest.raises(LedgerError, match=f"{start} -> {end}"):
        Entry("delete", "s", start).move(end)


def test_a_section_holds_what_was_recorded_while_it_was_open():
    ledger = Ledger()
    ledger.begin("bless", "a")
    with ledger.section() as outer:
        ledger.plan("delete", ["c1", "c2"])
        with ledger.section() as inner:
            ledger.begin("discard", "img")
    ledger.begin("launch", "b")
    assert [e.server for e in outer.entries] == ["c1", "c2", "img"]
    assert [e.server for e in inner.entries] == ["img"]
    assert [e.server for e in outer.of("delete")] == ["c1", "c2"]


# -- writes ---------------------------------------------------------------------------


def test_bless_each_resolves_each_name_and_plans_the_writes():
    wire = WritingWire()
    ops = Operations(wire, parallel=1)  # type: ignore[arg-type]
    results = ops.bless_each(["name-a", "missing", "id-b"])
    assert [r.value for r in results] == [
        [{"id": "blessed-id-a", "status": "BLESSED"}],
        None,
        [{"id": "blessed-id-b", "status": "BLESSED"}],
    ]
    assert wire.sent == [("bless", "id-a"), ("bless", "id-b")]
    assert [(e.server, e.state) for e in ops.ledger.of("bless")] == [
        ("id-a", State.DONE),
        ("missing", State.FAILED),
        ("id-b", State.DONE),
    ]


def test_launch_of_one_or_several_returns_the_wait_unrun():
    wire = WritingWire(children=["old"])
    ops = Operations(wire)  # type: ignore[arg-type]
    started = ops.start_launch("img", LaunchRequest.build(num_instances=2), poller())
    assert wire.sent == [
        ("require", "num_instances"),
        ("list-launched", "img"),
        ("launch", "img"),
        ("list-launched", "img"),
    ]
    assert started.servers == [{"id": "new-1", "status": "BUILD"}]
    one = Operations(WritingWire())  # type: ignore[arg-type]
    assert one.start_launch("img", LaunchRequest.build(), poller()).servers[0]["id"] == "new-1"
    assert [e.answer for e in one.ledger.created()] == [[{"id": "new-1", "status": "BUILD"}]]


class CloningWire(WritingWire):
    """A launch of N makes N clones; its answer names the first only, as Cobalt's
    gc_launch did (cobalt nova/compute/gc_api.py launch: one instance returned)."""

    def __init__(self, list_fails_after: int = 99) -> None:
        super().__init__(children=["old"])
        self.lists = 0
        self.list_fails_after = list_fails_after

    def list_launched(self, server_id: str) -> list[dict[str, Any]]:
        self.lists += 1
        if self.lists > self.list_fails_after:
            raise exceptions.WaitError("the listing failed")
        return super().list_launched(server_id)

    def launch_body(self, server_id: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        self.sent.append(("launch", server_id))
        made = [f"new-{i + 1}" for i in range(int(body["gc_launch"].get("num_instances", 1)))]
        self.children += made
        return [{"id": made[0], "status": "BUILD"}]


def test_a_launch_of_several_names_every_server_it_made():
    # Failed before issue 21: launch(num_instances=3) returned the first clone only.
    wire = CloningWire()
    ops = Operations(wire)  # type: ignore[arg-type]
    launched = ops.launch("img", LaunchRequest.build(num_instances=3))
    assert [s["id"] for s in launched] == ["new-1", "new-2", "new-3"]
    assert ledger_module.notices(ops.ledger, exceptions.PLAIN) == []
    assert ledger_module.describe(ops.ledger, exceptions.PLAIN) == (
        "servers new-1 (ACTIVE), new-2 (ACTIVE), new-3 (ACTIVE) were created"
    )


def test_a_launch_of_several_whose_listing_fails_says_what_is_not_known():
    wire = CloningWire(list_fails_after=1)
    ops = Operations(wire)  # type: ignore[arg-type]
    launched = ops.launch("img", LaunchRequest.build(num_instances=3))
    assert [s["id"] for s in launched] == ["new-1"]
    assert ledger_module.notices(ops.ledger, exceptions.PLAIN) == [
        "3 servers were requested and the launch was carried out, but only 1 are known "
        "(new-1): check the servers launched from img for the others before launching again"
    ]
    assert ledger_module.describe(ops.ledger, exceptions.PLAIN) == (
        "server new-1 (BUILD) was created (1 of the 3 requested named: check the servers "
        "launched from img for the others)"
    )


def test_a_launch_of_several_waits_and_names_them_all():
    wire = CloningWire()
    ops = Operations(wire)  # type: ignore[arg-type]
    started = ops.start_launch("img", LaunchRequest.build(num_instances=2), poller())
    assert [s["id"] for s in started.servers] == ["new-1", "new-2"]
    assert [s["id"] for s in started.wait()] == ["new-1", "new-2"]
    assert ops.ledger.of("launch")[0].ids == ["new-1", "new-2"]


def test_discard_each_returns_the_ids_it_discarded():
    wire = WritingWire()
    ops = Operations(wire, parallel=1)  # type: ignore[arg-type]
    results = ops.discard_each(["name-x", "missing"])
    assert [r.value for r in results] == ["id-x", None]
    assert ops.ledger.done_servers("discard") == ["id-x"]


def test_discard_cascade_deletes_waits_then_discards():
    wire = WritingWire(children=["c1", "c2"])
    ops = Operations(wire, parallel=1)  # type: ignore[arg-type]
    ops.discard_cascade("img", poller())
    assert wire.sent == [
        ("list-launched", "img"),
        ("delete", "c1"),
        ("delete", "c2"),
        ("list-launched", "img"),
        ("discard", "img"),
    ]
    assert [(e.action, e.state) for e in ops.ledger.entries] == [
        ("discard", State.DONE),
        ("delete", State.DONE),
        ("delete", State.DONE),
    ]


def test_discard_cascade_sends_no_discard_when_a_deletion_failed():
    wire = WritingWire(children=["c1", "c2"], fail_delete="c1")
    ops = Operations(wire, parallel=1)  # type: ignore[arg-type]
    with pytest.raises(exceptions.GcError) as caught:
        ops.discard_cascade("img", poller())
    assert str(caught.value) == (
        "Not every server launched from img was deleted; img was not discarded"
    )
    assert ("discard", "img") not in wire.sent
    assert ops.ledger.of("discard")[0].state is State.NOT_ATTEMPTED
