"""novaclient's ``nova.gridcentric``: the core's manager with novaclient's server
objects and exceptions, worded for nova users (``nova list-launched <id>``)."""

from __future__ import annotations

import builtins
import functools
from collections.abc import Callable, Iterable
from typing import Any

from novaclient import base
from novaclient import exceptions as nova_exc
from novaclient.v2 import servers as nova_servers

from gcclient.api import exceptions
from gcclient.api.gcwire import Wire
from gcclient.api.launch_options import LAUNCH_OPTIONS
from gcclient.core import manager as core_manager

# How nova users check an outcome, name an option, resume a wait.
NOVA_WORDS = exceptions.Words(
    checks={
        "show": "with nova show {server}",
        "list-launched": "with nova list-launched {server}",
        "list-blessed": "with nova list-blessed {server}",
        "list": "with nova list",
        "get-policy": "the policy of a launched server",
    },
    options={
        **{option.key: "--" + option.option for option in LAUNCH_OPTIONS},
        "export": "export",
        "import": "import",
        "install_policy": "install-policy",
        "get_policy": "get-policy",
        "discard": "discard it instead (nova discard, or .discard())",
    },
)

_STATUS_ERRORS: dict[int, type[nova_exc.ClientException]] = {
    400: nova_exc.BadRequest,
    401: nova_exc.Unauthorized,
    403: nova_exc.Forbidden,
    404: nova_exc.NotFound,
    405: nova_exc.MethodNotAllowed,
    406: nova_exc.NotAcceptable,
    409: nova_exc.Conflict,
    413: nova_exc.OverLimit,
    429: nova_exc.RateLimit,
    501: nova_exc.HTTPNotImplemented,
}
_ADAPTER_OPTIONS = (
    "service_type",
    "service_name",
    "interface",
    "region_name",
    "endpoint_override",
    "version",
    "auth",
    "user_agent",
    "logger",
)


def to_novaclient_error(exc: exceptions.GcError) -> Exception:
    """The novaclient exception matching a gcclient error."""
    message = exc.render(NOVA_WORDS)
    if isinstance(exc, exceptions.ClientException) and exc.http_status:
        # novaclient's own text adds "(HTTP 400) (Request-ID: ...)": not twice.
        message = exc.message.removesuffix(exc.status_suffix())
        cls = _STATUS_ERRORS.get(exc.http_status, nova_exc.ClientException)
        return cls(
            code=exc.http_status,
            message=message,
            request_id=exc.request_id,
            url=exc.url,
            method=exc.method,
        )
    if isinstance(exc, exceptions.NoUniqueMatch):
        return nova_exc.NoUniqueMatch(message)
    return nova_exc.CommandError(message)


