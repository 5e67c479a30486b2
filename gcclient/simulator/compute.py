"""Nova core API (legacy v2 / v1.1): versions, servers, flavors, images, extensions, images v2."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from .config import Config
from .eras import Era
from .fixtures import (
    FINGERPRINT,
    FLAVORS,
    KEYPAIR_NAME,
    NETWORK_ID,
    NETWORKS,
    PUBLIC_KEY,
    SECURITY_GROUPS,
    security_group_id,
)
from .isolation import check_lineage
from .namefilter import filter_by_name
from .request import Later, Request
from .responses import ApiError, Response, bad_request, json_response, not_found
from .servers import AVAILABILITY_ZONE, Servers
from .store import (
    count_active,
    newest_servers,
    server_seq,
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


# Admin-only APIs a member may try: Nova 34 answers 403 with the policy rule's name.
ADMIN_APIS = {
    "os-hypervisors": "os_compute_api:os-hypervisors:list",
    "os-services": "os_compute_api:os-services:list",
    "os-aggregates": "os_compute_api:os-aggregates:index",
}
# Nova's own server actions the simulator answers (others: "There is no such action").
NOVA_ACTIONS = ("reboot", "os-stop", "os-start")
WEBOB_404 = "The resource could not be found.<br /><br />\n\n\n"


def webob_not_found() -> Response:
    """What a nova route miss answers: webob's JSON 404, not a nova fault."""
    body = {"message": WEBOB_404, "code": "404 Not Found", "title": "Not Found"}
    return json_response(404, body)


def policy_forbidden(rule: str) -> ApiError:
    return ApiError(403, f"Policy doesn't allow {rule} to be performed.")


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


