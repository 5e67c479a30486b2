"""The Gridcentric extension for python-novaclient.

Registered through the ``novaclient.extension`` entry point as ``gridcentric``:
``novaclient.client.Client("2", session=sess,
extensions=novaclient.client.discover_extensions("2"))`` then offers
``nova.gridcentric``, and ``nova`` gains ``bless``, ``launch``, ``discard``,
``gc-migrate``, ``list-launched`` and ``list-blessed``.

novaclient takes the last ``base.Manager`` subclass found in this module's
namespace as the manager class, so exactly one is defined here and no other
Manager class is imported by name.
"""

from __future__ import annotations

import builtins
import functools
import sys
from collections.abc import Callable, Iterable
from typing import Any

from novaclient import base, utils
from novaclient import exceptions as nova_exc
from novaclient.v2 import servers as nova_servers

from gcclient import bodies, exceptions
from gcclient.wire import Wire

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
    if isinstance(exc, exceptions.ClientException) and exc.http_status:
        cls = _STATUS_ERRORS.get(exc.http_status, nova_exc.ClientException)
        return cls(
            code=exc.http_status,
            message=exc.message,
            request_id=exc.request_id,
            url=exc.url,
            method=exc.method,
        )
    if isinstance(exc, exceptions.NoUniqueMatch):
        return nova_exc.NoUniqueMatch(exc.message)
    return nova_exc.CommandError(exc.message)


