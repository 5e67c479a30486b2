"""What the command classes share: the wire, waiting options, several-server runs."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from gcclient.exceptions import GcError

LOG = logging.getLogger("gc")
DEFAULT_WAIT_TIMEOUT = 600.0
T = TypeVar("T")


def wire(command: Any) -> Any:
    return command.app.client_manager.wire


def add_wait_arguments(parser: argparse.ArgumentParser, until: str) -> None:
    parser.add_argument(
        "--wait",
        action="store_true",
        help=f"Wait until {until}; exit 1 on ERROR or timeout",
    )
    parser.add_argument(
        "--wait-timeout",
        metavar="<seconds>",
        type=seconds_type("--wait-timeout"),
        default=DEFAULT_WAIT_TIMEOUT,
        help=f"How long --wait waits (default: {DEFAULT_WAIT_TIMEOUT:g})",
    )


def seconds_type(option: str) -> Callable[[str], float]:
    """An argparse type: a finite number of seconds > 0 (bodies.check_seconds), so a
    bad value is a usage error (exit 2) before anything is sent."""

    def convert(value: str) -> float:
        from gcclient.bodies import check_seconds, shorten
        from gcclient.exceptions import CommandError

        float(value)  # not a number: argparse's "invalid float value: '...'"
        try:
            return check_seconds(value, option)
        except CommandError as exc:
            # argparse words it "argument --x: <this>"
            rule = str(exc).split(": ", 1)[-1]
            raise argparse.ArgumentTypeError(f"invalid value '{shorten(value)}': {rule}") from None

    convert.__name__ = "float"  # argparse's "invalid float value" for non-numbers
    return convert


def poller(command: Any, parsed_args: argparse.Namespace) -> Any:
    """A poller whose progress line goes to stderr, only when it is a terminal."""
    from gcclient.waiting import Poller

    stderr = command.app.stderr
    progress = None
    if hasattr(stderr, "isatty") and stderr.isatty():

        def progress(what: str) -> None:
            stderr.write(f"\rWaiting for {what}...\033[K")
            stderr.flush()

    return Poller(parsed_args.wait_timeout, progress=progress)


@contextlib.contextmanager
def polling(command: Any, parsed_args: argparse.Namespace) -> Iterator[Any]:
    """A poller for --wait; its progress line is cleared however the wait ends."""
    poll = poller(command, parsed_args)
    try:
        yield poll
    finally:
        end_progress(command)


def final_view(
    command: Any, parsed_args: argparse.Namespace, server_id: str, status: str
) -> dict[str, Any]:
    """A new server's view: once it reaches ``status`` with --wait, else from one GET."""
    the_wire = wire(command)
    if not parsed_args.wait:
        return the_wire.get(server_id)
    from gcclient import waiting

    with polling(command, parsed_args) as poll:
        return waiting.wait_for_status(the_wire, server_id, status, poller=poll)


def end_progress(command: Any) -> None:
    stderr = command.app.stderr
    if hasattr(stderr, "isatty") and stderr.isatty():
        stderr.write("\r\033[K")
        stderr.flush()


def for_each(items: Iterable[str], operation: Callable[[str], T], verb: str) -> list[T]:
    """Run an operation on each server; report each failure, then fail with a count."""
    items = list(items)
    results: list[T] = []
    failed = 0
    for item in items:
        try:
            results.append(operation(item))
        except GcError as exc:
            if len(items) == 1:
                raise
            failed += 1
            from gcclient.bodies import shorten

            LOG.error("%s: %s", shorten(item), exc)  # escaped: "\r" would split the line
    if failed:
        raise GcError(f"{failed} of {len(items)} {verb} operations failed")
    return results


def stderr_line(text: str) -> None:
    sys.stderr.write(text + "\n")


SECRET_DESTS = ("os_password", "os_token", "os_application_credential_secret")


def _undecodable(value: Any) -> str | None:
    """The first string of a parsed value holding undecodable bytes (surrogates)."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str) and any("\udc80" <= ch <= "\udcff" for ch in item):
            return item
    return None


def check_utf8(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Make ``parser`` refuse arguments that are not valid UTF-8 (exit 2), naming the
    option: Python hands undecodable bytes over as surrogates, which were sent to the
    cloud as "\udcff" or failed later with an encoding error."""
    from gcclient.bodies import shorten

    parse = parser.parse_known_args

    def parse_known_args(args: Any = None, namespace: Any = None) -> Any:
        parsed, extras = parse(args, namespace)
        for action in parser._actions:
            bad = _undecodable(getattr(parsed, action.dest, None))
            if bad is not None:
                name = "/".join(action.option_strings) or action.metavar or action.dest
                shown = "***" if action.dest in SECRET_DESTS else shorten(bad)
                parser.error(f"argument {name}: invalid value '{shown}': not valid UTF-8")
        return parsed, extras

    parser.parse_known_args = parse_known_args  # type: ignore[method-assign]
    return parser
