"""Set the stack up once: databases, keys, the catalog, users, flavors, an image, app creds.

The ``*-manage`` commands make the databases; everything else goes through the
services' own REST APIs as admin (faster than python-openstackclient, one process
per call). What the tests need is written to the record (``stack.json``) and to a
``clouds.yaml``.
"""

from __future__ import annotations

import grp
import os
import pwd
import secrets
import subprocess
from typing import Any

import requests

from .configs import url
from .stack import REGIONS, Layout, StackError

FLAVORS = (("1", "m1.tiny", 512, 1, 1), ("2", "m1.small", 2048, 1, 20))
IMAGE = "cirros-0.3"
SECOND_DOMAIN = "dom2"
APP_CREDS = {"member": "gc-member", "reader": "gc-reader"}


def _run(lay: Layout, service: str, *argv: str) -> subprocess.Popen[bytes]:
    log = lay.run / "logs" / f"{service}-manage.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    out = open(log, "ab")
    out.write(f"\n$ {' '.join(argv)}\n".encode())
    out.flush()
    return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def _chain(lay: Layout, service: str, steps: list[list[str]]) -> subprocess.Popen[bytes]:
    """The service's manage steps, one after the other, in one shell."""
    script = " && ".join(" ".join(f"'{a}'" for a in step) for step in steps)
    return _run(lay, service, "sh", "-c", script)


def databases(lay: Layout, record: dict[str, Any]) -> None:
    """Every service's database and keys, the four services at once."""
    user = pwd.getpwuid(os.getuid()).pw_name
    group = grp.getgrgid(os.getgid()).gr_name
    kconf = str(lay.etc("keystone") / "keystone.conf")
    kmanage = str(lay.bin("keystone", "keystone-manage"))
    keystone = url(record, "keystone") + "/v3"
    owner = ["--keystone-user", user, "--keystone-group", group]
    nconf = str(lay.etc("nova") / "nova.conf")
    nmanage = [str(lay.bin("nova", "nova-manage")), "--config-file", nconf]
    data = lay.data / "nova"
    chains = {
        "keystone": [
            [kmanage, "--config-file", kconf, "db_sync"],
            [kmanage, "--config-file", kconf, "fernet_setup", *owner],
            [kmanage, "--config-file", kconf, "credential_setup", *owner],
            [
                kmanage,
                "--config-file",
                kconf,
                "bootstrap",
                "--bootstrap-password",
                record["passwords"]["admin"],
                "--bootstrap-admin-url",
                keystone,
                "--bootstrap-internal-url",
                keystone,
                "--bootstrap-public-url",
                keystone,
                "--bootstrap-region-id",
                REGIONS[0],
            ],
        ],
        "nova": [
            [*nmanage, "api_db", "sync"],
            [
                *nmanage,
                "cell_v2",
                "map_cell0",
                "--database_connection",
                f"sqlite:///{data}/nova_cell0.db",
            ],
            [
                *nmanage,
                "cell_v2",
                "create_cell",
                "--name",
                "cell1",
                "--database_connection",
                f"sqlite:///{data}/nova.db",
                "--transport-url",
                "fake://",
            ],
            [*nmanage, "db", "sync"],
        ],
        "placement": [
            [
                str(lay.bin("placement", "placement-manage")),
                "--config-file",
                str(lay.etc("placement") / "placement.conf"),
                "db",
                "sync",
            ]
        ],
        "glance": [
            [
                str(lay.bin("glance", "glance-manage")),
                "--config-file",
                str(lay.etc("glance") / "glance-api.conf"),
                "db_sync",
            ]
        ],
    }
    procs = {service: _chain(lay, service, steps) for service, steps in chains.items()}
    failed = [
        f"{service} (exit {proc.returncode}, see {lay.run / 'logs' / f'{service}-manage.log'})"
        for service, proc in procs.items()
        if proc.wait() != 0
    ]
    if failed:
        raise StackError("database set-up failed: " + "; ".join(failed))


class Api:
    """Admin REST calls with one clear error per failure."""

    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record
        self.http = requests.Session()
        self.keystone = url(record, "keystone") + "/v3"

    def token(self, user: str, project: str, domain: str = "Default") -> tuple[str, dict]:
        body = {
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {
                        "user": {
                            "name": user,
                            "domain": {"name": domain},
                            "password": self.record["passwords"][
                                user if domain == "Default" else f"{user}@{domain}"
                            ],
                        }
                    },
                },
                "scope": {"project": {"name": project, "domain": {"name": domain}}},
            }
        }
        answer = self.call("POST", self.keystone + "/auth/tokens", body, token=None)
        return answer.headers["X-Subject-Token"], answer.json()["token"]

    def call(
        self,
        method: str,
        address: str,
        body: Any = None,
        token: str | None = "admin",
        ok: tuple[int, ...] = (200, 201, 202, 204),
        **kwargs: Any,
    ) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}))
        if token is not None:
            headers["X-Auth-Token"] = self.admin if token == "admin" else token
        answer = self.http.request(
            method, address, json=body, headers=headers, timeout=120, **kwargs
        )
        if answer.status_code not in ok:
            raise StackError(
                f"set-up request {method} {address} answered {answer.status_code}: "
                f"{answer.text[:300]!r}"
            )
        return answer

    def login_admin(self) -> None:
        self.admin, _ = self.token("admin", "admin")


