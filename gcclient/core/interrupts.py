"""Signals that end a command the way Ctrl-C does, so that every front-end can say
what its writes left behind: SIGTERM and SIGHUP (a closed terminal or ssh
session) are raised as :class:`Terminated` and :class:`HungUp`, which are
KeyboardInterrupts; by default they killed the process in silence after a write."""

from __future__ import annotations

import atexit
import contextlib
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

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


# The last SIGTERM or SIGHUP raised: a front-end whose framework swallowed the
# exception (cliff returns 130 for any KeyboardInterrupt) still words it rightly.
received: Terminated | None = None


def _interruption(signum: int) -> KeyboardInterrupt:
    if signum == getattr(signal, "SIGHUP", None):
        return HungUp()
    return Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


def _raise(signum: int, frame: Any) -> None:
    global received
    interruption = _interruption(signum)
    if isinstance(interruption, Terminated):
        received = interruption
    raise interruption


@contextlib.contextmanager
def raised() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP raise (in the main thread only).

    ``received`` starts empty in each block: a signal told by an earlier run in the
    same process (the Python API, gc in-process) must not word a later Ctrl-C."""
    global received
    received = None
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


def _ignore_at_exit() -> None:
    """The interpreter's finalization puts SIG_DFL back for every signal that has a
    Python handler (a silent death), but keeps SIG_IGN: the output is all written."""
    with contextlib.suppress(ValueError):
        for signum in (signal.SIGINT, *TERMINATING):
            signal.signal(signum, signal.SIG_IGN)


_ignoring_at_exit = False


@contextlib.contextmanager
def told_to_the_end(tell: Callable[[], str]) -> Iterator[None]:
    """:func:`raised` for a front-end that does not own the end of its process
    (novaclient's ``main`` runs on after the extension's command).

    Inside the block, SIGTERM and SIGHUP raise as in :func:`raised` and SIGINT as
    Python's default does. From the block's end until the process exits, SIGINT,
    SIGTERM and SIGHUP write ``"<word>: <tell()>"`` on stderr and exit with the
    signal's code: restoring the earlier handlers let a SIGHUP just after a launch's
    table kill nova in silence (exit -1, one run in 1,680 of the fault matrix). At
    exit they are ignored. One handler for both phases: no moment is left between."""
    global received, _ignoring_at_exit
    received = None
    inside = True

    def handle(signum: int, frame: Any) -> None:
        if inside:
            _raise(signum, frame)
        word, code = word_and_code(_interruption(signum))
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stdout.flush()
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stderr.write(f"{word}: {tell()}\n")
            sys.stderr.flush()
        raise SystemExit(code)

    with contextlib.suppress(ValueError):  # not the main thread: nothing to change
        for signum in (signal.SIGINT, *TERMINATING):
            signal.signal(signum, handle)
        if not _ignoring_at_exit:
            atexit.register(_ignore_at_exit)
            _ignoring_at_exit = True
    try:
        yield
    finally:
        inside = False


class Answered(Exception):
    """An interruption during a write whose answer (``result`` or ``error``) came
    within the grace: its outcome is known."""

    def __init__(self, interrupt: BaseException, result: Any, error: BaseException | None):
        super().__init__("interrupted")
        self.interrupt, self.result, self.error = interrupt, result, error


def in_worker(send: Callable[[], T], halt: Callable[[], bool], grace: float) -> T:
    """``send()`` in a worker thread while the main thread waits in 0.2 s rounds (a
    signal is handled at once). On an interruption ``halt()`` stops any write that has
    not left and says whether this one had; one that had is given ``grace`` seconds:
    its answer raises :class:`Answered`; else the interruption goes on, marked
    ``gc_not_sent`` when the write never left."""
    box: dict[str, Any] = {}
    # An Event, not Thread.join: a join that a signal interrupts marks the thread
    # stopped while it runs (CPython 3.11's _wait_for_tstate_lock).
    finished = threading.Event()

    def run() -> None:
        try:
            box["result"] = send()
        except BaseException as exc:  # handed to the main thread
            box["error"] = exc
        finally:
            finished.set()

    threading.Thread(target=run, name="gc-write", daemon=True).start()
    try:
        while not finished.wait(0.2):
            pass
    except KeyboardInterrupt as interrupt:
        departed = halt()
        if departed:
            finished.wait(grace)
        if not finished.is_set() or not departed:
            if not departed:
                interrupt.gc_not_sent = True  # type: ignore[attr-defined]
            raise
        raise Answered(interrupt, box.get("result"), box.get("error")) from None
    if "error" in box:
        raise box["error"]
    return box["result"]  # type: ignore[no-any-return]
