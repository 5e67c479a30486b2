"""``gc list``: the project's servers with their Gridcentric role."""

from __future__ import annotations

import argparse
import re
from typing import Any

from gcclient.cli import base, classes, output
from gcclient.core import roles

# The default table fits 80 columns with names of up to 14 characters (a full ID is
# 36): Source, a second ID, is with --long.
COLUMNS = ("ID", "Name", "Status", "Role")
LONG_COLUMNS = ("Source", "Host", "AZ", "Created", "Networks")


class ListServers(classes.ReadOnlyLister):
    """List the project's live images (or launched or all servers) with their role

    Role is 'live image' (blessed_from in the metadata), 'launched'
    (launched_from) or 'source' (any other server); Source (--long) is the ID it
    was blessed or launched from. Live images are the BLESSED ones unless --status
    asks for another status (BUILD: a bless under way; ERROR: a failed one).
    Cost: one GET /servers/detail per page of up to 1000 servers; the status
    and --name are filtered by the server.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--live-images",
            dest="roles",
            action="store_const",
            const=(roles.LIVE_IMAGE,),
            help="Only live images (blessed servers; BLESSED unless --status says "
            "otherwise); the default",
        )
        which.add_argument(
            "--launched",
            dest="roles",
            action="store_const",
            const=(roles.LAUNCHED,),
            help="Only servers launched from a live image",
        )
        which.add_argument(
            "--all",
            dest="roles",
            action="store_const",
            const=roles.ROLES,
            help="Every server of the project",
        )
        parser.set_defaults(roles=(roles.LIVE_IMAGE,))
        parser.add_argument(
            "--long",
            action="store_true",
            help="Also show Source (the ID blessed or launched from), Host (admin only), "
            "AZ, Created and Networks",
        )
        parser.add_argument(
            "--status",
            metavar="<status>",
            type=status_type,
            help="Only servers in this status (e.g. ACTIVE, BLESSED, ERROR)",
        )
        parser.add_argument(
            "--name",
            metavar="<regex>",
            type=_regex,
            help="Only servers whose name matches this regular expression",
        )
        base.add_all_projects_argument(parser)
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        found = roles.list_servers(
            base.scoped_wire(self, parsed_args),
            roles=parsed_args.roles,
            status=parsed_args.status,
            name=parsed_args.name,
        )
        long = parsed_args.long
        project = parsed_args.all_projects
        rows = sorted((_row(view, long, project) for view in found), key=_order)
        columns: tuple[str, ...] = COLUMNS + LONG_COLUMNS if long else COLUMNS
        if project:
            columns += (output.PROJECT_COLUMN,)
        return columns, [row[1:] for row in rows]


def _row(view: dict[str, Any], long: bool, project: bool = False) -> tuple[str, ...]:
    """(created, *columns): the first item only orders the rows, oldest first."""
    created = str(view.get("created") or "")
    row: tuple[str, ...] = (
        created,
        str(view.get("id", "")),
        str(view.get("name") or ""),
        str(view.get("status") or ""),
        roles.role_of(view),
    )
    if long:
        row += (
            roles.source_of(view),
            str(view.get("OS-EXT-SRV-ATTR:host") or ""),
            str(view.get("OS-EXT-AZ:availability_zone") or ""),
            created,
            output.networks(view),
        )
    if project:
        row += (output.project_of(view),)
    return row


def _order(row: tuple[str, ...]) -> tuple[str, str, str]:
    return (row[0], row[2], row[1])


def status_type(text: str) -> str:
    """argparse type of a --status option: one of the statuses nova filters on."""
    if text.upper() not in roles.STATUSES:
        raise argparse.ArgumentTypeError(f"must be one of {', '.join(sorted(roles.STATUSES))}")
    return text.upper()


def _regex(text: str) -> str:
    try:
        re.compile(text)
    except re.error as exc:
        raise argparse.ArgumentTypeError(f"not a regular expression ({exc})") from None
    return text
