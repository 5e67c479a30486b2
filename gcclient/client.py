"""The Python API: ``Client(...)`` with ``client.gridcentric`` and server objects.

from gcclient import Client
gc = Client(cloud="mycloud")      # or auth_url=..., username=..., password=..., ...
blessed = gc.gridcentric.bless(server_id)[0]
clone = blessed.wait_for("BLESSED").launch(target="512MB")[0]
"""

from __future__ import annotations

import builtins
import difflib
import inspect
import os
from collections.abc import Iterable
from typing import Any

from gcclient.api import exceptions
from gcclient.api.gcwire import Wire
from gcclient.core import lineage, waiting
from gcclient.core import manager as core_manager
from gcclient.session import cloudconfig, connect
from gcclient.session.settings import (
    SESSION_DEFAULTS,
    Settings,
    auth_keys,
    choose_auth_type,
    env_value,
)


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
    """Entry point of the Python API; give one of:

    * ``cloud="name"``: a cloud of clouds.yaml (read by openstacksdk's loader, as
      ``openstack --os-cloud``); keyword arguments given beside it win;
    * ``session=``: a keystoneauth session you already have;
    * ``connection=``: an openstacksdk ``Connection`` (its session, region and
      interface are used);
    * plain auth arguments: ``auth_url``, ``username``, ``password``,
      ``project_name``, ... (those of the keystoneauth plugin, ``auth_type``).

    Nothing is read from the ``OS_*`` variables: :meth:`from_environment` does that,
    as ``gc`` does. A keyword that no setting has raises ``TypeError``.
    """

    def __init__(
        self,
        session: Any = None,
        *,
        connection: Any = None,
        cloud: str | None = None,
        region_name: str | None = None,
        interface: str | None = None,
        service_type: str | None = None,
        endpoint_override: str | None = None,
        auth_type: str | None = None,
        cacert: str | None = None,
        insecure: bool = False,
        cert: str | None = None,
        key: str | None = None,
        timeout: float | None = None,
        token_cache: bool = False,
        use_env: bool = False,
        **auth: Any,
    ) -> None:
        self.connection = None
        if session is not None or connection is not None:
            _only_one(session=session, connection=connection, cloud=cloud, **auth)
            if connection is not None:
                session = connection.session
                config = getattr(connection, "config", None)
                if config is not None:
                    region_name = region_name or config.get_region_name("compute")
                    found = config.get_interface("compute")
                    interface = interface or (found if isinstance(found, str) else None)
            compute = _adapter(session, service_type, interface, region_name, endpoint_override)
        else:
            settings = Settings(
                auth_type=auth_type,
                auth={k: v for k, v in auth.items() if v is not None},
                region_name=region_name,
                interface=interface,
                compute_service_type=service_type,
                endpoint_override=endpoint_override,
                cacert=cacert,
                insecure=insecure,
                cert=cert,
                key=key,
                timeout=timeout,
                use_cache=token_cache,
                use_env=use_env,
            )
            if cloud:
                settings = cloudconfig.merge(settings, cloud)
            _check_keywords(settings, auth)
            try:
                self.connection = connect.connect(settings)
            except exceptions.AuthSettingsError as exc:
                exc.message = str(exc) + _env_hint(exc, use_env)
                raise
            session = self.connection.session
            compute = self.connection.adapter
        self.session = session
        self.wire = Wire(compute)
        self.gridcentric = GridcentricManager(self.wire)

    @classmethod
    def from_environment(cls, **kwargs: Any) -> Client:
        """A client from the ``OS_*`` variables, as ``gc`` and ``openstack`` read them
        (``OS_CLOUD``, ``OS_AUTH_URL``, ``OS_USERNAME``, ``OS_PASSWORD``, ...);
        keyword arguments win over them."""
        for name, variable in (
            ("cloud", "OS_CLOUD"),
            ("region_name", "OS_REGION_NAME"),
            ("interface", "OS_INTERFACE"),
            ("auth_type", "OS_AUTH_TYPE"),
            ("cacert", "OS_CACERT"),
        ):
            if kwargs.get(name) is None and env_value(variable):
                kwargs[name] = env_value(variable)
        return cls(use_env=True, **kwargs)


_KEYWORDS = tuple(
    name for name in inspect.signature(Client.__init__).parameters if name not in ("self", "auth")
)


def _unexpected(name: str, known: Iterable[str]) -> TypeError:
    close = difflib.get_close_matches(name, sorted(set(known)), n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return TypeError(f"Client() got an unexpected keyword argument '{name}'{hint}")


def _only_one(session: Any, connection: Any, cloud: str | None, **auth: Any) -> None:
    """``session=`` and ``connection=`` carry their own authentication: nothing else may."""
    given = [n for n, v in (("session", session), ("connection", connection)) if v is not None]
    if cloud:
        given.append("cloud")
    if len(given) > 1:
        raise TypeError(f"Client() takes one of session, connection or cloud, not {given}")
    if auth:
        name = sorted(auth)[0]
        if name not in connect_auth_names():
            raise _unexpected(name, [*_KEYWORDS, *connect_auth_names()])
        raise TypeError(
            f"Client() got '{name}' beside {given[0]}=: the {given[0]} already authenticates"
        )


def connect_auth_names() -> set[str]:
    return auth_keys("password") or set()


def _check_keywords(settings: Settings, given: dict[str, Any]) -> None:
    """A keyword that no setting of the chosen auth type has is a TypeError (a typo
    such as ``usernme=`` was ignored and the value silently missing)."""
    known = auth_keys(choose_auth_type(settings))
    if known is None:
        return  # an unknown auth type: connect() names it
    for name in given:
        if name not in known:
            raise _unexpected(name, [*_KEYWORDS, *known])


def _env_hint(exc: exceptions.AuthSettingsError, use_env: bool) -> str:
    """Old scripts relied on the OS_* variables filling the gaps: say how to ask."""
    if use_env or not str(exc).startswith("Missing setting"):
        return ""
    if not any(name.startswith("OS_") for name in os.environ):
        return ""
    return "; the OS_* variables are not read unless asked: use Client.from_environment()"


def _adapter(
    session: Any,
    service_type: str | None,
    interface: str | None,
    region_name: str | None,
    endpoint_override: str | None,
) -> Any:
    from keystoneauth1 import adapter

    return adapter.Adapter(
        session=session,
        service_type=service_type or SESSION_DEFAULTS["compute_service_type"],
        interface=interface or SESSION_DEFAULTS["interface"],
        region_name=region_name,
        endpoint_override=endpoint_override,
    )
