"""up, down and status: install if needed, set up once, start, stop by PID.

``up`` measures what it did: the install (only when a venv was missing), the set-up
(from venvs present to a populated stack, first start included) or the start of an
already populated stack; the times are printed and kept in ``timings.json``.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import Any

import yaml

from . import configs, install, populate, services
from .stack import (
    REGIONS,
    SERVICES,
    Layout,
    free_port,
    load,
    port_free,
    record_time,
    save,
)

NOVA_HOSTS = ("127.0.0.1", *services.NOVA_EXTRA_HOSTS)


def _nova_port() -> int:
    while True:
        port = free_port()
        if all(port_free(port, host) for host in NOVA_HOSTS):
            return port


def choose_ports(old: dict[str, int] | None = None) -> dict[str, int]:
    """Keep the recorded ports while they are free, else pick free ones."""
    ports = {}
    for service in SERVICES:
        port = (old or {}).get(service)
        hosts = NOVA_HOSTS if service == "nova" else ("127.0.0.1",)
        if port is None or not all(port_free(port, h) for h in hosts):
            port = _nova_port() if service == "nova" else free_port()
        ports[service] = port
    return ports


def clouds_yaml(lay: Layout, record: dict[str, Any]) -> None:
    auth_url = configs.url(record, "keystone") + "/v3"

    def password(user: str, domain: str = "Default", key: str = "demo") -> dict[str, Any]:
        return {
            "auth_url": auth_url,
            "username": user,
            "password": record["passwords"][key],
            "project_name": user if user != "admin" else "admin",
            "user_domain_name": domain,
            "project_domain_name": domain,
        }

    member = record["app_creds"]["member"]
    clouds = {
        "realstack": {"auth": password("demo"), "region_name": REGIONS[0]},
        "realstack-region-two": {"auth": password("demo"), "region_name": REGIONS[1]},
        "realstack-admin": {"auth": password("admin", key="admin"), "region_name": REGIONS[0]},
        "realstack-dom2": {
            "auth": password("demo", populate.SECOND_DOMAIN, f"demo@{populate.SECOND_DOMAIN}"),
            "region_name": REGIONS[0],
        },
        "realstack-appcred": {
            "auth_type": "v3applicationcredential",
            "auth": {
                "auth_url": auth_url,
                "application_credential_id": member["id"],
                "application_credential_secret": member["secret"],
            },
            "region_name": REGIONS[0],
        },
    }
    for cloud in clouds.values():
        cloud["identity_api_version"] = 3
    lay.clouds_yaml.write_text(yaml.safe_dump({"clouds": clouds}, sort_keys=True))
    lay.clouds_yaml.chmod(0o600)


def _repoint(record: dict[str, Any], old: dict[str, int]) -> None:
    """After a port changed: the catalog's URLs follow (keystone is already up)."""
    moved = {old[s]: record["ports"][s] for s in SERVICES if old.get(s) != record["ports"][s]}
    if not moved:
        return
    api = populate.Api(record)
    api.login_admin()
    for endpoint in api.call("GET", api.keystone + "/endpoints").json()["endpoints"]:
        address = endpoint["url"]
        for before, after in moved.items():
            address = address.replace(f":{before}/", f":{after}/")
            if address.endswith(f":{before}"):
                address = address[: -len(str(before))] + str(after)
        if address != endpoint["url"]:
            path = f"{api.keystone}/endpoints/{endpoint['id']}"
            api.call("PATCH", path, {"endpoint": {"url": address}})


def set_up(lay: Layout) -> dict[str, Any]:
    if lay.run.exists():
        services.stop_all(lay, quiet=True)
        shutil.rmtree(lay.run)
    record = populate.new_record(choose_ports())
    configs.write_all(lay, record)
    save(record, lay)
    try:
        print("realstack: creating databases and keys", flush=True)
        populate.databases(lay, record)
        services.start_all(lay, record, ("keystone",))
        api = populate.Api(record)
        api.login_admin()
        print("realstack: populating the catalog and users", flush=True)
        populate.identity(api, record)
        save(record, lay)
        services.start_all(lay, record, SERVICES)
        print("realstack: flavors, image, application credentials", flush=True)
        populate.content(api, record)
    except BaseException:
        services.stop_all(lay, quiet=True)
        raise
    record["populated"] = True
    save(record, lay)
    clouds_yaml(lay, record)
    return record


def start(lay: Layout, record: dict[str, Any]) -> None:
    old = dict(record["ports"])
    if not all(services.running(lay).values()):
        record["ports"] = choose_ports(old)
    configs.write_all(lay, record)
    save(record, lay)
    services.start_all(lay, record, ("keystone",))
    _repoint(record, old)
    services.start_all(lay, record, SERVICES)
    clouds_yaml(lay, record)


def up(lay: Layout) -> dict[str, Any]:
    took = install.install(lay)
    if took is not None:
        record_time("install", took, lay)
        print(f"realstack: install took {took:.0f} s", flush=True)
    record = load(lay)
    begun = time.monotonic()
    if record is None or not record.get("populated"):
        record = set_up(lay)
        took = time.monotonic() - begun
        record_time("setup", took, lay)
        print(f"realstack: set-up (databases, start, populate) took {took:.0f} s", flush=True)
    elif all(services.running(lay).values()) and all(services.answers(record, s) for s in SERVICES):
        print("realstack: already up", flush=True)
        return record
    else:
        start(lay, record)
        took = time.monotonic() - begun
        record_time("start", took, lay)
        print(f"realstack: start took {took:.0f} s", flush=True)
    print(f"realstack: up; clouds.yaml at {lay.clouds_yaml}", flush=True)
    return record


def down(lay: Layout, purge: bool = False) -> None:
    services.stop_all(lay)
    if purge and lay.run.exists():
        shutil.rmtree(lay.run)
        print(f"realstack: removed {lay.run}", file=sys.stderr)


def status(lay: Layout) -> bool:
    record = load(lay)
    if record is None:
        print(f"realstack: not set up ({lay.run})")
        return False
    pids = services.running(lay)
    every = True
    for service in SERVICES:
        pid = pids[service]
        ok = pid is not None and services.answers(record, service)
        every = every and ok
        state = "up" if ok else ("running, not answering" if pid else "down")
        print(
            f"{service:10} {state:24} pid {pid or '-':>7}  {services.health_url(record, service)}"
        )
    return every
