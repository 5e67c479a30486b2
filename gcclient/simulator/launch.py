"""The launch action, checked in the historical order with the historical answers.

S6 is cobalt ``icehouse/1.5`` 9989f67 (``cobalt/nova/osapi/cobalt_extension.py`` = "ext",
``cobalt/nova/api.py`` = "api") on nova 2014.1; S4 is ``stable/folsom`` c0ceb7a
(``gridcentric/nova/api.py``) on nova 2012.2; S1 the seed c80fb8f. Python 2 decided many
answers: a ``TypeError`` anywhere in a handler became nova's generic 400 (nova 2014.1
wsgi.py:691-695, 2012.2 wsgi.py:656-660, 2012.1 wsgi.py:580), any other crash the fixed 500.
Where the historical server crashed after writing records, the simulator writes none.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

from .config import Config
from .eras import Era
from .fixtures import KEYPAIR_NAME, NETWORKS, SECURITY_GROUPS
from .py2 import is_scalar, py2_str
from .request import Request
from .responses import (
    HTML_ACTION,
    Response,
    bad_request,
    compute_fault,
    generic_bad_request,
    json_response,
)
from .servers import AVAILABILITY_ZONE, NewServer, Servers
from .store import isotime
from .views import server_view

NUMBERS = (bool, int, float)  # no len(), no iteration, no ``in``: a TypeError in Python 2


def uuid_like(value: Any) -> bool:
    """oslo's is_uuid_like: the canonical lower-case form only (nova 2014.1
    openstack/common/uuidutils.py:27-37)."""
    if not isinstance(value, str):
        return False
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def valid_ip(value: Any) -> bool:
    """nova 2014.1 utils.py:497-513: netaddr's valid_ipv4 (inet_aton, which takes ``10.1``) or
    valid_ipv6; anything but a string is not an address."""
    if not isinstance(value, str) or not value or "\x00" in value:
        return False
    try:
        socket.inet_aton(value)
        return True
    except OSError:
        pass
    try:
        ipaddress.IPv6Address(value)
        return True
    except ValueError:
        return False


def _iterate(value: Any) -> list[Any]:
    """Python 2's ``for x in value`` over a JSON value: characters of a string, keys of an
    object; a number or a boolean cannot be iterated (TypeError)."""
    if isinstance(value, NUMBERS) or value is None:
        raise generic_bad_request()
    return list(value)  # a dict gives its keys, a string its characters


@dataclass
class Zone:
    """The availability zone a launch asked for, as nova split it."""

    zone: str | None  # None: the live image's own
    host: str | None = None  # a forced host
    nowhere: bool = False  # names no zone at all (a list in S4): no host
    later: Exception | None = None  # raised once the first copy is built


class Launcher:
    def __init__(self, config: Config, era: Era, servers: Servers) -> None:
        self.config = config
        self.era = era
        self.servers = servers

    def fail(self, message: str, status: int | None = None) -> Exception:
        return self.servers.fail(message, status)

    def __call__(self, req: Request, conn: sqlite3.Connection, sid: str, value: Any) -> Response:
        era = self.era
        requested = None
        if era.cobalt:
            if not isinstance(value, dict):  # ext:123-128, ``None.get('networks')``
                raise compute_fault()
            requested = self._networks_format(value.get("networks"))  # ext:128-131
        blessed = self.servers.lookup(conn, req, sid)
        if era.seed:
            if not isinstance(value, dict):  # a deliberate difference, see docs
                raise compute_fault()
            self.servers.check_quota(conn, req.project, 1)  # S1 api:247 before the check
        if not (blessed["metadata"] or {}).get("blessed_from") or (
            blessed["task_state"] == "deleting"  # being discarded: decided in this transaction
        ):
            raise self.fail(era.text("launch_not_blessed", uuid=sid))
        if not isinstance(value, dict):  # S4 api:368 ``params.pop(k, None)``
            raise generic_bad_request() if isinstance(value, list) else compute_fault()
        params = value
        if era.launch_keys is not None:
            params = {k: v for k, v in value.items() if k in era.launch_keys}
        groups = self._groups(req, params, blessed)
        count = self._num_instances(params)
        fixed_ip = self._check_networks(params, requested, blessed)
        if not era.launch_quota_first:
            self.servers.check_quota(conn, req.project, count)
        zone = self._zone(req, params)
        key_name = self._key(req, params, blessed)
        name = self._name(params, blessed)
        user_data = self._user_data(params, blessed)
        if zone.later is not None:
            raise zone.later
        hints = params.get("scheduler_hints") if era.cobalt else None
        if hints and not isinstance(hints, dict):  # nova 2014.1 filter_scheduler.py:264-265
            raise compute_fault()
        hosts = self._hosts(zone)
        if not hosts and era.no_host_text is not None:
            raise bad_request(era.text(era.no_host_text))
        az = zone.zone or blessed["az"] or AVAILABILITY_ZONE
        failed = blessed["vm_state"] not in ("active", "blessed")
        children = []
        for index in range(count):
            zoned = index == 0 or not era.zone_for_first_only
            instance_hosts = hosts if zoned else self.config.hosts
            host = self.servers.pick_host(conn, instance_hosts) if instance_hosts else None
            fault = None
            if failed:
                fault = {"code": 500, "message": "Live image is not ready.", "created": isotime()}
            elif host is None:
                fault = {"code": 500, "message": "No valid host was found. ", "created": isotime()}
            children.append(
                self.servers.create(
                    conn,
                    NewServer(
                        project_id=req.project,
                        user_id=req.caller.id,
                        name=name,
                        image_id=blessed["image_id"],
                        flavor_id=blessed["flavor_id"],
                        host=host,
                        key_name=key_name,
                        security_groups=groups,
                        metadata={"launched_from": sid},
                        system_metadata={"launched_from": sid}
                        if era.lineage_in_system_metadata
                        else {},
                        az=az if zoned else blessed["az"] or AVAILABILITY_ZONE,
                        user_data=user_data,
                        networks=list(blessed["networks"] or []),
                        ip=fixed_ip if index == 0 else None,
                        allocate_ip=fault is None,
                        task_state=era.launch_task_state,
                        due_action="error" if fault else "active",
                        due_arg=json.dumps(fault) if fault else None,
                        extra={
                            "target": _as_text(params.get("target")),
                            "guest": params.get("guest"),
                            "scheduler_hints": hints,
                        },
                    ),
                )
            )
        return json_response(200, [server_view(req, children[0])], HTML_ACTION)

    # ---- the checks, in the order the historical servers made them ---------------------

    def _groups(self, req: Request, params: dict[str, Any], blessed: dict[str, Any]) -> list[str]:
        """S6 api:479-482 (``len()``, then nova 2014.1 compute/api.py:444-454, where
        "default" is never looked up); S4 api:368-371 (every name is looked up). A string
        is iterated, so ``"web"`` asks for the groups ``w``, ``e`` and ``b``."""
        value = params.get("security_groups")
        if self.era.default_groups is not None:
            if value is None:
                return list(self.era.default_groups)
            if isinstance(value, NUMBERS):  # len(5)
                raise generic_bad_request()
            if len(value) == 0:
                return list(self.era.default_groups)
        elif value is None:
            return list(blessed["security_groups"] or [])
        names = _iterate(value)
        for name in names:
            if not is_scalar(name):  # a list where the database wanted a name
                raise compute_fault()
            if self.era.cobalt and name == "default":
                continue
            if name not in SECURITY_GROUPS:
                text = self.era.text("secgroup", name=py2_str(name), project_id=req.project)
                raise self.fail(text, 400)
        return [str(name) for name in names]

    def _num_instances(self, params: dict[str, Any]) -> int:
        """Python 2's ``range(value)`` decides (S6 api:456-465, S4 api:375-382): null, a
        string or a float is not an integer, a boolean is 0 or 1."""
        if "num_instances" not in params:
            return 1
        value = params["num_instances"]
        if isinstance(value, bool):
            value = int(value)
        if not isinstance(value, int):
            raise self.fail(self.era.text("num_not_int"))
        if value < 1:
            raise self.fail(self.era.text("num_too_small"))
        return value

    def _networks_format(self, value: Any) -> list[dict[str, Any]] | None:
        """nova 2014.1 servers.py:668-727 (neutron): the ``for`` is outside its ``try``, so a
        number is a TypeError (generic 400); an entry that is not an object has no ``get``
        (500); a ``uuid`` that is not a string has no ``split`` (500)."""
        if value is None:
            return None
        result = []
        for entry in _iterate(value):
            if not isinstance(entry, dict):
                raise compute_fault()
            port = entry.get("port")
            if port:
                net = None
                if not uuid_like(port):
                    raise bad_request(
                        f"Bad port format: port uuid is not in proper format ({py2_str(port)})"
                    )
            else:
                if "uuid" not in entry:
                    raise bad_request("Bad network format: missing 'uuid'")
                net = entry["uuid"]
            if not port and not uuid_like(net):
                if not isinstance(net, str):
                    raise compute_fault()
                if not uuid_like(net.split("-", 1)[-1]):
                    raise bad_request(
                        f"Bad networks format: network uuid is not in proper format ({net})"
                    )
            address = entry.get("fixed_ip")
            if address is not None and not valid_ip(address):
                raise bad_request(f"Invalid fixed IP address ({py2_str(address)})")
            result.append({"uuid": net, "fixed_ip": address, "port": port or None})
        return result

    def _check_networks(
        self, params: dict[str, Any], requested: list[dict[str, Any]] | None, blessed: dict
    ) -> str | None:
        """S6 api:490-502: nova's validate_networks (nova 2014.1 neutronv2/api.py:589-658:
        ports, duplicates, existence), then the count. A ``null`` the extension let through
        reaches ``len(None)``: TypeError. The simulator has no neutron ports."""
        if not self.era.cobalt or "networks" not in params:
            return None
        if requested is None:
            raise generic_bad_request()
        seen: list[str] = []
        missing: list[str] = []
        for entry in requested:
            if entry["port"]:
                raise bad_request(f"Port id {py2_str(entry['port'])} could not be found.")
            net = entry["uuid"]
            if net in seen:
                raise bad_request(f"Network {net} is duplicated.")
            seen.append(net)
            if net not in NETWORKS:
                missing.append(net)
        if missing:
            raise bad_request(f"Network {', '.join(missing)} could not be found.")
        expected = len(blessed["networks"] or [])
        if len(requested) != expected:
            raise bad_request(self.era.text("networks", expected=expected, given=len(requested)))
        return next((e["fixed_ip"] for e in requested if e["fixed_ip"] is not None), None)

    def _zone(self, req: Request, params: dict[str, Any]) -> Zone:
        """S6: nova 2014.1 compute/api.py:505-537 splits ``az:host:node`` and checks
        ``compute:create:forced_host`` (a non-admin is refused) before Cobalt's own
        ``compute:create:forced`` (api:524-525). S4 api:407-412 and 272-287 split only
        ``az:host`` and check no policy; its errors come after the first copy is built."""
        value = params.get("availability_zone")
        if self.era.cobalt:
            if not value:
                return Zone(None)
            if isinstance(value, NUMBERS):  # ':' in 5
                raise generic_bad_request()
            if isinstance(value, (list, dict)):
                if ":" in value:  # .count(':') then .split(':'): a list has no split
                    raise compute_fault()
                return Zone(None, later=compute_fault())  # a string field of the Instance
            host = node = None
            zone = value
            colons = value.count(":")
            if colons == 1:
                zone, host = value.split(":")
            elif colons == 2 and "::" in value:
                zone, node = value.split("::")
            elif colons == 2:
                zone, host, node = value.split(":")
            elif colons > 2:
                raise bad_request("Invalid input received: Unable to parse availability_zone")
            if (host or node) and not req.is_admin:
                raise bad_request(self.era.text("forced_host"))
            return Zone(zone or None, host or None)
        if value is None:
            return Zone(None)
        if isinstance(value, NUMBERS):  # S4 api:272 ``':' in 5``
            return Zone(None, later=generic_bad_request())
        if isinstance(value, (list, dict)):
            if ":" in value:
                return Zone(None, later=compute_fault())
            return Zone(None, nowhere=True)
        if ":" in value:
            parts = value.split(":")
            if len(parts) > 2:
                return Zone(None, later=bad_request("Invalid availability zone"))
            return Zone(parts[0], host=parts[1])
        return Zone(value)

    def _hosts(self, zone: Zone) -> list[str]:
        hosts = list(self.config.hosts)
        if zone.nowhere:
            return []
        if zone.host is not None:
            if self.era.cobalt:  # forced: nova 2014.1 runs no filter on it
                return [h for h in hosts if h == zone.host]
            ok = zone.zone == AVAILABILITY_ZONE and zone.host in hosts  # S4 api:272-281
            return [zone.host] if ok else []
        return hosts if zone.zone in (None, AVAILABILITY_ZONE) else []

    def _key(self, req: Request, params: dict[str, Any], blessed: dict[str, Any]) -> str:
        """Absent or null inherits the live image's key (S6 api:203-208, S4 api:162-167):
        the 2013 clients send ``"key_name": null``; only a named key is looked up."""
        key_name = params.get("key_name")
        if key_name is None:
            return blessed["key_name"]
        if not is_scalar(key_name):  # a list or an object in the database query
            raise compute_fault()
        if key_name != KEYPAIR_NAME:
            text = self.era.text("keypair", name=py2_str(key_name), user_id=req.caller.id)
            raise self.fail(text)
        return key_name

    def _name(self, params: dict[str, Any], blessed: dict[str, Any]) -> str:
        """``utils.sanitize_hostname(name)`` (S6 api:228, S4 api:183) calls ``re.sub`` on it:
        anything but a string, ``null`` included, is a TypeError."""
        if "name" not in params:
            return f"{blessed['name']}-clone"
        name = params["name"]
        if not isinstance(name, str):
            raise generic_bad_request()
        return name

    def _user_data(self, params: dict[str, Any], blessed: dict[str, Any]) -> str:
        """``new_user_data or ''`` (S6 api:230, S4 api:185), a string field of nova's
        Instance object in 2014.1 (a list or an object cannot be one: 500)."""
        if self.era.clones_copy_user_data:
            return blessed["user_data"] or ""
        value = params.get("user_data")
        if not value:
            return ""
        if not is_scalar(value):
            raise compute_fault()
        return py2_str(value)


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value)


__all__ = ["Launcher", "uuid_like", "valid_ip"]
