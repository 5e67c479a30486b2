"""Launches that are safe to retry by construction: ensure N clones of a live image.

Nova's create has no client token and ``gc_launch`` neither, so a launch retried
after a lost answer may make a second server. :class:`EnsureRun` is declarative
instead: it counts the servers launched from the live image (one list-launched),
those with the launch's name when one is given, not being deleted and not in ERROR,
and launches only the missing ones in one ``gc_launch``. It never deletes.

It is safe to retry, not a lock: two runs at the same moment may both count the
same servers and both launch. The listing after the launch (and each round of the
wait) shows it, and :attr:`Ensured.surplus` says so, with the IDs; which of the
servers each run made cannot be told (clones of one launch have nothing in common
but the first one its answer names).

The results are data (:class:`Ensured`); front-ends word them.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gcclient.api import exceptions
from gcclient.api.gcwire import Server
from gcclient.core import waiting
from gcclient.core.launch_request import LaunchRequest
from gcclient.core.operations import Operations

# Statuses of servers on their way out: they are not counted (nova lists a server
# until its deletion is complete).
GOING = frozenset({"DELETED", "SOFT_DELETED"})


def check_count(value: Any) -> int:
    """The number of servers to ensure: a whole number of at least 1."""
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value), 10)
        except ValueError:
            raise exceptions.CommandError(
                f"Invalid number of servers to ensure '{value}': expected a whole number"
            ) from None
    if value < 1:
        raise exceptions.CommandError(
            f"Invalid number of servers to ensure '{value}': it must be at least 1"
        )
    return int(value)


def _status(view: Server) -> str:
    return str(view.get("status") or "").upper()


def _id(view: Server) -> str:
    return str(view.get("id"))


def is_going(view: Server) -> bool:
    """Whether a server is being deleted (it will not stay)."""
    return _status(view) in GOING or view.get("OS-EXT-STS:task_state") == "deleting"


@dataclass
class Census:
    """One list-launched sorted: the servers that count, those in ERROR (not counted,
    named to the user) and those being deleted. ``name`` None: every name counts."""

    counted: list[Server] = field(default_factory=list)
    errored: list[Server] = field(default_factory=list)
    going: list[Server] = field(default_factory=list)

    @classmethod
    def of(cls, views: list[Server], name: str | None) -> Census:
        census = cls()
        for view in sorted(views, key=lambda v: (str(v.get("created") or ""), _id(v))):
            if name is not None and view.get("name") != name:
                continue
            if is_going(view):
                census.going.append(view)
            elif _status(view) == "ERROR":
                census.errored.append(view)
            else:
                census.counted.append(view)
        return census

    @property
    def ids(self) -> set[str]:
        return {_id(v) for v in self.counted + self.errored + self.going}


@dataclass
class Ensured:
    """What an ensure found and did. ``existing`` were counted before, ``launched``
    appeared after this run's launch (every server it made, and any another launch
    made at the same moment), ``answer`` is what the launch's answer named,
    ``requested`` the ``num_instances`` sent (0: no launch was sent). ``counted`` is
    the last count, ``errored`` the ERROR servers and ``going`` those being deleted,
    as last seen. The lists hold views, or a front-end's server objects (:meth:`map`)."""

    live_image: str
    count: int
    name: str | None
    existing: list[Any]
    launched: list[Any] = field(default_factory=list)
    answer: list[Any] = field(default_factory=list)
    requested: int = 0
    counted: list[Any] = field(default_factory=list)
    errored: list[Any] = field(default_factory=list)
    going: list[Any] = field(default_factory=list)

    @property
    def servers(self) -> list[Any]:
        """The servers of this ensure: those that existed, then those launched now."""
        return self.existing + self.launched

    @property
    def surplus(self) -> bool:
        """More servers count than were ensured: another launch ran at the same time
        (or earlier runs did); nothing is deleted."""
        return len(self.counted) > self.count

    def map(self, wrap: Callable[[list[Server]], list[Any]]) -> Ensured:
        """The same result with each list of views turned into ``wrap``'s objects."""
        return dataclasses.replace(
            self,
            existing=wrap(self.existing),
            launched=wrap(self.launched),
            answer=wrap(self.answer),
            counted=wrap(self.counted),
            errored=wrap(self.errored),
            going=wrap(self.going),
        )


