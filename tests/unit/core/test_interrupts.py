"""gcclient/core/interrupts.py: SIGTERM and SIGHUP raised like Ctrl-C, and a write run
in a worker so that an interruption knows whether the write had left."""

from __future__ import annotations

import _thread
import os
import signal
import threading
import time

import pytest

from gcclient.core import interrupts


def test_each_interruption_has_its_word_and_exit_code():
    assert interrupts.word_and_code(KeyboardInterrupt()) == ("Interrupted", 130)
    assert interrupts.word_and_code(interrupts.Terminated()) == ("Terminated", 143)
    assert interrupts.word_and_code(interrupts.HungUp()) == ("Hangup", 129)


@pytest.mark.parametrize(
    ("signum", "raised"),
    [(signal.SIGTERM, interrupts.Terminated), (signal.SIGHUP, interrupts.HungUp)],
)
def test_a_terminating_signal_raises_inside_the_block_only(signum, raised):
    before = signal.getsignal(signum)
    with pytest.raises(raised), interrupts.raised():
        os.kill(os.getpid(), signum)
        time.sleep(5)  # the handler raises before this ends
    assert isinstance(interrupts.received, raised)
    assert signal.getsignal(signum) is before


def test_each_block_forgets_the_signal_of_an_earlier_one():
    """A SIGHUP told once worded every later Ctrl-C of the process "Hangup" (exit 129):
    test_entry's Ctrl-C case failed when run after the case above in one process."""
    with pytest.raises(interrupts.HungUp), interrupts.raised():
        os.kill(os.getpid(), signal.SIGHUP)
        time.sleep(5)
    with interrupts.raised():
        assert interrupts.received is None


def _interrupt_main_after(seconds: float) -> None:
    threading.Timer(seconds, _thread.interrupt_main).start()


def test_in_worker_returns_the_answer_and_raises_the_error():
    assert interrupts.in_worker(lambda: 42, halt=lambda: True, grace=1.0) == 42

    def fails() -> None:
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        interrupts.in_worker(fails, halt=lambda: True, grace=1.0)


def test_an_interruption_before_the_write_left_is_marked_not_sent():
    release = threading.Event()
    _interrupt_main_after(0.1)
    with pytest.raises(KeyboardInterrupt) as caught:
        interrupts.in_worker(lambda: release.wait(5), halt=lambda: False, grace=1.0)
    release.set()
    assert caught.value.gc_not_sent is True  # type: ignore[attr-defined]


def test_an_answer_within_the_grace_is_known():
    answered = threading.Event()

    def send() -> str:
        answered.wait(5)
        return "server-1"

    def halt() -> bool:  # the write had left; its answer comes during the grace
        answered.set()
        return True

    _interrupt_main_after(0.1)
    with pytest.raises(interrupts.Answered) as caught:
        interrupts.in_worker(send, halt=halt, grace=5.0)
    assert caught.value.result == "server-1"
    assert caught.value.error is None
    assert isinstance(caught.value.interrupt, KeyboardInterrupt)


def test_no_answer_within_the_grace_goes_on_as_the_interruption():
    release = threading.Event()
    _interrupt_main_after(0.1)
    with pytest.raises(KeyboardInterrupt) as caught:
        interrupts.in_worker(lambda: release.wait(5), halt=lambda: True, grace=0.2)
    release.set()
    assert not isinstance(caught.value, interrupts.Answered)
    assert not hasattr(caught.value, "gc_not_sent")  # it had left: its outcome is unknown


@pytest.mark.parametrize(
    ("signum", "raised"),
    [
        (signal.SIGINT, KeyboardInterrupt),
        (signal.SIGTERM, interrupts.Terminated),
        (signal.SIGHUP, interrupts.HungUp),
    ],
)
def test_told_to_the_end_raises_inside_the_block(signum, raised):
    with pytest.raises(raised), interrupts.told_to_the_end(lambda: "unused"):
        os.kill(os.getpid(), signum)
        time.sleep(5)


@pytest.mark.parametrize(
    ("signum", "line", "code"),
    [
        (signal.SIGINT, "Interrupted: the bless of s-1 was carried out (i-1)", 130),
        (signal.SIGTERM, "Terminated: the bless of s-1 was carried out (i-1)", 143),
        (signal.SIGHUP, "Hangup: the bless of s-1 was carried out (i-1)", 129),
    ],
)
def test_after_the_block_a_signal_is_told_until_the_process_exits(capsys, signum, line, code):
    """nova's main runs on after the extension's command: restoring the default
    handlers there let a SIGHUP kill nova in silence after a launch's table."""
    said = "nothing yet"
    with interrupts.told_to_the_end(lambda: said):
        said = "the bless of s-1 was carried out (i-1)"
    with pytest.raises(SystemExit) as exited:
        os.kill(os.getpid(), signum)
        time.sleep(5)
    assert exited.value.code == code
    assert capsys.readouterr().err == line + "\n"