class Compute:
    """Nova's own resources; server logic shared with the extension lives in ``servers``."""

    def __init__(self, config: Config, era: Era, servers: Servers) -> None:
        self.config = config
        self.era = era
        self.servers = servers

    # ---- versions -----------------------------------------------------------------

    def version(self, req: Request) -> Response:
        return json_response(200, {"version": nova_version(req.base_url)})

    def choices(self, req: Request) -> Response:
        """A path outside every API version (an endpoint without ``/v2``): nova's urlmap
        answers 300 with the versions that path would have under each."""
        version = nova_version(req.base_url)
        choice = {
            "id": version["id"],
            "status": version["status"],
            "links": [{"rel": "self", "href": f"{req.base_url}/v2{req.path}"}],
            "media-types": version["media-types"],
        }
        return json_response(300, {"choices": [choice]})

    def admin_api(self, req: Request, conn: sqlite3.Connection) -> Response:
        """os-hypervisors, os-services, os-aggregates: 403 for a member, as Nova 34."""
        name = req.path.split("/")[3]
        if not req.is_admin:
            raise policy_forbidden(ADMIN_APIS[name])
        hosts = list(self.config.hosts)
        if name == "os-hypervisors":
            rows = [
                {"id": n + 1, "hypervisor_hostname": h, "state": "up", "status": "enabled"}
                for n, h in enumerate(hosts)
            ]
            return json_response(200, {"hypervisors": rows})
        if name == "os-services":
            rows = [
                {
                    "id": n + 1,
                    "binary": "nova-compute",
                    "host": h,
                    "zone": AVAILABILITY_ZONE,
                    "status": "enabled",
                    "state": "up",
                }
                for n, h in enumerate(hosts)
            ]
            return json_response(200, {"services": rows})
        return json_response(200, {"aggregates": []})

    def server_action(self, req: Request, conn: sqlite3.Connection, key: str) -> Response:
        """reboot, os-stop, os-start: 409 in a state that does not allow them (Nova's
        "Cannot '<action>' instance <id> while it is in vm_state <state>"), else 202."""
        server_id = req.params["server_id"]
        server = self.servers.visible(conn, req, server_id)
        if server is None:
            raise not_found(self.era.text("not_found", uuid=server_id))
        allowed = {
            "reboot": ("active", "stopped"),
            "os-stop": ("active",),
            "os-start": ("stopped",),
        }
        if server["vm_state"] not in allowed[key] or server["task_state"] not in (None, ""):
            raise ApiError(
                409,
                f"Cannot '{key}' instance {server_id} while it is in vm_state {server['vm_state']}",
            )
        if key == "os-stop":
            update_server(conn, server_id, vm_state="stopped")
        elif key == "os-start":
            update_server(conn, server_id, vm_state="active")
        return Response(202, b"", None)

    # ---- servers ------------------------------------------------------------------

    def list_servers(self, req: Request, conn: sqlite3.Connection) -> Response:
        return self._list(req, conn, detail=False)

    def list_detail(self, req: Request, conn: sqlite3.Connection) -> Response:
        return self._list(req, conn, detail=True)

    def _list(self, req: Request, conn: sqlite3.Connection, detail: bool) -> Response:
        """Newest first, paged like nova: ``marker`` (an ID) and ``limit``, at most
        ``max_limit`` (nova's osapi_max_limit) servers a page whatever the limit; a
        ``next`` link (keeping the filters) whenever a limit was asked and the page is full,
        as in every era. The status is filtered in SQL as nova does; without a
        name filter the page is cut in SQL too."""
        max_limit = 1000
        asked = req.arg("all_tenants") not in (None, "0", "false", "False")
        if asked and not req.is_admin:
            raise policy_forbidden("os_compute_api:servers:index:get_all_tenants")
        every = req.is_admin and asked
        project = None if every else req.project
        marker = req.arg("marker")
        before = None
        if marker is not None:
            before = server_seq(conn, marker, project)
            if before is None:
                raise bad_request(f"marker [{marker}] not found")
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
        status = req.arg("status")
        vm_states: tuple[str, ...] = ()
        exact = status is None
        if status is not None and status.upper() != "MIGRATING":
            vm_states = tuple(v for v, s in STATUS_BY_VM_STATE.items() if s == status.upper())
            exact = bool(vm_states)  # the Python check in _listed stays, exact either way
        named = req.arg("name") is not None
        cut = page + 1 if not named and exact else None
        servers = newest_servers(conn, project, before=before, vm_states=vm_states, limit=cut)
        if named:
            return Later(200, work=lambda: self._listed(req, servers, detail, page, limit))
        return self._listed(req, servers, detail, page, limit)

    def _listed(
        self, req: Request, servers: list[dict], detail: bool, page: int, limit: int | None
    ) -> Response:
        name = req.arg("name")
        if name is not None:
            servers = filter_by_name(name, servers)
        status = req.arg("status")
        if status is not None:
            servers = [s for s in servers if server_status(s) == status.upper()]
        servers = servers[:page]
        if detail:
            views = [plain_view(req, s) for s in servers]
        else:
            views = [
                {"id": s["id"], "name": s["name"], "links": plain_view(req, s)["links"]}
                for s in servers
            ]
        body: dict[str, Any] = {"servers": views}
        if limit and len(servers) == limit:  # a full page: nova 2014.1 common.py:543-557
            from urllib.parse import urlencode

            query = {k: v[-1] for k, v in req.query.items() if k != "marker"}
            query["marker"] = servers[-1]["id"]
            path = "servers/detail" if detail else "servers"
            body["servers_links"] = [
                {"rel": "next", "href": f"{req.compute_base}/{path}?{urlencode(query)}"}
            ]
        return json_response(200, body)

    def show_server(self, req: Request, conn: sqlite3.Connection) -> Response:
        server = self.servers.visible(conn, req, req.params["server_id"])
        if server is None:
            # nova's own servers.py show(): 2014.1 gives a text without the ID, 2012.x none.
            raise not_found(self.era.text("show_not_found"))
        return json_response(200, {"server": plain_view(req, server)})

    def delete_server(self, req: Request, conn: sqlite3.Connection) -> Response:
        server_id = req.params["server_id"]
        server = self.servers.visible(conn, req, server_id)
        if server is None:  # nova 2014.1 servers.py:1194-1200; 2012.x a bare HTTPNotFound
            raise not_found(self.era.text("delete_not_found"))
        era = self.era
        if era.guards_delete:
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
                due_at=time.time() + self.config.build_time,
                due_action="delete",
                due_arg=None,
            )
        return Response(204, b"", None)

    def create_server(self, req: Request, conn: sqlite3.Connection) -> Response:
        spec, count = self.servers.boot_spec(req, conn)
        spec.host = self.servers.pick_host(conn)
        return self.servers.boot(req, conn, spec, count, 202)

    def server_metadata(self, req: Request, conn: sqlite3.Connection) -> Response:
        """The body is read before the lookup (nova 2014.1 server_metadata.py:53-58, 96-101);
        an unknown server is "Server does not exist" in every era (2014.1 :32-38, 2012.x
        :33-39)."""
        body = req.json_object() if req.method in ("POST", "PUT") else {}
        server = self.servers.visible(conn, req, req.params["server_id"])
        if server is None:
            raise not_found(self.era.text("metadata_not_found"))
        if req.method in ("POST", "PUT"):
            metadata = body.get("metadata")
            if not isinstance(metadata, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()
            ):
                raise bad_request("Malformed request body")
            check_lineage(conn, metadata, server["project_id"], self.era)
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
        images = [compute_image_view(req, i, False) for i, _ in self.servers.all_images(conn, req)]
        return json_response(200, {"images": images})

    def list_images_detail(self, req: Request, conn: sqlite3.Connection) -> Response:
        images = [compute_image_view(req, i) for i, _ in self.servers.all_images(conn, req)]
        return json_response(200, {"images": images})

    def show_image(self, req: Request, conn: sqlite3.Connection) -> Response:
        image = self.servers.image(conn, req.params["image_id"], req.project)
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
        extensions.append(self.era.descriptor())
        return extensions

    def list_keypairs(self, req: Request, conn: sqlite3.Connection) -> Response:
        return json_response(200, {"keypairs": [{"keypair": self._keypair()}]})

    def show_keypair(self, req: Request, conn: sqlite3.Connection) -> Response:
        if req.params["name"] != KEYPAIR_NAME:
            raise not_found(f"Keypair {req.params['name']} not found for user {req.caller.id}")
        return json_response(200, {"keypair": {**self._keypair(), "user_id": req.caller.id}})

    def _keypair(self) -> dict[str, str]:
        return {"name": KEYPAIR_NAME, "public_key": PUBLIC_KEY, "fingerprint": FINGERPRINT}

    def list_security_groups(self, req: Request, conn: sqlite3.Connection) -> Response:
        groups = [
            {
                "id": security_group_id(req.project, name),
                "name": name,
                "description": description,
                "tenant_id": req.project,
                "rules": [],
            }
            for name, description in SECURITY_GROUPS.items()
        ]
        return json_response(200, {"security_groups": groups})

    def availability_zones(self, req: Request, conn: sqlite3.Connection) -> Response:
        hosts = {
            h: {"nova-compute": {"available": True, "active": True}} for h in self.config.hosts
        }
        zone = {
            "zoneName": AVAILABILITY_ZONE,
            "zoneState": {"available": True},
            "hosts": hosts if req.is_admin else None,
        }
        return json_response(200, {"availabilityZoneInfo": [zone]})

    def limits(self, req: Request, conn: sqlite3.Connection) -> Response:
        used = count_active(conn, req.project)
        absolute = {
            "maxTotalInstances": self.config.quota_instances,
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
        images = self.servers.all_images(conn, req)
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
        image = self.servers.image(conn, req.params["image_id"], req.project)
        if image is None:
            raise ApiError(404, f"No image found with ID {req.params['image_id']}")
        return json_response(200, glance_image_view(req.base_url, image))


__all__ = ["AVAILABILITY_ZONE", "Compute", "NETWORK_ID", "nova_version"]
