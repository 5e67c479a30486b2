"""Fixed cloud content: flavors, images, network, keypairs, security groups."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


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
