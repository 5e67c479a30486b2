"""Marker registration and process set-up shared by the whole test suite."""

from __future__ import annotations

import signal

import pytest


def _default_interrupt() -> None:
    """A run started with a shell's ``&`` has SIGINT and SIGQUIT ignored, and every process
    it starts would inherit that. Give this process (each xdist worker imports this too)
    Python's usual Ctrl-C handler, so that the processes tests start see the default
    dispositions however the run was started; tests/functional/gcrun.default_signals does
    the same in the child for the helpers that send signals."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if signal.getsignal(signal.SIGQUIT) is signal.SIG_IGN:
        signal.signal(signal.SIGQUIT, signal.SIG_DFL)


_default_interrupt()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "osc: needs the python-openstackclient executable")


@pytest.fixture
def slow_after(simulator_factory, tmp_path):
    """``slow_after(setup)``: run ``setup(sim)`` on a fast simulator, then give a
    simulator on the same state whose transitions take 60 s (a --wait is certainly
    still waiting when interrupted or timed out), and what setup returned.

    ``simulator_factory`` is the directory's: gc-simulator processes in
    tests/functional, in-process simulators in tests/inprocess."""

    def make(setup, **slow):
        state = str(tmp_path / "state.db")
        fast = simulator_factory(era="cobalt", build_time=0.05, state=state)
        made = setup(fast)
        fast.stop()
        slow.setdefault("build_time", 60)
        return simulator_factory(era="cobalt", state=state, **slow), made

    return make
