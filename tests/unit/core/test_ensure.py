"""The core of ``launch --ensure N`` (gcclient/core/ensure.py) over a fake wire: what
is counted, what is sent, what the result and the ledger say (issue 27)."""

from __future__ import annotations

from typing import Any

import pytest

from gcclient.api import exceptions
from gcclient.core import ensure
from gcclient.core.ensure import Census, EnsureRun, check_count, ensure_launched
from gcclient.core.launch_request import LaunchRequest
from gcclient.core.ledger import DONE, NOT_ATTEMPTED, NOT_SENT, UNKNOWN
from gcclient.core.manager import BaseGridcentricManager
from gcclient.core.operations import Operations
from gcclient.core.waiting import Poller

IMAGE = "img"


def child(server_id: str, status: str = "ACTIVE", name: str = "img-clone", **extra: Any):
    return {
        "id": server_id,
        "name": name,
        "status": status,
        "created": f"2026-01-01T00:00:{len(server_id):02d}Z",
        "metadata": {"launched_from": IMAGE},
        **extra,
    }


class LaunchWire:
    """Children of one live image; a launch adds ``num_instances`` children (BUILD,
    ACTIVE after ``build_rounds`` listings); ``others`` more appear with it (a
    concurrent run); ``fail`` makes the launch or the listing after it fail."""

    def __init__(self, children=(), caps=("launch-name", "num-instances"), others=0) -> None:
        self.children = [dict(c) for c in children]
        self.caps = list(caps)
        self.others = others
        self.sent: list[tuple[str, Any]] = []
        self.launch_error: BaseException | None = None
        self.list_error_after_launch: BaseException | None = None
        self.build_rounds = 0
        self.error_on_round: str | None = None
        self.made = 0

    def capabilities(self):
        return self.caps

    def require(self, needed, params):
        for key, cap in needed.items():
            if params.get(key) is not None and cap not in self.caps:
                raise exceptions.CapabilityError(key, cap)

    def list_launched(self, server_id: str):
        self.sent.append(("list", server_id))
        if self.made and self.list_error_after_launch is not None:
            raise self.list_error_after_launch
        for view in self.children:
            if view["status"] == "BUILD":
                view["rounds"] = view.get("rounds", 0) + 1
                if view["rounds"] > self.build_rounds:
                    view["status"] = "ACTIVE"
                if view["id"] == self.error_on_round:
                    view["status"] = "ERROR"
        return [dict(v) for v in self.children]

    def launch_body(self, server_id: str, body: dict[str, Any]):
        self.require(
            {"num_instances": "num-instances", "name": "launch-name", "key_name": "launch-key"},
            body["gc_launch"],
        )
        self.sent.append(("launch", body))
        if self.launch_error is not None:
            raise self.launch_error
        params = body["gc_launch"]
        count = params.get("num_instances", 1)
        new = [
            child(f"new{self.made + i}", "BUILD", params.get("name", "img-clone"))
            for i in range(count + self.others)
        ]
        self.made += count
        self.children += new
        return [dict(new[0])]


def run(wire: LaunchWire, count: int, poller: Poller | None = None, **options: Any):
    ops = Operations(wire)  # type: ignore[arg-type]
    return ops, ensure_launched(ops, IMAGE, count, LaunchRequest.build(**options), poller)


def quick() -> Poller:
    return Poller(5, interval=0, sleep=lambda s: None)


def ids(views) -> list[str]:
    return [v["id"] for v in views]


def test_from_zero_one_launch_of_n_then_a_listing_names_each():
    wire = LaunchWire()
    ops, result = run(wire, 3)
    assert wire.sent == [
        ("list", IMAGE),
        ("launch", {"gc_launch": {"num_instances": 3}}),
        ("list", IMAGE),
    ]
    assert (result.existing, ids(result.launched), ids(result.answer)) == (
        [],
        ["new0", "new1", "new2"],
        ["new0"],
    )
    assert result.requested == 3 and not result.surplus
    (entry,) = ops.ledger.entries
    assert (entry.action, entry.state, entry.ids) == ("launch", DONE, ["new0", "new1", "new2"])
    assert [s["id"] for s in entry.answer] == ["new0"]


def test_from_two_one_launch_without_num_instances():
    wire = LaunchWire([child("a"), child("b")], caps=())  # one needs no capability
    _, result = run(wire, 3)
    assert wire.sent[1] == ("launch", {"gc_launch": {}})
    assert (ids(result.existing), ids(result.launched)) == (["a", "b"], ["new0"])
    assert ids(result.servers) == ["a", "b", "new0"]


