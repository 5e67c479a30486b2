"""Server commands: show, delete and gc-migrate."""

from __future__ import annotations

import argparse
from typing import Any

from cliff import command, show

from gcclient.cli import base, views


class ShowServer(show.ShowOne):
    """Show a server, with its Gridcentric metadata"""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("server", metavar="<server>", help="Server to show (name or ID)")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        return views.server_properties(base.wire(self).find(parsed_args.server))


class DeleteServer(command.Command):
    """Delete a server (a blessed one is refused: discard it)"""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "server", metavar="<server>", nargs="+", help="Server to delete (name or ID)"
        )
        base.add_wait_arguments(parser, "the server is gone")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> None:
        from gcclient import waiting

        wire = base.wire(self)

        def delete(server: str) -> None:
            view = wire.find(server)
            waiting.refuse_blessed_delete(view)
            wire.delete(view["id"])
            if parsed_args.wait:
                with base.polling(self, parsed_args) as poll:
                    waiting.wait_until_gone(wire, [view["id"]], poller=poll)

        base.for_each(parsed_args.server, delete, "delete")


class MigrateServer(command.Command):
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
        from gcclient import bodies

        bodies.check_host(parsed_args.dest)
        wire = base.wire(self)
        server_id = wire.resolve(parsed_args.server)
        wire.migrate(server_id, parsed_args.dest)
        if parsed_args.wait:
            view = base.final_view(self, parsed_args, server_id, "ACTIVE")
            host = view.get("OS-EXT-SRV-ATTR:host")
            if parsed_args.dest and host and host != parsed_args.dest:
                from gcclient.exceptions import WaitError

                raise WaitError(
                    f"Server {server_id} is ACTIVE on {host}, not on {parsed_args.dest}"
                )
