"""The operations: each write recorded in a ledger, waits, bulk runs.

:class:`Operations` is what every front-end calls: ``gc``'s commands, the
openstack plugin (the same commands), ``gcclient.Client`` and the novaclient
extension (through :class:`~gcclient.core.manager.BaseGridcentricManager`). It
returns server views and raises :mod:`gcclient.api.exceptions` errors with
structured fields; front-ends word them.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from gcclient.api import exceptions
from gcclient.api.bodies import shorten
from gcclient.api.gcwire import Server, Wire
from gcclient.core import DEFAULT_PARALLEL, interrupts, waiting
from gcclient.core import ledger as ledger_module
from gcclient.core.launch_request import LaunchRequest
from gcclient.core.ledger import Entry, Ledger

T = TypeVar("T")
# How long the writes in flight are given to be answered after an interruption.
STOP_GRACE = 5.0


@dataclass
class Each:
    """The result of one item of a bulk run."""

    item: str
    value: Any = None
    error: exceptions.GcError | None = None
    duplicate: str = ""  # the server another item already named: nothing was sent


class _Duplicate(Exception):
    """A bulk item that names a server another item named: its write is dropped."""

    def __init__(self, server: str) -> None:
        super().__init__(server)
        self.server = server


@dataclass
class Started:
    """A write that was carried out, and the wait that follows it: a front-end runs
    ``wait`` when it wants (gc keeps a failed wait until the write's output is out)."""

    servers: list[Server]
    wait: Callable[[], list[Server]]


class Operations:
    """The Gridcentric operations over one :class:`Wire`, recording writes in ``ledger``."""

    def __init__(
        self, wire: Wire, ledger: Ledger | None = None, parallel: int = DEFAULT_PARALLEL
    ) -> None:
        self.wire = wire
        self.ledger = ledger or Ledger()
        self.parallel = max(1, parallel)
        # Set by an interruption of a bulk run: no write starts after it. The gate
        # makes "stopped?" and "now sending" one step, so that the accounting said
        # after an interruption is never contradicted by a worker's later request.
        self._gate = threading.Lock()
        self._stopped = False
        # The (action, server) of each planned write sent: a bulk run's arguments that
        # name one server twice (``delete X X``, a name and its ID) send it once.
        self._claimed: set[tuple[str, str]] = set()
        self._departed = False  # the main thread's write left (its request was sent)
        # A wire without the hook (a test's fake) never says a write left: each one
        # is taken as gone, so an interruption never calls it "not sent".
        self._hooked = hasattr(wire, "before_send")
        with contextlib.suppress(AttributeError):
            wire.before_send = self._depart

    # -- one write, recorded ----------------------------------------------------------

    def write(
        self,
        action: str,
        server: str,
        send: Callable[[], T],
        created: Callable[[T], list[Server]] | None = None,
        entry: Entry | None = None,
    ) -> T:
        """Send a write through ``send`` and settle its ledger entry however it ends."""
        with self._gate:
            if self._stopped:
                if entry is not None and entry.state == ledger_module.NOT_ATTEMPTED:
                    entry.move(ledger_module.NOT_SENT)
                raise exceptions.GcError(f"The {action} was not sent: the command was interrupted")
            if entry is None:
                entry = self.ledger.begin(action, server)
            else:
                if entry.one_per_server and (action, server) in self._claimed:
                    self.ledger.drop(entry)  # one write per server, whatever named it
                    raise _Duplicate(server)
                self._claimed.add((action, server))
                self.ledger.sending(entry, server)
        try:
            result = self._sent(send)
        except interrupts.Answered as stopped:
            # The answer to a write in flight came within the grace: it is known.
            if stopped.error is not None:
                self.ledger.settle(entry, stopped.error)
            else:
                self.ledger.done(entry, created(stopped.result) if created else None)
            raise stopped.interrupt from None
        except BaseException as exc:
            self.ledger.settle(entry, exc)
            raise
        self.ledger.done(entry, created(result) if created else None)
        return result

    def _depart(self) -> None:
        """The wire's last step before a write's request leaves: after an
        interruption, nothing leaves (the write is "not sent")."""
        with self._gate:
            if self._stopped:
                interrupt = KeyboardInterrupt()
                interrupt.gc_not_sent = True  # type: ignore[attr-defined]
                raise interrupt
            self._departed = True  # read by _sent (a bulk run's workers: not read)

    def _sent(self, send: Callable[[], T]) -> T:
        """``send()``; in the main thread, in a worker, so that an interruption (Ctrl-C,
        SIGTERM, SIGHUP) stops the write before it leaves, or gives a write in flight
        STOP_GRACE seconds to be answered: then its outcome is known, not "unknown"."""
        if threading.current_thread() is not threading.main_thread():
            return send()
        self._departed = not self._hooked
        return interrupts.in_worker(send, self._halt, STOP_GRACE)

    def _halt(self) -> bool:
        """Close the gate (a write not gone yet will not go); whether it had gone."""
        with self._gate:
            self._stopped = True
            return self._departed

    def wait_after(
        self,
        action: str,
        servers: list[Server],
        wait: Callable[[], list[Server]],
        gone: bool = False,
        latest: Callable[[], list[Server]] | None = None,
    ) -> list[Server]:
        """A wait after a write that was carried out: its failure is a WaitFailed,
        with the servers as last seen (``latest``) when the wait polled them."""
        self.ledger.waiting = True  # stays True if interrupted: the wait was stopped
        try:
            found = wait()
        except exceptions.GcError as exc:
            self.ledger.waiting = False
            known = latest() if latest is not None else servers
            raise exceptions.WaitFailed(action, known, exc, gone=gone) from exc
        self.ledger.waiting = False
        return found

    # -- single-server writes ---------------------------------------------------------

    def bless(
        self, server_id: str, *, name: str | None = None, entry: Entry | None = None
    ) -> list[Server]:
        return self.write(
            "bless",
            server_id,
            lambda: self.wire.bless(server_id, name=name),
            lambda r: r,
            entry=entry,
        )

    def bless_each(self, servers: Sequence[str], *, name: str | None = None) -> list[Each]:
        """Bless each server (a name or an ID), ``self.parallel`` at a time; each
        result's value is the list of blessed servers."""
        return self.each(
            servers,
            lambda server, entry: self.bless(self.wire.resolve(server), name=name, entry=entry),
            "bless" if len(servers) > 1 else None,
        )

    def launch(self, blessed_id: str, request: LaunchRequest) -> list[Server]:
        """Launch; the servers it made. Cobalt's answer names the first clone only, so a
        launch of several lists the live image's servers before and after it: the new
        ones are the launch's (the ledger says when their count differs)."""
        count = request.count
        if count == 1:
            return self._send_launch(blessed_id, request)
        return self._launch_several(blessed_id, request, self._launched_ids(blessed_id, count))

    def _send_launch(
        self, blessed_id: str, request: LaunchRequest, entry: Entry | None = None
    ) -> list[Server]:
        body = request.body()
        return self.write(
            "launch",
            blessed_id,
            lambda: self.wire.launch_body(blessed_id, body),
            lambda r: r,
            entry=entry,
        )

    def _launched_ids(self, blessed_id: str, count: int) -> set[str]:
        self.wire.require({"num_instances": "num-instances"}, {"num_instances": count})
        return {str(s["id"]) for s in self.wire.list_launched(blessed_id)}

    def _launch_several(
        self, blessed_id: str, request: LaunchRequest, before: set[str]
    ) -> list[Server]:
        entry = self.ledger.begin(
            "launch", blessed_id, check=exceptions.Check("list-launched", blessed_id)
        )
        entry.requested = request.count
        answer = self._send_launch(blessed_id, request, entry)
        try:
            after = self.wire.list_launched(blessed_id)
        except exceptions.GcError:
            return answer  # the ledger's notice names the check for the others
        named = {str(s.get("id")) for s in answer}
        new = [s for s in after if str(s.get("id")) not in before]
        # The answer's servers first, as the launch named them, then the others.
        found = [s for s in new if str(s.get("id")) in named]
        found += [s for s in answer if str(s.get("id")) not in {str(f["id"]) for f in found}]
        found += [s for s in new if str(s.get("id")) not in named]
        entry.servers = [dict(s) for s in found]
        return found

    def start_launch(
        self, blessed_id: str, request: LaunchRequest, poller: waiting.Poller
    ) -> Started:
        """Launch any number of servers; the wait until they are ACTIVE is returned to
        run. With several, the wait follows the ones that appeared after the request."""
        count = request.count
        if count == 1:
            launched = self.launch(blessed_id, request)
            return Started(launched, lambda: self.wait_status("launch", launched, "ACTIVE", poller))
        before = self._launched_ids(blessed_id, count)
        launched = self._launch_several(blessed_id, request, before)
        return Started(
            launched, lambda: self._wait_launched(blessed_id, count, before, launched, poller)
        )

    def launch_and_wait(
        self, blessed_id: str, request: LaunchRequest, poller: waiting.Poller
    ) -> list[Server]:
        """Launch, then wait until the servers that appeared after the request are
        ACTIVE."""
        return self.start_launch(blessed_id, request, poller).wait()

    def _wait_launched(
        self,
        blessed_id: str,
        count: int,
        before: set[str],
        launched: list[Server],
        poller: waiting.Poller,
    ) -> list[Server]:
        """Clones of one launch have nothing in common, so servers launched at the same
        moment by another client cannot be told apart: when more than requested
        appear, the ledger's notice says so."""
        last: dict[str, Server] = {}

        def seen(views: list[Server]) -> None:
            last.update({str(v.get("id")): v for v in views})

        children = self.wait_after(
            "launch",
            launched,
            lambda: waiting.wait_for_launched(
                self.wire, blessed_id, count, before, poller=poller, seen=seen
            ),
            latest=lambda: _known(launched, last),
        )
        for entry in self.ledger.of("launch"):
            if entry.requested and entry.state == ledger_module.DONE:
                entry.servers = [dict(s) for s in children]
        return children

    def migrate(self, server_id: str, dest: str | None = None) -> None:
        self.write("migrate", server_id, lambda: self.wire.migrate(server_id, dest))

    def boot(self, server: dict[str, Any], *, on_host: str | None = None) -> Server:
        return self.write(
            "boot", "", lambda: self.wire.boot(server, on_host=on_host), lambda r: [r]
        )

    def import_server(self, data: dict[str, Any]) -> Server:
        return self.write("import", "", lambda: self.wire.import_server(data), lambda r: [r])

    def export(self, server_id: str) -> dict[str, Any]:
        return self.write("export", server_id, lambda: self.wire.export(server_id))

    def install_policy(self, policy: str, *, wait: bool = False) -> None:
        self.write("install-policy", "", lambda: self.wire.install_policy(policy, wait=wait))

    def delete(self, server_id: str, *, entry: Entry | None = None) -> None:
        """Delete a regular or launched server; a blessed one is refused."""
        self.delete_view(self.wire.find(server_id), entry=entry)

    def delete_view(self, view: Server, *, entry: Entry | None = None) -> None:
        """Delete the server a view shows (no lookup); a blessed one is refused."""
        waiting.refuse_blessed_delete(view)
        view_id = str(view["id"])
        self.write("delete", view_id, lambda: self.wire.delete(view_id), entry=entry)

    def discard(self, blessed_id: str, *, entry: Entry | None = None) -> None:
        self.write("discard", blessed_id, lambda: self.wire.discard(blessed_id), entry=entry)

    def discard_each(self, servers: Sequence[str]) -> list[Each]:
        """Discard each live image (a name or an ID); each result's value is its ID."""

        def discard(server: str, entry: Entry | None) -> str:
            blessed_id = self.wire.resolve(server)
            self.discard(blessed_id, entry=entry)
            return blessed_id

        return self.each(servers, discard, "discard" if len(servers) > 1 else None)

    def discard_cascade(self, blessed_id: str, poller: waiting.Poller) -> None:
        """Discard a live image after deleting every server launched from it and
        waiting until they are gone (one list-launched per round). The discard is
        planned first, so that an interruption says it was not sent; when a
        deletion did not succeed, nothing is discarded."""
        discard_entry = self.ledger.plan("discard", [blessed_id])[0]
        entries = self.delete_launched(blessed_id, poller)
        if any(e.state != ledger_module.DONE for e in entries):
            raise exceptions.GcError(
                f"Not every server launched from {blessed_id} was deleted; "
                f"{blessed_id} was not discarded"
            )
        self.discard(blessed_id, entry=discard_entry)

    # -- waits --------------------------------------------------------------------------

    def wait_status(
        self, action: str, servers: list[Server], status: str, poller: waiting.Poller
    ) -> list[Server]:
        ids = [str(s["id"]) for s in servers]
        last: dict[str, Server] = {}

        def seen(views: dict[str, Server]) -> None:
            last.update(views)
            self.ledger.seen(views)

        return self.wait_after(
            action,
            servers,
            lambda: waiting.wait_servers(self.wire, ids, status, poller=poller, seen=seen),
            latest=lambda: [last.get(str(s["id"]), s) for s in servers],
        )

    def wait_gone(self, action: str, ids: Sequence[str], poller: waiting.Poller) -> None:
        views = [{"id": i} for i in ids]
        self.wait_after(
            action,
            views,
            lambda: waiting.wait_servers(self.wire, ids, None, poller=poller),
            gone=True,
        )

    # -- several servers ----------------------------------------------------------------

    def each(
        self,
        items: Sequence[str],
        operation: Callable[[str, Entry | None], T],
        action: str | None = None,
    ) -> list[Each]:
        """Run ``operation`` on each item, ``self.parallel`` at a time over the one
        session; results in the order of ``items``. With ``action`` each item is
        planned in the ledger first (not attempted until it starts)."""
        entries: list[Entry | None] = (
            list(self.ledger.plan(action, list(items))) if action else [None] * len(items)
        )
        for entry in entries:
            if entry is not None:
                entry.one_per_server = True

        def one(index: int) -> Each:
            try:
                return Each(items[index], operation(items[index], entries[index]))
            except _Duplicate as dup:
                self.ledger.warnings.append(
                    f"{shorten(items[index])} names {dup.server} again: "
                    f"one {action} is sent for it (the duplicate was dropped)"
                )
                return Each(items[index], duplicate=dup.server)
            except exceptions.GcError as exc:
                entry = entries[index]
                if entry is not None:
                    self.ledger.refused(entry, exc)
                return Each(items[index], error=exc)

        if self.parallel == 1 or len(items) <= 1:
            return [one(i) for i in range(len(items))]
        from concurrent import futures  # threads only when there is more than one

        pool = futures.ThreadPoolExecutor(min(self.parallel, len(items)))
        jobs: list[Any] = []
        try:
            for i in range(len(items)):  # one by one: an interruption knows every job
                jobs.append(pool.submit(one, i))
            # Waits of a bounded length: a signal that lands just before the main
            # thread blocks is handled at the next round, not when every job is over.
            while futures.wait(jobs, timeout=0.2).not_done:
                pass
            results = [job.result() for job in jobs]
        except BaseException:
            self.stop(jobs)
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        return results

    def stop(self, jobs: Sequence[Any] = (), grace: float | None = None) -> None:
        """After an interruption: start no more writes, and give the ones in flight
        ``grace`` seconds to be answered, so that the accounting says which were done;
        the rest stay unknown (sent, no answer)."""
        with self._gate:
            self._stopped = True
        for job in jobs:
            job.cancel()  # those not started yet
        if jobs:
            from concurrent import futures

            futures.wait(jobs, timeout=STOP_GRACE if grace is None else grace)

    def delete_many(self, ids: Sequence[str]) -> list[Each]:
        return self.each(ids, lambda s, entry: self.delete(s, entry=entry), "delete")

    def delete_launched(self, blessed_id: str, poller: waiting.Poller) -> list[Entry]:
        """Delete every server launched from a live image, then wait (one
        list-launched per round) until none is left."""
        children = [str(c["id"]) for c in self.wire.list_launched(blessed_id)]
        with self.ledger.section() as deletions:
            self.each(children, lambda s, e: self._delete_child(s, e), "delete")
        entries = deletions.entries
        if any(e.state != ledger_module.DONE for e in entries):
            return entries
        self.wait_after(
            "delete",
            [{"id": c} for c in children],
            lambda: _none_left(self.wire, blessed_id, poller),
            gone=True,
        )
        return entries

    def _delete_child(self, server_id: str, entry: Entry | None) -> None:
        self.write("delete", server_id, lambda: self.wire.delete(server_id), entry=entry)


def _known(launched: list[Server], seen: dict[str, Server]) -> list[Server]:
    """The servers of a launch as last seen: those its answer or listing named, then
    any others a wait's listing found."""
    known = [seen.get(str(s.get("id")), s) for s in launched]
    ids = {str(s.get("id")) for s in launched}
    return known + [v for i, v in seen.items() if i not in ids]


def _none_left(wire: Wire, blessed_id: str, poller: waiting.Poller) -> list[Server]:
    waiting.wait_until_no_launched(wire, blessed_id, poller=poller)
    return []
