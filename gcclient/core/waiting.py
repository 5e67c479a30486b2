"""Polling until servers reach a state, with one request per round."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from gcclient.api import exceptions
from gcclient.api.gcwire import Wire
from gcclient.core.roles import is_live_image

POLL_INTERVAL = 1.0
Progress = Callable[[str], None]


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
        self.rounds = 0

    def next_round(self, what: str) -> None:
        """Sleep before the next round, or fail when the time is up."""
        if self.clock() + self.interval > self.deadline:
            raise exceptions.WaitError(f"Timed out after {self.timeout:g} s waiting for {what}")
        self.rounds += 1
        if self.progress:
            self.progress(what)
        self.sleep(self.interval)


def _status(view: dict[str, Any]) -> str:
    return str(view.get("status") or "").upper()


def _fail_on_error(view: dict[str, Any], wanted: str) -> None:
    if _status(view) == "ERROR":
        fault = (view.get("fault") or {}).get("message")
        detail = f": {fault}" if fault else ""
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
            poller.next_round(f"{server_id} to become {status} (now {_status(view)})")
        view = wire.get(server_id)


def wait_until_gone(
    wire: Wire, server_ids: Iterable[str], timeout: float = 600.0, *, poller: Poller | None = None
) -> None:
    """GET each server until it answers 404."""
    poller = poller or Poller(timeout)
    remaining = list(server_ids)
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
            poller.next_round(f"{len(remaining)} server(s) to be gone")


def wait_servers(
    wire: Wire,
    server_ids: Iterable[str],
    status: str | None,
    timeout: float = 600.0,
    *,
    poller: Poller | None = None,
    seen: Callable[[dict[str, dict[str, Any]]], None] | None = None,
) -> list[dict[str, Any]]:
    """Wait until every server has ``status`` (None: until every one is gone), with one
    request per round whatever their number: ``GET /servers/<id>`` for one server,
    one ``GET /servers/detail`` listing for several. Returns the last views (in the
    order given; a gone server has no view)."""
    poller = poller or Poller(timeout)
    ids = list(dict.fromkeys(server_ids))
    wanted = status.upper() if status else None
    while True:
        views = _views(wire, ids)
        if seen is not None:
            seen(views)
        pending = []
        for server_id in ids:
            view = views.get(server_id)
            if view is None:
                if wanted is not None:
                    raise exceptions.WaitError(
                        f"Server {server_id} is gone while waiting for {wanted}"
                    )
                continue
            if wanted is None:
                if _status(view) == "ERROR" and not view.get("OS-EXT-STS:task_state"):
                    _fail_on_error(view, "its removal")
                pending.append(server_id)
                continue
            _fail_on_error(view, wanted)
            if _status(view) != wanted or view.get("OS-EXT-STS:task_state"):
                pending.append(server_id)
        if not pending:
            return [views[i] for i in ids if i in views]
        what = (
            f"{len(pending)} server(s) to be gone"
            if wanted is None
            else (f"{len(pending)} server(s) to become {wanted}")
        )
        if len(ids) == 1:
            now = _status(views[ids[0]])
            what = (
                f"{ids[0]} to be gone"
                if wanted is None
                else (f"{ids[0]} to become {wanted} (now {now})")
            )
        poller.next_round(what)


def _views(wire: Wire, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The current views of some servers, in one request."""
    if len(ids) == 1:
        try:
            return {ids[0]: wire.get(ids[0])}
        except exceptions.NotFound:
            return {}
    wanted = set(ids)
    return {str(v.get("id")): v for v in wire.list_servers() if str(v.get("id")) in wanted}


def wait_for_launched(
    wire: Wire,
    blessed_id: str,
    count: int,
    exclude: set[str],
    timeout: float = 600.0,
    *,
    poller: Poller | None = None,
) -> list[dict[str, Any]]:
    """One list-launched per round until ``count`` new children are ACTIVE."""
    poller = poller or Poller(timeout)
    while True:
        children = [c for c in wire.list_launched(blessed_id) if c.get("id") not in exclude]
        for child in children:
            _fail_on_error(child, "ACTIVE")
        active = [c for c in children if _status(c) == "ACTIVE"]
        if len(children) >= count and len(active) == len(children):
            return children
        poller.next_round(f"{len(active)} of {count} launched server(s) to become ACTIVE")


def wait_until_no_launched(
    wire: Wire, blessed_id: str, timeout: float = 600.0, *, poller: Poller | None = None
) -> None:
    """One list-launched per round until it is empty."""
    poller = poller or Poller(timeout)
    while True:
        children = wire.list_launched(blessed_id)
        if not children:
            return
        poller.next_round(f"{len(children)} launched server(s) of {blessed_id} to be gone")
