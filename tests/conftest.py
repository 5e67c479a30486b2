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
