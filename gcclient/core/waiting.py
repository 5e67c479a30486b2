"""Polling until servers reach a state, with one request per round."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from typing import Any

from gcclient.api import exceptions
from gcclient.api.decoding import plain
from gcclient.api.gcwire import Wire
from gcclient.api.paging import PAGE_SIZE
from gcclient.core.roles import is_live_image

POLL_INTERVAL = 1.0


@dataclasses.dataclass(frozen=True)
class WaitProgress:
    """Where a wait stands after a round, for a front-end's progress line: ``goal``
    is the status awaited ("" when the servers are to be gone), ``done`` of
    ``total`` servers are there, ``pending`` names the others (their names, or IDs
    when unnamed), ``elapsed`` the seconds since the wait began."""

    goal: str
    total: int
    done: int
    pending: tuple[str, ...]
    elapsed: float = 0.0


Progress = Callable[[WaitProgress], None]


def servers_phrase(count: int) -> str:
    """``1 server``, ``2 servers``: timeouts read right for any count."""
    return f"{count} server" + ("" if count == 1 else "s")


def label(view: dict[str, Any] | None, server_id: str) -> str:
    """How a pending server is named in progress: its name, else its ID."""
    name = (view or {}).get("name")
    return str(name) if name else server_id


def refuse_blessed_delete(view: dict[str, Any]) -> None:
    """Clients must not DELETE a blessed server: discard it instead."""
    if is_live_image(view):
        raise exceptions.BlessedDelete(str(view.get("id")))


class Poller:
    """Rounds of polling with a deadline."""

    def __init__(
        self,
        timeout: float,
        interval: float = POLL_INTERVAL,
        progress: Progress | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.deadline = clock() + timeout
        self.timeout = timeout
        self.interval = interval
        self.progress = progress
        self.sleep = sleep
        self.clock = clock
        self.started = clock()
        self.rounds = 0

    def next_round(self, what: str, state: WaitProgress | None = None) -> None:
        """Sleep before the next round, or fail when the time is up; ``state`` goes
        to the progress callback (``elapsed`` filled in).

        The last sleep is cut to what is left, so the last look is taken at the
        deadline: "Timed out after 3 s" is said after 3 s, never before (the
        requests of each round take time of their own) and never much after."""
        remaining = self.deadline - self.clock()
        if remaining <= 0:
            raise exceptions.WaitError(f"Timed out after {self.timeout:g} s waiting for {what}")
        self.rounds += 1
        if self.progress and state is not None:
            self.progress(dataclasses.replace(state, elapsed=self.clock() - self.started))
        self.sleep(min(self.interval, remaining))


def _status(view: dict[str, Any]) -> str:
    return str(view.get("status") or "").upper()


def fault_detail(view: dict[str, Any]) -> str:
    """The ": <nova's fault message>" of a server in ERROR, on one line without markup
    (server text in an error line), or "" without one."""
    fault = view.get("fault")
    message = plain(str(fault.get("message") or "")) if isinstance(fault, dict) else ""
    return f": {message}" if message else ""


def _fail_on_error(view: dict[str, Any], wanted: str) -> None:
    if _status(view) == "ERROR":
        detail = fault_detail(view)
        raise exceptions.WaitError(
            f"Server {view.get('id')} went to ERROR while waiting for {wanted}{detail}"
        )


def wait_for_status(
    wire: Wire,
    server_id: str,
    status: str,
    timeout: float = 600.0,
    *,
    poller: Poller | None = None,
    first: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """GET the server until it has ``status``; ERROR or timeout fail."""
    poller = poller or Poller(timeout)
    view = first
    while True:
        if view is not None:
            _fail_on_error(view, status)
            if _status(view) == status and not (view.get("OS-EXT-STS:task_state") or ""):
                return view
            poller.next_round(
                f"{server_id} to become {status} (now {_status(view)})",
                WaitProgress(status, 1, 0, (label(view, server_id),)),
            )
        view = wire.get(server_id)


def wait_until_gone(
    wire: Wire, server_ids: Iterable[str], timeout: float = 600.0, *, poller: Poller | None = None
) -> None:
    """GET each server until it answers 404."""
    poller = poller or Poller(timeout)
    remaining = list(server_ids)
    total = len(remaining)
    while remaining:
        still = []
        for server_id in remaining:
            try:
                view = wire.get(server_id)
            except exceptions.NotFound:
                continue
            if _status(view) == "ERROR" and not view.get("OS-EXT-STS:task_state"):
                _fail_on_error(view, "its removal")
            still.append(server_id)
        remaining = still
        if remaining:
            poller.next_round(
                f"{servers_phrase(len(remaining))} to be gone",
                WaitProgress("", total, total - len(remaining), tuple(remaining)),
            )


def own_status(view: dict[str, Any]) -> str:
    """The status a server is waited for when none is named: BLESSED for a live
    image, ACTIVE for any other server."""
    return "BLESSED" if is_live_image(view) else "ACTIVE"


# How many late servers a timeout names before "and N more".
LATE_NAMED = 10


def _late(views: dict[str, dict[str, Any]], pending: list[str]) -> str:
    """``id (STATUS), ...`` of the servers a wait gave up on, at most LATE_NAMED."""
    named = [f"{server_id} ({_status(views[server_id]) or 'gone'})" for server_id in pending]
    if len(named) > LATE_NAMED:
        named = named[:LATE_NAMED] + [f"and {len(pending) - LATE_NAMED} more"]
    return ", ".join(named)


def wait_servers(
    wire: Wire,
    server_ids: Iterable[str],
    status: str | Callable[[dict[str, Any]], str] | None,
    timeout: float = 600.0,
    *,
    poller: Poller | None = None,
    seen: Callable[[dict[str, dict[str, Any]]], None] | None = None,
) -> list[dict[str, Any]]:
    """Wait until every server has ``status`` (None: until every one is gone). A round
    asks only for the servers still awaited, at the cost of ``min(K GETs, pages)``
    requests (see ``_Views``): one listing page for several recent servers in a
    project of any size. Returns the last views (in the order given; a gone server
    has no view)."""
    poller = poller or Poller(timeout)
    ids = list(dict.fromkeys(server_ids))
    if status is None or callable(status):
        wanted_of = status
    else:
        named = status.upper()

        def wanted_of(view: dict[str, Any]) -> str:
            return named

    fetch = _Views(wire)
    views: dict[str, dict[str, Any]] = {}
    targets: dict[str, str] = {}
    pending = ids
    while True:
        current = fetch(pending)
        for server_id in pending:
            views.pop(server_id, None)
        views.update(current)
        if seen is not None:
            seen(views)
        awaited, pending = pending, []
        for server_id in awaited:
            view = views.get(server_id)
            if view is None:
                if wanted_of is not None:
                    wanted = targets.get(server_id) or (
                        status.upper() if isinstance(status, str) else "ACTIVE or BLESSED"
                    )
                    raise exceptions.WaitError(
                        f"Server {server_id} is gone while waiting for {wanted}"
                    )
                continue
            if wanted_of is None:
                if _status(view) == "ERROR" and not view.get("OS-EXT-STS:task_state"):
                    _fail_on_error(view, "its removal")
                pending.append(server_id)
                continue
            wanted = targets.setdefault(server_id, wanted_of(view))
            _fail_on_error(view, wanted)
            if _status(view) != wanted or view.get("OS-EXT-STS:task_state"):
                pending.append(server_id)
        if not pending:
            return [views[i] for i in ids if i in views]
        goals = sorted({str(targets.get(i)) for i in pending})
        goal = "" if wanted_of is None else " or ".join(goals)
        state = WaitProgress(
            goal, len(ids), len(ids) - len(pending), tuple(label(views.get(i), i) for i in pending)
        )
        if wanted_of is None:
            what = f"{servers_phrase(len(pending))} to be gone"
        else:
            what = f"{servers_phrase(len(pending))} to become {goal}"
        if len(ids) == 1:
            now = _status(views[ids[0]])
            what = (
                f"{ids[0]} to be gone"
                if wanted_of is None
                else (f"{ids[0]} to become {targets[ids[0]]} (now {now})")
            )
            poller.next_round(what, state)
            continue
        try:
            poller.next_round(what, state)
        except exceptions.WaitError as exc:
            raise exceptions.WaitError(f"{exc}: {_late(views, pending)}") from None


class _Views:
    """The current views of the servers still awaited, at the cost of
    ``min(K GETs, pages)`` requests a round for K servers.

    A listing is paged by nova (``[api] max_limit``): a server missing from one page
    is not gone, so the pages are followed until every awaited server is seen, the
    listing ends (only then is a missing server gone), or the pages read are as many
    as the servers still unseen: those are then asked for by ``GET`` (404: gone). The
    listing is newest first, so freshly launched or booted servers are on its first
    page. A page can spare at most K - 1 GETs, so for one or two servers the GETs are
    used from the first round (two servers in a project of 10,000: 2 requests a
    round, issue 26); a later round uses them when the last walk read more pages than
    servers remain."""

    def __init__(self, wire: Wire) -> None:
        self.wire = wire
        self.pages: int | None = None

    def __call__(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        if len(ids) <= 2 or (self.pages is not None and len(ids) < self.pages):
            return self._each(ids)
        return self._listed(ids)

    def _each(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        views = {}
        for server_id in ids:
            try:
                views[server_id] = self.wire.get(server_id)
            except exceptions.NotFound:
                pass
        return views

    def _listed(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        wanted = set(ids)
        views: dict[str, dict[str, Any]] = {}
        pages = 0
        params = {"limit": str(PAGE_SIZE)}
        while True:
            if pages and len(wanted) - len(views) <= pages:
                # The rest by a GET each: no dearer than the pages read so far.
                views.update(self._each([i for i in ids if i not in views]))
                break
            try:
                page, marker = self.wire.list_servers_page(params)
            except exceptions.BadRequest:
                # The marker server went away between two pages (nova: "marker [x]
                # not found"): ask for the rest one by one.
                views.update(self._each([i for i in ids if i not in views]))
                break
            pages += 1
            for view in page:
                server_id = str(view.get("id"))
                if server_id in wanted:
                    views[server_id] = view
            if len(views) == len(wanted) or not marker or marker == params.get("marker"):
                break
            params["marker"] = marker
        self.pages = pages
        return views


def wait_for_launched(
    wire: Wire,
    blessed_id: str,
    count: int,
    exclude: set[str],
    timeout: float = 600.0,
    *,
    poller: Poller | None = None,
    seen: Callable[[list[dict[str, Any]]], None] | None = None,
) -> list[dict[str, Any]]:
    """One list-launched per round until ``count`` new children are ACTIVE; ``seen``
    gets each round's new children (what a failed wait names)."""
    poller = poller or Poller(timeout)
    while True:
        children = [c for c in wire.list_launched(blessed_id) if c.get("id") not in exclude]
        if seen is not None:
            seen(children)
        for child in children:
            _fail_on_error(child, "ACTIVE")
        active = [c for c in children if _status(c) == "ACTIVE"]
        if len(children) >= count and len(active) == len(children):
            return children
        building = [c for c in children if _status(c) != "ACTIVE"]
        poller.next_round(
            f"{len(active)} of {count} launched servers to become ACTIVE",
            WaitProgress(
                "ACTIVE", count, len(active), tuple(label(c, str(c.get("id"))) for c in building)
            ),
        )


def wait_until_no_launched(
    wire: Wire, blessed_id: str, timeout: float = 600.0, *, poller: Poller | None = None
) -> None:
    """One list-launched per round until it is empty."""
    poller = poller or Poller(timeout)
    total: int | None = None
    while True:
        children = wire.list_launched(blessed_id)
        if not children:
            return
        total = total or len(children)
        poller.next_round(
            f"{len(children)} launched server{'' if len(children) == 1 else 's'} "
            f"of {blessed_id} to be gone",
            WaitProgress(
                "",
                max(total, len(children)),
                max(total - len(children), 0),
                tuple(label(c, str(c.get("id"))) for c in children),
            ),
        )
