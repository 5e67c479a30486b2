"""The progress of a wait, on stderr: on a terminal one live line (rewritten with
``\\r``) with the elapsed time, done/total and the names still pending; otherwise,
at ``-v``, the same line at most every 10 s (a log or CI output gets a heartbeat,
not a flood); nothing otherwise."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from gcclient.api.bodies import shorten

if TYPE_CHECKING:  # the core loads when a command runs, not for --help
    from gcclient.core.waiting import WaitProgress

EVERY_WITHOUT_TTY = 10.0
NAMES_SHOWN = 5
CLEAR_TO_END = "\033[K"


def wait_line(state: WaitProgress) -> str:
    """``Waiting for 3 servers to become ACTIVE: 1 of 3 done, 12 s; pending: web-2,
    web-3`` (reads right for 0 and 1: "1 server", "0 of 3 done")."""
    noun = "server" if state.total == 1 else "servers"
    goal = f"to become {state.goal}" if state.goal else "to be gone"
    text = (
        f"Waiting for {state.total} {noun} {goal}: "
        f"{state.done} of {state.total} done, {int(state.elapsed)} s"
    )
    if state.pending:
        shown = [shorten(name) for name in state.pending[:NAMES_SHOWN]]
        more = len(state.pending) - len(shown)
        text += "; pending: " + ", ".join(shown) + (f" and {more} more" if more else "")
    return text


def _columns(stream: Any) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (AttributeError, OSError, ValueError):
        return 80


class ProgressLine:
    """The callback a :class:`~gcclient.core.waiting.Poller` calls after each round."""

    def __init__(
        self,
        stream: Any,
        *,
        tty: bool,
        verbose: bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.tty = tty
        self.verbose = verbose
        self.clock = clock
        self.last: float | None = None

    @property
    def active(self) -> bool:
        return self.tty or self.verbose

    def __call__(self, state: WaitProgress) -> None:
        line = wait_line(state)
        if self.tty:
            # cut to the width: a wrapped line is not rewritten by "\r"
            self.stream.write("\r" + line[: _columns(self.stream) - 1] + CLEAR_TO_END)
        else:
            now = self.clock()
            if self.last is not None and now - self.last < EVERY_WITHOUT_TTY:
                return
            self.last = now
            self.stream.write(line + "\n")
        self.stream.flush()
