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
    ]
    assert started.servers == [{"id": "new-1", "status": "BUILD"}]
    one = Operations(WritingWire())  # type: ignore[arg-type]
    assert one.start_launch("img", LaunchRequest.build(), poller()).servers[0]["id"] == "new-1"
    assert [e.answer for e in one.ledger.created()] == [[{"id": "new-1", "status": "BUILD"}]]


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
