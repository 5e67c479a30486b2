"""The wait's progress line: its exact words for 0, 1 and several servers, the live
line on a terminal, and at most a line every 10 s without one."""

from __future__ import annotations

import io

import pytest

from gcclient.cli.progress import ProgressLine, wait_line
from gcclient.core.waiting import WaitProgress


@pytest.mark.parametrize(
    ("state", "line"),
    [
        (
            WaitProgress("ACTIVE", 3, 1, ("web-2", "web-3"), 12.7),
            "Waiting for 3 servers to become ACTIVE: 1 of 3 done, 12 s; pending: web-2, web-3",
        ),
        (
            WaitProgress("ACTIVE", 3, 0, ("web-1", "web-2", "web-3"), 0.2),
            "Waiting for 3 servers to become ACTIVE: 0 of 3 done, 0 s; "
            "pending: web-1, web-2, web-3",
        ),
        (
            WaitProgress("BLESSED", 1, 0, ("web",), 4.0),
            "Waiting for 1 server to become BLESSED: 0 of 1 done, 4 s; pending: web",
        ),
        (
            WaitProgress("", 2, 1, ("old",), 61.0),
            "Waiting for 2 servers to be gone: 1 of 2 done, 61 s; pending: old",
        ),
        (
            WaitProgress("ACTIVE", 7, 0, tuple(f"w{i}" for i in range(7)), 3.0),
            "Waiting for 7 servers to become ACTIVE: 0 of 7 done, 3 s; "
            "pending: w0, w1, w2, w3, w4 and 2 more",
        ),
        (
            WaitProgress("ACTIVE", 1, 0, ("evil\r\x1b[2Jname",), 1.0),
            "Waiting for 1 server to become ACTIVE: 0 of 1 done, 1 s; pending: evil\\r\\x1b[2Jname",
        ),
    ],
)
def test_wait_line(state, line):
    assert wait_line(state) == line


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_line_is_rewritten():
    stream = Terminal()
    progress = ProgressLine(stream, tty=True, verbose=False)
    progress(WaitProgress("ACTIVE", 2, 0, ("a", "b"), 1.0))
    progress(WaitProgress("ACTIVE", 2, 1, ("b",), 2.0))
    assert stream.getvalue() == (
        "\rWaiting for 2 servers to become ACTIVE: 0 of 2 done, 1 s; pending: a, b\033[K"
        "\rWaiting for 2 servers to become ACTIVE: 1 of 2 done, 2 s; pending: b\033[K"
    )


def test_without_a_terminal_a_line_at_most_every_10_s():
    stream = io.StringIO()
    now = [100.0]
    progress = ProgressLine(stream, tty=False, verbose=True, clock=lambda: now[0])
    for elapsed in range(1, 25):
        now[0] = 100.0 + elapsed
        progress(WaitProgress("ACTIVE", 1, 0, ("web",), float(elapsed)))
    assert stream.getvalue().splitlines() == [
        "Waiting for 1 server to become ACTIVE: 0 of 1 done, 1 s; pending: web",
        "Waiting for 1 server to become ACTIVE: 0 of 1 done, 11 s; pending: web",
        "Waiting for 1 server to become ACTIVE: 0 of 1 done, 21 s; pending: web",
    ]


def test_without_a_terminal_nor_v_nothing():
    assert not ProgressLine(io.StringIO(), tty=False, verbose=False).active
