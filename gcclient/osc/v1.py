"""The ``openstack`` commands, shaped by OSC's command structure guide.

``openstack <object> <action>``: the objects are ``live image`` (a blessed server),
``live image server`` (a server started from a live image), ``live image lineage``
(the tree under a server) and ``vms server`` (a server as Gridcentric VMS moves it);
the actions are the guide's (``create``, ``delete``, ``list``, ``show``,
``migrate``). docs/openstack.rst gives the reasons and maps each command to ``gc``
and ``nova``.

Each class is a gc command class (or gc's base class) with :class:`OscCommand` mixed
in; only the parser differs from gc's: OSC's names (``--security-group`` repeated,
``--host``, the new object's name as the positional) filling the same attributes
that gc's ``take_action`` reads. Waiting, outcomes and errors are gc's, in OSC's
words.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from gcclient.api.exceptions import CommandError, Words
from gcclient.api.launch_options import LAUNCH_OPTIONS, Kind, LaunchOption
from gcclient.cli import (
    base,
    classes,
    ensure_launch,
    lineage_commands,
    live_image,
    output,
    server_commands,
)
from gcclient.cli.base import GC_WORDS
from gcclient.core import roles
from gcclient.osc.plugin import API_NAME

if TYPE_CHECKING:
    from gcclient.api.gcwire import Wire


def osc_option(option: LaunchOption) -> str | None:
    """The launch option as ``live image server create`` spells it: the new server's
    name is the positional (None here), a list is a singular option repeated
    (``--security-group a --security-group b``); the others keep gc's name."""
    if option.key == "name":
        return None
    if option.kind is Kind.LIST:
        return "--" + option.option.removesuffix("s")
    return "--" + option.option


# How openstack users check an outcome and resume a wait.
OSC_WORDS = Words(
    checks={
        "show": "with openstack server show {server}",
        "list-launched": "with openstack live image server list --live-image {server}",
        "list-blessed": "with openstack live image list --server {server}",
        "list": "with openstack live image server list",
        "get-policy": "the policy of a launched server",
    },
    options={
        **GC_WORDS.options,
        **{o.key: osc_option(o) or "<name>" for o in LAUNCH_OPTIONS},
        "discard": "use 'openstack live image delete' to remove it",
    },
    capabilities="",
    resume="openstack server show {servers}",
    resume_gone="openstack server show {servers}",
)


class OscCommand:
    """Mixed in before a gc command class: OSC authenticates first
    (``auth_required``), OSC's hooks, formatters and help stay OSC's
    (``startup_shortcuts``), messages use OSC's words, and the one property that
    differs is ``wire``: OSC's client manager builds it as ``live_image``."""

    auth_required = True
    startup_shortcuts = False
    words = OSC_WORDS
    host_tells_late_signals = False
    app: Any

    @property
    def wire(self) -> Wire:
        return getattr(self.app.client_manager, API_NAME)  # type: ignore[no-any-return]


def add_all_projects(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--all-projects",
        action="store_true",
        help="Include all projects (admin only), with a Project column",
    )


class CreateLiveImage(OscCommand, classes.ShowOne):  # type: ignore[misc]  # cliff's _hooks, see StaticPlugins
    """Create a live image: bless a server, memory included (gc bless)"""

    output_columns = output.LIST_COLUMNS

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "name",
            metavar="<name>",
            nargs="?",
            help="New live image name (default: <server name>-<N>; the cloud must "
            "advertise bless-name)",
        )
        parser.add_argument(
            "--server",
            metavar="<server>",
            required=True,
            help="Server to bless into the live image (name or ID)",
        )
        base.add_wait_arguments(parser, "the live image is BLESSED")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        gc_args = argparse.Namespace(**vars(parsed_args))
        gc_args.server = [parsed_args.server]
        columns, rows = live_image.bless_servers(self, gc_args)
        if not rows:  # the bless failed: its outcome is told by gc's Outcomes
            return columns, tuple("" for _ in columns)
        return columns, rows[0]


class DeleteLiveImage(OscCommand, live_image.DiscardServer):  # type: ignore[misc]  # cliff's _hooks, see StaticPlugins
    """Delete live image(s) (gc discard)"""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super(live_image.DiscardServer, self).get_parser(
            prog_name
        )  # gc's arguments skipped
        parser.add_argument(
            "server",
            metavar="<live-image>",
            nargs="+",
            help="Live image(s) to delete (name or ID)",
        )
        parser.add_argument(
            "--delete-launched",
            action="store_true",
            help="First delete the servers started from it and wait until they are gone",
        )
        base.add_wait_arguments(parser, "the live image is gone")
        base.add_parallel_argument(parser)
        return parser