def test_from_n_or_more_nothing_but_the_list():
    wire = LaunchWire([child("a"), child("b"), child("c"), child("d")])
    ops, result = run(wire, 3, poller=quick())
    assert wire.sent == [("list", IMAGE)]  # and the wait needed no round: all ACTIVE
    assert ops.ledger.entries == []
    assert result.requested == 0 and result.surplus and ids(result.counted) == list("abcd")


def test_error_and_deleting_servers_do_not_count():
    wire = LaunchWire(
        [
            child("a"),
            child("e", "ERROR"),
            child("d", "ACTIVE", **{"OS-EXT-STS:task_state": "deleting"}),
            child("s", "SOFT_DELETED"),
        ]
    )
    _, result = run(wire, 2)
    assert wire.sent[1] == ("launch", {"gc_launch": {}})
    assert ids(result.errored) == ["e"] and sorted(ids(result.going)) == ["d", "s"]
    assert ids(result.existing) == ["a"]


def test_name_counts_only_that_name_and_needs_launch_name_first():
    wire = LaunchWire([child("a", name="web"), child("bb", name="db"), child("c", name="web")])
    _, result = run(wire, 3, name="web")
    assert wire.sent[1] == ("launch", {"gc_launch": {"name": "web"}})
    assert ids(result.existing) == ["a", "c"] and ids(result.launched) == ["new0"]
    without = LaunchWire([child("a", name="web")], caps=("num-instances",))
    with pytest.raises(exceptions.CapabilityError):
        run(without, 3, name="web")
    assert without.sent == []  # refused before the count


def test_a_concurrent_launch_is_a_surplus_with_every_id():
    wire = LaunchWire([child("a")], others=3)
    _, result = run(wire, 3)
    assert result.surplus and len(result.counted) == 6
    assert ids(result.answer) == ["new0"]
    assert ids(result.launched) == ["new0", "new1", "new2", "new3", "new4"]


def test_a_lost_answer_is_unknown_and_propagates():
    wire = LaunchWire()
    wire.launch_error = exceptions.UnknownOutcome(
        "gc_launch", server=IMAGE, check=exceptions.Check("list-launched", IMAGE)
    )
    ops = Operations(wire)  # type: ignore[arg-type]
    ensure_run = EnsureRun(ops, IMAGE, 3, LaunchRequest.build())
    ensure_run.count_existing()
    with pytest.raises(exceptions.UnknownOutcome):
        ensure_run.launch()
    (entry,) = ops.ledger.entries
    assert entry.state == UNKNOWN and ensure_run.missing == 3


def test_without_num_instances_one_launch_per_missing_server():
    """A cloud without the num-instances capability (Essex, Folsom before Feb 2013)
    gets one gc_launch per missing server, each recorded."""
    wire = LaunchWire([child("a")], caps=())
    ops, result = run(wire, 3)
    assert wire.sent == [
        ("list", IMAGE),
        ("launch", {"gc_launch": {}}),
        ("launch", {"gc_launch": {}}),
        ("list", IMAGE),
    ]
    assert result.requested == 2 and ids(result.launched) == ["new0", "new1"]
    assert ids(result.answer) == ["new0", "new1"]
    assert [(e.state, e.ids) for e in ops.ledger.entries] == [
        (DONE, ["new0"]),
        (DONE, ["new1"]),
    ]


def test_one_at_a_time_stops_at_the_first_failure():
    wire = LaunchWire(caps=())
    ops = Operations(wire)  # type: ignore[arg-type]
    run_ = EnsureRun(ops, IMAGE, 3, LaunchRequest.build())
    run_.count_existing()
    calls = []
    launch_body = wire.launch_body

    def second_lost(server_id, body):
        calls.append(body)
        if len(calls) == 2:
            raise exceptions.UnknownOutcome("gc_launch", server=IMAGE)
        return launch_body(server_id, body)

    wire.launch_body = second_lost  # type: ignore[method-assign]
    with pytest.raises(exceptions.UnknownOutcome):
        run_.launch()
    assert [e.state for e in ops.ledger.entries] == [DONE, UNKNOWN, NOT_ATTEMPTED]
    assert len(calls) == 2 and run_.result is not None and run_.result.requested == 1


