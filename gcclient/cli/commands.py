"""The static command table: names to ``module:Class``, loaded only when used.

A static table instead of an entry-point scan keeps start-up fast.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from gcclient.cli import startup

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
    """An entry-point-like object that imports its command class on first use."""

    def __init__(self, name: str, target: str) -> None:
        self.name = name
        self.value = target

    def load(self) -> Any:
        cls = _command_class(self.value)
        if self.name in ALIASES:
            return alias_class(cls, self.name, ALIASES[self.name])
        return cls


_LOADED: dict[str, type] = {}


def _command_class(target: str) -> type:
    """The command class with gc's static hooks and formatters mixed in
    (``startup.StaticPlugins``: no entry-point scans), one class per target."""
    if target not in _LOADED:
        module, _, attr = target.partition(":")
        _LOADED[target] = startup.static_command(getattr(importlib.import_module(module), attr))
    return _LOADED[target]


def alias_class(cls: type, alias: str, name: str) -> type:
    """The command class under another name: same behaviour, a description that
    says which command it stands for (shown by ``gc help``)."""
    first, _, rest = (inspect.getdoc(cls) or "").partition("\n")
    doc = f"{first.rstrip('.')} (alias of '{name}')" + (f"\n{rest}" if rest else "")
    return type(cls.__name__, (cls,), {"__doc__": doc, "__module__": cls.__module__})


def all_commands() -> dict[str, str]:
    table = dict(COMMANDS)
    table.update({alias: COMMANDS[name] for alias, name in ALIASES.items()})
    return table
