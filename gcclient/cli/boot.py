"""``gc boot``: boot a server on a chosen host (admin only, POST /gcservers)."""

from __future__ import annotations

import argparse
from typing import Any

from gcclient.api import bodies
from gcclient.api.exceptions import NotFound, NoUniqueMatch
from gcclient.api.names import is_uuid
from gcclient.cli import base, classes, output


class BootServer(classes.ShowOne):
    """Boot a server, on a chosen host with --host (admin only)

    Without --host this is a plain nova boot (POST /servers). With --host it
    goes through POST /gcservers; the host must run the Gridcentric service.
    Image and flavor are taken as
    IDs; anything else is looked up by name (one GET /images/detail?name=... or
    GET /flavors/detail). The new server is shown after one GET (or when ACTIVE,
    with --wait).
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "--image", metavar="<image>", required=True, help="Image to boot (name or ID)"
        )
        parser.add_argument(
            "--flavor", metavar="<flavor>", required=True, help="Flavor of the server (name or ID)"
        )
        parser.add_argument(
            "--host",
            metavar="<host>",
            help="Host to boot on; it must run the Gridcentric service (admin only)",
        )
        parser.add_argument("name", metavar="<name>", help="Name of the new server")
        base.add_wait_arguments(parser, "the server is ACTIVE")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        bodies.check_name(parsed_args.name, "<name>")
        ops = self.operations(parsed_args)
        image = image_ref(ops.wire, parsed_args.image)
        flavor = flavor_ref(ops.wire, parsed_args.flavor)
        server = {"name": parsed_args.name, "imageRef": image, "flavorRef": flavor}
        created = ops.boot(server, on_host=parsed_args.host)
        view = final_view(self, ops, parsed_args, "boot", created, "ACTIVE")
        if created.get("adminPass"):
            view = {**view, "adminPass": created["adminPass"]}
        return output.server_properties(view)


def final_view(
    command: base.Outcomes,
    ops: Any,
    parsed_args: argparse.Namespace,
    action: str,
    created: dict[str, Any],
    status: str,
) -> dict[str, Any]:
    """A new server's view: when it reaches ``status`` with --wait, else from one GET;
    if that GET or the wait fails, the answer of the write (the failure is reported
    after the output)."""
    server_id = str(created["id"])
    if not parsed_args.wait:
        found = command.after_write(
            lambda: ops.wait_after(action, [created], lambda: [ops.wire.get(server_id)]), [created]
        )
        return dict(found[0])
    with base.polling(command, parsed_args) as poll:
        found = command.after_write(
            lambda: ops.wait_status(action, [created], status, poll), [created]
        )
    return dict(found[0])


def _unique(kind: str, wanted: str, found: list[dict[str, Any]]) -> str:
    if not found:
        raise NotFound(f"No {kind} with a name or ID of '{wanted}' exists.", http_status=404)
    if len(found) > 1:
        raise NoUniqueMatch(
            f"Multiple {kind} matches found for '{wanted}', use an ID to be more specific."
        )
    return str(found[0]["id"])


def image_ref(wire: Any, value: str) -> str:
    """A UUID as it is; a name by one filtered GET /images/detail?name=..."""
    if is_uuid(value):
        return value
    found = [i for i in wire.list_images(name=value) if i.get("name") == value]
    return _unique("image", value, found)


def flavor_ref(wire: Any, value: str) -> str:
    """All digits as it is (nova's flavor IDs); otherwise by ID or name from one
    GET /flavors/detail."""
    if value.isdigit():
        return value
    flavors = wire.list_flavors()
    by_id = [f for f in flavors if str(f.get("id")) == value]
    return _unique("flavor", value, by_id or [f for f in flavors if f.get("name") == value])


class BootServerAlias(BootServer, alias_of="boot"):
    """Set from BootServer's description by ``alias_of``."""
