"""``gc export`` and ``gc import``: move a live image between clouds as a JSON file."""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import os
import stat
import tempfile
from collections.abc import Iterable
from typing import Any

from gcclient.api.exceptions import CommandError
from gcclient.cli import base, classes, output, policy
from gcclient.cli.boot import final_view


class ExportServer(classes.ShowOne):
    """Export a blessed instance to a file

    The file gets the server's export data as sorted, 4-space-indented JSON;
    the memory and disk go to an image that the cloud fills in the background.
    The result shows that image's ID (export_image_id); the historical message
    "Instance data is being exported to image <id>" goes to stderr (not with -q).
    The file is checked before anything is sent. With '-' the export data goes
    to standard output and nothing else does ('gc export x - | gc import -').
    """

    output_columns = ("export_image_id", "file", "server")

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "server", metavar="<blessed id>", help="Blessed instance to export (name or ID)"
        )
        parser.add_argument(
            "file",
            metavar="<file>",
            help="File to write the export data to (overwritten; '-' is standard output)",
        )
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        check_destination(parsed_args.file)
        ops = self.operations(parsed_args)
        server_id = ops.wire.resolve(parsed_args.server)
        data = ops.export(server_id)
        image_id = data.get("export_image_id")
        self.text = json.dumps(data, sort_keys=True, indent=4) + "\n"
        if parsed_args.file != "-":
            try:
                write_whole(parsed_args.file, self.text)
            except OSError as exc:
                raise CommandError(
                    f"Cannot write export file '{parsed_args.file}': {exc.strerror}; the export "
                    f"image {image_id} was created anyway"
                ) from None
        if self.app.options.verbose_level > 0:
            self.app.stderr.write(f"Instance data is being exported to image {image_id}\n")
        return self.output_columns, (image_id, parsed_args.file, server_id)

    def produce_output(self, parsed_args: argparse.Namespace, column_names: Any, data: Any) -> Any:
        if parsed_args.file != "-":
            return super().produce_output(parsed_args, column_names, data)
        try:  # the export data is the output
            if getattr(self.app.stdout, "gc_closed", False):
                raise ValueError("standard output is closed")
            self.app.stdout.write(self.text)
            self.app.stdout.flush()
        except (OSError, ValueError, AttributeError) as exc:
            raise base.OutputError(getattr(exc, "strerror", None) or str(exc)) from None
        return 0