def identity(api: Api, record: dict[str, Any]) -> None:
    """Regions, services, endpoints in two regions, projects, users, roles, a second domain."""
    ks = api.keystone
    api.call("POST", ks + "/regions", {"region": {"id": REGIONS[1]}})
    roles = {r["name"]: r["id"] for r in api.call("GET", ks + "/roles").json()["roles"]}
    for name in ("member", "reader", "service"):
        if name not in roles:
            roles[name] = api.call("POST", ks + "/roles", {"role": {"name": name}}).json()["role"][
                "id"
            ]
    for kind, name in (
        ("compute", "nova"),
        ("image", "glance"),
        ("placement", "placement"),
        ("network", "neutron"),
    ):
        service = api.call("POST", ks + "/services", {"service": {"type": kind, "name": name}})
        record["service_ids"][kind] = service.json()["service"]["id"]
    for endpoint in endpoints(record):
        api.call("POST", ks + "/endpoints", {"endpoint": endpoint})
    identity_id = next(
        s["id"]
        for s in api.call("GET", ks + "/services").json()["services"]
        if s["type"] == "identity"
    )
    for interface in ("public", "internal", "admin"):
        endpoint = {
            "service_id": identity_id,
            "interface": interface,
            "region_id": REGIONS[1],
            "url": url(record, "keystone") + "/v3",
        }
        api.call("POST", ks + "/endpoints", {"endpoint": endpoint})

    def project(name: str, domain_id: str = "default") -> str:
        body = {"project": {"name": name, "domain_id": domain_id}}
        return api.call("POST", ks + "/projects", body).json()["project"]["id"]

    def user(name: str, password: str, domain_id: str = "default") -> str:
        body = {"user": {"name": name, "password": password, "domain_id": domain_id}}
        return api.call("POST", ks + "/users", body).json()["user"]["id"]

    def grant(project_id: str, user_id: str, role: str) -> None:
        path = f"{ks}/projects/{project_id}/users/{user_id}/roles/{roles[role]}"
        api.call("PUT", path)

    service = project("service")
    for name in ("nova", "glance", "placement"):
        uid = user(name, record["passwords"][name])
        grant(service, uid, "admin")
        grant(service, uid, "service")
    demo = project("demo")
    demo_user = user("demo", record["passwords"]["demo"])
    grant(demo, demo_user, "member")
    domain = api.call("POST", ks + "/domains", {"domain": {"name": SECOND_DOMAIN}})
    dom2 = domain.json()["domain"]["id"]
    dom2_project = project("demo", dom2)
    dom2_user = user("demo", record["passwords"][f"demo@{SECOND_DOMAIN}"], dom2)
    grant(dom2_project, dom2_user, "member")
    admin_project = next(
        p["id"] for p in api.call("GET", ks + "/projects?name=admin").json()["projects"]
    )
    record["projects"] = {
        "demo": demo,
        "dom2": dom2_project,
        "admin": admin_project,
        "service": service,
    }
    record["users"] = {"demo": demo_user, "dom2": dom2_user}
    record["domains"] = {"Default": "default", SECOND_DOMAIN: dom2}


def endpoints(record: dict[str, Any]) -> list[dict[str, str]]:
    """The catalog: compute differs by region and interface (nova listens on three
    loopback addresses), so that a test can see which endpoint gc chose."""
    found = []
    paths = {"compute": "/v2.1", "image": "", "placement": "", "network": ""}
    ports = {"compute": "nova", "image": "glance", "placement": "placement", "network": "neutron"}
    for kind, service_id in record["service_ids"].items():
        for region in REGIONS:
            for interface in ("public", "internal", "admin"):
                host = "127.0.0.1"
                if kind == "compute" and region == REGIONS[1]:
                    host = "127.0.0.2"
                elif kind == "compute" and interface == "internal":
                    host = "127.0.0.3"
                address = url(record, ports[kind], host) + paths[kind]
                found.append(
                    {
                        "service_id": service_id,
                        "interface": interface,
                        "region_id": region,
                        "url": address,
                    }
                )
    return found


def content(api: Api, record: dict[str, Any]) -> None:
    """Flavors, one public image, the demo user's application credentials."""
    nova = url(record, "nova") + "/v2.1"
    for flavor_id, name, ram, vcpus, disk in FLAVORS:
        body = {"flavor": {"id": flavor_id, "name": name, "ram": ram, "vcpus": vcpus, "disk": disk}}
        api.call("POST", nova + "/flavors", body)
    glance = url(record, "glance") + "/v2"
    body = {"name": IMAGE, "disk_format": "raw", "container_format": "bare", "visibility": "public"}
    image = api.call("POST", glance + "/images", body).json()
    api.call(
        "PUT",
        f"{glance}/images/{image['id']}/file",
        data=secrets.token_bytes(4096),
        headers={"Content-Type": "application/octet-stream"},
    )
    record["image_id"] = image["id"]
    token, _ = api.token("demo", "demo")
    path = f"{api.keystone}/users/{record['users']['demo']}/application_credentials"
    record["app_creds"] = {}
    for role, name in APP_CREDS.items():
        body = {"application_credential": {"name": name, "roles": [{"name": role}]}}
        cred = api.call("POST", path, body, token=token).json()["application_credential"]
        record["app_creds"][role] = {"id": cred["id"], "name": name, "secret": cred["secret"]}


def new_record(ports: dict[str, int]) -> dict[str, Any]:
    names = ("admin", "nova", "glance", "placement", "demo", f"demo@{SECOND_DOMAIN}")
    return {
        "ports": ports,
        "passwords": {name: secrets.token_urlsafe(12) for name in names},
        "service_ids": {},
        "populated": False,
    }
