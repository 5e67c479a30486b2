"""The ``openstack`` commands: gc's command classes, wired to OSC's client manager.

Each class is the gc command class with :class:`OscCommand` mixed in: its ``wire``
is ``client_manager.live_image`` (built by :func:`gcclient.osc.plugin.make_client`).
Options, output columns, waiting and errors are gc's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gcclient.api.exceptions import Words
from gcclient.cli import live_image, server_commands
from gcclient.cli.base import GC_WORDS
from gcclient.osc.plugin import API_NAME

if TYPE_CHECKING:
    from gcclient.api.gcwire import Wire

# How openstack users check an outcome and resume a wait (gc's options are the same).
OSC_WORDS = Words(
    checks={
        "show": "with openstack server show {server}",
        "list-launched": "with openstack live-image servers {server}",
        "list-blessed": "with openstack live-image list {server}",
        "list": "with openstack server list",
        "get-policy": "the policy of a launched server",
    },
    options={**GC_WORDS.options, "discard": "use 'openstack live-image delete' to remove it"},
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
    app: Any

    @property
    def wire(self) -> Wire:
        return getattr(self.app.client_manager, API_NAME)  # type: ignore[no-any-return]


class CreateLiveImage(OscCommand, live_image.BlessServer):  # type: ignore[misc]  # cliff's _hooks, see StaticPlugins
    """Create a live image: bless a server (gc bless)"""


class StartLiveImage(OscCommand, live_image.LaunchServer):  # type: ignore[misc]  # cliff's _hooks, see StaticPlugins
    """Start servers from a live image (gc launch)"""


class DeleteLiveImage(OscCommand, live_image.DiscardServer):  # type: ignore[misc]  # cliff's _hooks, see StaticPlugins
    """Delete a live image (gc discard)"""


class ListLiveImages(OscCommand, live_image.ListBlessed):  # type: ignore[misc]  # cliff's _hooks, see StaticPlugins
    """List the live images blessed from a server (gc list-blessed)"""


class ListLiveImageServers(OscCommand, live_image.ListLaunched):  # type: ignore[misc]  # cliff's _hooks, see StaticPlugins
    """List the servers started from a live image (gc list-launched)"""


class MigrateServer(OscCommand, server_commands.MigrateServer):  # type: ignore[misc]  # cliff's _hooks, see StaticPlugins
    """Migrate a server with Gridcentric VMS (gc gc-migrate)"""