def write_whole(path: str, text: str) -> None:
    """Write ``text`` to ``path`` so that the file is either its old self or the new
    text, never a part: a temporary file beside it, flushed to disk, then renamed
    over it. On a full disk an earlier export stays valid. A destination that is
    not a regular file (``/dev/stdout``, a FIFO) is written in place; a symbolic
    link keeps pointing where it did (its target is replaced)."""
    target = os.path.realpath(path)
    if os.path.exists(target) and not stat.S_ISREG(os.stat(target).st_mode):
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text)
        return
    directory, name = os.path.split(target)
    fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        try:  # the mode the file had, or the one open() would have given it
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def check_destination(path: str) -> None:
    """Refuse, before the export is sent, a file that could not be written. The file
    is replaced whole (``write_whole``), so its directory must be writable too."""
    if path == "-":
        return
    if os.path.isdir(path):
        raise CommandError(f"Cannot write export file '{path}': it is a directory")
    if os.path.exists(path):
        if not os.access(path, os.W_OK):
            raise CommandError(f"Cannot write export file '{path}': Permission denied")
        if not stat.S_ISREG(os.stat(path).st_mode):
            return
    parent = os.path.dirname(os.path.realpath(path))
    if not os.path.isdir(parent):
        raise CommandError(f"Cannot write export file '{path}': No such file or directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise CommandError(f"Cannot write export file '{path}': Permission denied")


class ImportServer(classes.ShowOne):
    """Import a blessed instance from an export file

    The file is one written by 'gc export'. The new blessed instance is shown
    (one GET after the import, or the final view with --wait).
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "file", metavar="<file>", help="Export file to import ('-' reads standard input)"
        )
        parser.add_argument(
            "--override",
            metavar="<key=value;key2=value2>",
            action="append",
            default=[],
            help="Change the export data before sending it: ';'-separated key=value "
            "pairs; a dotted key walks nested objects (fields.display_name=foo); a "
            "value that replaces a list is split on ','. Repeatable",
        )
        base.add_wait_arguments(parser, "the imported instance is BLESSED")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        text = policy.read_text(parsed_args.file, "export", self.app.stdin)
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise CommandError(f"Export file '{parsed_args.file}' is not JSON: {exc}") from None
        if not isinstance(data, dict):
            raise CommandError(f"Export file '{parsed_args.file}' does not hold a JSON object")
        data = apply_overrides(data, parse_overrides(parsed_args.override))
        ops = self.operations(parsed_args)
        created = ops.import_server(data)
        view = final_view(self, ops, parsed_args, "import", created, "BLESSED")
        return output.server_properties(view)


def parse_overrides(items: Iterable[str]) -> list[tuple[str, str]]:
    """``"k=v;k2=v2"`` items as (key, value) pairs, split at the first '='."""
    pairs: list[tuple[str, str]] = []
    for item in items:
        for part in item.split(";"):
            if not part.strip():
                continue
            key, sep, value = part.partition("=")
            key = key.strip()
            if not sep or not key or any(not k for k in key.split(".")):
                raise CommandError(f"Invalid --override '{part}': expected key=value")
            pairs.append((key, value))
    return pairs


def apply_overrides(data: dict[str, Any], pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """A copy of ``data`` with each dotted key set; a list value is replaced by the
    value split on ','. Every key must be one of the export's fields (a typo would
    be silently ignored by the server), except new keys of ``metadata``."""
    result = copy.deepcopy(data)
    for key, value in pairs:
        path = key.split(".")
        check_override_key(data, key, path)
        node = result
        for depth, part in enumerate(path[:-1]):
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                where = ".".join(path[: depth + 1])
                raise CommandError(f"Invalid --override '{key}': '{where}' is not an object")
            node = child
        last = path[-1]
        node[last] = value.split(",") if isinstance(node.get(last), list) else value
    return result


FREE_FORM = ("metadata",)  # objects whose keys are the user's, not the export's


def check_override_key(data: dict[str, Any], key: str, path: list[str]) -> None:
    """Refuse a key that is not in the export, suggesting the closest one that is."""
    import difflib

    node: Any = data
    for depth, part in enumerate(path):
        if depth and path[depth - 1] in FREE_FORM and depth == len(path) - 1:
            return
        if not isinstance(node, dict) or part in node or (depth == 0 and part in FREE_FORM):
            node = node.get(part, {}) if isinstance(node, dict) else None
            if node is None:
                return
            continue
        # The suggestion is a whole key that can be given (fields.display_name), not
        # the one level that differs (fields).
        close = difflib.get_close_matches(key, whole_keys(data), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise CommandError(
            f"Invalid --override '{key}': the export has no field "
            f"'{'.'.join(path[: depth + 1])}'{hint}"
        )


def whole_keys(data: Any, prefix: str = "") -> list[str]:
    """Every dotted key of the export that names a value (not an object)."""
    keys: list[str] = []
    for name, value in data.items() if isinstance(data, dict) else ():
        key = f"{prefix}.{name}" if prefix else str(name)
        if isinstance(value, dict) and value and name not in FREE_FORM:
            keys += whole_keys(value, key)
        else:
            keys.append(key)
    return keys


class ExportServerAlias(ExportServer, alias_of="export"):
    """Set from ExportServer's description by ``alias_of``."""


class ImportServerAlias(ImportServer, alias_of="import"):
    """Set from ImportServer's description by ``alias_of``."""