def translated(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except exceptions.GcError as exc:
            raise to_novaclient_error(exc) from exc

    return wrapper


class GridcentricServer(nova_servers.Server):
    """A novaclient Server with the Gridcentric operations as methods."""

    def bless(self, **kwargs: Any) -> builtins.list[GridcentricServer]:
        return self.manager.bless(self, **kwargs)

    def launch(
        self, target: str | None = None, guest_params: dict[str, str] | None = None, **kwargs: Any
    ) -> builtins.list[GridcentricServer]:
        return self.manager.launch(self, target, guest_params, **kwargs)

    def discard(self) -> None:
        self.manager.discard(self)

    def migrate(self, dest: str | None = None) -> None:
        self.manager.migrate(self, dest)

    def list_launched(self) -> builtins.list[GridcentricServer]:
        return self.manager.list_launched(self)

    def list_blessed(self) -> builtins.list[GridcentricServer]:
        return self.manager.list_blessed(self)

    def export(self) -> dict[str, Any]:
        return self.manager.export(self)

    def get_policy(self) -> builtins.list[str]:
        return self.manager.get_policy(self)


class NovaGridcentricManager(core_manager.BaseGridcentricManager, base.Manager):
    """``nova.gridcentric``: the Gridcentric operations over the shared :class:`Wire`.

    Every method takes a server object, an ID or a name. Other server calls
    made on the returned objects (``reboot()``, ...) go to ``nova.servers``.
    gcclient errors become novaclient exceptions (the gcclient error, with its
    structured fields, is their ``__cause__``).
    """

    resource_class = GridcentricServer
    words = NOVA_WORDS

    def __init__(self, api: Any) -> None:
        base.Manager.__init__(self, api)
        self._wire: Wire | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or "api" not in self.__dict__:
            raise AttributeError(name)
        return getattr(self.api.servers, name)

    @property
    def wire(self) -> Wire:  # type: ignore[override]
        """The shared wire, on an Adapter built from novaclient's session client."""
        if self._wire is None:
            self._wire = Wire(self._adapter())
        return self._wire

    def _adapter(self) -> Any:
        from keystoneauth1 import adapter

        source = self.api.client
        options = {
            name: getattr(source, name)
            for name in _ADAPTER_OPTIONS
            if getattr(source, name, None) is not None
        }
        options.setdefault("service_type", "compute")
        return TimedAdapter(adapter.Adapter(session=source.session, **options), source)

    def _wrap(self, views: Iterable[dict[str, Any]]) -> builtins.list[GridcentricServer]:
        return [GridcentricServer(self, dict(view), loaded=True) for view in views]

    def _is_server(self, server: Any) -> bool:
        return isinstance(server, nova_servers.Server)

    # Historical names, kept working (and returning results).

    def bless_instance(self, server: Any, **kwargs: Any) -> builtins.list[GridcentricServer]:
        return self.bless(server, **kwargs)

    def launch_instance(
        self, server: Any, *args: Any, **kwargs: Any
    ) -> builtins.list[GridcentricServer]:
        return self.launch(server, *args, **kwargs)

    def discard_instance(self, server: Any) -> None:
        self.discard(server)

    def migrate_instance(self, server: Any, dest: str | None = None) -> None:
        self.migrate(server, dest)

    def list_launched_instances(self, server: Any) -> builtins.list[GridcentricServer]:
        return self.list_launched(server)

    def list_blessed_instances(self, server: Any) -> builtins.list[GridcentricServer]:
        return self.list_blessed(server)

    def create_live_image(self, server: Any, **kwargs: Any) -> builtins.list[GridcentricServer]:
        return self.bless(server, **kwargs)

    def start_live_image(
        self, server: Any, *args: Any, **kwargs: Any
    ) -> builtins.list[GridcentricServer]:
        return self.launch(server, *args, **kwargs)

    def delete_live_image(self, server: Any) -> None:
        self.discard(server)

    def list_live_images(self, server: Any) -> builtins.list[GridcentricServer]:
        return self.list_blessed(server)

    def list_live_image_servers(self, server: Any) -> builtins.list[GridcentricServer]:
        return self.list_launched(server)


# Every operation of the core manager raises novaclient's exceptions here.
for _name in (
    "get",
    "list",
    "bless",
    "launch",
    "launch_request",
    "discard",
    "migrate",
    "list_launched",
    "list_blessed",
    "delete",
    "export",
    "import_server",
    "install_policy",
    "get_policy",
    "capabilities",
):
    setattr(
        NovaGridcentricManager,
        _name,
        translated(getattr(core_manager.BaseGridcentricManager, _name)),
    )


class TimedAdapter:
    """The extension's adapter, its requests recorded where novaclient records its own,
    so that ``nova --timings`` lists them (novaclient's ``utils.record_time`` into the
    session client's ``times``)."""

    def __init__(self, adapter: Any, client: Any) -> None:
        self.adapter = adapter
        self.client = client

    def request(self, url: str, method: str, **kwargs: Any) -> Any:
        from novaclient import utils

        times = getattr(self.client, "times", None)
        enabled = bool(getattr(self.client, "timings", False)) and isinstance(times, builtins.list)
        with utils.record_time(times, enabled, method, url):
            return self.adapter.request(url, method, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.adapter, name)
