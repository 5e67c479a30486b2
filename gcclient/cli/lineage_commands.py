"""``gc lineage``: a source server, its blessed servers, their launched servers, ..."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from gcclient.api.exceptions import CommandError
from gcclient.cli import base, classes, output

COLUMNS = ("Server", "ID", "Status", "Kind")
# Other formats than the table: the tree as plain rows (no drawing in a field).
FLAT_COLUMNS = ("Depth", "Parent")


class ShowLineage(classes.ReadOnlyLister):
    """Show the tree of blessed and launched servers from a server

    The table draws the tree in the Server column; on a terminal too narrow for
    it, IDs are shortened to 8 characters so that the drawing stays whole. csv,
    value, json and yaml give plain names and full IDs with a Depth (0 for the
    start) and a Parent (ID) column.

    Cost: the lookup of the named server, then per level of the tree one list
    request per server while the level has at most 4 servers, and for larger
    trees one listing of the project (one request per page of 1000 servers)
    instead; with --root, one GET per ancestor.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "server", metavar="<server>", help="Server to start the tree from (name or ID)"
        )
        parser.add_argument(
            "--root",
            action="store_true",
            help="Start from the oldest ancestor that still exists (following "
            "blessed_from/launched_from) instead of <server> itself",
        )
        parser.add_argument(
            "--max-depth",
            metavar="<levels>",
            type=int,
            default=None,
            help="Fetch at most this many levels below the start (default: all); "
            "servers whose children were not fetched are marked '...'",
        )
        parser.add_argument(
            "--ascii",
            action="store_true",
            help="Draw the tree with ASCII characters only",
        )
        base.add_all_projects_argument(parser)
        return parser

    @property
    def need_sort_by_cliff(self) -> bool:
        # The rows are in tree order; sorting them would break the drawing.
        return False

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        from gcclient.core import lineage  # loads when the command runs, not for --help

        if parsed_args.max_depth is not None and parsed_args.max_depth < 0:
            raise CommandError("--max-depth must be 0 or more")
        wire = base.scoped_wire(self, parsed_args)
        start = wire.find(parsed_args.server)
        if parsed_args.root:
            start = lineage.find_root(wire, start)
        self.tree = lineage.build(wire, start, max_depth=parsed_args.max_depth)
        project = (output.PROJECT_COLUMN,) if parsed_args.all_projects else ()
        if parsed_args.formatter != "table":
            rows = flat_rows(self.tree, bool(project))
            return COLUMNS + FLAT_COLUMNS + project, rows
        ascii_only = parsed_args.ascii or not _can_draw(self.app.stdout)
        rows = [
            (label, node.id, node.status, node.kind)
            + ((output.project_of(node.view),) * len(project))
            for label, node in lineage.tree_rows(self.tree, ascii_only=ascii_only)
        ]
        columns = COLUMNS + project
        width = _terminal_width(self.app.stdout)
        if width is not None and table_width(columns, rows) > width:
            # A wrapped Server cell breaks the drawing apart: the IDs give way first
            # (full ones with -f value, csv, json or yaml).
            rows = [(row[0], short_id(row[1]), *row[2:]) for row in rows]
        return columns, rows


SHORT_ID = 8


def short_id(server_id: str) -> str:
    """The first 8 characters of an ID, as a narrow tree shows it."""
    return server_id[:SHORT_ID]


def table_width(columns: Sequence[str], rows: Sequence[tuple[str, ...]]) -> int:
    """The width of cliff's table of these rows under columns: "| a | b |"."""
    widths = [len(name) for name in columns]
    for row in rows:
        widths = [max(w, len(str(cell))) for w, cell in zip(widths, row, strict=True)]
    return sum(widths) + 3 * len(widths) + 1


def _terminal_width(stream: Any) -> int | None:
    """The terminal's width when the table goes to one (None otherwise)."""
    import os

    try:
        if not stream.isatty():
            return None
        return os.get_terminal_size(stream.fileno()).columns or None
    except (AttributeError, OSError, ValueError):
        return None


def flat_rows(root: Any, project: bool = False) -> list[tuple[Any, ...]]:
    """One row per server in tree order, for csv/value/json/yaml: the plain name, and
    the depth and parent ID that the table shows by drawing."""
    rows: list[tuple[Any, ...]] = []

    def visit(node: Any, depth: int, parent: str) -> None:
        row = (node.name or node.id, node.id, node.status, node.kind, depth, parent)
        rows.append(row + ((output.project_of(node.view),) if project else ()))
        for child in node.children:
            visit(child, depth + 1, node.id)

    visit(root, 0, "")
    return rows


def _can_draw(stream: Any) -> bool:
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "├└│─".encode(encoding)
    except (LookupError, UnicodeEncodeError):
        return False
    return True