class ListLiveImage(OscCommand, classes.ReadOnlyLister):  # type: ignore[misc]  # cliff's _hooks, see StaticPlugins
    """List live images (gc list, or gc list-blessed with --server)"""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "--server",
            metavar="<server>",
            help="Only the live images blessed from this server (name or ID)",
        )
        add_all_projects(parser)
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        wire = base.scoped_wire(self, parsed_args)
        if parsed_args.server is not None:
            found = wire.list_blessed(wire.resolve(parsed_args.server))
        else:
            found = list(roles.list_servers(wire, roles=(roles.LIVE_IMAGE,)))
        return output.server_list(found, project=parsed_args.all_projects)


class ShowLiveImage(OscCommand, server_commands.ShowServer):  # type: ignore[misc]  # cliff's _hooks, see StaticPlugins
    """Show a live image's details (gc show)"""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super(server_commands.ShowServer, self).get_parser(
            prog_name
        )  # gc's arguments skipped
        parser.add_argument(
            "server", metavar="<live-image>", help="Live image to show (name or ID)"
        )
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        view = self.wire.find(parsed_args.server)
        if roles.role_of(view) != roles.LIVE_IMAGE:
            raise CommandError(
                f"Server {view.get('id')} is not a live image (it has no blessed_from); "
                "show it with openstack server show"
            )
        return output.server_properties(view)


class CreateLiveImageServer(OscCommand, live_image.LaunchServer):  # type: ignore[misc]  # cliff's _hooks, see StaticPlugins
    """Create servers from a live image (gc launch)"""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super(live_image.LaunchServer, self).get_parser(
            prog_name
        )  # gc's arguments skipped
        parser.add_argument(
            "name",
            metavar="<name>",
            nargs="?",
            help="New server name (default: <live image>-clone; the cloud must "
            "advertise launch-name)",
        )
        parser.add_argument(
            "--live-image",
            dest="server",
            metavar="<live-image>",
            required=True,
            help="Live image to create the servers from (name or ID)",
        )
        parser.add_argument(
            "--target",
            metavar="<memory>",
            help="Memory target of the new servers (<number>[B|KB|MB|GB|TB])",
        )
        parser.add_argument(
            "--param",
            dest="params",
            metavar="<key=value>",
            action="append",
            default=[],
            help="Guest parameter for vms-agent (repeat option to set multiple "
            "parameters; 'key' alone sends an empty value)",
        )
        count_group = parser.add_mutually_exclusive_group()
        ensure_launch.add_argument(count_group)
        for option in LAUNCH_OPTIONS:
            name = osc_option(option)
            if name is None:
                continue
            kind = dict(live_image.ARGPARSE_KIND.get(option.kind, {}))
            help_text = option.gc.help
            metavar = option.gc.metavar
            if option.kind is Kind.LIST:
                kind = {"action": "append"}
                metavar = f"<{name[2:]}>"
                help_text = f"{name[2:].replace('-', ' ').capitalize()} of the new servers "
                help_text += "(repeat option to give more)"
            (count_group if option.kind is Kind.COUNT else parser).add_argument(
                name, dest=option.dest, metavar=metavar, help=help_text, **kind
            )
        base.add_wait_arguments(parser, "the new servers are ACTIVE")
        return parser


class ListLiveImageServer(OscCommand, classes.ReadOnlyLister):  # type: ignore[misc]  # cliff's _hooks, see StaticPlugins
    """List servers created from live images (gc list --launched, gc list-launched)"""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "--live-image",
            metavar="<live-image>",
            help="Only the servers created from this live image (name or ID)",
        )
        add_all_projects(parser)
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        wire = base.scoped_wire(self, parsed_args)
        if parsed_args.live_image is not None:
            found = wire.list_launched(wire.resolve(parsed_args.live_image))
        else:
            found = list(roles.list_servers(wire, roles=(roles.LAUNCHED,)))
        return output.server_list(found, project=parsed_args.all_projects)


class ShowLiveImageLineage(OscCommand, lineage_commands.ShowLineage):  # type: ignore[misc]  # cliff's _hooks, see StaticPlugins
    """Show the tree of live images and servers from a server (gc lineage)"""


class MigrateVmsServer(OscCommand, server_commands.MigrateServer):  # type: ignore[misc]  # cliff's _hooks, see StaticPlugins
    """Migrate a server with Gridcentric VMS, memory streamed (gc gc-migrate)"""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super(server_commands.MigrateServer, self).get_parser(
            prog_name
        )  # gc's arguments skipped
        parser.add_argument("server", metavar="<server>", help="Server to migrate (name or ID)")
        parser.add_argument(
            "--host",
            dest="dest",
            metavar="<host>",
            help="Host to migrate to (default: the cloud picks one)",
        )
        base.add_wait_arguments(parser, "the server is ACTIVE again")
        return parser
