"""Live-image commands: bless, launch, discard, list-launched, list-blessed."""

from __future__ import annotations

import argparse
from typing import Any

from cliff import command, lister

from gcclient.cli import base, views
from gcclient.exceptions import GcError


class BlessServer(lister.Lister):
    """Bless an instance"""

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
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        from gcclient import bodies, waiting

        if parsed_args.name is not None:
            bodies.check_name(parsed_args.name)
        wire = base.wire(self)

        def bless(server: str) -> list[dict[str, Any]]:
            blessed = wire.bless(wire.resolve(server), name=parsed_args.name)
            if parsed_args.wait:
                with base.polling(self, parsed_args) as poll:
                    blessed = [
                        waiting.wait_for_status(wire, b["id"], "BLESSED", poller=poll)
                        for b in blessed
                    ]
            return blessed

        # Show what was blessed even when another source failed, then fail (see run).
        done: list[dict[str, Any]] = []
        self.failure: Exception | None = None
        try:
            base.for_each(parsed_args.server, lambda s: done.extend(bless(s)), "bless")
        except GcError as exc:
            if not done:
                raise
            self.failure = exc
        return views.server_list(done)

    def run(self, parsed_args: argparse.Namespace) -> int:
        result = super().run(parsed_args)
        failure = getattr(self, "failure", None)
        if failure is not None:
            raise failure
        return result


class LaunchServer(lister.Lister):
    """Launch a new instance"""

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
        parser.add_argument(
            "--name", metavar="<name>", help="Name of the new instance (default: <blessed>-clone)"
        )
        parser.add_argument(
            "--num-instances",
            metavar="<count>",
            type=int,
            help="Number of instances to launch (default: 1)",
        )
        parser.add_argument(
            "--user-data",
            metavar="<file>",
            help="File of user data to pass to the new instance ('-' reads standard "
            "input); at most 49149 bytes (65535 once base64-encoded)",
        )
        parser.add_argument(
            "--security-groups",
            metavar="<group,group>",
            help="Comma-separated security groups of the new instance",
        )
        parser.add_argument(
            "--availability-zone",
            metavar="<zone[:host]>",
            help="Availability zone (or zone:host) to launch in",
        )
        parser.add_argument("--key-name", metavar="<key-name>", help="Keypair to inject")
        parser.add_argument(
            "--hint",
            metavar="<key=value>",
            action="append",
            default=[],
            help="Scheduler hint (repeat for more; a repeated key makes a list)",
        )
        parser.add_argument(
            "--nic",
            metavar="<net-id=net-uuid,v4-fixed-ip=ip-addr,port-id=port-uuid>",
            action="append",
            default=[],
            help="A network of the new instance (repeat for more); net-id or port-id is required",
        )
        parser.add_argument(
            "server",
            metavar="<blessed id>",
            help="ID of the blessed instance (name or ID)",
        )
        base.add_wait_arguments(parser, "the launched instances are ACTIVE")
        return parser

    def launch_params(self, parsed_args: argparse.Namespace) -> dict[str, Any]:
        """Every option checked and converted before anything is sent."""
        from gcclient import bodies

        target = None
        if parsed_args.target is not None:
            target, warning = bodies.normalise_target(parsed_args.target)
            if warning:
                base.LOG.warning(warning)
        user_data = None
        if parsed_args.user_data is not None:
            user_data = bodies.encode_user_data(read_user_data(parsed_args.user_data, self.app))
        if parsed_args.name is not None:
            bodies.check_name(parsed_args.name)
        num = parsed_args.num_instances
        return {
            "target": target,
            "guest": bodies.parse_params(parsed_args.params) or None,
            "name": parsed_args.name,
            "user_data": user_data,
            "security_groups": bodies.parse_security_groups(parsed_args.security_groups),
            "num_instances": bodies.check_num_instances(num) if num is not None else None,
            "availability_zone": parsed_args.availability_zone,
            "key_name": parsed_args.key_name,
            "scheduler_hints": bodies.parse_hints(parsed_args.hint) or None,
            "networks": [bodies.parse_nic(nic) for nic in parsed_args.nic] or None,
        }

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        from gcclient import waiting

        params = self.launch_params(parsed_args)
        wire = base.wire(self)
        blessed_id = wire.resolve(parsed_args.server)
        count = params["num_instances"] or 1
        before: set[str] = set()
        if parsed_args.wait and count > 1:
            from gcclient import bodies

            wire.require(bodies.LAUNCH_CAPABILITIES, params)
            before = {str(s["id"]) for s in wire.list_launched(blessed_id)}
        launched = wire.launch(blessed_id, **params)
        if parsed_args.wait:
            with base.polling(self, parsed_args) as poll:
                if count > 1:
                    launched = waiting.wait_for_launched(
                        wire, blessed_id, count, before, poller=poll
                    )
                else:
                    launched = [
                        waiting.wait_for_status(wire, s["id"], "ACTIVE", poller=poll)
                        for s in launched
                    ]
        return views.server_list(launched)


def read_user_data(path: str, app: Any) -> bytes:
    """At most the limit + 1 bytes of a file ('-': standard input), never the whole of
    an endless one; too much or unreadable is a CommandError."""
    from gcclient import bodies
    from gcclient.exceptions import CommandError

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


class DiscardServer(command.Command):
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
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> None:
        from gcclient import waiting

        wire = base.wire(self)

        def discard(server: str) -> None:
            server_id = wire.resolve(server)
            with base.polling(self, parsed_args) as poll:
                if parsed_args.delete_launched:
                    for child in wire.list_launched(server_id):
                        wire.delete(child["id"])
                    waiting.wait_until_no_launched(wire, server_id, poller=poll)
                wire.discard(server_id)
                if parsed_args.wait:
                    waiting.wait_until_gone(wire, [server_id], poller=poll)

        base.for_each(parsed_args.server, discard, "discard")


class ListLaunched(lister.Lister):
    """List instances launched from this blessed instance."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "server",
            metavar="<blessed id>",
            help="ID of the blessed instance (name or ID)",
        )
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        wire = base.wire(self)
        return views.server_list(wire.list_launched(wire.resolve(parsed_args.server)))


class ListBlessed(lister.Lister):
    """List instances blessed from this instance."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "server",
            metavar="<server id>",
            help="ID of the instance (name or ID)",
        )
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        wire = base.wire(self)
        return views.server_list(wire.list_blessed(wire.resolve(parsed_args.server)))
