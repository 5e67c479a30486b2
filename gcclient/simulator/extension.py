"""The Gridcentric / Cobalt extension: actions, gcinfo, gcservers, import/export, policies."""

from __future__ import annotations

import ipaddress
import json
import random
import sqlite3
import time
import uuid
from typing import Any

from .config import Config
from .eras import Era
from .fixtures import (
    FLAVORS,
    KEYPAIR_NAME,
    NETWORKS,
    PUBLIC_KEY,
    SECURITY_GROUPS,
)
from .request import Request
from .responses import (
    HTML_ACTION,
    ApiError,
    RawError,
    Response,
    bad_request,
    compute_fault,
    empty_response,
    json_response,
)
from .servers import AVAILABILITY_ZONE, NewServer, Servers
from .store import (
    has_children,
    insert_image,
    isotime,
    latest_policy,
    lineage,
    update_server,
)
from .views import power_state, server_view


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


class Extension:
    def __init__(self, config: Config, era: Era, servers: Servers) -> None:
        self.config = config
        self.era = era
        self.servers = servers
        self.rng = random.Random()

    # ---- helpers ---------------------------------------------------------------------

    def fail(self, message: str, status: int | None = None) -> ApiError:
        status = self.era.state_status if status is None else status
        return compute_fault() if status == 500 else ApiError(status, message)

    def lookup(self, conn: sqlite3.Connection, req: Request, server_id: str) -> dict[str, Any]:
        server = self.servers.visible(conn, req, server_id)
        if server is None:
            raise self.fail(self.era.text("not_found", uuid=server_id), self.era.not_found_status)
        return server

    def html(self, data: object) -> Response:
        return json_response(200, data, HTML_ACTION)

    def due(self) -> float:
        return time.time() + self.config.build_time

    # ---- action dispatch -------------------------------------------------------------

    def action(self, req: Request, conn: sqlite3.Connection, key: str, value: Any) -> Response:
        name = self.era.action_keys[key]
        handler = getattr(self, f"do_{name}")
        return handler(req, conn, req.params["server_id"], value)

    def do_bless(self, req: Request, conn: sqlite3.Connection, sid: str, value: Any) -> Response:
        era = self.era
        source = self.lookup(conn, req, sid)
        params: dict[str, Any] = {}
        if era.bless_params:
            if value is not None and not isinstance(value, dict):
                raise compute_fault()
            params = value or {}
        metadata = dict(source["metadata"] or {})
        if metadata.get("blessed_from"):
            raise self.fail(era.text("already_blessed", uuid=sid))
        if source["vm_state"] != "active" or source["task_state"] in ("migrating", "deleting"):
            raise self.fail(era.text("bless_not_active", uuid=sid))
        if era.bless_refuses_launched and metadata.get("launched_from"):
            raise self.fail(era.text("bless_launched", uuid=sid))
        if era.bless_reserves:
            self.servers.check_quota(conn, source["project_id"], 1, status=400)
        clone_num = int(metadata.get("last_clone_num", -1)) + 1
        metadata["last_clone_num"] = str(clone_num)
        name = params.get("name")
        if name is None:
            name = f"{source['name']}-{clone_num}"
        elif not isinstance(name, str):
            name = str(name)
        changes: dict[str, Any] = {"metadata": metadata}
        if era.bless_reserves:
            changes["task_state"] = "blessing"
        update_server(conn, sid, **changes)
        system_metadata = {"blessed_from": sid} if era.lineage_in_system_metadata else {}
        blessed = self.servers.create(
            conn,
            NewServer(
                project_id=source["project_id"],
                user_id=source["user_id"],
                name=name,
                image_id=source["image_id"],
                flavor_id=source["flavor_id"],
                host=None,
                key_name=source["key_name"],
                security_groups=source["security_groups"] or [],
                metadata={"blessed_from": sid},
                system_metadata=system_metadata,
                az=source["az"],
                user_data=source["user_data"] if era.clones_copy_user_data else "",
                networks=source["networks"] or [],
                allocate_ip=False,
                due_action="bless",
            ),
        )
        return self.html([server_view(req, blessed)])

    def do_launch(self, req: Request, conn: sqlite3.Connection, sid: str, value: Any) -> Response:
        """Checks in the historical order (S6 cobalt_extension.py:128-131, then api.py:471-545;
        S4 api.py:360-419): the first error a client sees is the one the server gave."""
        era = self.era
        if era.launch_networks and not isinstance(value, dict):
            raise compute_fault()
        requested = self._launch_networks(value) if era.launch_networks else None
        blessed = self.lookup(conn, req, sid)
        if not isinstance(value, dict):
            raise compute_fault()
        params = value
        if era.launch_quota_first:
            self.servers.check_quota(conn, req.project_id, 1)
        if era.launch_keys is not None:
            params = {k: v for k, v in value.items() if k in era.launch_keys}
        if not (blessed["metadata"] or {}).get("blessed_from") or (
            blessed["task_state"] == "deleting"  # being discarded: decided in this transaction
        ):
            raise self.fail(era.text("launch_not_blessed", uuid=sid))
        groups = self._launch_groups(req, params, blessed)
        count = self._num_instances(params)
        fixed_ip = self._check_networks(requested, blessed)
        hints = params.get("scheduler_hints") if era.launch_networks else None
        if not era.launch_quota_first:
            self.servers.check_quota(conn, req.project_id, count)
        hosts, az = self._launch_hosts(req, params, blessed)
        key_name = self._launch_key(req, params, blessed)
        name = self._launch_name(params, blessed)
        if not hosts and era.no_host_text is not None:
            raise bad_request(era.text(era.no_host_text))
        failed = blessed["vm_state"] != "active" and blessed["vm_state"] != "blessed"
        first = None
        for index in range(count):
            zoned = index == 0 or not era.zone_for_first_only
            instance_hosts = hosts if zoned else self.config.hosts
            host = self.servers.pick_host(conn, instance_hosts) if instance_hosts else None
            fault = None
            if failed:
                fault = {"code": 500, "message": "Live image is not ready.", "created": isotime()}
            elif host is None:
                fault = {"code": 500, "message": "No valid host was found. ", "created": isotime()}
            child = self.servers.create(
                conn,
                NewServer(
                    project_id=req.project_id,
                    user_id=req.user.id,
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
                    az=az,
                    user_data=blessed["user_data"]
                    if era.clones_copy_user_data
                    else params.get("user_data") or "",
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
            first = first or child
        return self.html([server_view(req, first)])

    def _num_instances(self, params: dict[str, Any]) -> int:
        """Python 2's ``range(value)`` decides (S6 api.py:456-465, S4 api.py:375-382): null or a
        string is not an integer, a boolean is 0 or 1."""
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

    def _launch_name(self, params: dict[str, Any], blessed: dict[str, Any]) -> str:
        if "name" not in params:
            return f"{blessed['name']}-clone"
        name = params["name"]
        if name is None and self.era.null_name_fails:
            raise compute_fault()
        return str(name)

    def _launch_key(self, req: Request, params: dict[str, Any], blessed: dict[str, Any]) -> str:
        """Absent or null inherits the live image's key (S6 api.py:203-205, S4 api.py:162-164):
        the 2013 clients send ``"key_name": null``; only a named key is looked up."""
        key_name = params.get("key_name")
        if key_name is None:
            return blessed["key_name"]
        if key_name != KEYPAIR_NAME:
            raise self.fail(self.era.text("keypair", name=key_name, user_id=req.user.id))
        return key_name

    def _launch_groups(
        self, req: Request, params: dict[str, Any], blessed: dict[str, Any]
    ) -> list[str]:
        value = params.get("security_groups")
        if self.era.default_groups is not None:
            groups = value or list(self.era.default_groups)
        elif value is None:
            groups = list(blessed["security_groups"] or [])
        else:
            groups = value
        if isinstance(groups, str):
            groups = [groups]
        if not isinstance(groups, list):
            raise bad_request("Malformed request body")
        for group in groups:
            if group not in SECURITY_GROUPS:
                text = self.era.text("secgroup", name=group, project_id=req.project_id)
                raise self.fail(text, 400)
        return [str(g) for g in groups]

    def _launch_hosts(
        self, req: Request, params: dict[str, Any], blessed: dict[str, Any]
    ) -> tuple[list[str], str]:
        hosts = list(self.config.hosts)
        value = params.get("availability_zone")
        if value is None:
            return hosts, blessed["az"] or AVAILABILITY_ZONE
        if not isinstance(value, str):
            raise bad_request("Malformed request body")
        az, _, forced = value.partition(":")
        if forced and self.era.forced_host_admin_only and not req.is_admin:
            raise bad_request(self.era.text("forced_host"))
        zone_ok = az == AVAILABILITY_ZONE or (self.era.cobalt and not az)
        hosts = [h for h in hosts if zone_ok and (not forced or h == forced)]
        return hosts, az or AVAILABILITY_ZONE

    def _launch_networks(self, params: dict[str, Any]) -> list[dict] | None:
        """The format checks nova's servers controller makes (S6 cobalt_extension.py:128-131)."""
        value = params.get("networks")
        if value is None:
            return None
        if not isinstance(value, list):
            raise bad_request("Bad networks format")
        for entry in value:
            if not isinstance(entry, dict):
                raise bad_request("Bad networks format")
            port = entry.get("port")
            if port is not None and not _is_uuid(port):
                raise bad_request(
                    f"Bad networks format: port uuid is not in proper format ({port})"
                )
            net = entry.get("uuid")
            if port is None and net is None:
                raise bad_request(
                    "Bad networks format: network uuid is not in proper format (None)"
                )
            if net is not None and not _is_uuid(net):
                raise bad_request(
                    f"Bad networks format: network uuid is not in proper format ({net})"
                )
            ip = entry.get("fixed_ip")
            if ip is not None:
                try:
                    ipaddress.IPv4Address(ip)
                except ValueError:
                    raise bad_request(f"Invalid fixed IP address ({ip})")
        return value

    def _check_networks(self, requested: list[dict] | None, blessed: dict[str, Any]) -> str | None:
        """Existence and count, after groups and num_instances (S6 api.py:499-502); the fixed IP
        of the first instance."""
        if requested is None:
            return None
        fixed_ip = None
        for entry in requested:
            net = entry.get("uuid")
            if net is not None and net not in NETWORKS:
                raise bad_request(f"Network {net} could not be found.")
            fixed_ip = fixed_ip or entry.get("fixed_ip")
        expected = len(blessed["networks"] or [])
        if len(requested) != expected:
            raise bad_request(self.era.text("networks", expected=expected, given=len(requested)))
        return fixed_ip

    def do_discard(self, req: Request, conn: sqlite3.Connection, sid: str, value: Any) -> Response:
        blessed = self.lookup(conn, req, sid)
        if not (blessed["metadata"] or {}).get("blessed_from"):
            raise self.fail(self.era.text("discard_not_blessed", uuid=sid))
        if has_children(conn, sid, blessed["project_id"]):
            raise self.fail(self.era.text("discard_children", uuid=sid))
        if blessed["task_state"] != "deleting":
            update_server(
                conn,
                sid,
                task_state="deleting",
                due_at=self.due(),
                due_action="delete",
                due_arg=None,
            )
        return self.html(None)

    def do_migrate(self, req: Request, conn: sqlite3.Connection, sid: str, value: Any) -> Response:
        era = self.era
        if era.seed and not (isinstance(value, dict) and "dest" in value):
            # S1 ext:80-83: body['gc_migrate']['dest'] fails before any lookup; a bare webob
            # Response, so webob's default content type.
            raise RawError(Response(401, b"Invalid destination", HTML_ACTION))
        server = self.lookup(conn, req, sid)
        if not isinstance(value, dict):
            raise compute_fault()
        dest = value.get("dest")
        hosts = self.config.hosts
        if era.seed:
            if dest not in hosts:
                raise self.fail(era.text("migrate_service", host=dest))
            if dest == server["host"]:
                raise self.fail(era.text("same_host"))
            prior = server["vm_state"]
            update_server(
                conn,
                sid,
                vm_state="migrating",
                due_at=self.due(),
                due_action="migrate",
                due_arg=json.dumps({"host": dest, "vm_state": prior}),
            )
            return empty_response(200, HTML_ACTION)
        if server["task_state"] == "migrating" or server["vm_state"] == "migrating":
            raise self.fail(era.text("migrating", uuid=sid))
        if server["vm_state"] != "active" or server["task_state"] == "deleting":
            raise self.fail(era.text("migrate_not_active", uuid=sid))
        if dest is None:
            choices = [h for h in hosts if h != server["host"]]
            if not choices:
                raise self.fail(era.text("no_hosts"))
            dest = self.rng.choice(choices)
        elif dest not in hosts:
            raise self.fail(era.text("migrate_service", host=dest))
        if dest == server["host"]:
            raise self.fail(era.text("same_host"))
        update_server(
            conn,
            sid,
            task_state="migrating",
            due_at=self.due(),
            due_action="migrate",
            due_arg=json.dumps({"host": dest, "vm_state": "active"}),
        )
        return empty_response(200, HTML_ACTION)

    def do_list_launched(
        self, req: Request, conn: sqlite3.Connection, sid: str, value: Any
    ) -> Response:
        return self._list(req, conn, sid, "launched_from")

    def do_list_blessed(
        self, req: Request, conn: sqlite3.Connection, sid: str, value: Any
    ) -> Response:
        return self._list(req, conn, sid, "blessed_from")

    def _list(self, req: Request, conn: sqlite3.Connection, sid: str, column: str) -> Response:
        if self.servers.visible(conn, req, sid) is None:
            if self.era.unknown_lineage_is_empty:
                return self.html([])
            self.lookup(conn, req, sid)
        servers = lineage(conn, column, sid, req.project_id)
        return self.html([server_view(req, s) for s in servers])

    def do_export(self, req: Request, conn: sqlite3.Connection, sid: str, value: Any) -> Response:
        blessed = self.lookup(conn, req, sid)
        if not (blessed["metadata"] or {}).get("blessed_from"):
            raise self.fail(self.era.text("export_not_blessed", uuid=sid))
        image_id = str(uuid.uuid4())
        insert_image(conn, image_id, f"{blessed['name']}-export", blessed["project_id"])
        flavor = FLAVORS.get(blessed["flavor_id"]) or FLAVORS["1"]
        fields = {
            "image_ref": blessed["image_id"],
            "vm_state": blessed["vm_state"],
            "memory_mb": flavor.ram,
            "vcpus": flavor.vcpus,
            "root_gb": flavor.disk,
            "ephemeral_gb": 0,
            "display_name": blessed["name"],
            "display_description": blessed["name"],
            "user_data": blessed["user_data"],
            "key_name": blessed["key_name"],
            "key_data": PUBLIC_KEY if blessed["key_name"] else None,
            "locked": False,
            "availability_zone": blessed["az"],
            "os_type": None,
            "project_id": blessed["project_id"],
            "user_id": blessed["user_id"],
            "power_state": power_state(blessed),
        }
        data: dict[str, Any] = {
            "fields": fields,
            "metadata": blessed["metadata"],
            "flavor_name": flavor.name,
            "export_image_id": image_id,
        }
        if self.era.transfer_system_metadata:
            data["system_metadata"] = {
                **(blessed["system_metadata"] or {}),
                "instance_type_name": flavor.name,
                "instance_type_flavorid": flavor.id,
            }
        else:
            data["security_group_names"] = blessed["security_groups"] or []
        return json_response(200, data)

    def do_get_policy(
        self, req: Request, conn: sqlite3.Connection, sid: str, value: Any
    ) -> Response:
        server = self.lookup(conn, req, sid)
        if not (server["metadata"] or {}).get("launched_from"):
            raise self.fail(self.era.text("not_launched", uuid=sid))
        text = latest_policy(conn)
        return self.html(text.splitlines() if text is not None else [])


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value)


__all__ = ["Extension"]
