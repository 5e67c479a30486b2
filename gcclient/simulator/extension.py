"""The Gridcentric / Cobalt extension: actions, gcinfo, gcservers, import/export, policies."""

from __future__ import annotations

import configparser
import ipaddress
import json
import random
import sqlite3
import time
import uuid
from typing import TYPE_CHECKING, Any

from .compute import AVAILABILITY_ZONE, NewServer, quota_error
from .fixtures import (
    FLAVORS,
    KEYPAIR_NAME,
    NETWORKS,
    PUBLIC_KEY,
    SECURITY_GROUPS,
    find_flavor_by_name,
)
from .identity import PROJECTS_BY_ID, USERS_BY_ID
from .isolation import check_lineage
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
    not_found,
)
from .store import count_active, isotime, query_servers, update_server
from .views import server_view

if TYPE_CHECKING:
    from .app import App


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def ini_error(text: str) -> str | None:
    parser = configparser.ConfigParser()
    try:
        parser.read_string(text)
    except configparser.Error as exc:
        return str(exc).splitlines()[0]
    return None


class Extension:
    def __init__(self, app: App) -> None:
        self.app = app
        self.era = app.era
        self.rng = random.Random()

    # ---- helpers ---------------------------------------------------------------------

    def fail(self, message: str, status: int | None = None) -> ApiError:
        status = self.era.state_status if status is None else status
        return compute_fault() if status == 500 else ApiError(status, message)

    def lookup(self, conn: sqlite3.Connection, req: Request, server_id: str) -> dict[str, Any]:
        server = self.app.compute.visible(conn, req, server_id)
        if server is None:
            raise self.fail(self.era.text("not_found", uuid=server_id), self.era.not_found_status)
        return server

    def html(self, data: object) -> Response:
        return json_response(200, data, HTML_ACTION)

    def due(self) -> float:
        return time.time() + self.app.config.build_time

    # ---- action dispatch -------------------------------------------------------------

    def action(self, req: Request, conn: sqlite3.Connection, key: str, value: Any) -> Response:
        name = self.era.action_keys[key]
        handler = getattr(self, f"do_{name}")
        return handler(req, conn, req.params["server_id"], value)

    def do_bless(self, req: Request, conn: sqlite3.Connection, sid: str, value: Any) -> Response:
        era = self.era
        source = self.lookup(conn, req, sid)
        params: dict[str, Any] = {}
        if not era.seed:
            if value is not None and not isinstance(value, dict):
                raise compute_fault()
            params = value or {}
        metadata = dict(source["metadata"] or {})
        if metadata.get("blessed_from"):
            raise self.fail(era.text("already_blessed", uuid=sid))
        if source["vm_state"] != "active" or source["task_state"] in ("migrating", "deleting"):
            raise self.fail(era.text("bless_not_active", uuid=sid))
        if era.seed and metadata.get("launched_from"):
            raise self.fail(era.text("bless_launched", uuid=sid))
        if not era.seed:
            used = count_active(conn, source["project_id"])
            if used + 1 > self.app.config.quota_instances:
                raise quota_error(self.app, 1, used, status=400)
        clone_num = int(metadata.get("last_clone_num", -1)) + 1
        metadata["last_clone_num"] = str(clone_num)
        name = params.get("name")
        if name is None:
            name = f"{source['name']}-{clone_num}"
        elif not isinstance(name, str):
            name = str(name)
        changes: dict[str, Any] = {"metadata": metadata}
        if not era.seed:
            changes["task_state"] = "blessing"
        update_server(conn, sid, **changes)
        system_metadata = {"blessed_from": sid} if era.cobalt else {}
        blessed = self.app.compute.create(
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
                user_data=source["user_data"],
                networks=source["networks"] or [],
                allocate_ip=False,
                due_action="bless",
            ),
        )
        return self.html([server_view(req, blessed)])

    def do_launch(self, req: Request, conn: sqlite3.Connection, sid: str, value: Any) -> Response:
        era = self.era
        blessed = self.lookup(conn, req, sid)
        if not isinstance(value, dict):
            raise compute_fault()
        params = value
        if era.seed:
            used = count_active(conn, req.project_id)
            if used + 1 > self.app.config.quota_instances:
                raise quota_error(self.app, 1, used)
            params = {k: v for k, v in value.items() if k in ("target", "guest")}
        if not (blessed["metadata"] or {}).get("blessed_from") or (
            blessed["task_state"] == "deleting"  # being discarded: decided in this transaction
        ):
            raise self.fail(era.text("launch_not_blessed", uuid=sid))
        count = self._num_instances(params)
        name = self._launch_name(params, blessed)
        groups = self._launch_groups(params, blessed)
        key_name = params.get("key_name", blessed["key_name"])
        if "key_name" in params and key_name != KEYPAIR_NAME:
            raise self.fail(
                era.text("keypair", name=key_name, user_id=req.user.id),
                400 if not era.seed else 500,
            )
        hosts, az = self._launch_hosts(req, params, blessed)
        networks, fixed_ip = self._launch_networks(params, blessed)
        hints = params.get("scheduler_hints") if era.cobalt else None
        if not era.seed:
            used = count_active(conn, req.project_id)
            if used + count > self.app.config.quota_instances:
                raise quota_error(self.app, count, used)
        failed = blessed["vm_state"] != "active" and blessed["vm_state"] != "blessed"
        first = None
        for index in range(count):
            instance_hosts = hosts if (index == 0 or era.cobalt) else self.app.config.hosts
            host = self.app.compute.pick_host(conn, instance_hosts) if instance_hosts else None
            fault = None
            if failed:
                fault = {"code": 500, "message": "Live image is not ready.", "created": isotime()}
            elif host is None:
                fault = {"code": 500, "message": "No valid host was found. ", "created": isotime()}
            child = self.app.compute.create(
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
                    metadata={"launched_from": sid, "launch_index": str(index)},
                    system_metadata={"launched_from": sid} if era.cobalt else {},
                    az=az,
                    user_data=params.get("user_data"),
                    networks=list(blessed["networks"] or []),
                    ip=fixed_ip if index == 0 else None,
                    allocate_ip=fault is None,
                    task_state="scheduling" if era.cobalt else None,
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
        if "num_instances" not in params or params["num_instances"] is None:
            return 1
        value = params["num_instances"]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(self.era.text("num_not_int"))
        if value < 1:
            raise self.fail(self.era.text("num_too_small"))
        return value

    def _launch_name(self, params: dict[str, Any], blessed: dict[str, Any]) -> str:
        if "name" not in params:
            return f"{blessed['name']}-clone"
        name = params["name"]
        if name is None and self.era.cobalt:
            raise compute_fault()
        return str(name)

    def _launch_groups(self, params: dict[str, Any], blessed: dict[str, Any]) -> list[str]:
        value = params.get("security_groups")
        if self.era.cobalt:
            groups = value or ["default"]
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
                raise self.fail(self.era.text("secgroup", name=group), 400)
        return [str(g) for g in groups]

    def _launch_hosts(
        self, req: Request, params: dict[str, Any], blessed: dict[str, Any]
    ) -> tuple[list[str], str]:
        hosts = list(self.app.config.hosts)
        value = params.get("availability_zone")
        if value is None or self.era.seed:
            return hosts, blessed["az"] or AVAILABILITY_ZONE
        if not isinstance(value, str):
            raise bad_request("Malformed request body")
        az, _, forced = value.partition(":")
        if forced and self.era.cobalt and not req.is_admin:
            raise bad_request(self.era.text("forced_host"))
        hosts = [h for h in hosts if az == AVAILABILITY_ZONE and (not forced or h == forced)]
        if not hosts and not self.era.cobalt:
            raise bad_request(self.era.text("no_hosts_az"))
        return hosts, az or AVAILABILITY_ZONE

    def _launch_networks(
        self, params: dict[str, Any], blessed: dict[str, Any]
    ) -> tuple[list[dict], str | None]:
        value = params.get("networks")
        if not self.era.cobalt or value is None:
            return [], None
        if not isinstance(value, list):
            raise bad_request("Bad networks format")
        fixed_ip = None
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
            if net is not None:
                if not _is_uuid(net):
                    raise bad_request(
                        f"Bad networks format: network uuid is not in proper format ({net})"
                    )
                if net not in NETWORKS:
                    raise bad_request(f"Network {net} could not be found.")
            ip = entry.get("fixed_ip")
            if ip is not None:
                try:
                    ipaddress.IPv4Address(ip)
                except ValueError:
                    raise bad_request(f"Invalid fixed IP address ({ip})")
                fixed_ip = fixed_ip or ip
        expected = len(blessed["networks"] or [])
        if len(value) != expected:
            raise bad_request(self.era.text("networks", expected=expected, given=len(value)))
        return value, fixed_ip

    def do_discard(self, req: Request, conn: sqlite3.Connection, sid: str, value: Any) -> Response:
        blessed = self.lookup(conn, req, sid)
        if not (blessed["metadata"] or {}).get("blessed_from"):
            raise self.fail(self.era.text("discard_not_blessed", uuid=sid))
        if query_servers(
            conn, "launched_from = ? AND project_id = ? LIMIT 1", (sid, blessed["project_id"])
        ):
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
        server = self.lookup(conn, req, sid)
        if not isinstance(value, dict):
            raise compute_fault()
        dest = value.get("dest")
        hosts = self.app.config.hosts
        if era.seed:
            if not dest:
                raise RawError(Response(401, b"Invalid destination", "text/plain; charset=UTF-8"))
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
        if self.app.compute.visible(conn, req, sid) is None:
            if self.era.seed:
                return self.html([])
            self.lookup(conn, req, sid)
        servers = query_servers(
            conn, f"{column} = ? AND project_id = ? ORDER BY seq", (sid, req.project_id)
        )
        return self.html([server_view(req, s) for s in servers])

    def do_export(self, req: Request, conn: sqlite3.Connection, sid: str, value: Any) -> Response:
        blessed = self.lookup(conn, req, sid)
        if not (blessed["metadata"] or {}).get("blessed_from"):
            raise self.fail(self.era.text("export_not_blessed", uuid=sid))
        image_id = str(uuid.uuid4())
        conn.execute(
            "INSERT INTO images (id, name, owner, created) VALUES (?, ?, ?, ?)",
            (image_id, f"{blessed['name']}-export", blessed["project_id"], isotime()),
        )
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
            "power_state": 4,
        }
        data: dict[str, Any] = {
            "fields": fields,
            "metadata": blessed["metadata"],
            "flavor_name": flavor.name,
            "export_image_id": image_id,
        }
        if self.era.cobalt:
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
        row = conn.execute("SELECT text FROM policies ORDER BY seq DESC LIMIT 1").fetchone()
        return self.html(row["text"].splitlines() if row else [])

    # ---- resources ---------------------------------------------------------------------

    def info(self, req: Request, conn: sqlite3.Connection) -> Response:
        return json_response(200, {"capabilities": list(self.era.capabilities or ())})

    def boot_on_host(self, req: Request, conn: sqlite3.Connection) -> Response:
        if not req.is_admin:
            raise bad_request(self.era.text("admin_only"))
        spec, count = self.app.compute.boot_spec(req, conn)
        target = spec.metadata.get("gc:target_host")
        if target is not None and target not in self.app.config.hosts:
            raise bad_request(self.era.text("gcservers_host"))
        hosts = self.app.config.hosts
        spec.host = target or (self.rng.choice(hosts) if hosts else None)
        return self.app.compute.boot(req, conn, spec, count, 200)

    def import_server(self, req: Request, conn: sqlite3.Connection) -> Response:
        body = req.json_object()
        data = body.get("data")
        if not isinstance(data, dict) or not isinstance(data.get("fields", {}), dict):
            raise bad_request("Malformed request body")
        fields = data.get("fields") or {}
        metadata = data.get("metadata") or {}
        if not isinstance(metadata, dict):
            raise bad_request("Malformed request body")
        flavor = find_flavor_by_name(data.get("flavor_name"))
        groups = data.get("security_group_names") or []
        if not self.era.cobalt:
            if flavor is None:
                raise bad_request(self.era.text("import_flavor", name=data.get("flavor_name")))
            if not isinstance(groups, list):
                raise bad_request("Malformed request body")
            for group in groups:
                if group not in SECURITY_GROUPS:
                    raise bad_request(self.era.text("import_secgroup", name=group))
        else:
            groups = ["default"]
        project_id, user_id = req.project_id, req.user.id
        if req.is_admin:
            project_id = (
                fields.get("project_id")
                if fields.get("project_id") in PROJECTS_BY_ID
                else project_id
            )
            user_id = fields.get("user_id") if fields.get("user_id") in USERS_BY_ID else user_id
        check_lineage(conn, metadata, project_id, self.era, ("launched_from",))
        system_metadata: dict[str, str] = {}
        if self.era.cobalt:
            copied = data.get("system_metadata")
            system_metadata = dict(copied) if isinstance(copied, dict) else {}
            system_metadata["protected"] = "True"
        server = self.app.compute.create(
            conn,
            NewServer(
                project_id=project_id,
                user_id=user_id,
                name=fields.get("display_name"),
                image_id=data.get("export_image_id") or fields.get("image_ref"),
                flavor_id=(flavor or FLAVORS["1"]).id,
                host=None,
                key_name=fields.get("key_name"),
                security_groups=[str(g) for g in groups],
                metadata={str(k): str(v) for k, v in metadata.items()},
                system_metadata=system_metadata,
                user_data=fields.get("user_data"),
                allocate_ip=False,
                due_action="bless",
            ),
        )
        links = server_view(req, server)["links"]
        return json_response(200, {"server": {"id": server["id"], "links": links}})

    def install_policy(self, req: Request, conn: sqlite3.Connection) -> Response:
        body = req.json_object()
        text = body.get("policy_ini_string")
        if not isinstance(text, str):
            raise bad_request("Malformed request body")
        wait = bool(body.get("wait", False))
        error = ini_error(text)
        hosts = self.app.config.hosts
        if error is not None and hosts:
            if wait:
                faults = "\n".join(f"{host}: {error}" for host in hosts)
                raise bad_request(self.era.text("policy_many", count=len(hosts), faults=faults))
            raise bad_request(self.era.text("policy_one", host=hosts[0], err=error))
        conn.execute("INSERT INTO policies (text, created) VALUES (?, ?)", (text, isotime()))
        return empty_response(200, "application/json")


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value)


__all__ = ["Extension", "ini_error", "not_found"]
