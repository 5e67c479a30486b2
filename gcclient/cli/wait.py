"""``gc wait``: wait for servers again, e.g. after a wait that was interrupted."""

from __future__ import annotations

import argparse
from typing import Any

from gcclient.cli import base, classes, output
from gcclient.cli.listing_commands import status_type


class WaitServers(classes.Lister):
    """Wait until servers reach a status, or are gone

    Each round asks only for the servers still awaited: a GET each, or the
    pages of one listing when that is fewer requests. Without --status or
    --gone, waits until each server is ACTIVE, or BLESSED for a blessed server.
    Shows the servers when they are there (nothing with --gone); exit 1 on
    ERROR or timeout (which names the late servers and their status).
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "server", metavar="<server>", nargs="+", help="Server to wait for (name or ID)"
        )
        until = parser.add_mutually_exclusive_group()
        until.add_argument(
            "--status",
            metavar="<status>",
            type=status_type,
            help="Status to wait for (default: ACTIVE, BLESSED for blessed servers)",
        )
        until.add_argument("--gone", action="store_true", help="Wait until the servers are gone")
        parser.add_argument(
            "--wait-timeout",
            metavar="<seconds>",
            type=base.seconds_type("--wait-timeout"),
            default=base.DEFAULT_WAIT_TIMEOUT,
            help=f"How long to wait (default: {base.DEFAULT_WAIT_TIMEOUT:g})",
        )
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        from gcclient.core import waiting  # with the wire: when a command runs, not for --help

        wire = self.wire
        ids = [wire.resolve(server) for server in parsed_args.server]
        with base.polling(self, parsed_args) as poll:
            if parsed_args.gone:
                waiting.wait_servers(wire, ids, None, poller=poll)
                return output.server_list([])
            # Without --status each server waits for its own: BLESSED for a live
            # image, ACTIVE for any other (told from its first view).
            status = parsed_args.status or waiting.own_status
            found = waiting.wait_servers(wire, ids, status, poller=poll)
        return output.server_list(found)

    def produce_output(self, parsed_args: argparse.Namespace, column_names: Any, data: Any) -> Any:
        if parsed_args.gone:
            return 0  # nothing to show
        return super().produce_output(parsed_args, column_names, data)
