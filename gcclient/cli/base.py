"""What the command classes share: the wire, waiting options, several-server runs."""

from __future__ import annotations

import argparse
import contextlib
import logging
import re
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from gcclient.exceptions import GcError, NoUniqueMatch

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


# cliff's own formatters, as its entry points register them (setup.cfg of cliff).
FORMATTERS: dict[str, dict[str, str]] = {
    "cliff.formatter.list": {
        "csv": "cliff.formatters.commaseparated:CSVLister",
        "json": "cliff.formatters.json_format:JSONFormatter",
        "table": "cliff.formatters.table:TableFormatter",
        "value": "cliff.formatters.value:ValueFormatter",
        "yaml": "cliff.formatters.yaml_format:YAMLFormatter",
    },
    "cliff.formatter.show": {
        "json": "cliff.formatters.json_format:JSONFormatter",
        "shell": "cliff.formatters.shell:ShellFormatter",
        "table": "cliff.formatters.table:TableFormatter",
        "value": "cliff.formatters.value:ValueFormatter",
        "yaml": "cliff.formatters.yaml_format:YAMLFormatter",
    },
}


def paragraph_formatter() -> type:
    """cliff's help formatter, filling each paragraph of a description on its own so that
    a docstring's summary line stays a line of its own."""
    from cliff import _argparse

    class ParagraphHelpFormatter(_argparse.SmartHelpFormatter):
        def _fill_text(self, text: str, width: int, indent: str) -> str:
            paragraphs = [p for p in text.split("\n\n") if p.strip()]
            return "\n\n".join(
                super(ParagraphHelpFormatter, self)._fill_text(p, width, indent) for p in paragraphs
            )

    return ParagraphHelpFormatter


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


class StaticPlugins:
    """Mixed into every gc command: no entry-point scans when a command starts.

    cliff looks up command hooks and output formatters through stevedore, which
    reads (and after any install rebuilds, 0.1 s) an index of every installed
    entry point. gc has no hooks, and its formatters are cliff's own, so both
    are registered statically here."""

    def _load_hooks(self) -> None:
        self._hooks: list[Any] = []

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)  # type: ignore[misc]
        parser.formatter_class = paragraph_formatter()
        return check_utf8(parser)

    def run(self, parsed_args: argparse.Namespace) -> int:
        try:
            return super().run(parsed_args)  # type: ignore[misc]
        except ValueError as exc:
            # cliff's -c/--column check: the user's mistake, told as gc's own error.
            if str(exc).startswith("No recognized column names"):
                from gcclient.exceptions import CommandError

                raise CommandError(str(exc)) from None
            raise
        except NoUniqueMatch as exc:
            if exc.name is None:
                raise
            # The IDs to choose from are one gc list away.
            pattern = shlex.quote(f"^{re.escape(exc.name)}$")
            raise NoUniqueMatch(
                f"{exc.message} (all of them: gc list --all --name {pattern})", name=exc.name
            ) from None

    def _load_formatter_plugins(self) -> Any:
        import importlib

        from stevedore import extension

        namespace = getattr(self, "formatter_namespace", None)
        table = FORMATTERS.get(namespace or "")
        if table is None:
            return super()._load_formatter_plugins()  # type: ignore[misc]
        found = []
        for name, target in table.items():
            module, _, attr = target.partition(":")
            cls = getattr(importlib.import_module(module), attr)
            found.append(extension.Extension(name, None, cls, cls()))  # type: ignore[arg-type]
        return extension.ExtensionManager.make_test_instance(found, namespace=namespace or "")
