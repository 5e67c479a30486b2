"""Fixed cloud content: flavors, images, network, keypairs, security groups."""

from __future__ import annotations

import hashlib
import ipaddress
import uuid
from dataclasses import dataclass

from .store import Store, insert_server, isotime


@dataclass(frozen=True)
class Flavor:
    id: str
    name: str
    ram: int
    vcpus: int
    disk: int


@dataclass(frozen=True)
class Image:
    id: str
    name: str
    size: int
    min_disk: int = 0
    min_ram: int = 0


FLAVORS = {
    f.id: f
    for f in (
        Flavor("1", "m1.tiny", 512, 1, 1),
        Flavor("2", "m1.small", 2048, 1, 20),
        Flavor("3", "m1.medium", 4096, 2, 40),
        Flavor("4", "m1.large", 8192, 4, 80),
        Flavor("5", "m1.xlarge", 16384, 8, 160),
    )
}

IMAGES = {
    i.id: i
    for i in (
        Image("6f3c6e1a-3c0e-4a43-9d1b-6d1f0c0b0a01", "cirros-0.3", 13167616),
        Image("6f3c6e1a-3c0e-4a43-9d1b-6d1f0c0b0a02", "ubuntu-12.04", 251396096),
        Image("6f3c6e1a-3c0e-4a43-9d1b-6d1f0c0b0a03", "centos-6", 328335360),
    )
}

NETWORK_NAME = "private"
NETWORK_ID = "a8f1c0de-5f4b-4c4e-9f00-000000000001"
NETWORKS = {NETWORK_ID: NETWORK_NAME}

SECURITY_GROUPS = {"default": "Default security group", "web": "Web servers"}
KEYPAIR_NAME = "mykey"
PUBLIC_KEY = (
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDx8nkQv/zgGgB4rMYmIf+6A4l6Rr+o/6lHBQdW5aYd44bd8JtT"
    "gc-simulator"
)
FINGERPRINT = ":".join(
    hashlib.md5(PUBLIC_KEY.encode()).hexdigest()[i : i + 2] for i in range(0, 32, 2)
)
CREATED = "2012-07-01T00:00:00Z"


def security_group_id(project_id: str, name: str) -> int:
    return int(hashlib.md5(f"{project_id}:{name}".encode()).hexdigest()[:6], 16)


def find_flavor(ref: object) -> Flavor | None:
    if not isinstance(ref, (str, int)) or isinstance(ref, bool):
        return None
    key = str(ref).rstrip("/").rsplit("/", 1)[-1]
    if key in FLAVORS:
        return FLAVORS[key]
    return next((f for f in FLAVORS.values() if f.name == key), None)


def find_flavor_by_name(name: object) -> Flavor | None:
    return next((f for f in FLAVORS.values() if f.name == name), None)


def seed_servers(
    path: str,
    project_id: str,
    user_id: str,
    *,
    plain: int = 0,
    sources: int = 0,
    images: int = 0,
    launched: int = 0,
    prefix: str = "seed",
    host: str | None = "compute-1",
) -> dict[str, list[str]]:
    """Write ACTIVE servers straight into a state file, for benchmarks and scale tests
    (thousands in a second, where the API takes one request each): ``plain`` regular
    servers, and ``sources`` sources, each with ``images`` BLESSED live images, each with
    ``launched`` launched servers. Returns the IDs by kind ("plain", "sources", "images",
    "launched"), in creation order."""
    stamp = isotime()
    made: dict[str, list[str]] = {"plain": [], "sources": [], "images": [], "launched": []}
    store = Store(path)

    def add(conn: object, kind: str, name: str, vm_state: str, metadata: dict) -> str:
        server_id = str(uuid.uuid4())
        number = sum(len(ids) for ids in made.values()) + 1
        ip = str(ipaddress.IPv4Address("10.200.0.0") + number + number // 254 * 2)
        row = {
            "id": server_id,
            "project_id": project_id,
            "user_id": user_id,
            "name": name,
            "vm_state": vm_state,
            "host": host,
            "image_id": next(iter(IMAGES)),
            "flavor_id": "1",
            "metadata": metadata,
            "networks": [NETWORK_NAME],
            "ip": None if vm_state == "blessed" else ip,
            "created": stamp,
            "updated": stamp,
        }
        insert_server(conn, row)  # type: ignore[arg-type]
        made[kind].append(server_id)
        return server_id

    try:
        with store.tx() as conn:
            for n in range(plain):
                add(conn, "plain", f"{prefix}-{n}", "active", {})
            for s in range(sources):
                source = add(conn, "sources", f"{prefix}-src-{s}", "active", {})
                for i in range(images):
                    image = add(
                        conn,
                        "images",
                        f"{prefix}-src-{s}-{i}",
                        "blessed",
                        {"blessed_from": source},
                    )
                    for n in range(launched):
                        add(
                            conn,
                            "launched",
                            f"{prefix}-src-{s}-{i}-clone-{n}",
                            "active",
                            {"launched_from": image},
                        )
    finally:
        store.close()
    return made
