"""``gc wait``: wait for servers again, e.g. after a wait that was interrupted."""

from __future__ import annotations

import argparse
from typing import Any

from gcclient.cli import base, classes, output
from gcclient.core.roles import is_live_image


class WaitServers(classes.Lister):
    """Wait until servers reach a status, or are gone

    One request per round whatever the number of servers (GET of the server
    for one, one listing for several). Without --status or --gone, waits until
    each server is ACTIVE, or BLESSED for a blessed server. Shows the servers
    when they are there (nothing with --gone); exit 1 on ERROR or timeout.
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
            status = parsed_args.status or self._default_status(wire, ids)
            found = waiting.wait_servers(wire, ids, status.upper(), poller=poll)
        return output.server_list(found)

    def produce_output(self, parsed_args: argparse.Namespace, column_names: Any, data: Any) -> Any:
        if parsed_args.gone:
            return 0  # nothing to show
        return super().produce_output(parsed_args, column_names, data)

    @staticmethod
    def _default_status(wire: Any, ids: list[str]) -> str:
        """BLESSED when the first server is a blessed one, else ACTIVE."""
        view = wire.get(ids[0])
        return "BLESSED" if is_live_image(view) else "ACTIVE"
