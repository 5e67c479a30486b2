"""The cliff application behind ``gc``."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any

from cliff import app, commandmanager, help

from gcclient.api.bodies import shorten
from gcclient.api.exceptions import GcError
from gcclient.api.transport import redact
from gcclient.cli import auth_options, commands, completion, startup
from gcclient.cli.auth_options import in_gc_words
from gcclient.cli.base import GC_WORDS, check_utf8
from gcclient.cli.quickhelp import DESCRIPTION, add_timing_argument
from gcclient.core import interrupts
from gcclient.core.ledger import Ledger, describe
from gcclient.session import connect
from gcclient.session.settings import Settings
from gcclient.version import __version__

if TYPE_CHECKING:  # the wire loads when a command runs, not for --help
    from gcclient.api.gcwire import Wire


def command_manager() -> commandmanager.CommandManager:
    """cliff's manager filled from the static table instead of entry points."""
    manager = commandmanager.CommandManager(None)
    for name, target in commands.all_commands().items():
        manager.commands[name] = commands.LazyCommand(name, target)  # type: ignore[assignment]
    return manager


class GcHelp(startup.StaticPlugins, help.HelpCommand):
    """print detailed help for another command"""

    def take_action(self, parsed_args: Any) -> int:
        if parsed_args.cmd:
            try:
                self.app.command_manager.find_command(parsed_args.cmd)
            except ValueError:
                wanted = parsed_args.cmd[0]
                names = sorted(name for name, _ in self.app.command_manager)
                if not any(name.startswith(wanted) for name in names):
                    return self._unknown(wanted, names)
        return super().take_action(parsed_args)

    def _unknown(self, wanted: str, names: list[str]) -> int:
        """A usage error (exit 2), on one line with the closest command names."""
        import difflib

        close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see 'gc --help'"
        self.app.stderr.write(f"gc help: '{shorten(wanted)}' is not a gc command{hint}\n")
        return 2


class MessageFilter(logging.Filter):
    """No error line is ever empty: an exception without text is told by its type and
    the command it ended; argparse errors in the shell were already printed. A
    gcclient error is told in gc's words (``--os-token or OS_TOKEN``)."""

    command = "gc"

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.msg
        if not isinstance(exc, BaseException) or record.args:
            return True
        if type(exc).__name__ == "Cmd2ArgparseError":
            return False  # argparse printed the usage and its error line
        if isinstance(exc, GcError) and not exc.message:
            # A read-only command's error (no Outcomes to word it): in gc's words too.
            exc.message = exc.render(GC_WORDS)
        if not str(exc).strip():
            record.msg = (
                f"{self.command} failed: {type(exc).__name__} (no message; --debug shows where)"
            )
        return True


