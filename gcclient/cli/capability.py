"""``gc capabilities``: what the cloud's Gridcentric extension advertises (GET /gcinfo)."""

from __future__ import annotations

import argparse
from typing import Any

from gcclient.cli import classes

# Every capability a Gridcentric or Cobalt server has advertised, and what it gates
# in gc (spec 3.7 and 5.9).
KNOWN_CAPABILITIES: dict[str, str] = {
    "availability-zone": "launch --availability-zone",
    "bless-name": "bless --name",
    "get-policy": "get-policy",
    "import-export": "export, import",
    "install-policy": "install-policy",
    "launch-key": "launch --key-name",
    "launch-name": "launch --name",
    "launch-nics": "launch --nic",
    "num-instances": "launch --num-instances",
    "scheduler-hints": "launch --hint",
    "security-groups": "launch --security-groups (only warns on Cobalt clouds)",
    "supports-volumes": "servers with volumes can be blessed and launched (nothing in gc)",
    "user-data": "launch --user-data",
}


class ListCapabilities(classes.Lister):
    """List the capabilities that the cloud advertises

    The Gridcentric extension advertises them through GET /gcinfo.

    A cloud without GET /gcinfo (Gridcentric servers older than February
    2013) advertises none: every option that needs a capability is refused there.
    A cloud without the extension at all (GET /extensions does not list it) is
    an error: it says so on stderr, exit 1.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "--all",
            action="store_true",
            help="List every capability gc knows, whether this cloud advertises it "
            "and what it gates",
        )
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        advertised = self.wire.offered_capabilities()
        if not parsed_args.all:
            return ("Capability",), [(name,) for name in sorted(advertised)]
        names = sorted(set(KNOWN_CAPABILITIES) | set(advertised))
        rows = [
            (name, name in advertised, KNOWN_CAPABILITIES.get(name, "(unknown to gc)"))
            for name in names
        ]
        return ("Capability", "Advertised", "Gates"), rows


class ListCapabilitiesAlias(ListCapabilities, alias_of="capabilities"):
    """Set from ListCapabilities's description by ``alias_of``."""
