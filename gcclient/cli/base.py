"""What the command classes share: the wire, gc's words, waiting options, the
outcome of writes told however a command ends (:class:`Outcomes`)."""

from __future__ import annotations

import argparse
import contextlib
import errno
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from gcclient.api import exceptions
from gcclient.api.bodies import check_seconds, shorten
from gcclient.api.exceptions import CommandError, GcError
from gcclient.api.launch_options import LAUNCH_OPTIONS
from gcclient.core import DEFAULT_PARALLEL
from gcclient.core import ledger as ledger_module
from gcclient.core.interrupts import (  # noqa: F401  (gc's names for them)
    SIGHUP_EXIT,
    SIGINT_EXIT,
    SIGTERM_EXIT,
    HungUp,
    Terminated,
    raised,
    told_to_the_end,
)
from gcclient.core.ledger import Ledger
from gcclient.session import pool

if TYPE_CHECKING:  # the operations (and the wire) load when a command runs, not for --help
    from gcclient.api.gcwire import Wire
    from gcclient.core.operations import Each, Operations

LOG = logging.getLogger("gc")
DEFAULT_WAIT_TIMEOUT = 600.0
SIGPIPE_EXIT = 141  # what a shell reports for a tool ended by SIGPIPE (`... | head -n 1`)

# How gc names the checking command, an option, the capabilities and the resumed wait.
GC_WORDS = exceptions.Words(
    checks={
        "show": "with gc show {server}",
        "list-launched": "with gc list-launched {server}",
        "list-blessed": "with gc list-blessed {server}",
        "list": "with gc list --all",
        "get-policy": "with gc get-policy <launched server>",
    },
    options={
        **{option.key: "--" + option.option for option in LAUNCH_OPTIONS},
        "target": "--target",
        "params": "--params",
        "export": "export",
        "import": "import",
        "install_policy": "install-policy",
        "get_policy": "get-policy",
        "discard": "use 'gc discard' to remove it",
        "tls": "use --os-cacert, or --insecure to skip it",
        "cached_catalog": "the endpoint is from the cached service catalog: --no-cache "
        "fetches a fresh one",
    },
    capabilities="'gc capabilities'",
    resume="gc wait {servers}",
    resume_gone="gc wait --gone {servers}",
    setting="--os-{option} or {variable}",
    setting_option="--os-{option}",
)


class OutputError(Exception):
    """stdout could not be written (EPIPE, ENOSPC, closed)."""

    def __init__(self, reason: str, errno: int | None = None) -> None:
        super().__init__(reason)
        self.errno = errno


def wire(command: Any) -> Wire:
    """The wire of a command's app (built on first use by the client manager)."""
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


# The session's pool is sized to --parallel (gcclient/session/pool.py). The default
# and the bound come from gc delete of 1,000 at 50 ms (docs/performance.rst): 16 at
# once took 4.0 s, 32 2.4 s, 64 2.1 s; 32 has most of the gain with half the
# connections to the API; past 64 a 2-core machine gains nothing.
CLI_PARALLEL = 32
MAX_PARALLEL = 64


def add_all_projects_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--all-projects",
        action="store_true",
        help="Include every project's servers, with a Project column (admin only: "
        "listings and name lookups send all_tenants=1)",
    )


def scoped_wire(command: Any, parsed_args: argparse.Namespace) -> Wire:
    """The command's wire, across every project when --all-projects is given."""
    wire: Wire = command.wire
    return wire.across_projects() if getattr(parsed_args, "all_projects", False) else wire


def add_parallel_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--parallel",
        metavar="<N>",
        type=parallel_type,
        default=CLI_PARALLEL,
        help=f"Servers acted on at once, 1 to {MAX_PARALLEL} (default: {CLI_PARALLEL}; "
        "1 = one after another)",
    )


def whole_number(value: str) -> int:
    """``value`` as a decimal whole number, or the argparse error every count option
    gives (exit 2)."""
    try:
        return int(value, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid value '{shorten(value)}': expected a whole number"
        ) from None


def parallel_type(value: str) -> int:
    """An argparse type: a whole number of workers from 1 to MAX_PARALLEL (exit 2)."""
    count = whole_number(value)
    if not 1 <= count <= MAX_PARALLEL:
        raise argparse.ArgumentTypeError(
            f"invalid value '{shorten(value)}': it must be from 1 to {MAX_PARALLEL}"
        )
    return count


def seconds_type(option: str) -> Callable[[str], float]:
    """An argparse type: a finite number of seconds > 0 (bodies.check_seconds), so a
    bad value is a usage error (exit 2) before anything is sent."""

    def convert(value: str) -> float:

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
    """A poller whose progress goes to stderr: a live line on a terminal, a line
    every 10 s at -v otherwise (see :mod:`gcclient.cli.progress`)."""
    from gcclient.cli.progress import ProgressLine
    from gcclient.core.waiting import Poller

    stderr = command.app.stderr
    options = getattr(command.app, "options", None)
    line = ProgressLine(
        stderr,
        tty=_is_tty(stderr),
        verbose=getattr(options, "verbose_level", 1) >= 2,
    )
    return Poller(parsed_args.wait_timeout, progress=line if line.active else None)


