"""Signals that end a command the way Ctrl-C does, so that every front-end can say
what its writes left behind: SIGTERM and SIGHUP (a closed terminal or ssh
session) are raised as :class:`Terminated` and :class:`HungUp`, which are
KeyboardInterrupts; by default they killed the process in silence after a write."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from typing import Any

SIGINT_EXIT = 130
SIGTERM_EXIT = 143
SIGHUP_EXIT = 129


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that the command can say what it leaves behind."""

    word = "Terminated"
    code = SIGTERM_EXIT


class HungUp(Terminated):
    """SIGHUP (a closed terminal or ssh session): told like SIGTERM, exit 129."""

    word = "Hangup"
    code = SIGHUP_EXIT


def word_and_code(exc: KeyboardInterrupt) -> tuple[str, int]:
    """The first word of the interruption's line and the exit code."""
    if isinstance(exc, Terminated):
        return exc.word, exc.code
    return "Interrupted", SIGINT_EXIT


TERMINATING = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))


def _raise(signum: int, frame: Any) -> None:
    raise HungUp() if signum == getattr(signal, "SIGHUP", None) else Terminated()


@contextlib.contextmanager
def raised() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP raise (in the main thread only)."""
    previous: dict[int, Any] = {}
    with contextlib.suppress(ValueError):  # not the main thread
        for signum in TERMINATING:
            previous[signum] = signal.signal(signum, _raise)
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            for signum, handler in previous.items():
                signal.signal(signum, handler)
