"""Start-up shortcuts: every private hook of cliff and cmd2 that gc uses.

``gc --help`` takes about 0.1 s where cliff's defaults take 0.3-0.5 s, because
cliff and keystoneauth find plugins through stevedore (an index of every installed
entry point, rebuilt after any install) and map every installed distribution to its
modules. gc's commands, formatters and common auth types are known in advance, so
the lookups are replaced: cliff's here, keystoneauth's in gcclient/session/loaders.py
(the session layer, which every front-end uses, must not import the CLI).
tests/unit/cli/test_startup.py fails when a private attribute of these libraries is
used anywhere else in gcclient/.

Tested on the floor environment (floor-constraints.txt: cliff 4.16.0, cmd2 4.0.0,
keystoneauth1 5.10.0) and on the newest releases (cliff 4.17.0, cmd2 4.3.1,
keystoneauth1 5.18.1). cmd2 is used through its public API only (the interactive
shell's completion in application.py). The private hooks:

``cliff.command.Command._load_hooks`` (cliff 4.16.0, 4.17.0)
    Overridden: no stevedore scan for command hooks (gc has none); sets ``self._hooks``
    to an empty list, as cliff does for a command without a name.
``cliff.display.DisplayCommandBase._load_formatter_plugins`` (cliff 4.16.0, 4.17.0)
    Overridden: cliff's own formatters from a static table, built with stevedore's
    public ``ExtensionManager.make_test_instance``.
``cliff._argparse.SmartHelpFormatter`` (cliff 4.16.0, 4.17.0)
    Subclassed by ParagraphHelpFormatter, which overrides argparse's ``_fill_text`` (one
    paragraph of a docstring at a time).

Public hooks used for the same end, listed so the whole trade is in one place:
``Command.get_epilog`` (no distribution map: every command here is gc's or cliff's),
``CommandManager.commands`` filled with lazy entries, ``HelpAction`` for ``--help``
(each command's first doc line, no instance), and ``os._exit`` after the output is
flushed (exit_now: no interpreter teardown, 20-30 ms once keystoneauth is loaded).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import logging
import sys
from typing import Any

from gcclient.api.exceptions import CommandError, NoUniqueMatch
from gcclient.cli.base import check_utf8

# cliff's own formatters, as its entry points register them (setup.cfg of cliff);
# a list's JSON is gc's subclass (gcclient/cli/formatters.py: the same bytes).
FORMATTERS: dict[str, dict[str, str]] = {
    "cliff.formatter.list": {
        "csv": "cliff.formatters.commaseparated:CSVLister",
        "json": "gcclient.cli.formatters:JSONFormatter",  # cliff's, a row at a time
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


def _load(target: str) -> Any:
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


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


class StaticPlugins:
    """Mixed into every gc command (and cliff's help and complete): no entry-point
    scans and no distribution map when a command starts.

    The ``openstack`` plugin runs gc's command classes inside OSC, whose hooks,
    formatters, epilogs and words are its own: it sets ``startup_shortcuts`` to
    False and each method here defers to cliff's."""

    startup_shortcuts = True
    _hooks: Any  # cliff's: an ExtensionManager, or a list when there are none

    def _load_hooks(self) -> None:
        if not self.startup_shortcuts:
            super()._load_hooks()  # type: ignore[misc]
            return
        self._hooks = []

    def get_epilog(self) -> str:
        """cliff's epilog without its map of every installed distribution (30-90 ms):
        gc's commands have none; cliff's say where they come from, as cliff does."""
        if not self.startup_shortcuts:
            return str(super().get_epilog())  # type: ignore[misc]
        if type(self).__module__.partition(".")[0] == "cliff":
            return "This command is provided by the cliff plugin."
        return ""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)  # type: ignore[misc]
        if not self.startup_shortcuts:
            return parser  # type: ignore[no-any-return]
        parser.formatter_class = paragraph_formatter()
        return check_utf8(parser)

    def run(self, parsed_args: argparse.Namespace) -> int:
        if not self.startup_shortcuts:
            return int(super().run(parsed_args))  # type: ignore[misc]
        try:
            return super().run(parsed_args)  # type: ignore[misc, no-any-return]
        except ValueError as exc:
            # cliff's -c/--column check: the user's mistake, told as gc's own error.
            if str(exc).startswith("No recognized column names"):
                raise CommandError(str(exc)) from None
            raise
        except NoUniqueMatch as exc:
            if exc.name is None:
                raise
            # The IDs to choose from are one gc list away.
            import re
            import shlex

            pattern = shlex.quote(f"^{re.escape(exc.name)}$")
            raise NoUniqueMatch(
                f"{exc.message} (all of them: gc list --all --name {pattern})", name=exc.name
            ) from None

    def _load_formatter_plugins(self) -> Any:
        from stevedore import extension

        namespace = getattr(self, "formatter_namespace", None)
        table = FORMATTERS.get(namespace or "") if self.startup_shortcuts else None
        if table is None:
            return super()._load_formatter_plugins()  # type: ignore[misc]
        found = []
        for name, target in table.items():
            cls = _load(target)
            found.append(extension.Extension(name, None, cls, cls()))  # type: ignore[arg-type]
        return extension.ExtensionManager.make_test_instance(found, namespace=namespace or "")


def help_action() -> type:
    """The ``--help`` action of gc (a class made on use: cliff is imported only by the CLI)."""
    from cliff import help

    class HelpAction(help.HelpAction):
        """``gc --help`` without cliff's per-command costs: cliff instantiates every
        command (each one scanning formatter entry points) and maps every installed
        distribution to its modules; the listing only needs each class's first doc line."""

        def __call__(self, parser: Any, namespace: Any, values: Any, option_string: Any = None):
            import autopage.argparse

            app = self.default
            pager = autopage.argparse.help_pager(app.stdout)
            autopage.argparse.use_color_for_parser(parser, pager.to_terminal())
            with pager as out:
                write_help(app, parser, out)
            raise help.HelpExit()

    return HelpAction


def write_help(app: Any, parser: Any, out: Any) -> None:
    parser.print_help(out)
    out.write("\nCommands:\n")
    width = max(len(name) for name, _ in app.command_manager)
    for name, entry in sorted(app.command_manager):
        try:
            factory = entry.load()
        except Exception:
            out.write(f"Could not load {entry!r}\n")
            continue
        if getattr(factory, "deprecated", False):
            continue
        one_liner = (inspect.getdoc(factory) or "").split("\n")[0].rstrip(".")
        if getattr(factory, "__module__", "").partition(".")[0] == "cliff":
            one_liner += " (cliff)"
        out.write(f"  {name:<{width}}  {one_liner}\n")


def exit_now(code: int) -> int:
    """End the process at once, after flushing the output and the log handlers.

    Python's teardown frees every module and object one by one; after
    keystoneauth and requests are loaded that is 20-30 ms of a 0.2 s command,
    and nothing gc needs happens in it (the token cache is saved in clean_up)."""
    import os

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            if not code:
                code = 120  # what Python answers when it cannot flush stdout
    os._exit(code)
