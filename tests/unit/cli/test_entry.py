"""gc's entry point: Ctrl-C while gc's modules load (issue 21's matrix: Python's
traceback of an import, 0.2 s or more on a loaded machine) is one line, exit 130."""

from __future__ import annotations

import builtins
import sys

from gcclient.cli import entry


def test_ctrl_c_while_the_application_loads_says_nothing_was_sent(monkeypatch, capsys):
    real_import = builtins.__import__

    def interrupted(name, globals=None, locals=None, fromlist=(), level=0):
        if name == "gcclient.cli" and fromlist and "application" in fromlist:
            raise KeyboardInterrupt
        return real_import(name, globals, locals, fromlist, level)

    monkeypatch.setattr(builtins, "__import__", interrupted)
    monkeypatch.setattr(sys, "argv", ["gc", "list"])
    assert entry.main() == 130
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "Interrupted: nothing was sent\n")


def test_ctrl_c_before_the_command_runs_says_nothing_was_sent(monkeypatch, capsys):
    """cliff returned 130 in silence for a Ctrl-C outside a command's run (the matrix:
    ``gc delete`` interrupted at 0.75 s, exit 130 and an empty stderr)."""
    from gcclient.cli.application import GcApp

    def interrupted(self, argv):
        raise KeyboardInterrupt

    monkeypatch.setattr(GcApp, "initialize_app", interrupted)
    assert GcApp().run(["delete", "x"]) == 130
    assert capsys.readouterr().err == "Interrupted: nothing was sent\n"


def test_sigterm_while_the_application_loads_says_nothing_was_sent(monkeypatch, capsys):
    """SIGTERM or SIGHUP in the same moment killed gc in silence (the matrix's
    "killed before it could tell")."""
    from gcclient.core.interrupts import HungUp

    real_import = builtins.__import__

    def hung_up(name, globals=None, locals=None, fromlist=(), level=0):
        if name == "gcclient.cli" and fromlist and "application" in fromlist:
            raise HungUp
        return real_import(name, globals, locals, fromlist, level)

    monkeypatch.setattr(builtins, "__import__", hung_up)
    monkeypatch.setattr(sys, "argv", ["gc", "list"])
    assert entry.main() == 129
    assert capsys.readouterr().err == "Hangup: nothing was sent\n"


def test_sigterm_before_the_command_runs_is_told_as_sigterm(monkeypatch, capsys):
    """cliff turns any KeyboardInterrupt into 130: a SIGTERM there said "Interrupted"
    and exited 130 (the matrix: gc boot --wait, SIGTERM at 0.23 s)."""
    import signal

    from gcclient.cli.application import GcApp
    from gcclient.core import interrupts

    def terminated(self, argv):
        interrupts._raise(signal.SIGTERM, None)

    monkeypatch.setattr(GcApp, "initialize_app", terminated)
    monkeypatch.setattr(interrupts, "received", None)
    assert GcApp().run(["delete", "x"]) == 143
    assert capsys.readouterr().err == "Terminated: nothing was sent\n"