def _translated(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except exceptions.GcError as exc:
            raise to_novaclient_error(exc) from exc

    return wrapper


def _id(server: Any) -> str:
    return str(getattr(server, "id", server))


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


class GridcentricManager(base.Manager):
    """``nova.gridcentric``: the Gridcentric operations over the shared :class:`Wire`.

    Every method takes a server object, an ID or a name. Other server calls
    made on the returned objects (``reboot()``, ...) go to ``nova.servers``.
    """

    resource_class = GridcentricServer

    def __init__(self, api: Any) -> None:
        super().__init__(api)
        self._wire: Wire | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or "api" not in self.__dict__:
            raise AttributeError(name)
        return getattr(self.api.servers, name)

    @property
    def wire(self) -> Wire:
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

    def _resolve(self, server: Any) -> str:
        if isinstance(server, nova_servers.Server):
            return str(server.id)
        return self.wire.resolve(_id(server))

    @_translated
    def get(self, server: Any) -> GridcentricServer:
        return self._wrap([self.wire.find(_id(server))])[0]

    def find(self, name_or_id: str) -> GridcentricServer:
        return self.get(name_or_id)

    @_translated
    def list(self, **filters: str) -> builtins.list[GridcentricServer]:
        return self._wrap(self.wire.list_servers(**filters))

    @_translated
    def bless(self, server: Any, *, name: str | None = None) -> builtins.list[GridcentricServer]:
        return self._wrap(self.wire.bless(self._resolve(server), name=name))

    @_translated
    def launch(
        self,
        server: Any,
        target: str | None = None,
        guest_params: dict[str, str] | None = None,
        *,
        params: dict[str, str] | None = None,
        name: str | None = None,
        user_data: bytes | str | None = None,
        security_groups: str | builtins.list[str] | None = None,
        num_instances: int | None = None,
        availability_zone: str | None = None,
        key_name: str | None = None,
        scheduler_hints: dict[str, Any] | None = None,
        networks: builtins.list[dict[str, str]] | None = None,
    ) -> builtins.list[GridcentricServer]:
        """Launch from a blessed server; only the first new server comes back.

        ``user_data`` is raw (base64-encoded here); ``target`` follows the
        memory-target grammar (``512MB``); ``params``/``guest_params`` go to
        the in-guest agent.
        """
        launch_params = bodies.api_launch_params(
            target=target,
            params=params,
            guest_params=guest_params,
            name=name,
            user_data=user_data,
            security_groups=security_groups,
            num_instances=num_instances,
            availability_zone=availability_zone,
            key_name=key_name,
            scheduler_hints=scheduler_hints,
            networks=networks,
        )
        return self._wrap(self.wire.launch(self._resolve(server), **launch_params))

    @_translated
    def discard(self, server: Any) -> None:
        self.wire.discard(self._resolve(server))

    @_translated
    def migrate(self, server: Any, dest: str | None = None) -> None:
        self.wire.migrate(self._resolve(server), dest)

    @_translated
    def list_launched(self, server: Any) -> builtins.list[GridcentricServer]:
        return self._wrap(self.wire.list_launched(self._resolve(server)))

    @_translated
    def list_blessed(self, server: Any) -> builtins.list[GridcentricServer]:
        return self._wrap(self.wire.list_blessed(self._resolve(server)))

    @_translated
    def delete(self, server: Any) -> None:
        """Delete a regular or launched server; a blessed one is refused (use discard)."""
        if isinstance(server, nova_servers.Server):
            view = server.to_dict()
        else:
            view = self.wire.find(_id(server))
        if "blessed_from" in (view.get("metadata") or {}) or view.get("status") == "BLESSED":
            raise exceptions.CommandError(
                f"Server {view.get('id')} is a blessed server (live image): "
                "discard it instead (nova discard, or .discard())"
            )
        self.wire.delete(str(view["id"]))

    @_translated
    def export(self, server: Any) -> dict[str, Any]:
        return self.wire.export(self._resolve(server))

    @_translated
    def import_server(self, data: dict[str, Any]) -> GridcentricServer:
        return self._wrap([self.wire.import_server(data)])[0]

    @_translated
    def install_policy(self, policy: str, *, wait: bool = False) -> None:
        self.wire.install_policy(policy, wait=wait)

    @_translated
    def get_policy(self, server: Any) -> builtins.list[str]:
        return self.wire.get_policy(self._resolve(server))

    @_translated
    def capabilities(self) -> builtins.list[str]:
        return self.wire.capabilities()

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


class TimedAdapter:
    """The extension's adapter, its requests recorded where novaclient records its own,
    so that ``nova --timings`` lists them (novaclient's ``utils.record_time`` into the
    session client's ``times``)."""

    def __init__(self, adapter: Any, client: Any) -> None:
        self.adapter = adapter
        self.client = client

    def request(self, url: str, method: str, **kwargs: Any) -> Any:
        times = getattr(self.client, "times", None)
        enabled = bool(getattr(self.client, "timings", False)) and isinstance(times, builtins.list)
        with utils.record_time(times, enabled, method, url):
            return self.adapter.request(url, method, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.adapter, name)


# -- nova shell commands ----------------------------------------------------


def _warn(message: str) -> None:
    print(f"WARNING: {message}", file=sys.stderr)


def _manager(cs: Any) -> GridcentricManager:
    manager = getattr(cs, "gridcentric", None)
    if not isinstance(manager, GridcentricManager):
        manager = GridcentricManager(cs)
    manager.wire.warn = _warn
    return manager


def _text(value: Any) -> str:
    if value is None:
        return "-"
    return str(value).replace("\r", "")


def _networks(view: dict[str, Any]) -> builtins.list[tuple[str, str]]:
    addresses = view.get("addresses")
    if not isinstance(addresses, dict):
        return []
    rows = []
    for label in sorted(addresses, key=str):
        entries = addresses[label] if isinstance(addresses[label], list) else []
        addrs = [
            str(entry.get("addr")) if isinstance(entry, dict) else str(entry)
            for entry in entries
            if not isinstance(entry, dict) or entry.get("addr")
        ]
        rows.append((str(label), ", ".join(addrs)))
    return rows


def _reference(value: Any, missing: str) -> str:
    if isinstance(value, dict):
        return _text(value.get("id") or value.get("original_name") or missing)
    return _text(value) if value else missing


def print_server(server: Any) -> None:
    """One server as a Property/Value table (novaclient's print_dict), defensively (no
    extra requests)."""
    view = server.to_dict() if hasattr(server, "to_dict") else dict(server)
    rows: dict[str, str] = {}
    for key, value in view.items():
        if key in ("links", "addresses"):
            continue
        if key == "image":
            rows[key] = _reference(value, "Attempt to boot from volume - no image supplied")
        elif key == "flavor":
            rows[key] = _reference(value, "-")
        elif isinstance(value, (dict, list)):
            import json

            rows[key] = json.dumps(value, sort_keys=True)
        else:
            rows[key] = _text(value)
    for label, addrs in _networks(view):
        rows[f"{label} network"] = addrs
    utils.print_dict(rows)


def print_servers(servers: Iterable[Any]) -> None:
    """Servers as ``ID | Name | Status | Networks`` sorted by ID (novaclient's print_list)."""
    views = [s.to_dict() if hasattr(s, "to_dict") else dict(s) for s in servers]
    formatters = {
        "ID": lambda v: _text(v.get("id")),
        "Name": lambda v: _text(v.get("name")),
        "Status": lambda v: _text(v.get("status")),
        "Networks": lambda v: "; ".join(f"{label}={addrs}" for label, addrs in _networks(v)),
    }
    utils.print_list(views, list(formatters), formatters=formatters, sortby_index=0)


def _read_user_data(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise nova_exc.CommandError(f"Cannot read user data file '{path}': {exc.strerror}")


def _cli(func: Callable[..., Any]) -> Callable[..., Any]:
    """Input errors found before sending become one-line CommandErrors."""

    @functools.wraps(func)
    def wrapper(cs: Any, args: Any) -> Any:
        try:
            return func(cs, args)
        except exceptions.GcError as exc:
            raise to_novaclient_error(exc) from exc

    return wrapper


@utils.arg("server", metavar="<instance id>", help="ID of the instance to bless")
@_cli
def do_bless(cs: Any, args: Any) -> None:
    """Bless an instance"""
    print_server(_manager(cs).bless(args.server)[0])


@utils.arg(
    "--target",
    metavar="<target memory>",
    default=None,
    help="The memory target of the launched instance",
)
@utils.arg(
    "--params",
    metavar="<key=value>",
    action="append",
    default=[],
    help="Guest parameters to send to vms-agent",
)
@utils.arg("--name", metavar="<name>", default=None, help="Name of the new instance")
@utils.arg(
    "--num-instances",
    metavar="<number>",
    default=None,
    help="Number of instances to launch (only the first is shown)",
)
@utils.arg(
    "--user-data", metavar="<file>", default=None, help="File with user data for the instance"
)
@utils.arg(
    "--security-groups",
    metavar="<security groups>",
    default=None,
    help="Comma-separated security group names",
)
@utils.arg(
    "--availability-zone",
    metavar="<zone>",
    default=None,
    help="Availability zone (zone or zone:host)",
)
@utils.arg("--key-name", metavar="<key name>", default=None, help="Key pair to inject")
@utils.arg(
    "--hint",
    metavar="<key=value>",
    action="append",
    default=[],
    help="Scheduler hint (repeatable; a repeated key gives a list)",
)
@utils.arg(
    "--nic",
    metavar="<net-id=net-uuid,v4-fixed-ip=ip-addr,port-id=port-uuid>",
    action="append",
    default=[],
    help="A network of the new instance (repeatable, one per network of the blessed instance)",
)
@utils.arg("server", metavar="<blessed id>", help="ID of the blessed instance")
@_cli
def do_launch(cs: Any, args: Any) -> None:
    """Launch a new instance"""
    target = None
    if args.target is not None:
        target, warning = bodies.normalise_target(args.target)
        if warning:
            _warn(warning)
    num_instances = (
        bodies.check_num_instances(args.num_instances) if args.num_instances is not None else None
    )
    launched = _manager(cs).launch(
        args.server,
        target=target,
        params=bodies.parse_params(args.params) or None,
        name=args.name,
        user_data=_read_user_data(args.user_data) if args.user_data is not None else None,
        security_groups=bodies.parse_security_groups(args.security_groups),
        num_instances=num_instances,
        availability_zone=args.availability_zone,
        key_name=args.key_name,
        scheduler_hints=bodies.parse_hints(args.hint) or None,
        networks=[bodies.parse_nic(nic) for nic in args.nic] or None,
    )
    print_server(launched[0])


@utils.arg("server", metavar="<blessed id>", help="ID of the blessed instance")
@_cli
def do_discard(cs: Any, args: Any) -> None:
    """Discard a blessed instance"""
    _manager(cs).discard(args.server)


@utils.arg("server", metavar="<instance id>", help="ID of the instance to migrate")
@utils.arg("dest", metavar="<destination host>", nargs="?", default=None, help="Host to migrate to")
@_cli
def do_gc_migrate(cs: Any, args: Any) -> None:
    """Migrate an instance using Gridcentric VMS"""
    _manager(cs).migrate(args.server, args.dest)


@utils.arg("server", metavar="<blessed id>", help="ID of the blessed instance")
@_cli
def do_list_launched(cs: Any, args: Any) -> None:
    """List instances launched from this blessed instance."""
    print_servers(_manager(cs).list_launched(args.server))


@utils.arg("server", metavar="<server id>", help="ID of the instance")
@_cli
def do_list_blessed(cs: Any, args: Any) -> None:
    """List instances blessed from this instance."""
    print_servers(_manager(cs).list_blessed(args.server))
