"""Server logic shared by nova's API and the extension: visibility, placement, creation,
quota and boot. Built from the configuration and the era; knows nothing of routing."""

from __future__ import annotations

import ipaddress
import secrets
import sqlite3
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from .config import Config
from .eras import Era
from .fixtures import IMAGES, KEYPAIR_NAME, SECURITY_GROUPS, Image, find_flavor
from .isolation import check_lineage
from .request import Request
from .responses import ApiError, Response, bad_request, json_response
from .store import (
    count_active,
    find_image,
    get_server,
    insert_server,
    isotime,
    next_counter,
    owned_images,
)
from .views import plain_view

AVAILABILITY_ZONE = "nova"


MAX_SERVER_NAME = 255  # nova's column


@dataclass
class NewServer:
    project_id: str
    user_id: str
    name: str | None
    image_id: str | None
    flavor_id: str | None
    host: str | None
    key_name: str | None = None
    security_groups: list[str] = field(default_factory=lambda: ["default"])
    metadata: dict[str, str] = field(default_factory=dict)
    system_metadata: dict[str, str] = field(default_factory=dict)
    az: str = AVAILABILITY_ZONE
    user_data: str | None = None
    networks: list[str] = field(default_factory=lambda: ["private"])
    ip: str | None = None
    allocate_ip: bool = True
    task_state: str | None = None
    due_action: str = "active"
    due_arg: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class Servers:
    def __init__(self, config: Config, era: Era) -> None:
        self.config = config
        self.era = era

    def quota_error(self, requested: int, used: int, status: int = 413) -> ApiError:
        message = self.era.text(
            "quota", requested=requested, used=used, allowed=self.config.quota_instances
        )
        if self.era.seed and status == 413:
            message = self.era.text("quota_essex")
        headers = {"Retry-After": "0"} if status == 413 else {}
        return ApiError(status, message, headers)

    def check_quota(
        self,
        conn: sqlite3.Connection,
        project_id: str,
        count: int,
        status: int = 413,
        core: bool = False,
    ) -> None:
        """Refuse ``count`` more instances over the project's quota; nova's own create
        (``core``) words it the same in every era."""
        used = count_active(conn, project_id)
        if used + count > self.config.quota_instances:
            if core:
                message = self.era.text(
                    "quota", requested=count, used=used, allowed=self.config.quota_instances
                )
                raise ApiError(413, message, {"Retry-After": "0"})
            raise self.quota_error(count, used, status)

    def visible(self, conn: sqlite3.Connection, req: Request, server_id: str) -> dict | None:
        server = get_server(conn, server_id)
        if server is None:
            return None
        if server["project_id"] != req.project_id and not req.is_admin:
            return None
        return server

    def pick_host(self, conn: sqlite3.Connection, hosts: list[str] | None = None) -> str | None:
        hosts = self.config.hosts if hosts is None else hosts
        if not hosts:
            return None
        return hosts[(next_counter(conn, "placement") - 1) % len(hosts)]

    def allocate_ip(self, conn: sqlite3.Connection) -> str:
        n = next_counter(conn, "ip") + 1
        return str(ipaddress.IPv4Address("10.0.0.0") + n + n // 254 * 2)

    def create(self, conn: sqlite3.Connection, spec: NewServer) -> dict[str, Any]:
        now = time.time()
        stamp = isotime(now)
        ip = spec.ip
        if ip is None and spec.allocate_ip:
            ip = self.allocate_ip(conn)
        row = {
            "id": str(uuid.uuid4()),
            "project_id": spec.project_id,
            "user_id": spec.user_id,
            "name": spec.name,
            "vm_state": "building",
            "task_state": spec.task_state,
            "host": spec.host,
            "az": spec.az,
            "image_id": spec.image_id,
            "flavor_id": spec.flavor_id,
            "key_name": spec.key_name,
            "security_groups": spec.security_groups,
            "metadata": spec.metadata,
            "system_metadata": spec.system_metadata,
            "user_data": spec.user_data,
            "networks": spec.networks,
            "ip": ip,
            "created": stamp,
            "updated": stamp,
            "due_at": now + self.config.build_time,
            "due_action": spec.due_action,
            "due_arg": spec.due_arg,
            **spec.extra,
        }
        insert_server(conn, row)
        return get_server(conn, row["id"])

    def image(self, conn: sqlite3.Connection, image_id: str, project_id: str) -> Image | None:
        """A fixture image, or an export image of ``project_id`` (exports are per project)."""
        if image_id in IMAGES:
            return IMAGES[image_id]
        row = find_image(conn, image_id, project_id)
        return Image(row["id"], row["name"], 0) if row else None

    def all_images(self, conn: sqlite3.Connection, req: Request) -> list[tuple[Image, str | None]]:
        images: list[tuple[Image, str | None]] = [(i, None) for i in IMAGES.values()]
        for row in owned_images(conn, req.project_id):
            images.append((Image(row["id"], row["name"], 0), row["owner"]))
        return images

    def boot(
        self,
        req: Request,
        conn: sqlite3.Connection,
        spec: NewServer,
        count: int,
        status: int,
        extended: bool = True,
    ) -> Response:
        """Create ``count`` servers; ``extended`` adds what nova's servers-resource extensions
        add to the answer (/gcservers calls nova's controller directly and gets none of it)."""
        self.check_quota(conn, req.project_id, count, core=True)
        first = None
        host = spec.host
        for _ in range(count):
            server = self.create(conn, spec)
            first = first or server
            spec.host = self.pick_host(conn) if host is None else host
        links = plain_view(req, first)["links"]
        view: dict[str, Any] = {
            "id": first["id"],
            "links": links,
            "adminPass": secrets.token_urlsafe(9),
        }
        if extended:
            view["OS-DCF:diskConfig"] = "MANUAL"
            view["security_groups"] = [{"name": n} for n in spec.security_groups]
        return json_response(status, {"server": view}, Location=links[0]["href"])

    def boot_spec(self, req: Request, conn: sqlite3.Connection) -> tuple[NewServer, int]:
        body = req.json_object()
        server = body.get("server")
        if not isinstance(server, dict):
            raise bad_request("Malformed request body")
        name = server.get("name")
        if not isinstance(name, str) or not name.strip():
            raise bad_request("Server name is not defined")
        if len(name) > MAX_SERVER_NAME:
            # nova 2014.1 servers.py _validate_server_name -> utils.check_string_length
            raise bad_request(f"Server name has more than {MAX_SERVER_NAME} characters.")
        image_ref = server.get("imageRef")
        if not image_ref:
            raise bad_request("Missing imageRef attribute")
        if not isinstance(image_ref, str):
            raise bad_request("Invalid imageRef provided.")
        image = self.image(conn, image_ref.rstrip("/").rsplit("/", 1)[-1], req.project_id)
        if image is None:
            raise bad_request("Can not find requested image")
        if server.get("flavorRef") in (None, ""):
            raise bad_request("Missing flavorRef attribute")
        flavor = find_flavor(server.get("flavorRef"))
        if flavor is None:
            raise bad_request("Invalid flavorRef provided.")
        key_name = server.get("key_name")
        if key_name is not None and key_name != KEYPAIR_NAME:
            raise bad_request("Invalid key_name provided.")
        groups = ["default"]
        if server.get("security_groups") is not None:
            entries = server["security_groups"]
            if not isinstance(entries, list) or not all(isinstance(g, dict) for g in entries):
                raise bad_request("Malformed request body")
            groups = [str(g.get("name")) for g in entries]
            for group in groups:
                if group not in SECURITY_GROUPS:
                    raise bad_request(
                        self.era.text("secgroup", name=group, project_id=req.project_id)
                    )
        metadata = server.get("metadata") or {}
        if not isinstance(metadata, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()
        ):
            raise bad_request("Invalid metadata")
        check_lineage(conn, metadata, req.project_id, self.era)
        az = server.get("availability_zone") or AVAILABILITY_ZONE
        if not isinstance(az, str) or az.partition(":")[0] != AVAILABILITY_ZONE:
            raise bad_request("The requested availability zone is not available")
        count = 1
        for key in ("min_count", "max_count"):
            if key in server:
                try:
                    count = max(count, int(server[key]))
                except (TypeError, ValueError):
                    raise bad_request(f"Invalid {key} value")
        user_data = server.get("user_data")
        spec = NewServer(
            project_id=req.project_id,
            user_id=req.user.id,
            name=name,
            image_id=image.id,
            flavor_id=flavor.id,
            host=None,
            key_name=key_name,
            security_groups=groups,
            metadata=dict(metadata),
            user_data=user_data if isinstance(user_data, str) else None,
        )
        return spec, count
