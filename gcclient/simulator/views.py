"""Nova server, flavor and image views."""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
from typing import Any

from .fixtures import CREATED, NETWORK_NAME, Flavor, Image
from .request import Request
from .store import decode_row

STATUS_BY_VM_STATE = {
    "building": "BUILD",
    "active": "ACTIVE",
    "blessed": "BLESSED",
    "error": "ERROR",
    "migrating": "MIGRATING",
    "stopped": "SHUTOFF",
}


def server_status(server: dict[str, Any]) -> str:
    if server["task_state"] == "migrating":
        return "MIGRATING"
    return STATUS_BY_VM_STATE.get(server["vm_state"], "UNKNOWN")


def power_state(server: dict[str, Any]) -> int:
    """RUNNING (1) while active, else NOSTATE (0): a blessed copy is created with NOSTATE and
    bless never changes it (S6 api.py:241, manager.py:635-640)."""
    return 1 if server["vm_state"] == "active" else 0


def host_id(server: dict[str, Any]) -> str:
    if not server["host"]:
        return ""
    return _host_digest(server["project_id"], server["host"])


@functools.lru_cache(maxsize=256)
def _host_digest(project_id: str, host: str) -> str:
    """Nova's hostId: a digest of project and host, the same for every server of a
    project on a host (a list of 10,000 views has a handful)."""
    return hashlib.sha224((project_id + host).encode()).hexdigest()


def links(req: Request, kind: str, item_id: str, project_id: str | None = None) -> list[dict]:
    project_id = project_id or req.project
    return [
        {"rel": "self", "href": f"{req.base_url}/{req.version}/{project_id}/{kind}/{item_id}"},
        {"rel": "bookmark", "href": f"{req.base_url}/{project_id}/{kind}/{item_id}"},
    ]


def addresses(server: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    if not server["ip"]:
        return {}
    return {NETWORK_NAME: [{"addr": server["ip"], "version": 4}]}


def server_view(req: Request, server: dict[str, Any]) -> dict[str, Any]:
    project_id = server["project_id"]
    status = server_status(server)
    view = {
        "id": server["id"],
        "name": server["name"],
        "status": status,
        "tenant_id": project_id,
        "user_id": server["user_id"],
        "metadata": server["metadata"] or {},
        "hostId": host_id(server),
        "image": {
            "id": server["image_id"],
            "links": [
                {
                    "rel": "bookmark",
                    "href": f"{req.base_url}/{project_id}/images/{server['image_id']}",
                }
            ],
        },
        "flavor": {
            "id": server["flavor_id"],
            "links": [
                {
                    "rel": "bookmark",
                    "href": f"{req.base_url}/{project_id}/flavors/{server['flavor_id']}",
                }
            ],
        },
        "created": server["created"],
        "updated": server["updated"],
        "addresses": addresses(server),
        "accessIPv4": "",
        "accessIPv6": "",
        "key_name": server["key_name"],
        "config_drive": "",
        "links": links(req, "servers", server["id"], project_id),
    }
    if status in ("BUILD", "ACTIVE"):
        view["progress"] = 100 if status == "ACTIVE" else 0
    if status == "ERROR" and server["fault"]:
        view["fault"] = server["fault"]
    return view


class ViewTexts:
    """The JSON text of each server's list view, kept with the row it was made from.

    A view is a function of its row and of the URL and version it is linked from, so
    a server whose row has not changed since it was last listed has the same text. A
    list of 10,000 unchanged clones is then joined from kept texts instead of decoded,
    viewed and encoded again (0.35 s of the simulator's answer on 2 cores). One text
    per server and base URL is kept (the newest), at most ``limit`` in all. The body is
    the text ``json.dumps`` gives for the list of views, byte for byte."""

    def __init__(self, limit: int = 50_000) -> None:
        self.limit = limit
        self._texts: dict[tuple[str, str, str], tuple[tuple, str]] = {}

    def list_body(self, req: Request, rows: list[sqlite3.Row]) -> bytes:
        texts = self._texts
        parts = []
        for row in rows:
            key = (req.base_url, req.version, row["id"])
            values = tuple(row)
            kept = texts.get(key)
            if kept is None or kept[0] != values:
                if kept is None and len(texts) >= self.limit:
                    texts.clear()
                server = decode_row(row)
                assert server is not None
                kept = texts[key] = (values, json.dumps(server_view(req, server)))
            parts.append(kept[1])
        return f"[{', '.join(parts)}]".encode()


def plain_view(req: Request, server: dict[str, Any]) -> dict[str, Any]:
    view = server_view(req, server)
    view["security_groups"] = [{"name": name} for name in server["security_groups"] or []]
    view["OS-EXT-STS:vm_state"] = server["vm_state"]
    view["OS-EXT-STS:task_state"] = server["task_state"]
    view["OS-EXT-STS:power_state"] = power_state(server)
    view["OS-EXT-AZ:availability_zone"] = server["az"]
    view["OS-DCF:diskConfig"] = "MANUAL"
    if req.is_admin:
        view["OS-EXT-SRV-ATTR:host"] = server["host"]
        view["OS-EXT-SRV-ATTR:hypervisor_hostname"] = server["host"]
        view["OS-EXT-SRV-ATTR:instance_name"] = f"instance-{server['seq']:08x}"
    return view


def flavor_view(req: Request, flavor: Flavor, detail: bool = True) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": flavor.id,
        "name": flavor.name,
        "links": links(req, "flavors", flavor.id),
    }
    if detail:
        view.update(
            {
                "ram": flavor.ram,
                "vcpus": flavor.vcpus,
                "disk": flavor.disk,
                "swap": "",
                "rxtx_factor": 1.0,
                "OS-FLV-EXT-DATA:ephemeral": 0,
                "OS-FLV-DISABLED:disabled": False,
                "os-flavor-access:is_public": True,
            }
        )
    return view


def compute_image_view(req: Request, image: Image, detail: bool = True) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": image.id,
        "name": image.name,
        "links": links(req, "images", image.id),
    }
    if detail:
        view.update(
            {
                "status": "ACTIVE",
                "progress": 100,
                "minDisk": image.min_disk,
                "minRam": image.min_ram,
                "created": CREATED,
                "updated": CREATED,
                "metadata": {},
                "OS-EXT-IMG-SIZE:size": image.size,
            }
        )
    return view


def glance_image_view(base_url: str, image: Image, owner: str | None = None) -> dict[str, Any]:
    return {
        "id": image.id,
        "name": image.name,
        "status": "active",
        "visibility": "public" if owner is None else "private",
        "protected": False,
        "os_hidden": False,
        "owner": owner,
        "size": image.size,
        "virtual_size": None,
        "disk_format": "qcow2",
        "container_format": "bare",
        "checksum": None,
        "os_hash_algo": None,
        "os_hash_value": None,
        "min_disk": image.min_disk,
        "min_ram": image.min_ram,
        "tags": [],
        "created_at": CREATED,
        "updated_at": CREATED,
        "self": f"/v2/images/{image.id}",
        "file": f"/v2/images/{image.id}/file",
        "schema": "/v2/schemas/image",
    }
