"""The Gridcentric / Cobalt extension: actions, gcinfo, gcservers, import/export, policies."""

from __future__ import annotations

import json
import random
import sqlite3
import time
import uuid
from typing import Any

from .config import Config
from .eras import Era
from .fixtures import FLAVORS, PUBLIC_KEY
from .launch import Launcher
from .py2 import py2_str
from .request import Request
from .responses import (
    HTML_ACTION,
    ApiError,
    RawError,
    Response,
    compute_fault,
    empty_response,
    generic_bad_request,
    json_response,
)
from .servers import NewServer, Servers
from .store import (
    has_children,
    insert_image,
    latest_policy,
    lineage_rows,
    update_server,
)
from .views import ViewTexts, power_state, server_view


class Extension:
    def __init__(self, config: Config, era: Era, servers: Servers) -> None:
        self.config = config
        self.era = era
        self.servers = servers
        self.rng = random.Random()
        self.launcher = Launcher(config, era, servers)
        self.view_texts = ViewTexts()

    # ---- helpers ---------------------------------------------------------------------

    def fail(self, message: str, status: int | None = None) -> ApiError:
        return self.servers.fail(message, status)

    def lookup(self, conn: sqlite3.Connection, req: Request, server_id: str) -> dict[str, Any]:
        return self.servers.lookup(conn, req, server_id)

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
        """S6 api:359-397, S4 api:290-325; the seed ignores the body (S1 ext:54-58). The clone
        number is stored (S6 api:378, S4 api:309) before ``params.get('name')`` and before the
        copy's ``sanitize_hostname(name)``: a body that is not an object (500) or a name that is
        not a string (TypeError: nova's generic 400) still uses up a number."""
        era = self.era
        source = self.lookup(conn, req, sid)
        metadata = dict(source["metadata"] or {})
        if metadata.get("blessed_from"):
            raise self.fail(era.text("already_blessed", uuid=sid))
        # Only the vm state counts (S6 api:371, S4 api:302): a migrating server is active. The
        # seed's migration is a vm state (S1 api:212).
        if source["vm_state"] != "active" or source["task_state"] == "deleting":
            raise self.fail(era.text("bless_not_active", uuid=sid))
        if era.bless_refuses_launched and metadata.get("launched_from"):
            raise self.fail(era.text("bless_launched", uuid=sid))
        if era.bless_reserves:
            self.servers.check_quota(conn, source["project_id"], 1, status=400)
        clone_num = int(metadata.get("last_clone_num", -1)) + 1
        metadata["last_clone_num"] = str(clone_num)
        update_server(conn, sid, metadata=metadata)
        name: Any = None
        if era.bless_params and value is not None:
            if not isinstance(value, dict):  # ``params.get``: committed, then the 500
                return compute_fault().response()
            name = value.get("name")
        if name is None:
            name = f"{source['name']}-{clone_num}"
        elif not isinstance(name, str):
            return generic_bad_request().response()
        if era.bless_reserves and source["task_state"] is None:
            update_server(conn, sid, task_state="blessing")
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
        return self.launcher(req, conn, sid, value)

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
        if not isinstance(value, dict):  # S6 ext:148-149, S4 ext:126: ``.get`` before the lookup
            raise compute_fault()
        server = self.lookup(conn, req, sid)
        dest = value.get("dest")
        hosts = self.config.hosts
        if era.seed:
            if dest not in hosts:
                raise self.fail(era.text("migrate_service", host=py2_str(dest)))
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
            raise self.fail(era.text("migrate_service", host=py2_str(dest)))
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
        # Cobalt filters on the metadata only (compute_api.get_all with the caller's
        # context, cobalt/nova/api.py list_launched_instances); nova's database layer
        # then scopes a member to the project and lets an admin see every project.
        rows = lineage_rows(conn, column, sid, None if req.is_admin else req.project)
        return Response(200, self.view_texts.list_body(req, rows), HTML_ACTION)

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


__all__ = ["Extension"]
