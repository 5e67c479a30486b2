"""The outcome of every write a command sends, as structured data.

The core records each write in a :class:`Ledger` before it is sent and settles it
when the answer comes: **done** (with the servers), **failed** (refused, with the
error), **not sent**, **unknown** (it may have been carried out; with the
:class:`~gcclient.api.exceptions.Check` that tells), or **not attempted**. However a
command ends (an error, a failed wait, a signal, unwritable output), a front-end
words the ledger; nothing here names a front-end's commands or options.
"""

from __future__ import annotations

import contextlib
import enum
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from gcclient.api import exceptions
from gcclient.api.bodies import shorten


class State(enum.StrEnum):
    """Where a write stands. Its value is the word the accounting line uses."""

    NOT_ATTEMPTED = "not attempted"  # planned; not sent yet
    SENDING = "sending"  # sent, the answer awaited
    DONE = "done"
    FAILED = "failed"  # refused by the cloud
    NOT_SENT = "not sent"  # refused before it left, or it could not leave
    UNKNOWN = "unknown"  # it may have been carried out


DONE = State.DONE
FAILED = State.FAILED
NOT_SENT = State.NOT_SENT
UNKNOWN = State.UNKNOWN
NOT_ATTEMPTED = State.NOT_ATTEMPTED
SENDING = State.SENDING

SETTLED = frozenset({DONE, FAILED, NOT_SENT, UNKNOWN})
# Every change of state, in one place. A planned write may fail before it is sent
# (its server cannot be resolved) or be settled directly; an unknown outcome may still
# be learnt (a bulk run's worker answered after an interruption); the others are final.
TRANSITIONS: dict[State, frozenset[State]] = {
    NOT_ATTEMPTED: frozenset({SENDING}) | SETTLED,
    SENDING: SETTLED,
    UNKNOWN: frozenset({DONE, FAILED, NOT_SENT}),
    DONE: frozenset(),
    FAILED: frozenset(),
    NOT_SENT: frozenset(),
}


class LedgerError(RuntimeError):
    """A change of state that TRANSITIONS does not allow: a bug, not a user's error."""


# Writes that make servers, and the noun of what they make.
CREATES = {"bless": "blessed server", "launch": "server", "boot": "server", "import": "server"}
NOUNS = {
    "delete": "deletion",
    "discard": "discard",
    "migrate": "migration",
    "bless": "bless",
    "launch": "launch",
    "export": "export",
}


# The read-only query that tells each write's outcome.
CHECKS = {
    "bless": "list-blessed",
    "launch": "list-launched",
    "boot": "list",
    "import": "list",
    "install-policy": "get-policy",
}


@dataclass
class Entry:
    """One write: what, about which server, and how it ended."""

    action: str
    server: str = ""
    state: State = SENDING
    servers: list[dict[str, Any]] = field(default_factory=list)
    error: BaseException | None = None
    check: exceptions.Check | None = None
    # The servers as the write's answer named them (``servers`` follows later views).
    answer: list[dict[str, Any]] = field(default_factory=list)
    # How many servers the write asked for (a launch of several; 0: not counted).
    # Cobalt's answer names the first clone only: the others are found by listing.
    requested: int = 0
    # A bulk run's write: one per server, so a second item naming it is dropped.
    one_per_server: bool = False

    def move(self, state: State) -> None:
        """Change the state as TRANSITIONS allows (the one place states change)."""
        if state != self.state and state not in TRANSITIONS[self.state]:
            raise LedgerError(f"{self.action} of {self.server!r}: {self.state} -> {state}")
        self.state = state

    @property
    def ids(self) -> list[str]:
        return [str(s.get("id")) for s in self.servers]

    def checked_by(self) -> exceptions.Check:
        if self.check is not None:
            return self.check
        return exceptions.Check(CHECKS.get(self.action, "show"), self.server)


def settle_state(error: BaseException) -> State:
    """The state of a write that raised ``error``."""
    if isinstance(error, exceptions.UnknownOutcome):
        return UNKNOWN
    if isinstance(error, exceptions.ConnectionFailure) and not error.sent:
        return NOT_SENT
    if isinstance(error, exceptions.CommandError):
        return NOT_SENT  # refused before sending (bad input, missing capability)
    if isinstance(error, exceptions.GcError):
        return FAILED
    if getattr(error, "gc_not_sent", False):
        return NOT_SENT  # interrupted before the request left (the token request)
    return UNKNOWN  # an interruption while the answer was awaited


