"""Nova core API (legacy v2 / v1.1): versions, servers, flavors, images, extensions, images v2."""

from __future__ import annotations

import ipaddress
import random
import re
import secrets
import sqlite3
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .fixtures import (
    FINGERPRINT,
    FLAVORS,
    IMAGES,
    KEYPAIR_NAME,
    NETWORK_ID,
    NETWORKS,
    PUBLIC_KEY,
    SECURITY_GROUPS,
    Image,
    find_flavor,
    security_group_id,
)
from .request import Request
from .responses import ApiError, Response, bad_request, json_response, not_found
from .store import (
    count_active,
    get_server,
    insert_server,
    isotime,
    next_counter,
    query_servers,
    update_server,
)
from .views import (
    STATUS_BY_VM_STATE,
    compute_image_view,
    flavor_view,
    glance_image_view,
    plain_view,
    server_status,
)

if TYPE_CHECKING:
    from .app import App

NOVA_EXTENSIONS = (
    ("Keypairs", "os-keypairs"),
    ("SecurityGroups", "os-security-groups"),
    ("AvailabilityZone", "os-availability-zone"),
    ("ExtendedStatus", "OS-EXT-STS"),
    ("ExtendedServerAttributes", "OS-EXT-SRV-ATTR"),
    ("ExtendedAvailabilityZone", "OS-EXT-AZ"),
    ("DiskConfig", "OS-DCF"),
    ("FlavorExtraData", "OS-FLV-EXT-DATA"),
    ("FlavorDisabled", "OS-FLV-DISABLED"),
    ("FlavorAccess", "os-flavor-access"),
    ("ImageSize", "OS-EXT-IMG-SIZE"),
    ("UserData", "os-user-data"),
    ("SchedulerHints", "OS-SCH-HNT"),
    ("Quotas", "os-quota-sets"),
    ("ServerStartStop", "os-server-start-stop"),
)

AVAILABILITY_ZONE = "nova"


def nova_version(base: str, status: str = "CURRENT") -> dict[str, Any]:
    return {
        "id": "v2.0",
        "status": status,
        "version": "",
        "min_version": "",
        "updated": "2011-01-21T11:33:21Z",
        "links": [{"rel": "self", "href": f"{base}/v2/"}],
        "media-types": [
            {"base": "application/json", "type": "application/vnd.openstack.compute+json;version=2"}
        ],
    }


def quota_error(app: App, requested: int, used: int, status: int = 413) -> ApiError:
    message = app.era.text(
        "quota", requested=requested, used=used, allowed=app.config.quota_instances
    )
    if app.era.seed and status == 413:
        message = app.era.text("quota_essex")
    headers = {"Retry-After": "0"} if status == 413 else {}
    return ApiError(status, message, headers)


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


