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