def _is_tty(stream: Any) -> bool:
    return bool(hasattr(stream, "isatty") and stream.isatty())


@contextlib.contextmanager
def polling(command: Any, parsed_args: argparse.Namespace) -> Iterator[Any]:
    """A poller for --wait; its progress line is cleared however the wait ends."""
    poll = poller(command, parsed_args)
    try:
        yield poll
    finally:
        end_progress(command)


def end_progress(command: Any) -> None:
    stderr = command.app.stderr
    if _is_tty(stderr):
        stderr.write("\r\033[K")
        stderr.flush()


class UsesWire:
    """A command's wire: the client manager's. The ``openstack`` plugin overrides this
    one property (OSC's client manager names it ``live_image``)."""

    app: Any

    @property
    def wire(self) -> Wire:
        return wire(self)


class Outcomes(UsesWire):
    """Mixed into gc's commands: errors in gc's words, and the outcome of every write
    told however the command ends.

    ``take_action`` sends writes through :meth:`operations` (which records them in
    ``self.ledger``). A failure that comes after a write succeeded (a failed wait,
    Ctrl-C, SIGTERM) is kept in ``self.failure`` by :meth:`after_write` so that the
    write's output is written first; then it is reported (exit 1, 130 or 143).
    Output that cannot be written names what the writes did."""

    words = GC_WORDS
    failure: BaseException | None = None
    # gc's application tells a signal that comes after the command, until its own
    # os._exit; a host that runs on after the command without a word (openstack) does not.
    host_tells_late_signals = True
    # The columns a write command outputs, when known before it runs: a -c naming
    # any other is refused at parse time (exit 2), before the write is sent, instead
    # of failing the output after the write (a retry loop then wrote again).
    output_columns: tuple[str, ...] | None = None

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = super().get_parser(prog_name)  # type: ignore[misc]
        if self.output_columns:
            for action in parser._actions:
                if action.dest == "columns":
                    action.type = column_type(self.output_columns)
        return parser

    def operations(self, parsed_args: argparse.Namespace) -> Operations:
        from gcclient.core.operations import Operations

        parallel = getattr(parsed_args, "parallel", DEFAULT_PARALLEL)
        wire = self.wire
        pool.size_pool(wire.adapter, parallel)
        pool.environment_once(wire.adapter)
        return Operations(wire, self.ledger, parallel=parallel)

    def after_write(self, wait: Callable[[], Any], shown: Any) -> Any:
        """Run a wait after a successful write; if it fails, keep the failure for
        later and return ``shown`` (what the write answered) to be output."""
        try:
            return wait()
        except exceptions.WaitFailed as exc:
            self.failure = exc
            return [dict(s) for s in exc.servers] if isinstance(shown, list) else shown
        except KeyboardInterrupt as exc:
            self.failure = exc
            self.ledger.waiting = True
            return shown

    def say(self, line: str) -> None:
        try:
            self.app.stderr.write(line + "\n")
            self.app.stderr.flush()
        except (OSError, ValueError, AttributeError):
            pass

    def run(self, parsed_args: argparse.Namespace) -> int:
        self.ledger = Ledger()
        with contextlib.suppress(AttributeError):
            self.app.ledger = self.ledger  # an interruption outside run() reads it
        self.failure = None
        self.summary: list[str] = []
        stack = contextlib.ExitStack()
        stack.enter_context(self._signals())
        try:
            result = super().run(parsed_args)  # type: ignore[misc]
            failure = self.failure
            if isinstance(failure, KeyboardInterrupt):
                raise failure
        except KeyboardInterrupt as exc:
            end_progress(self)  # one line says it all: no accounting line before it
            self.ledger.interrupted_states()
            waiting = self.ledger.waiting
            what = ledger_module.describe(self.ledger, self.words, waiting=waiting)
            with contextlib.suppress(AttributeError):
                self.app.interruption_told = True
            if isinstance(exc, Terminated):
                self.say(f"{exc.word}: {what}")
                return exc.code
            self.say(f"Interrupted: {what}")
            return SIGINT_EXIT
        except OutputError as exc:
            if exc.errno == errno.EPIPE and not self.ledger.sent_any():
                # The reader went away (`gc list-launched x | head -n 1`) and nothing was
                # sent: the normal end of a pipeline, silent as for any Unix tool.
                _silence_stdout()
                return SIGPIPE_EXIT
            self._summarise()
            _silence_stdout()
            done = ledger_module.describe(self.ledger, self.words)
            raise exceptions.OutputFailed(str(exc), done) from None
        except GcError as exc:
            self._summarise()
            if isinstance(exc, exceptions.ConnectionFailure) and _catalog_cached(self):
                exc.cached_catalog = True
            exc.message = exc.render(self.words)
            raise
        finally:
            stack.close()
        self._summarise()
        if isinstance(self.failure, GcError):
            failure = self.failure
            failure.message = failure.render(self.words)
            raise failure
        return int(result or 0)

    def _signals(self) -> contextlib.AbstractContextManager[None]:
        """SIGTERM and SIGHUP raised like Ctrl-C while the command runs, and told. In
        a one-shot host that does not tell them after the command (openstack: its
        clean-up and exit killed it in silence), they stay told until it exits."""
        if self.host_tells_late_signals or getattr(self.app, "interactive_mode", False):
            return raised()
        ledger, words = self.ledger, self.words
        return told_to_the_end(lambda: ledger_module.describe(ledger, words))

    def _summarise(self) -> None:
        for line in self.summary:
            self.say(line)
        self.summary = []

    def produce_output(self, parsed_args: argparse.Namespace, column_names: Any, data: Any) -> Any:
        """cliff's output, flushed here so that a write that cannot be written is
        reported with what the command did."""
        if getattr(self.app.stdout, "gc_closed", False) and self.ledger.sent_any():
            raise OutputError("standard output is closed")
        try:
            result = super().produce_output(parsed_args, column_names, data)  # type: ignore[misc]
            self.app.stdout.flush()
        except OSError as exc:
            raise OutputError(exc.strerror or str(exc), exc.errno) from None
        except ValueError as exc:
            # A closed stdout, or cliff's -c check: after a write, either way the
            # output is lost, so what was done is said with it.
            if "closed file" in str(exc) or self.ledger.sent_any():
                raise OutputError(str(exc)) from None
            raise
        except AttributeError:
            if self.app.stdout is None:
                raise OutputError("standard output is closed") from None
            raise
        return result

    def report_each(self, results: list[Each], action: str) -> None:
        """After a write on each of several servers: each failure on its own line, the
        accounting line, and a failure with the count (kept until the output is out).
        An argument that named a server named before was dropped: a warning says so."""
        for warning in self.ledger.warnings:
            LOG.warning(warning)
        results = [r for r in results if not r.duplicate]
        failed = [r for r in results if r.error is not None]
        if len(results) == 1:
            if failed and failed[0].error is not None:
                raise failed[0].error
            return
        for each in failed:
            assert each.error is not None
            # escaped: a "\r" in an argument would split the line
            LOG.error("%s: %s", shorten(each.item), each.error.render(self.words))
        entries = self.ledger.of(action)
        self.summary.append(ledger_module.accounting(action, entries, self.render, self.words))
        if failed and self.failure is None:
            self.failure = GcError(closing_line(action, results, self.words))

    def render(self, error: BaseException) -> str:
        return error.render(self.words) if isinstance(error, GcError) else str(error)


