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
