"""The static command table: names to ``module:Class``, loaded only when used.

A static table instead of an entry-point scan keeps start-up fast.
"""

from __future__ import annotations

import importlib
from typing import Any

COMMANDS: dict[str, str] = {
    "bless": "gcclient.cli.live_image:BlessServer",
    "launch": "gcclient.cli.live_image:LaunchServer",
    "discard": "gcclient.cli.live_image:DiscardServer",
    "list-launched": "gcclient.cli.live_image:ListLaunched",
    "list-blessed": "gcclient.cli.live_image:ListBlessed",
    "gc-migrate": "gcclient.cli.server_commands:MigrateServer",
    "show": "gcclient.cli.server_commands:ShowServer",
    "delete": "gcclient.cli.server_commands:DeleteServer",
    "capabilities": "gcclient.cli.capability:ListCapabilities",
    "export": "gcclient.cli.transfer:ExportServer",
    "import": "gcclient.cli.transfer:ImportServer",
    "install-policy": "gcclient.cli.policy:InstallPolicy",
    "get-policy": "gcclient.cli.policy:GetPolicy",
    "boot": "gcclient.cli.boot:BootServer",
    "lineage": "gcclient.cli.lineage_commands:ShowLineage",
    "wait": "gcclient.cli.wait:WaitServers",
    "list": "gcclient.cli.listing_commands:ListServers",
}

# Other names of the same commands: historical and cobalt-era spellings
# (spec section 1). Each one runs exactly the command it names.
ALIASES: dict[str, str] = {
    # 2012 Gridcentric client
    "migrate": "gc-migrate",
    "gc-export": "export",
    "gc-import": "import",
    "gc-boot": "boot",
    # 2013 Cobalt client
    "live-image-create": "bless",
    "live-image-start": "launch",
    "live-image-delete": "discard",
    "live-image-list": "list-blessed",
    "live-image-servers": "list-launched",
    "live-image-export": "export",
    "live-image-import": "import",
    "cobalt-migrate": "gc-migrate",
    "cobalt-capabilities": "capabilities",
}


# Each command's first doc line, for ``gc --help`` without importing the command
# modules (gcclient/cli/quickhelp.py); tests/unit/cli/test_quickhelp.py checks each
# against its class. The aliases' lines are derived ("... (alias of 'name')").
SUMMARIES: dict[str, str] = {
    "bless": "Bless an instance",
    "launch": "Launch a new instance",
    "discard": "Discard a blessed instance",
    "list-launched": "List instances launched from this blessed instance",
    "list-blessed": "List instances blessed from this instance",
    "gc-migrate": "Migrate an instance using Gridcentric VMS",
    "show": "Show a server, with its Gridcentric metadata",
    "delete": "Delete a server (a blessed one is refused: discard it)",
    "capabilities": "List the capabilities that the cloud advertises",
    "export": "Export a blessed instance to a file",
    "import": "Import a blessed instance from an export file",
    "install-policy": "Install a vmspolicyd policy on every host",
    "get-policy": "Show the policy applied to a launched server",
    "boot": "Boot a server, on a chosen host with --host (admin only)",
    "lineage": "Show the tree of blessed and launched servers from a server",
    "wait": "Wait until servers reach a status, or are gone",
    "list": "List the project's live images (or launched or all servers) with their role",
    # cliff's help and complete, as gc registers them (application.py)
    "help": "print detailed help for another command",
    "complete": "print bash completion command",
}


class LazyCommand:
    """An entry-point-like object that imports its command class on first use; an
    alias loads the command's alias class (declared with ``alias_of``)."""

    def __init__(self, name: str, target: str) -> None:
        self.name = name
        self.value = target

    def load(self) -> Any:
        module, _, attr = self.value.partition(":")
        cls = getattr(importlib.import_module(module), attr)
        if self.name in ALIASES:
            return cls.alias_class
        return cls


def all_commands() -> dict[str, str]:
    table = dict(COMMANDS)
    table.update({alias: COMMANDS[name] for alias, name in ALIASES.items()})
    return table


def all_summaries() -> dict[str, str]:
    """Every command name of ``gc --help`` with its first doc line."""
    table = dict(SUMMARIES)
    table.update(
        {alias: f"{SUMMARIES[name]} (alias of '{name}')" for alias, name in ALIASES.items()}
    )
    return table
