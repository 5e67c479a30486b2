"""Live-image commands: bless, launch, discard, list-launched, list-blessed."""

from __future__ import annotations

import argparse
from typing import Any

from gcclient.api import bodies, streaming
from gcclient.api.exceptions import CommandError
from gcclient.api.launch_options import LAUNCH_OPTIONS, Kind
from gcclient.cli import base, classes, ensure_launch, output
from gcclient.core.launch_request import LaunchRequest
from gcclient.core.ledger import DONE, Entry, accounting, notices


class BlessServer(classes.Lister):
    """Bless an instance"""

    output_columns = output.LIST_COLUMNS

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "server",
            metavar="<instance id>",
            nargs="+",
            help="ID of the instance to bless (name or ID)",
        )
        parser.add_argument(
            "--name",
            metavar="<name>",
            help="Name of the blessed instance (default: <source name>-<N>)",
        )
        base.add_wait_arguments(parser, "the blessed instance is BLESSED")
        base.add_parallel_argument(parser)
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        return bless_servers(self, parsed_args)


def bless_servers(command: Any, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
    """gc bless for any command with gc's outcomes (``openstack live image create``
    too): each of ``parsed_args.server`` blessed, waited for with --wait, and the
    blessed servers as rows (also when another source failed, before the failure)."""
    if parsed_args.name is not None:
        bodies.check_name(parsed_args.name, command.words.options.get("name", "name"))
    ops = command.operations(parsed_args)
    results = ops.bless_each(parsed_args.server, name=parsed_args.name)
    done = [view for r in results if r.value for view in r.value]
    if parsed_args.wait and done:
        with base.polling(command, parsed_args) as poll:
            done = command.after_write(
                lambda: ops.wait_status("bless", done, "BLESSED", poll), done
            )
    command.report_each(results, "bless")
    return output.server_list(done)


# How gc reads each kind of launch option from its command line.
ARGPARSE_KIND: dict[Kind, dict[str, Any]] = {
    Kind.COUNT: {"type": int},
    Kind.PAIRS: {"action": "append", "default": []},
    Kind.NIC: {"action": "append", "default": []},
}


class LaunchServer(classes.Lister):
    """Launch a new instance"""

    output_columns = output.LIST_COLUMNS

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "--target",
            metavar="<target memory>",
            help="The memory target of the launched instance",
        )
        parser.add_argument(
            "--params",
            metavar="<key=value>",
            action="append",
            default=[],
            help="Guest parameters to send to vms-agent (key=value, repeatable; 'key' "
            "without '=' sends the key with an empty value, a flag for the agent)",
        )
        # --ensure N counts what exists and launches the rest: not with --num-instances.
        count_group = parser.add_mutually_exclusive_group()
        ensure_launch.add_argument(count_group)
        for option in LAUNCH_OPTIONS:  # the table's rows, as gc spells them
            (count_group if option.kind is Kind.COUNT else parser).add_argument(
                "--" + option.option,
                metavar=option.gc.metavar,
                help=option.gc.help,
                **ARGPARSE_KIND.get(option.kind, {}),
            )
        parser.add_argument(
            "server",
            metavar="<blessed id>",
            help="ID of the blessed instance (name or ID)",
        )
        base.add_wait_arguments(parser, "the launched instances are ACTIVE")
        return parser

    def launch_request(self, parsed_args: argparse.Namespace) -> LaunchRequest:
        """Every option checked and converted before anything is sent."""
        arguments = {}
        for option in LAUNCH_OPTIONS:
            value = getattr(parsed_args, option.dest)
            if option.kind is Kind.FILE and value is not None:
                value = read_user_data(value, self.app)
            arguments[option.argument_name] = value
        request = LaunchRequest.from_arguments(
            words=self.words, target=parsed_args.target, params=parsed_args.params, **arguments
        )
        for warning in request.warnings:
            base.LOG.warning(warning)
        return request

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        request = self.launch_request(parsed_args)
        ops = self.operations(parsed_args)
        blessed_id = ops.wire.resolve(parsed_args.server)
        if parsed_args.ensure is not None:
            return output.server_list(
                ensure_launch.run(self, ops, blessed_id, request, parsed_args)
            )
        if not parsed_args.wait:
            launched = ops.launch(blessed_id, request)
        else:
            with base.polling(self, parsed_args) as poll:
                started = ops.start_launch(blessed_id, request, poll)
                # A failed or interrupted wait: show the servers the launch made.
                launched = self.after_write(started.wait, started.servers)
        for warning in self.ledger.warnings + notices(self.ledger, self.words):
            base.LOG.warning(warning)
        return output.server_list(launched)