class RedactFilter(logging.Filter):
    """Passwords in URLs' userinfo never reach the console or the log file, whoever logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = redact(message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        if record.exc_info and not record.exc_text:
            # A traceback (--debug) quotes URLs and bodies too; every handler's
            # formatter uses this text instead of formatting the exception again.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


class ConsoleFormatter(logging.Formatter):
    """Warnings and errors carry their level; information is printed as it is."""

    def format(self, record: logging.LogRecord) -> str:
        message = super().format(record)
        if record.levelno >= logging.WARNING:
            return f"{record.levelname}: {message}"
        return message


class ClientManager:
    """Builds the connection and the wire on first use, from the global options."""

    def __init__(self, options: Any, warn: Any, plugin_dests: list[str] | None = None) -> None:
        self.options = options
        self._warn = warn
        self._plugin_dests = plugin_dests or []
        self._connection: connect.Connection | None = None
        self._wire: Wire | None = None

    def settings(self) -> Settings:
        settings = auth_options.settings_from(self.options)
        settings.auth.update(auth_options.plugin_values(self.options, self._plugin_dests))
        settings.collect_timing = bool(getattr(self.options, "timing", False))
        if getattr(self.options, "os_cloud", None):
            from gcclient.session import cloudconfig

            settings = in_gc_words(cloudconfig.merge)(settings, self.options.os_cloud)
        return settings

    @property
    def connection(self) -> connect.Connection:
        if self._connection is None:
            settings = self.settings()
            if settings.insecure:
                self._warn(
                    "TLS certificate verification is disabled (--insecure): "
                    "the connection can be intercepted"
                )
                # Said once above; not again by urllib3, two lines per request.
                import warnings

                from urllib3.exceptions import InsecureRequestWarning

                warnings.simplefilter("ignore", InsecureRequestWarning)
            self._connection = in_gc_words(connect.connect)(settings)
            if self._connection.cache is not None and self._connection.cache.problem:
                self._warn(self._connection.cache.problem)
        return self._connection

    @property
    def wire(self) -> Wire:
        if self._wire is None:
            from gcclient.api.gcwire import Wire

            self._wire = Wire(self.connection.adapter, warn=self._warn)
        return self._wire

    def catalog_from_cache(self) -> bool:
        """Whether the token and its service catalog came from the token cache."""
        cache = self._connection.cache if self._connection is not None else None
        return cache is not None and cache.loaded_state is not None

    def save_token(self) -> None:
        if self._connection is not None:
            cache = self._connection.cache
            problem = cache.problem if cache is not None else None
            self._connection.save_token()
            if cache is not None and cache.problem and cache.problem != problem:
                self._warn(cache.problem)

    def timings(self) -> list[Any]:
        """The requests keystoneauth timed since the last call (--timing)."""
        if self._connection is None:
            return []
        found = list(self._connection.session.get_timings())
        self._connection.session.reset_timings()
        return found


def timing_table(timings: list[Any]) -> str:
    """openstack's --timing table: each request's method and URL, its seconds, the total."""
    import prettytable

    table = prettytable.PrettyTable(["URL", "Seconds"])
    table.align["URL"] = "l"
    table.align["Seconds"] = "r"
    total = 0.0
    for timing in timings:
        seconds = timing.elapsed.total_seconds()
        total += seconds
        table.add_row([f"{timing.method} {timing.url}", f"{seconds:.3f}"])
    table.add_row(["Total", f"{total:.3f}"])
    return table.get_string()


class GcApp(app.App):
    LOG = logging.getLogger("gc")

    def __init__(self) -> None:
        super().__init__(
            description=DESCRIPTION,
            version=__version__,
            command_manager=command_manager(),
            deferred_help=True,
        )
        # cliff's own commands, without the entry-point and distribution scans.
        self.command_manager.add_command("help", GcHelp)
        self.command_manager.add_command("complete", completion.CompleteCommand)
        self.client_manager: ClientManager | None = None
        self.ledger: Ledger | None = None  # the last command's writes
        self.interruption_told = False
        self.failures = 0
        self.plugin_dests: list[str] = []
        self.message_filter = MessageFilter()
        self.LOG.addFilter(self.message_filter)

    def build_option_parser(self, description: Any, version: Any, argparse_kwargs: Any = None):

        parser = super().build_option_parser(description, version, argparse_kwargs)
        auth_options.add_arguments(parser)
        add_timing_argument(parser)
        return check_utf8(parser)

    def configure_logging(self) -> None:
        if self.options.debug:
            # As osc-lib: --debug is full debug logging (keystoneauth's "REQ: curl" and
            # "RESP:" lines, with X-Auth-Token hashed) as well as the traceback on error.
            self.options.verbose_level = max(self.options.verbose_level, 3)
        super().configure_logging()
        root = logging.getLogger("")
        for handler in root.handlers:
            handler.addFilter(RedactFilter())
            if isinstance(handler, logging.StreamHandler) and not isinstance(
                handler, logging.FileHandler
            ):
                handler.setFormatter(ConsoleFormatter("%(message)s"))
        for noisy in ("urllib3", "keystoneauth", "stevedore", "iso8601"):
            if self.options.verbose_level < 3 and not self.options.debug:
                logging.getLogger(noisy).setLevel(logging.WARNING)
        if not self.options.debug:
            # "Could not load <auth type>" before gc's own one-line error says the same.
            logging.getLogger("stevedore").setLevel(logging.ERROR)
            if self.options.verbose_level < 2:
                # keystoneauth's own warnings ("Failed to discover available identity
                # versions ...") come before gc's one error line, which says it in
                # gc's words: they are shown with -v.
                logging.getLogger("keystoneauth").setLevel(logging.ERROR)

    def print_help_if_requested(self) -> None:
        if self.deferred_help and self.options.deferred_help:
            import argparse

            action = startup.help_action()
            action([], argparse.SUPPRESS, default=self)(self.parser, self.options, None, None)

    def initialize_app(self, argv: list[str]) -> None:
        self.client_manager = ClientManager(self.options, self.LOG.warning, self.plugin_dests)

    def run_subcommand(self, argv: list[str]) -> int:
        try:
            self.command_manager.find_command(argv)
        except ValueError:
            # cliff prints "not a gc command" and its suggestions on stdout: an
            # error belongs on stderr, and stdout stays empty (exit 2 all the same).
            stdout, self.stdout = self.stdout, self.stderr
            try:
                result = super().run_subcommand(argv)
            finally:
                self.stdout = stdout
            self.failures += 1
            return result
        self.message_filter.command = "gc " + " ".join(argv[:1])
        result = super().run_subcommand(argv)
        if result:
            self.failures += 1
        return result

    def clean_up(self, cmd: Any, result: int, err: BaseException | None) -> None:
        if self.client_manager is not None:
            self.client_manager.save_token()
            if self.options.timing:
                timings = self.client_manager.timings()
                if timings:
                    self.stderr.write(timing_table(timings) + "\n")

    def interact(self) -> None:
        # cmd2 would run the process's own arguments as shell commands: with
        # "gc --os-cloud bless" it ran "--os-cloud" and "bless" again, noisily.
        saved = sys.argv
        sys.argv = sys.argv[:1]
        self.interactive_app_factory = shell_class()
        try:
            super().interact()
        finally:
            sys.argv = saved

    def run(self, argv: list[str]) -> int:
        self.plugin_dests = auth_options.add_plugin_arguments(
            self.parser, auth_options.requested_auth_type(argv)
        )
        result = super().run(argv)
        if result == 130 and not self.interruption_told and not self.interactive_mode:
            # cliff returns 130 in silence for a Ctrl-C outside a command's run (while
            # the command loads, before it starts, after it ended): say what was sent.
            ledger = self.ledger
            what = "nothing was sent" if ledger is None else describe(ledger, GC_WORDS)
            word, result = interrupts.word_and_code(interrupts.received or KeyboardInterrupt())
            self.stderr.write(f"{word}: {what}\n")
        if self.interactive_mode and result == 1:
            # cliff returns 1 after interactive mode whatever happened.
            return 1 if self.failures else 0
        return result


def shell_class() -> type:
    """cliff's interactive shell with a "(gc) " prompt on a terminal (cmd2 resets the one
    cliff sets to "(Cmd) ") and none when commands are piped in, completing gc's commands
    and their options (cmd2 completes only its own ``do_*`` commands)."""
    from cliff.interactive import InteractiveApp
    from cmd2 import Completions

    class GcShell(InteractiveApp):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.prompt = "(gc) " if sys.stdin.isatty() else ""

        def complete(  # type: ignore[override]
            self, text: str, line: str, begidx: int, endidx: int, custom_settings: Any = None
        ) -> Any:
            if custom_settings is None and not line[:begidx].strip():
                names = [name for name, _ in self.command_manager]
                names += self.get_visible_commands()
                return Completions.from_values(sorted({n for n in names if n.startswith(text)}))
            return super().complete(text, line, begidx, endidx, custom_settings)

        def completedefault(self, text: str, line: str, begidx: int, endidx: int) -> Any:  # type: ignore[override]
            return Completions.from_values(
                command_completions(self.parent_app, line[:begidx].split(), text)
            )

        def do__eof(self, _: Any) -> Any:
            # cmd2 ends the prompt's line at end of input; piped, there is no prompt,
            # and stdout stays empty.
            if sys.stdin.isatty():
                self.poutput()
            return self.do_quit("")

    return GcShell


def command_completions(app: Any, before: list[str], text: str) -> list[str]:
    """What completes ``text`` after the words ``before`` (a gc command and its
    arguments so far): the command's options, or the values of the option just given."""
    try:
        factory, name, _ = app.command_manager.find_command(before[:1])
        parser = factory(app, None, cmd_name=name).get_parser(name)
    except Exception:
        return []
    options = parser._option_string_actions  # argparse's table of option strings
    previous = options.get(before[-1]) if len(before) > 1 else None
    if previous is not None and previous.nargs != 0 and previous.choices:
        return sorted(str(c) for c in previous.choices if str(c).startswith(text))
    if text.startswith("-") or not text:
        return sorted(o for o in options if o.startswith(text or "-") and o.startswith("--"))
    return []


def open_closed_streams() -> None:
    """``gc <&-``, ``gc >&-``: a closed standard stream reads as empty and writes
    nowhere, instead of a traceback from the first use of None."""
    import os

    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        if getattr(sys, name) is None:
            stream = open(os.devnull, mode, encoding="utf-8")
            stream.gc_closed = True  # type: ignore[attr-defined]  # output after a write: lost
            setattr(sys, name, stream)


def main(argv: list[str] | None = None) -> int:
    open_closed_streams()
    if argv is not None:
        return GcApp().run(argv)
    code = GcApp().run(sys.argv[1:])
    if "coverage" in sys.modules:
        return code  # coverage writes its data in the teardown
    # The gc executable: end without the interpreter's teardown.
    return startup.exit_now(code)


if __name__ == "__main__":
    sys.exit(main())