@dataclass
class Section:
    """The entries recorded while a :meth:`Ledger.section` was open (a part of a
    command, e.g. the deletions of one cascade), in order."""

    entries: list[Entry] = field(default_factory=list)

    def of(self, action: str) -> list[Entry]:
        return [e for e in self.entries if e.action == action]


class Ledger:
    """The writes of one command (thread-safe: bulk runs record from workers)."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.waiting = False
        self.warnings: list[str] = []
        self._lock = threading.Lock()
        self._sections: list[Section] = []

    def _record(self, entries: list[Entry]) -> None:
        with self._lock:
            self.entries.extend(entries)
            for section in self._sections:
                section.entries.extend(entries)

    @contextlib.contextmanager
    def section(self) -> Iterator[Section]:
        """Collect the entries recorded until the block ends (sections may nest)."""
        section = Section()
        with self._lock:
            self._sections.append(section)
        try:
            yield section
        finally:
            with self._lock:
                self._sections.remove(section)

    def drop(self, entry: Entry) -> None:
        """A planned write that will not be sent because another one is the same."""
        with self._lock:
            for held in (self.entries, *(s.entries for s in self._sections)):
                if entry in held:
                    held.remove(entry)

    def begin(self, action: str, server: str = "", check: exceptions.Check | None = None) -> Entry:
        entry = Entry(action, server, SENDING, check=check)
        self._record([entry])
        return entry

    def plan(self, action: str, servers: list[str]) -> list[Entry]:
        """Writes that will be sent in order; until then they are not attempted."""
        entries = [Entry(action, server, NOT_ATTEMPTED) for server in servers]
        self._record(entries)
        return entries

    @staticmethod
    def sending(entry: Entry, server: str = "") -> None:
        """A planned write is being sent (about ``server`` once it is resolved)."""
        entry.move(SENDING)
        entry.server = server or entry.server

    @staticmethod
    def done(entry: Entry, servers: list[dict[str, Any]] | None = None) -> None:
        entry.move(DONE)
        if servers is not None:
            entry.servers = [dict(s) for s in servers]
            entry.answer = [dict(s) for s in servers]

    @staticmethod
    def settle(entry: Entry, error: BaseException) -> None:
        entry.move(settle_state(error))
        entry.error = error
        if isinstance(error, exceptions.UnknownOutcome) and error.check is not None:
            entry.check = error.check

    @staticmethod
    def refused(entry: Entry, error: BaseException) -> None:
        """A planned write that failed before it was sent (its server was not found)."""
        if entry.state == NOT_ATTEMPTED:
            entry.move(FAILED)
            entry.error = error

    def seen(self, views: dict[str, dict[str, Any]]) -> None:
        """The latest views of servers that writes made (a wait saw them)."""
        for entry in self.entries:
            entry.servers = [views.get(str(s.get("id")), s) for s in entry.servers]

    def of(self, action: str) -> list[Entry]:
        return [e for e in self.entries if e.action == action]

    def done_servers(self, action: str) -> list[str]:
        """The servers of the writes of ``action`` that were done, in order."""
        return [e.server for e in self.of(action) if e.state == DONE]

    def sent_any(self) -> bool:
        return any(e.state not in (NOT_SENT, NOT_ATTEMPTED) for e in self.entries)

    def created(self) -> list[Entry]:
        return [e for e in self.entries if e.action in CREATES and e.state == DONE]

    def interrupted_states(self) -> None:
        """After an interruption: a write still awaiting its answer is unknown."""
        for entry in self.entries:
            if entry.state == SENDING:
                entry.move(UNKNOWN)


def describe(ledger: Ledger, words: exceptions.Words, *, waiting: bool = False) -> str:
    """What is known about the writes of a command, in one sentence."""
    parts: list[str] = []
    actions = list(dict.fromkeys(e.action for e in ledger.entries))
    unsent = (NOT_ATTEMPTED, NOT_SENT)
    # What was sent first, then what was not.
    actions.sort(key=lambda a: all(e.state in unsent for e in ledger.of(a)))
    for action in actions:
        entries = ledger.of(action)
        if action in CREATES:
            for entry in entries:
                parts.append(_creation(entry, words))
            continue
        if len(entries) == 1:
            parts.append(_single(entries[0], words))
            continue
        parts.append(_count(action, entries, words))
    if not parts:
        return "nothing was sent"
    if waiting:
        parts.append("the wait was stopped")
    return "; ".join(p for p in parts if p)


def _creation(entry: Entry, words: exceptions.Words) -> str:
    noun = CREATES[entry.action]
    if entry.state == DONE and entry.servers:
        shown = ", ".join(f"{s.get('id')} ({s.get('status') or '?'})" for s in entry.servers)
        plural = len(entry.servers) > 1
        text = f"{noun}{'s' if plural else ''} {shown} {'were' if plural else 'was'} created"
        if entry.requested > len(entry.servers):
            text += (
                f" ({len(entry.servers)} of the {entry.requested} requested named: "
                f"check {words.check(entry.checked_by())} for the others)"
            )
        return text
    return _single(entry, words)


def notices(ledger: Ledger, words: exceptions.Words) -> list[str]:
    """Warnings about launches of several servers whose servers do not match the count
    asked for: fewer found (the listing after the launch failed, or fewer appeared),
    or more (another launch from the same live image at the same moment)."""
    found = []
    for entry in ledger.of("launch"):
        if entry.state != DONE or not entry.requested:
            continue
        have, wanted = len(entry.servers), entry.requested
        named = ", ".join(str(s.get("id")) for s in entry.answer) or "none"
        if have > wanted:
            found.append(
                f"{have} servers appeared where {wanted} were requested; they cannot be told "
                f"apart (another launch from the same live image at the same time); the "
                f"answer to this launch named {named}"
            )
        elif have < wanted:
            ids = ", ".join(entry.ids) or "none"
            found.append(
                f"{wanted} servers were requested and the launch was carried out, but only "
                f"{have} are known ({ids}): check {words.check(entry.checked_by())} "
                f"for the others before launching again"
            )
    return found


def _single(entry: Entry, words: exceptions.Words) -> str:
    about = f" of {entry.server}" if entry.server else ""
    what = f"the {entry.action}{about}"
    if entry.state == DONE:
        return f"{what} was done"
    if entry.state == NOT_ATTEMPTED:
        return f"{what} was not sent"
    if entry.state == NOT_SENT:
        return f"{what} was not sent"
    if entry.state == FAILED:
        return f"{what} failed ({entry.error})"
    return f"{what} was sent and may have been carried out: check {words.check(entry.checked_by())}"


def _count(action: str, entries: list[Entry], words: exceptions.Words) -> str:
    """How many were sent, and of those how many were done, refused and unknown
    (with the query that tells): an interruption's exact accounting."""
    noun = NOUNS.get(action, action)
    sent = [e for e in entries if e.state not in (NOT_ATTEMPTED, NOT_SENT)]
    text = f"{len(sent)} of {len(entries)} {noun}s were sent"
    if not sent:
        return text
    done = [e for e in sent if e.state == DONE]
    failed = [e for e in sent if e.state == FAILED]
    unknown = [e for e in sent if e.state in (UNKNOWN, SENDING)]
    parts = [f"{len(done)} done"]
    if failed:
        parts.append(f"{len(failed)} failed")
    if unknown:
        if len(unknown) == 1:
            check = unknown[0].checked_by()
        else:
            check = exceptions.Check(unknown[0].checked_by().query)  # "<server>"
        names = ", ".join(shorten(e.server, 60) for e in unknown)
        parts.append(f"{len(unknown)} unknown: {names}, check {words.check(check)}")
    return f"{text} ({'; '.join(parts)})"