def read_user_data(path: str, app: Any) -> bytes:
    """At most the limit + 1 bytes of a file ('-': standard input), never the whole of
    an endless one; too much or unreadable is a CommandError."""
    limit = bodies.USER_DATA_RAW_MAX + 1
    try:
        if path == "-":
            stream = getattr(app.stdin, "buffer", None)
            if stream is None:
                raise CommandError("Cannot read user data from standard input: it is closed")
            raw = stream.read(limit)
        else:
            with open(path, "rb") as handle:
                raw = handle.read(limit)
    except OSError as exc:
        shown = bodies.shorten(path, bodies.PATH_SHOWN)
        raise CommandError(f"Cannot read user data file '{shown}': {exc.strerror or exc}") from None
    return bodies.check_user_data(raw, path)


class DiscardServer(classes.Command):
    """Discard a blessed instance"""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "server",
            metavar="<blessed id>",
            nargs="+",
            help="ID of the blessed instance (name or ID)",
        )
        parser.add_argument(
            "--delete-launched",
            action="store_true",
            help="First delete every instance launched from it and wait until they are gone",
        )
        base.add_wait_arguments(parser, "the blessed instance is gone")
        base.add_parallel_argument(parser)
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> None:
        ops = self.operations(parsed_args)
        servers = parsed_args.server

        if not parsed_args.delete_launched:
            results = ops.discard_each(servers)
            done = self.ledger.done_servers("discard")
            if parsed_args.wait and done:
                with base.polling(self, parsed_args) as poll:
                    self.after_write(lambda: ops.wait_gone("discard", done, poll), None)
            self.report_each(results, "discard")
            return
        cascaded: set[str] = set()
        for server in servers:
            self._cascade(ops, server, parsed_args, cascaded)

    def _cascade(
        self, ops: Any, server: str, parsed_args: argparse.Namespace, cascaded: set[str]
    ) -> None:
        """--delete-launched: the core deletes the children, waits until they are gone
        and discards; then the discard's --wait. The deletions' accounting line is said
        however the cascade ends. A live image named twice is discarded once."""
        blessed_id = ops.wire.resolve(server)
        if blessed_id in cascaded:
            base.LOG.warning(
                "%s names %s again: one discard is sent for it (the duplicate was dropped)",
                bodies.shorten(server),
                blessed_id,
            )
            return
        cascaded.add(blessed_id)
        with base.polling(self, parsed_args) as poll:
            with self.ledger.section() as cascade:
                try:
                    ops.discard_cascade(blessed_id, poll)
                finally:
                    self._tell_deletions(blessed_id, cascade.of("delete"))
            if parsed_args.wait:
                self.after_write(lambda: ops.wait_gone("discard", [blessed_id], poll), None)

    def _tell_deletions(self, blessed_id: str, deletions: list[Entry]) -> None:
        if deletions:
            line = accounting("delete", deletions, self.render, self.words)
            self.summary.append(f"{line} (launched from {blessed_id})")
        if any(e.state != DONE for e in deletions) or self.ledger.waiting:
            self.summary.append(f"{blessed_id} was not discarded")


class ListLaunched(classes.Lister):
    """List instances launched from this blessed instance."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "server",
            metavar="<blessed id>",
            help="ID of the blessed instance (name or ID)",
        )
        base.add_all_projects_argument(parser)
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        wire = base.scoped_wire(self, parsed_args)
        # Each view becomes its row as it arrives: only the rows are held (sorted by ID).
        found = streaming.iter_listed(wire, wire.resolve(parsed_args.server), "gc_list_launched")
        return output.server_list(found, project=parsed_args.all_projects)


class ListBlessed(classes.Lister):
    """List instances blessed from this instance."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "server",
            metavar="<server id>",
            help="ID of the instance (name or ID)",
        )
        base.add_all_projects_argument(parser)
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        wire = base.scoped_wire(self, parsed_args)
        found = streaming.iter_listed(wire, wire.resolve(parsed_args.server), "gc_list_blessed")
        return output.server_list(found, project=parsed_args.all_projects)


class BlessServerAlias(BlessServer, alias_of="bless"):
    """Set from BlessServer's description by ``alias_of``."""


class LaunchServerAlias(LaunchServer, alias_of="launch"):
    """Set from LaunchServer's description by ``alias_of``."""


class DiscardServerAlias(DiscardServer, alias_of="discard"):
    """Set from DiscardServer's description by ``alias_of``."""


class ListBlessedAlias(ListBlessed, alias_of="list-blessed"):
    """Set from ListBlessed's description by ``alias_of``."""


class ListLaunchedAlias(ListLaunched, alias_of="list-launched"):
    """Set from ListLaunched's description by ``alias_of``."""
