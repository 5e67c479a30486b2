"""Sphinx helpers for gc's documentation.

``autoprogram-cliff`` is cliff's directive (``cliff.sphinxext``), with one addition:
the namespace ``gc`` is gc's static command table (:mod:`gcclient.cli.commands`)
instead of an entry-point group, so the reference is generated from the command
classes themselves while ``gc`` keeps its fast, scan-free start-up. Any other
namespace, and an application class (``gcclient.cli.application.GcApp``), work as in cliff.

``gc-aliases`` is a table of the aliases and the commands they run.
"""

from __future__ import annotations

import fnmatch
from typing import Any

from cliff import sphinxext
from docutils import nodes, statemachine
from docutils.parsers.rst import Directive

from gcclient.cli import commands

NAMESPACE = "gc"


class AutoprogramCliff(sphinxext.AutoprogramCliffDirective):
    """cliff's ``autoprogram-cliff``; ``.. autoprogram-cliff:: gc`` reads gc's table."""

    def _load_commands(self) -> dict[str, Any]:
        if self.arguments[0] != NAMESPACE:
            return super()._load_commands()
        pattern = self.options.get("command")
        names = [n for n in commands.COMMANDS if not pattern or fnmatch.fnmatch(n, pattern)]
        if not names:
            raise self.error(f"No gc command matches {pattern!r}")
        return {n: commands.LazyCommand(n, commands.COMMANDS[n]).load() for n in names}


class GcAliases(Directive):
    """A table: alias, the command it runs."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        lines = [
            ".. list-table::",
            "   :header-rows: 1",
            "",
            "   * - Alias",
            "     - Runs",
        ]
        for alias, name in sorted(commands.ALIASES.items()):
            lines += [f"   * - ``{alias}``", f"     - ``{name}``"]
        content = statemachine.StringList(lines, "<gc-aliases>")
        container = nodes.container()
        self.state.nested_parse(content, 0, container)
        return container.children


def setup(app: Any) -> dict[str, Any]:
    app.setup_extension("cliff.sphinxext")
    app.add_directive("autoprogram-cliff", AutoprogramCliff, override=True)
    app.add_directive("gc-aliases", GcAliases)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
