"""The ``openstack`` commands: gc's command classes, wired to OSC's client manager.

Each class is the gc command class with one difference: ``self.app`` is seen
through :class:`OscApp`, whose ``client_manager.wire`` is
``client_manager.live_image`` (built by :func:`gcclient.osc.plugin.make_client`).
Options, output columns, waiting and errors are gc's.
"""

from __future__ import annotations

from typing import Any

from gcclient.api.exceptions import Words
from gcclient.cli import live_image, output, server_commands
from gcclient.cli.base import GC_WORDS
from gcclient.osc.plugin import API_NAME

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


class _ClientManager:
    """OSC's client manager, plus ``wire`` as gc's commands expect it."""

    def __init__(self, manager: Any) -> None:
        self._manager = manager

    @property
    def wire(self) -> Any:
        return getattr(self._manager, API_NAME)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._manager, name)


class OscApp:
    """OSC's app as gc's commands see it: the same, but for the client manager."""

    def __init__(self, app: Any) -> None:
        self._app = app

    @property
    def client_manager(self) -> _ClientManager:
        return _ClientManager(self._app.client_manager)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._app, name)


class OscCommand(output.StructuredOutput):
    """Mixin: authenticate first (OSC's ``auth_required``) and see the app through
    :class:`OscApp`; structured columns (Networks) as in gc."""

    auth_required = True
    app: Any
    words = OSC_WORDS

    def __init__(self, app: Any, app_args: Any, cmd_name: str | None = None) -> None:
        super().__init__(app, app_args, cmd_name)  # type: ignore[call-arg]
        if app is not None:
            self.app = OscApp(app)


class CreateLiveImage(OscCommand, live_image.BlessServer):
    """Create a live image: bless a server (gc bless)"""


class StartLiveImage(OscCommand, live_image.LaunchServer):
    """Start servers from a live image (gc launch)"""


class DeleteLiveImage(OscCommand, live_image.DiscardServer):
    """Delete a live image (gc discard)"""


class ListLiveImages(OscCommand, live_image.ListBlessed):
    """List the live images blessed from a server (gc list-blessed)"""


class ListLiveImageServers(OscCommand, live_image.ListLaunched):
    """List the servers started from a live image (gc list-launched)"""


class MigrateServer(OscCommand, server_commands.MigrateServer):
    """Migrate a server with Gridcentric VMS (gc gc-migrate)"""
