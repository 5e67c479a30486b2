"""The entry point of the ``gc`` and ``gcclient`` executables: ``gc --version`` and
``gc --help`` answered without loading cliff's application.

Importing ``cliff.app`` costs more than everything else ``gc --help`` does: it loads
stevedore and ``importlib.metadata`` (through ``cliff.complete`` and
``cliff.command``), which gc's static command table never uses. The two answers
that need nothing of a command are given here; every other command line goes to
:func:`gcclient.cli.application.main`. ``tests/unit/cli/test_quickhelp.py`` checks
that both answers are what the full application prints, under either name.
"""

from __future__ import annotations

import os
import sys

from gcclient.version import __version__

HELP_ARGS = (["--help"], ["-h"])


def prog_name() -> str:
    """The program's name as cliff's ``App.NAME`` takes it from ``sys.argv[0]``
    (``gc``, or ``gcclient`` where a distribution gives ``gc`` to graphviz)."""
    name = os.path.splitext(os.path.basename(sys.argv[0]))[0]
    if name == "__main__":
        name = os.path.split(os.path.dirname(sys.argv[0]))[-1]
    return name


def main() -> int:
    argv = sys.argv[1:]
    if argv == ["--version"]:
        # argparse's version action, as cliff configures it: "<prog> <version>".
        sys.stdout.write(f"{prog_name()} {__version__}\n")
        sys.stdout.flush()
        return 0
    if argv in HELP_ARGS:
        # Function-local on purpose: the help's modules load only for --help (the
        # layering test reads these imports like any other).
        from gcclient.cli import quickhelp

        if quickhelp.applies():
            return quickhelp.main(prog_name())
    from gcclient.core import interrupts

    with interrupts.raised():  # SIGTERM, SIGHUP from here on: told, not a silent death
        try:
            from gcclient.cli import application
        except KeyboardInterrupt as exc:
            # A signal while gc's modules load (0.2 s or more on a loaded machine):
            # Python printed a traceback of its imports. Nothing was sent.
            word, code = interrupts.word_and_code(exc)
            sys.stderr.write(f"{word}: nothing was sent\n")
            return code
        return application.main()