class EnsureRun:
    """One ensure, step by step, so that a front-end can say what is known however it
    ends: :meth:`count_existing` (reads only), :meth:`launch` (the write, when servers
    are missing, then a listing that names every server it made), :meth:`wait`."""

    def __init__(
        self, ops: Operations, live_image: str, count: int, request: LaunchRequest
    ) -> None:
        if "num_instances" in request.options:
            raise TypeError("ensure takes the count of servers, not num_instances")
        self.ops = ops
        self.wire = ops.wire
        self.live_image = live_image
        self.count = check_count(count)
        self.request = request
        self.name: str | None = request.options.get("name")
        self.before: Census | None = None
        self.result: Ensured | None = None

    @property
    def missing(self) -> int:
        assert self.before is not None
        return max(0, self.count - len(self.before.counted))

    def count_existing(self) -> Census:
        """Count what exists (one list-launched). A name counts only where the cloud
        launches with names (the ``launch-name`` capability): checked first."""
        if self.name is not None:
            self.wire.require({"name": "launch-name"}, {"name": self.name})
        self.before = Census.of(self.wire.list_launched(self.live_image), self.name)
        self.result = Ensured(
            self.live_image,
            self.count,
            self.name,
            existing=list(self.before.counted),
            counted=list(self.before.counted),
            errored=list(self.before.errored),
            going=list(self.before.going),
        )
        return self.before

    def launch(self) -> Ensured:
        """Launch the missing servers, if any, then list what appeared: one
        ``gc_launch`` of ``num_instances`` = missing (1 is sent without the key). A
        cloud without the ``num-instances`` capability gets one ``gc_launch`` per
        missing server, one after another, each recorded; the first that fails
        stops the rest (not attempted). A failure of the listing after is a
        ``WaitFailed``: the launch was carried out."""
        if self.before is None:
            self.count_existing()
        assert self.before is not None and self.result is not None
        missing = self.missing
        if not missing:
            return self.result
        batches = [missing]
        if missing > 1 and "num-instances" not in self.wire.capabilities():
            batches = [1] * missing
        entries = self.ops.ledger.plan("launch", [self.live_image] * len(batches))
        result = self.result
        for size, entry in zip(batches, entries, strict=True):
            options = dict(self.request.options)
            if size > 1:
                options["num_instances"] = size
            body = dataclasses.replace(self.request, options=options).body()
            answer = self.ops.write(
                "launch",
                self.live_image,
                functools.partial(self.wire.launch_body, self.live_image, body),
                lambda r: r,
                entry=entry,
            )
            result.requested += size
            result.answer += list(answer)
            result.launched += list(answer)
        views = self.ops.wait_after(
            "launch", result.answer, lambda: self.wire.list_launched(self.live_image)
        )
        self._update(views)
        if len(entries) == 1:
            entries[0].servers = [dict(s) for s in result.launched]  # every server it made
        return result

    def _update(self, views: list[Server]) -> None:
        """A later listing: the servers that appeared since the count, the last views."""
        assert self.before is not None and self.result is not None
        after = Census.of(views, self.name)
        known = self.before.ids
        latest = {_id(v): v for v in views}
        appeared = [v for v in after.counted + after.errored if _id(v) not in known]
        if self.result.requested:
            answered = [a for a in self.result.answer if _id(a) not in latest]
            launched_ids = {_id(v) for v in self.result.launched} | {_id(v) for v in appeared}
            ordered = [v for v in views if _id(v) in launched_ids] + answered
            self.result.launched = sorted(
                {_id(v): latest.get(_id(v), v) for v in ordered}.values(),
                key=lambda v: (str(v.get("created") or ""), _id(v)),
            )
        self.result.existing = [latest.get(_id(v), v) for v in self.result.existing]
        self.result.counted = after.counted
        self.result.errored = after.errored
        self.result.going = after.going

    def wait(self, poller: waiting.Poller) -> Ensured:
        """Wait until every server of the ensure is ACTIVE, one list-launched a round;
        ERROR, a server gone or the timeout fail. After a launch a failure is a
        ``WaitFailed`` (the launch was carried out); with nothing launched, the
        ``WaitError`` itself."""
        result = self.result
        assert result is not None
        if not result.requested:
            self._wait(poller)
            return result
        self.ops.wait_after(
            "launch", result.launched, lambda: self._wait(poller), latest=lambda: result.launched
        )
        return result

    def _wait(self, poller: waiting.Poller) -> list[Server]:
        assert self.result is not None
        result = self.result
        awaited = [_id(v) for v in result.servers]
        # The first round reads the views the count (or the listing after the launch)
        # just got: servers already ACTIVE cost no request.
        latest = {_id(v): v for v in result.servers}
        while True:
            pending = []
            for server_id in awaited:
                view = latest.get(server_id)
                if view is None or is_going(view):
                    raise exceptions.WaitError(
                        f"Server {server_id} is gone while waiting for ACTIVE"
                    )
                if _status(view) == "ERROR":
                    detail = waiting.fault_detail(view)
                    raise exceptions.WaitError(
                        f"Server {server_id} went to ERROR while waiting for ACTIVE{detail}"
                    )
                if _status(view) != "ACTIVE" or view.get("OS-EXT-STS:task_state"):
                    pending.append(view)
            if not pending:
                return list(result.servers)
            what = f"{len(pending)} of {len(awaited)} servers to become ACTIVE"
            state = waiting.WaitProgress(
                "ACTIVE",
                len(awaited),
                len(awaited) - len(pending),
                tuple(waiting.label(v, _id(v)) for v in pending),
            )
            try:
                poller.next_round(what, state)
            except exceptions.WaitError as exc:
                late = ", ".join(f"{_id(v)} ({_status(v)})" for v in pending[:10])
                more = f", and {len(pending) - 10} more" if len(pending) > 10 else ""
                raise exceptions.WaitError(f"{exc}: {late}{more}") from None
            views = self.wire.list_launched(self.live_image)
            self._update(views)
            latest = {_id(v): v for v in views}


def ensure_launched(
    ops: Operations,
    live_image: str,
    count: int,
    request: LaunchRequest,
    poller: waiting.Poller | None = None,
) -> Ensured:
    """Count, launch what is missing, and with a ``poller`` wait until all are ACTIVE."""
    run = EnsureRun(ops, live_image, count, request)
    run.count_existing()
    result = run.launch()
    if poller is not None:
        result = run.wait(poller)
    return result
