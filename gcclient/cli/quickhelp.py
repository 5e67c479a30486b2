"""``gc --help`` from gc's static tables, without cliff's application.

The full application (:mod:`gcclient.cli.application`) imports ``cliff.app``,
which loads stevedore and ``importlib.metadata`` and, for the command list, every
command module: about 60 ms more than the help needs. Here the global parser is
built with autopage's parser class (cliff's derives from it) and the options
cliff's ``App`` declares, gc's connection options are added by the same function
the application uses, and the command list comes from
:data:`gcclient.cli.commands.SUMMARIES`.
``tests/unit/cli/test_quickhelp.py`` checks that the text is the full application's
to the byte, so neither side can drift.
"""

from __future__ import annotations

import argparse
import sys
from typing import IO

from gcclient.cli import auth_options, commands
from gcclient.session import loaders
from gcclient.version import __version__

DESCRIPTION = "Gridcentric VMS live images on OpenStack: bless, launch, discard, migrate."


def applies(argv: list[str] | None = None) -> bool:
    """Whether the quick help is the whole help: an auth type other than the built-in
    few (``OS_AUTH_TYPE``) adds its plugin's options, which only keystoneauth knows."""
    auth_type = auth_options.requested_auth_type(argv or [])
    return not auth_type or auth_type in loaders.LOADERS


def add_timing_argument(parser: argparse.ArgumentParser) -> None:
    """gc's ``--timing`` (the application adds it to cliff's parser too)."""
    parser.add_argument(
        "--timing",
        action="store_true",
        default=False,
        help="Print the time of each API request and the total, on stderr",
    )


def build_parser(prog: str) -> argparse.ArgumentParser:
    """The global parser of ``gc`` with deferred help, as ``cliff.app.App`` builds it
    (cliff 4.16-4.17), plus gc's options. cliff's parser class is autopage's with a
    conflict handler gc does not use; autopage's is public, and the help is the same."""
    import autopage.argparse

    parser = autopage.argparse.ArgumentParser(description=DESCRIPTION, add_help=False)
    parser.add_argument("--version", action="version", version=f"{prog} {__version__}")
    verbose = parser.add_mutually_exclusive_group()
    verbose.add_argument(
        "-v",
        "--verbose",
        action="count",
        dest="verbose_level",
        default=1,
        help="Increase verbosity of output. Can be repeated.",
    )
    verbose.add_argument(
        "-q",
        "--quiet",
        action="store_const",
        dest="verbose_level",
        const=0,
        help="Suppress output except warnings and errors.",
    )
    parser.add_argument(
        "--log-file",
        action="store",
        default=None,
        help="Specify a file to log output. Disabled by default.",
    )
    parser.add_argument(
        "-h",
        "--help",
        dest="deferred_help",
        action="store_true",
        help="Show help message and exit.",
    )
    parser.add_argument(
        "--debug", default=False, action="store_true", help="Show tracebacks on errors."
    )
    auth_options.add_arguments(parser)
    add_timing_argument(parser)
    return parser


def write_commands(out: IO[str]) -> None:
    """The "Commands:" list of ``gc --help``: each command's first doc line."""
    out.write("\nCommands:\n")
    summaries = commands.all_summaries()
    width = max(len(name) for name in summaries)
    for name, summary in sorted(summaries.items()):
        out.write(f"  {name:<{width}}  {summary}\n")


def main(prog: str) -> int:
    """Print the help of ``prog`` (the name gc was run as)."""
    import autopage.argparse

    parser = build_parser(prog)
    parser.prog = prog
    pager = autopage.argparse.help_pager(sys.stdout)
    autopage.argparse.use_color_for_parser(parser, pager.to_terminal())
    with pager as out:
        parser.print_help(out)
        write_commands(out)
    return pager.exit_code()
