"""The ``gc`` executable's entry point: ``gc --version`` and ``gc --help`` answered
without loading cliff's application.

Importing ``cliff.app`` costs more than everything else ``gc --help`` does: it loads
stevedore and ``importlib.metadata`` (through ``cliff.complete`` and
``cliff.command``), which gc's static command table never uses. The two answers
that need nothing of a command are given here; every other command line goes to
:func:`gcclient.cli.application.main`. ``tests/unit/cli/test_entry.py`` checks that
both answers are what the full application prints.
"""

from __future__ import annotations

import sys

from gcclient.version import __version__

HELP_ARGS = (["--help"], ["-h"])


def main() -> int:
    argv = sys.argv[1:]
    if argv == ["--version"]:
        # argparse's version action, as cliff configures it: "<prog> <version>".
        sys.stdout.write(f"gc {__version__}\n")
        sys.stdout.flush()
        return 0
    if argv in HELP_ARGS:
        # Function-local on purpose: the help's modules load only for --help (the
        # layering test reads these imports like any other).
        from gcclient.cli import quickhelp

        if quickhelp.applies():
            return quickhelp.main()
    from gcclient.cli import application

    return application.main()
