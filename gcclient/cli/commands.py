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
    "gc-migrate": "gcclient.cli.server:MigrateServer",
    "show": "gcclient.cli.server:ShowServer",
    "delete": "gcclient.cli.server:DeleteServer",
}

# Other names of the same commands: historical and cobalt-era spellings.
ALIASES: dict[str, str] = {
    "migrate": "gc-migrate",
}


class LazyCommand:
    """An entry-point-like object that imports its command class on first use."""

    def __init__(self, name: str, target: str) -> None:
        self.name = name
        self.value = target

    def load(self) -> Any:
        module, _, attr = self.value.partition(":")
        return getattr(importlib.import_module(module), attr)


def all_commands() -> dict[str, str]:
    table = dict(COMMANDS)
    table.update({alias: COMMANDS[name] for alias, name in ALIASES.items()})
    return table
