"""Server commands: show, delete and gc-migrate."""

from __future__ import annotations

import argparse
from typing import Any

from gcclient.api import bodies
from gcclient.api.exceptions import WaitError
from gcclient.cli import base, classes, output
from gcclient.core import known


class ShowServer(classes.ShowOne):
    """Show a server, with its Gridcentric metadata"""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("server", metavar="<server>", help="Server to show (name or ID)")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        return output.server_properties(self.wire.find(parsed_args.server))


class DeleteServer(classes.Command):
    """Delete a server (a blessed one is refused: discard it)"""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "server", metavar="<server>", nargs="+", help="Server to delete (name or ID)"
        )
        base.add_wait_arguments(parser, "the server is gone")
        base.add_parallel_argument(parser)
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> None:
        ops = self.operations(parsed_args)
        results = known.delete_each(ops, parsed_args.server)
        done = self.ledger.done_servers("delete")
        if parsed_args.wait and done:
            with base.polling(self, parsed_args) as poll:
                self.after_write(lambda: ops.wait_gone("delete", done, poll), None)
        self.report_each(results, "delete")


class MigrateServer(classes.Command):
    """Migrate an instance using Gridcentric VMS"""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "server", metavar="<instance id>", help="ID of the instance to migrate (name or ID)"
        )
        parser.add_argument(
            "dest",
            metavar="<destination host>",
            nargs="?",
            help="Host to migrate to (default: the cloud picks one)",
        )
        base.add_wait_arguments(parser, "the instance is ACTIVE again")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> None:
        bodies.check_host(parsed_args.dest)
        ops = self.operations(parsed_args)
        server_id = ops.wire.resolve(parsed_args.server)
        ops.migrate(server_id, parsed_args.dest)
        if not parsed_args.wait:
            return
        with base.polling(self, parsed_args) as poll:
            found = self.after_write(
                lambda: ops.wait_status("migrate", [{"id": server_id}], "ACTIVE", poll), None
            )
        host = found[0].get("OS-EXT-SRV-ATTR:host") if found else None
        if parsed_args.dest and host and host != parsed_args.dest:
            raise WaitError(f"Server {server_id} is ACTIVE on {host}, not on {parsed_args.dest}")


class MigrateServerAlias(MigrateServer, alias_of="gc-migrate"):
    """Set from MigrateServer's description by ``alias_of``."""
