"""Where the real stack lives and what it records about itself.

Everything is under one cache directory outside the checkout (``GC_REALSTACK_HOME``,
default ``~/.cache/gcclient-realstack``) so that a later run, from any checkout, reuses
the install (``venvs/``, about 1 GB) and the populated state (``run/``):

``venvs/<service>/``
    one virtualenv per service, pinned by ``constraints/<service>.txt`` (never gc's).
``run/etc/<service>/``, ``run/data/``, ``run/logs/<service>.log``, ``run/pids/<service>.pid``
    configuration, sqlite databases and keys, logs, and the PID of each process.
``run/stack.json``
    ports, credentials, IDs and the measured times; the tests read it.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HOME_ENV = "GC_REALSTACK_HOME"
PYTHON_ENV = "GC_REALSTACK_PYTHON"
HERE = Path(__file__).resolve().parent

# service -> the package pinned; keystonemiddleware and gunicorn go in every venv.
PACKAGES = {
    "keystone": "keystone==30.0.0",
    "nova": "nova==34.0.0",
    "placement": "openstack-placement==16.0.0",
    "glance": "glance==33.0.0",
}
COMMON = ("keystonemiddleware==13.0.1", "gunicorn==27.0.1")

# The WSGI module of each service (gunicorn runs it through wsgi_wrapper.py).
WSGI = {
    "keystone": "keystone.wsgi.api",
    "placement": "placement.wsgi.api",
    "glance": "glance.wsgi.api",
    "nova": "nova.wsgi.osapi_compute",
}
# Start order: keystone first (the others validate tokens against it), nova last.
SERVICES = ("keystone", "neutron", "placement", "glance", "nova")

MAX_LIMIT = 2  # nova [api] max_limit: 4 servers make 2 pages
TOKEN_CACHE_SECONDS = 10  # keystonemiddleware's token_cache_time in every service
REGIONS = ("RegionOne", "RegionTwo")


def home() -> Path:
    return Path(os.environ.get(HOME_ENV) or Path.home() / ".cache" / "gcclient-realstack")


@dataclass(frozen=True)
class Layout:
    root: Path

    @property
    def venvs(self) -> Path:
        return self.root / "venvs"

    def venv(self, service: str) -> Path:
        return self.venvs / service

    def bin(self, service: str, name: str) -> Path:
        return self.venv(service) / "bin" / name

    @property
    def run(self) -> Path:
        return self.root / "run"

    def etc(self, service: str) -> Path:
        return self.run / "etc" / service

    @property
    def data(self) -> Path:
        return self.run / "data"

    def log(self, service: str) -> Path:
        return self.run / "logs" / f"{service}.log"

    def pidfile(self, service: str) -> Path:
        return self.run / "pids" / f"{service}.pid"

    @property
    def record(self) -> Path:
        return self.run / "stack.json"

    @property
    def clouds_yaml(self) -> Path:
        return self.run / "clouds.yaml"

    @property
    def timings(self) -> Path:
        return self.root / "timings.json"


def layout() -> Layout:
    return Layout(home())


def load(lay: Layout | None = None) -> dict[str, Any] | None:
    """The stack's record, or None when it was never set up."""
    path = (lay or layout()).record
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def save(record: dict[str, Any], lay: Layout | None = None) -> None:
    path = (lay or layout()).record
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, indent=2, sort_keys=True))
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def record_time(name: str, seconds: float, lay: Layout | None = None) -> None:
    """Keep the last measured install/set-up/start times beside the install."""
    path = (lay or layout()).timings
    try:
        times = json.loads(path.read_text())
    except (OSError, ValueError):
        times = {}
    times[name] = round(seconds, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(times, indent=2, sort_keys=True))


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


class StackError(Exception):
    """A one-line reason the stack cannot be installed, set up or started."""
