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
        type=float,
        default=DEFAULT_WAIT_TIMEOUT,
        help=f"How long --wait waits (default: {DEFAULT_WAIT_TIMEOUT:g})",
    )


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
            LOG.error("%s: %s", item, exc)
    if failed:
        raise GcError(f"{failed} of {len(items)} {verb} operations failed")
    return results


def stderr_line(text: str) -> None:
    sys.stderr.write(text + "\n")