def _catalog_cached(command: Any) -> bool:
    """Whether the command's endpoints came from the token cache's catalog."""
    manager = getattr(command.app, "client_manager", None)
    return bool(manager is not None and manager.catalog_from_cache())


def _column_key(name: str) -> str:
    """cliff's matching of -c values: case, outer spaces and ' '/'_' do not count."""
    return name.lower().strip().replace(" ", "_")


def column_type(columns: Sequence[str]) -> Callable[[str], str]:
    """The argparse type of -c for a command whose columns are known: a value that
    matches none of them (as cliff matches) is refused before anything is sent."""
    known = {_column_key(c) for c in columns}

    def column(value: str) -> str:
        if _column_key(value) not in known:
            raise argparse.ArgumentTypeError(
                f"unknown column '{shorten(value)}' (choose from {', '.join(columns)})"
            )
        return value

    return column


def closing_line(action: str, results: list[Each], words: exceptions.Words) -> str:
    """The last line of a several-server command with failures, in the accounting's
    words: "failed" only for refusals; an unknown outcome stays "unknown", with the
    query that tells (it may have been carried out: a retry could do it twice)."""
    unknown = [r.error for r in results if isinstance(r.error, exceptions.UnknownOutcome)]
    refused = [r for r in results if r.error is not None and r.error not in unknown]
    parts = []
    if refused:
        parts.append(f"{len(refused)} of {len(results)} {action} operations failed")
    if unknown:
        first = unknown[0]
        check = first.check
        if check is not None and len(unknown) > 1:
            check = exceptions.Check(check.query)  # "<server>": one check per server
        count = f"{len(unknown)}" if refused else f"{len(unknown)} of {len(results)}"
        parts.append(
            f"{count} {action} operations have an unknown outcome (they may have been "
            f"carried out: check {words.check(check)})"
        )
    return "; ".join(parts)


def _silence_stdout() -> None:
    """After stdout failed: point it at /dev/null so that no later flush fails again."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)


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
    cloud as "\\udcff" or failed later with an encoding error."""

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