def accounting(
    action: str, entries: list[Entry], render: Any = str, words: exceptions.Words | None = None
) -> str:
    """The closing line of a several-server command: done, failed (why), not attempted,
    unknown (with the query that tells, in ``words``), each with its servers."""
    noun = NOUNS.get(action, action)
    groups: dict[State, list[str]] = {DONE: [], FAILED: [], NOT_ATTEMPTED: [], UNKNOWN: []}
    for entry in entries:
        state = entry.state
        if state == NOT_SENT:
            state = FAILED
        if state == SENDING:
            state = UNKNOWN
        label = shorten(entry.server, 60)  # escaped: a "\r" would split the line
        if state == FAILED and entry.error is not None:
            label += f": {render(entry.error)}"
        if state == UNKNOWN and words is not None:
            # Every unknown outcome names its check, whether an error said one or not
            # (an interruption, an error without a check).
            check = getattr(entry.error, "check", None) or entry.checked_by()
            label += f": check {words.check(check)}"
        groups[state].append(label)
    shown = [f"{len(groups[DONE])} done" + _names(groups[DONE])]
    for state in (FAILED, NOT_ATTEMPTED, UNKNOWN):
        shown.append(f"{len(groups[state])} {state}" + _names(groups[state]))
    return f"{len(entries)} {noun}s: " + ", ".join(shown)


def _names(names: list[str]) -> str:
    return f" ({'; '.join(names)})" if names else ""
