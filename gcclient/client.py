"""The Python API: ``Client(session=...)`` with ``client.gridcentric`` and server objects.

from gcclient import Client
gc = Client(auth_url=..., username=..., password=..., project_name=...)
blessed = gc.gridcentric.bless(server_id)[0]
clone = blessed.wait_for("BLESSED").launch(target="512MB")[0]
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import Any

from gcclient.api.gcwire import Wire
from gcclient.core import lineage, waiting
from gcclient.core import manager as core_manager
from gcclient.session import connect
from gcclient.session.settings import Settings


class Server:
    """A server view with the Gridcentric operations as methods."""

    def __init__(self, manager: GridcentricManager, info: dict[str, Any]) -> None:
        self.manager = manager
        self._info = dict(info)

    def __getattr__(self, name: str) -> Any:
        info = self.__dict__.get("_info", {})
        if name in info:
            return info[name]
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"<Server {self._info.get('id')} {self._info.get('name')!r} {self.status}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Server) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def to_dict(self) -> dict[str, Any]:
        return dict(self._info)

    @property
    def status(self) -> str | None:
        return self._info.get("status")

    @property
    def metadata(self) -> dict[str, str]:
        return dict(self._info.get("metadata") or {})

    def refresh(self) -> Server:
        """Fetch the server again and update this object in place."""
        self._info = self.manager.get(self.id)._info
        return self

    def bless(self, **kwargs: Any) -> builtins.list[Server]:
        return self.manager.bless(self, **kwargs)

    def launch(self, **kwargs: Any) -> builtins.list[Server]:
        return self.manager.launch(self, **kwargs)

    def discard(self) -> None:
        self.manager.discard(self)

    def migrate(self, dest: str | None = None) -> None:
        self.manager.migrate(self, dest)

    def list_launched(self) -> builtins.list[Server]:
        return self.manager.list_launched(self)

    def list_blessed(self) -> builtins.list[Server]:
        return self.manager.list_blessed(self)

    def delete(self) -> None:
        self.manager.delete(self)

    def export(self) -> dict[str, Any]:
        return self.manager.export(self)

    def get_policy(self) -> builtins.list[str]:
        return self.manager.get_policy(self)

    def wait_for(self, status: str, timeout: float = 600.0) -> Server:
        """Poll until the status is reached (WaitError on ERROR or timeout)."""
        self._info = waiting.wait_for_status(self.manager.wire, self.id, status, timeout)
        return self

    def wait_until_gone(self, timeout: float = 600.0) -> None:
        waiting.wait_until_gone(self.manager.wire, [self.id], timeout)


class GridcentricManager(core_manager.BaseGridcentricManager):
    """``Client().gridcentric``: the core's operations, returning :class:`Server` objects."""

    def __init__(self, wire: Wire) -> None:
        self.wire = wire

    def _wrap(self, views: Iterable[dict[str, Any]]) -> builtins.list[Server]:
        return [Server(self, view) for view in views]

    def _is_server(self, server: Any) -> bool:
        return isinstance(server, Server)

    def lineage(self, server: Any, *, max_depth: int | None = None) -> lineage.Node:
        """The tree of blessed and launched servers under a server, as a
        ``gcclient.core.lineage.Node`` (a few requests per level of the tree, not one
        per server: see ``gcclient.core.lineage.build``)."""

        return lineage.build(self.wire, self._view(server), max_depth=max_depth)


class Client:
    """Entry point of the Python API.

    Give a keystoneauth ``session`` (and optionally region, interface, service
    type or endpoint override), or plain auth arguments (``auth_url``,
    ``username``, ``password``, ``project_name``, ...).
    """

    def __init__(
        self,
        session: Any = None,
        *,
        region_name: str | None = None,
        interface: str = "public",
        service_type: str = "compute",
        endpoint_override: str | None = None,
        token_cache: bool = False,
        **auth: Any,
    ) -> None:
        from keystoneauth1 import adapter

        self.connection = None
        if session is None:
            settings = Settings(
                auth_type=auth.pop("auth_type", None),
                auth={k: v for k, v in auth.items() if v is not None},
                region_name=region_name,
                interface=interface,
                compute_service_type=service_type,
                endpoint_override=endpoint_override,
                use_cache=token_cache,
            )
            self.connection = connect.connect(settings)
            session = self.connection.session
            compute = self.connection.adapter
        else:
            compute = adapter.Adapter(
                session=session,
                service_type=service_type,
                interface=interface,
                region_name=region_name,
                endpoint_override=endpoint_override,
            )
        self.session = session
        self.wire = Wire(compute)
        self.gridcentric = GridcentricManager(self.wire)
