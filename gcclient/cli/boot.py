"""``gc boot``: boot a server on a chosen host (admin only, POST /gcservers)."""

from __future__ import annotations

import argparse
from typing import Any

from cliff import show


class BootServer(show.ShowOne):
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
        from gcclient.cli import base

        base.add_wait_arguments(parser, "the server is ACTIVE")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        from gcclient import bodies
        from gcclient.cli import base, views

        bodies.check_name(parsed_args.name, "<name>")
        wire = base.wire(self)
        image = image_ref(wire, parsed_args.image)
        flavor = flavor_ref(wire, parsed_args.flavor)
        server = {"name": parsed_args.name, "imageRef": image, "flavorRef": flavor}
        created = wire.boot(server, on_host=parsed_args.host)
        server_id = str(created["id"])
        view = base.final_view(self, parsed_args, server_id, "ACTIVE")
        if created.get("adminPass"):
            view = {**view, "adminPass": created["adminPass"]}
        return views.server_properties(view)


def _unique(kind: str, wanted: str, found: list[dict[str, Any]]) -> str:
    from gcclient.exceptions import NotFound, NoUniqueMatch

    if not found:
        raise NotFound(f"No {kind} with a name or ID of '{wanted}' exists.", http_status=404)
    if len(found) > 1:
        raise NoUniqueMatch(
            f"Multiple {kind} matches found for '{wanted}', use an ID to be more specific."
        )
    return str(found[0]["id"])


def image_ref(wire: Any, value: str) -> str:
    """A UUID as it is; a name by one filtered GET /images/detail?name=..."""
    from gcclient.wire import is_uuid

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