class Compute:
    def __init__(self, app: App) -> None:
        self.app = app

    # ---- helpers shared with the extension -------------------------------------

    def visible(self, conn: sqlite3.Connection, req: Request, server_id: str) -> dict | None:
        server = get_server(conn, server_id)
        if server is None:
            return None
        if server["project_id"] != req.project_id and not req.is_admin:
            return None
        return server

    def pick_host(self, conn: sqlite3.Connection, hosts: list[str] | None = None) -> str | None:
        hosts = self.app.config.hosts if hosts is None else hosts
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
            "due_at": now + self.app.config.build_time,
            "due_action": spec.due_action,
            "due_arg": spec.due_arg,
            **spec.extra,
        }
        insert_server(conn, row)
        return get_server(conn, row["id"])

    def image(self, conn: sqlite3.Connection, image_id: str) -> Image | None:
        if image_id in IMAGES:
            return IMAGES[image_id]
        row = conn.execute("SELECT * FROM images WHERE id = ?", (image_id,)).fetchone()
        return Image(row["id"], row["name"], 0) if row else None

    def all_images(self, conn: sqlite3.Connection, req: Request) -> list[tuple[Image, str | None]]:
        images: list[tuple[Image, str | None]] = [(i, None) for i in IMAGES.values()]
        for row in conn.execute(
            "SELECT * FROM images WHERE owner = ? ORDER BY created", (req.project_id,)
        ):
            images.append((Image(row["id"], row["name"], 0), row["owner"]))
        return images

    # ---- versions -----------------------------------------------------------------

    def version(self, req: Request) -> Response:
        return json_response(200, {"version": nova_version(req.base_url)})

    # ---- servers ------------------------------------------------------------------

    def list_servers(self, req: Request, conn: sqlite3.Connection) -> Response:
        return self._list(req, conn, detail=False)

    def list_detail(self, req: Request, conn: sqlite3.Connection) -> Response:
        return self._list(req, conn, detail=True)

    def _list(self, req: Request, conn: sqlite3.Connection, detail: bool) -> Response:
        """Newest first, paged like nova: ``marker`` (an ID) and ``limit``, at most
        ``max_limit`` (nova's osapi_max_limit) servers a page whatever the limit; a
        ``next`` link (keeping the filters) only when a limit was asked and more remain,
        as in the early eras. Without filters the page is cut in SQL."""
        max_limit = 1000
        if req.is_admin and req.arg("all_tenants") not in (None, "0", "false", "False"):
            where, args = "1 = 1", ()
        else:
            where, args = "project_id = ?", (req.project_id,)
        marker = req.arg("marker")
        if marker is not None:
            found = query_servers(conn, f"{where} AND id = ?", (*args, marker))
            if not found:
                raise bad_request(f"marker [{marker}] not found")
            where, args = f"{where} AND seq < ?", (*args, found[0]["seq"])
        limit_text = req.arg("limit")
        limit = None
        if limit_text is not None:
            try:
                limit = int(limit_text)
            except ValueError:
                raise bad_request("limit param must be an integer")
            if limit < 0:
                raise bad_request("limit param must be positive")
        page = max_limit if limit is None else min(limit, max_limit)
        name, status = req.arg("name"), req.arg("status")
        exact = status is None
        if status is not None:
            # As nova, filter the status in SQL (the Python check below stays exact).
            vm_states = [v for v, s in STATUS_BY_VM_STATE.items() if s == status.upper()]
            if vm_states and status.upper() != "MIGRATING":
                marks = ", ".join("?" for _ in vm_states)
                where = f"{where} AND vm_state IN ({marks}) AND task_state IS NOT 'migrating'"
                args = (*args, *vm_states)
                exact = True
        cut = ""
        if name is None and exact:
            # Walk the primary key backwards and stop after the page; "+" keeps SQLite
            # from sorting the whole project through the project index first.
            cut = f" LIMIT {page + 1}"
            where = where.replace("project_id = ?", "+project_id = ?")
        servers = query_servers(conn, f"{where} ORDER BY seq DESC{cut}", args)
        if name is not None:
            try:
                pattern = re.compile(name)
            except re.error:
                servers = []
            else:
                servers = [s for s in servers if pattern.search(s["name"] or "")]
        if status is not None:
            servers = [s for s in servers if server_status(s) == status.upper()]
        more = len(servers) > page
        servers = servers[:page]
        if detail:
            views = [plain_view(req, s) for s in servers]
        else:
            views = [
                {"id": s["id"], "name": s["name"], "links": plain_view(req, s)["links"]}
                for s in servers
            ]
        body: dict[str, Any] = {"servers": views}
        if more and limit is not None and servers:
            from urllib.parse import urlencode

            query = {k: v[-1] for k, v in req.query.items() if k != "marker"}
            query["marker"] = servers[-1]["id"]
            path = "servers/detail" if detail else "servers"
            body["servers_links"] = [
                {"rel": "next", "href": f"{req.compute_base}/{path}?{urlencode(query)}"}
            ]
        return json_response(200, body)

    def show_server(self, req: Request, conn: sqlite3.Connection) -> Response:
        server = self.visible(conn, req, req.params["server_id"])
        if server is None:
            raise not_found(self.app.era.text("not_found", uuid=req.params["server_id"]))
        return json_response(200, {"server": plain_view(req, server)})

    def delete_server(self, req: Request, conn: sqlite3.Connection) -> Response:
        server_id = req.params["server_id"]
        server = self.visible(conn, req, server_id)
        if server is None:
            raise not_found(self.app.era.text("not_found", uuid=server_id))
        era = self.app.era
        if not era.seed:
            protected = (server["system_metadata"] or {}).get("protected") == "True"
            if (server["metadata"] or {}).get("blessed_from") or protected:
                raise bad_request(era.text("delete_blessed", uuid=server_id))
            if server["task_state"] == "blessing":
                raise bad_request(era.text("delete_blessing"))
        if server["task_state"] != "deleting":
            update_server(
                conn,
                server_id,
                task_state="deleting",
                due_at=time.time() + self.app.config.build_time,
                due_action="delete",
                due_arg=None,
            )
        return Response(204, b"", None)

    def create_server(self, req: Request, conn: sqlite3.Connection) -> Response:
        spec, count = self.boot_spec(req, conn)
        spec.host = self.pick_host(conn)
        return self.boot(req, conn, spec, count, 202)

    def boot(
        self, req: Request, conn: sqlite3.Connection, spec: NewServer, count: int, status: int
    ) -> Response:
        used = count_active(conn, req.project_id)
        if used + count > self.app.config.quota_instances:
            raise ApiError(
                413,
                self.app.era.text(
                    "quota", requested=count, used=used, allowed=self.app.config.quota_instances
                ),
                {"Retry-After": "0"},
            )
        first = None
        host = spec.host
        for _ in range(count):
            server = self.create(conn, spec)
            first = first or server
            spec.host = self.pick_host(conn) if host is None else host
        admin_pass = secrets.token_urlsafe(9)
        view = {
            "id": first["id"],
            "links": plain_view(req, first)["links"],
            "adminPass": admin_pass,
            "OS-DCF:diskConfig": "MANUAL",
            "security_groups": [{"name": n} for n in spec.security_groups],
        }
        return json_response(status, {"server": view})

    def boot_spec(self, req: Request, conn: sqlite3.Connection) -> tuple[NewServer, int]:
        body = req.json_object()
        server = body.get("server")
        if not isinstance(server, dict):
            raise bad_request("Malformed request body")
        name = server.get("name")
        if not isinstance(name, str) or not name.strip():
            raise bad_request("Server name is not defined")
        image_ref = server.get("imageRef")
        if not image_ref:
            raise bad_request("Missing imageRef attribute")
        if not isinstance(image_ref, str):
            raise bad_request("Invalid imageRef provided.")
        image = self.image(conn, image_ref.rstrip("/").rsplit("/", 1)[-1])
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
                    raise bad_request(self.app.era.text("secgroup", name=group))
        metadata = server.get("metadata") or {}
        if not isinstance(metadata, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()
        ):
            raise bad_request("Invalid metadata")
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

    def server_metadata(self, req: Request, conn: sqlite3.Connection) -> Response:
        server = self.visible(conn, req, req.params["server_id"])
        if server is None:
            raise not_found(self.app.era.text("not_found", uuid=req.params["server_id"]))
        if req.method in ("POST", "PUT"):
            body = req.json_object()
            metadata = body.get("metadata")
            if not isinstance(metadata, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()
            ):
                raise bad_request("Malformed request body")
            merged = dict(metadata) if req.method == "PUT" else {**server["metadata"], **metadata}
            update_server(conn, server["id"], metadata=merged)
            return json_response(200, {"metadata": merged})
        return json_response(200, {"metadata": server["metadata"]})

    # ---- flavors, images, misc -----------------------------------------------------

    def list_flavors(self, req: Request, conn: sqlite3.Connection) -> Response:
        return json_response(
            200, {"flavors": [flavor_view(req, f, detail=False) for f in FLAVORS.values()]}
        )

    def list_flavors_detail(self, req: Request, conn: sqlite3.Connection) -> Response:
        return json_response(200, {"flavors": [flavor_view(req, f) for f in FLAVORS.values()]})

    def show_flavor(self, req: Request, conn: sqlite3.Connection) -> Response:
        flavor = FLAVORS.get(req.params["flavor_id"])
        if flavor is None:
            raise not_found(f"Flavor {req.params['flavor_id']} could not be found.")
        return json_response(200, {"flavor": flavor_view(req, flavor)})

    def flavor_extra_specs(self, req: Request, conn: sqlite3.Connection) -> Response:
        if req.params["flavor_id"] not in FLAVORS:
            raise not_found(f"Flavor {req.params['flavor_id']} could not be found.")
        return json_response(200, {"extra_specs": {}})

    def list_images(self, req: Request, conn: sqlite3.Connection) -> Response:
        images = [compute_image_view(req, i, False) for i, _ in self.all_images(conn, req)]
        return json_response(200, {"images": images})

    def list_images_detail(self, req: Request, conn: sqlite3.Connection) -> Response:
        images = [compute_image_view(req, i) for i, _ in self.all_images(conn, req)]
        return json_response(200, {"images": images})

    def show_image(self, req: Request, conn: sqlite3.Connection) -> Response:
        image = self.image(conn, req.params["image_id"])
        if image is None:
            raise not_found("Image not found.")
        return json_response(200, {"image": compute_image_view(req, image)})

    def list_extensions(self, req: Request, conn: sqlite3.Connection) -> Response:
        return json_response(200, {"extensions": self._extensions()})

    def show_extension(self, req: Request, conn: sqlite3.Connection) -> Response:
        for ext in self._extensions():
            if ext["alias"] == req.params["alias"]:
                return json_response(200, {"extension": ext})
        raise not_found()

    def _extensions(self) -> list[dict[str, Any]]:
        extensions = [
            {
                "name": name,
                "alias": alias,
                "namespace": f"http://docs.openstack.org/compute/ext/{alias.lower()}/api/v1.1",
                "updated": "2011-12-23T00:00:00Z",
                "description": f"{name} support.",
                "links": [],
            }
            for name, alias in NOVA_EXTENSIONS
        ]
        extensions.append(self.app.era.descriptor())
        return extensions

    def list_keypairs(self, req: Request, conn: sqlite3.Connection) -> Response:
        return json_response(200, {"keypairs": [{"keypair": self._keypair()}]})

    def show_keypair(self, req: Request, conn: sqlite3.Connection) -> Response:
        if req.params["name"] != KEYPAIR_NAME:
            raise not_found(f"Keypair {req.params['name']} not found for user {req.user.id}")
        return json_response(200, {"keypair": {**self._keypair(), "user_id": req.user.id}})

    def _keypair(self) -> dict[str, str]:
        return {"name": KEYPAIR_NAME, "public_key": PUBLIC_KEY, "fingerprint": FINGERPRINT}

    def list_security_groups(self, req: Request, conn: sqlite3.Connection) -> Response:
        groups = [
            {
                "id": security_group_id(req.project_id, name),
                "name": name,
                "description": description,
                "tenant_id": req.project_id,
                "rules": [],
            }
            for name, description in SECURITY_GROUPS.items()
        ]
        return json_response(200, {"security_groups": groups})

    def availability_zones(self, req: Request, conn: sqlite3.Connection) -> Response:
        hosts = {
            h: {"nova-compute": {"available": True, "active": True}} for h in self.app.config.hosts
        }
        zone = {
            "zoneName": AVAILABILITY_ZONE,
            "zoneState": {"available": True},
            "hosts": hosts if req.is_admin else None,
        }
        return json_response(200, {"availabilityZoneInfo": [zone]})

    def limits(self, req: Request, conn: sqlite3.Connection) -> Response:
        used = count_active(conn, req.project_id)
        absolute = {
            "maxTotalInstances": self.app.config.quota_instances,
            "totalInstancesUsed": used,
            "maxTotalCores": -1,
            "totalCoresUsed": 0,
            "maxTotalRAMSize": -1,
            "totalRAMUsed": 0,
            "maxTotalKeypairs": 100,
            "maxServerMeta": 128,
            "maxPersonality": 5,
            "maxPersonalitySize": 10240,
        }
        return json_response(200, {"limits": {"rate": [], "absolute": absolute}})

    def networks(self, req: Request, conn: sqlite3.Connection) -> Response:
        nets = [{"id": nid, "label": label} for nid, label in NETWORKS.items()]
        return json_response(200, {"networks": nets})

    # ---- image service (glance v2 subset for python-openstackclient) -----------------

    def image_versions(self, req: Request) -> Response:
        version = {
            "id": "v2.9",
            "status": "CURRENT",
            "links": [{"rel": "self", "href": f"{req.base_url}/image/v2/"}],
        }
        return json_response(300, {"versions": [version]})

    def glance_list(self, req: Request, conn: sqlite3.Connection) -> Response:
        images = self.all_images(conn, req)
        for attribute in ("name", "id"):
            wanted = req.arg(attribute)
            if wanted is not None:
                values = set(wanted[3:].split(",")) if wanted.startswith("in:") else {wanted}
                images = [(i, o) for i, o in images if getattr(i, attribute) in values]
        marker = req.arg("marker")
        if marker is not None:
            ids = [i.id for i, _ in images]
            images = images[ids.index(marker) + 1 :] if marker in ids else []
        views = [glance_image_view(req.base_url, i, o) for i, o in images]
        return json_response(
            200, {"images": views, "first": "/v2/images", "schema": "/v2/schemas/images"}
        )

    def glance_show(self, req: Request, conn: sqlite3.Connection) -> Response:
        image = self.image(conn, req.params["image_id"])
        if image is None:
            raise ApiError(404, f"No image found with ID {req.params['image_id']}")
        return json_response(200, glance_image_view(req.base_url, image))


def random_other_host(hosts: list[str], current: str | None, rng: random.Random) -> str | None:
    choices = [h for h in hosts if h != current]
    return rng.choice(choices) if choices else None


__all__ = ["Compute", "NewServer", "NETWORK_ID", "quota_error", "random_other_host"]