def test_a_refused_option_is_not_sent():
    wire = LaunchWire(caps=("num-instances",))
    ops = Operations(wire)  # type: ignore[arg-type]
    with pytest.raises(exceptions.CapabilityError):
        ensure_launched(ops, IMAGE, 2, LaunchRequest.build(key_name="k"))
    assert [e.state for e in ops.ledger.entries] == [NOT_SENT]
    assert wire.sent == [("list", IMAGE)]


def test_a_failed_listing_after_the_launch_is_a_wait_failure_with_the_answer():
    wire = LaunchWire()
    wire.list_error_after_launch = exceptions.ConnectionFailure("down")
    ops = Operations(wire)  # type: ignore[arg-type]
    with pytest.raises(exceptions.WaitFailed) as caught:
        ensure_launched(ops, IMAGE, 2, LaunchRequest.build())
    assert caught.value.ids == ["new0"] and ops.ledger.entries[0].state == DONE


def test_wait_polls_one_listing_a_round_until_all_are_active():
    wire = LaunchWire([child("a", "BUILD")])
    wire.build_rounds = 2
    _, result = run(wire, 2, poller=quick())
    assert [s for s in wire.sent if s[0] == "launch"] == [("launch", {"gc_launch": {}})]
    assert [v["status"] for v in result.servers] == ["ACTIVE", "ACTIVE"]
    assert wire.sent.count(("list", IMAGE)) == 4  # count, after, then two rounds


def test_wait_fails_on_error_after_a_launch_as_a_wait_failure():
    wire = LaunchWire()
    wire.error_on_round = "new0"
    ops = Operations(wire)  # type: ignore[arg-type]
    with pytest.raises(exceptions.WaitFailed) as caught:
        ensure_launched(ops, IMAGE, 1, LaunchRequest.build(), quick())
    assert "new0 went to ERROR" in str(caught.value.cause)


def test_wait_with_nothing_launched_fails_with_the_wait_error():
    wire = LaunchWire([child("a", "BUILD")])
    wire.build_rounds = 99
    ops = Operations(wire)  # type: ignore[arg-type]
    now = [0.0]
    poller = Poller(0.5, interval=1, sleep=lambda s: now.__setitem__(0, now[0] + s),
                    clock=lambda: now[0])  # fmt: skip
    with pytest.raises(exceptions.WaitError, match=r"Timed out .*: a \(BUILD\)"):
        ensure_launched(ops, IMAGE, 1, LaunchRequest.build(), poller)
    assert ops.ledger.entries == []


@pytest.mark.parametrize(
    ("value", "expected"), [(3, 3), ("2", 2), (0, "at least 1"), ("x", "whole"), (True, "whole")]
)
def test_check_count(value, expected):
    if isinstance(expected, int):
        assert check_count(value) == expected
    else:
        with pytest.raises(exceptions.CommandError, match=expected):
            check_count(value)


def test_num_instances_is_not_a_count():
    ops = Operations(LaunchWire())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        EnsureRun(ops, IMAGE, 3, LaunchRequest.build(num_instances=2))


def test_census_orders_by_creation():
    views = [child("bbb"), child("a"), child("cc", "ERROR")]
    census = Census.of(views, None)
    assert ids(census.counted) == ["a", "bbb"] and ids(census.errored) == ["cc"]
    assert ensure.is_going({"status": "DELETED"})


class Manager(BaseGridcentricManager):
    def __init__(self, wire):
        self.wire = wire

    def _wrap(self, views):
        return [("obj", v["id"]) for v in views]

    def _is_server(self, server):
        return False

    def _resolve(self, server):
        return server


def test_manager_ensure_launched_wraps_every_list():
    wire = LaunchWire([child("a")])
    result = Manager(wire).ensure_launched(IMAGE, 2, name="img-clone", params={"k": "v"})
    assert wire.sent[1] == ("launch", {"gc_launch": {"guest": {"k": "v"}, "name": "img-clone"}})
    assert result.existing == [("obj", "a")] and result.launched == [("obj", "new0")]
    with pytest.raises(TypeError):
        Manager(wire).ensure_launched(IMAGE, 2, num_instances=2)
    sent = list(wire.sent)

    class Resolving(Manager):
        def _resolve(self, server):
            raise AssertionError("looked up before the count was checked")

    with pytest.raises(exceptions.CommandError, match="at least 1"):
        Resolving(wire).ensure_launched("web", 0)
    assert wire.sent == sent
