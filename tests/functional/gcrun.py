"""Run the real ``gc`` executable against a simulator."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass

GC = os.path.join(os.path.dirname(sys.executable), "gc")
OPENSTACK = os.path.join(os.path.dirname(sys.executable), "openstack")
if not os.path.exists(OPENSTACK):
    OPENSTACK = shutil.which("openstack") or ""


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def gc(sim, *args: str, env: dict | None = None, user: str = "demo", timeout: float = 60) -> Result:
    full_env = dict(os.environ)
    for key in list(full_env):
        if key.startswith("OS_"):
            del full_env[key]
    full_env.update(sim.env_for(user) if user != "demo" else sim.env)
    full_env["GC_NO_TOKEN_CACHE"] = "1"
    full_env.update(env or {})
    proc = subprocess.run(
        [GC, *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def python_client(sim):
    """The Python API (``gcclient.Client``) as the demo user of ``sim``."""
    from gcclient import Client

    env = sim.env
    return Client(
        auth_url=env["OS_AUTH_URL"],
        username=env["OS_USERNAME"],
        password=env["OS_PASSWORD"],
        project_name=env["OS_PROJECT_NAME"],
        user_domain_name=env["OS_USER_DOMAIN_NAME"],
        project_domain_name=env["OS_PROJECT_DOMAIN_NAME"],
    )


def openstack(sim, *args: str, env: dict[str, str] | None = None) -> Result:
    """The real ``openstack`` executable (python-openstackclient, the ``test`` extra)
    as the demo user of ``sim``."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    full.update(sim.env)
    full.update(env or {})
    proc = subprocess.run(
        [OPENSTACK, *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def nova_api(sim):
    """novaclient's Python API with the gridcentric extension, as the demo user."""
    from keystoneauth1 import loading, session
    from novaclient import client

    env = sim.env
    auth = loading.get_plugin_loader("password").load_from_options(
        auth_url=env["OS_AUTH_URL"],
        username=env["OS_USERNAME"],
        password=env["OS_PASSWORD"],
        project_name=env["OS_PROJECT_NAME"],
        user_domain_name=env["OS_USER_DOMAIN_NAME"],
        project_domain_name=env["OS_PROJECT_DOMAIN_NAME"],
    )
    return client.Client(
        "2", session=session.Session(auth=auth), extensions=client.discover_extensions("2")
    )


def actions(entries: list[dict]) -> list[tuple[str, str, object]]:
    """(method, path relative to the compute endpoint, body) of compute requests."""
    found = []
    for entry in entries:
        path = entry["path"]
        parts = path.split("/")
        if len(parts) > 3 and parts[1] in ("v2", "v1.1"):
            path = "/" + "/".join(parts[3:])
        else:
            continue
        found.append((entry["method"], path, entry.get("body")))
    return found


def requests_since(sim, mark: int) -> list[tuple[str, str, object]]:
    """The compute requests the simulator received since ``mark``."""
    return actions(sim.journal_since(mark))


def make_blessed(sim, name: str, timeout: float = 10) -> dict:
    """Boot a server named ``name``, bless it and wait until the blessed one is BLESSED."""
    source = sim.boot(name)
    code, body = sim.action(source["id"], {"gc_bless": {}})
    assert code == 200, body
    return sim.wait_status(body[0]["id"], "BLESSED", timeout=timeout)


def tool(sim, name: str, *args: str, timeout: float = 120) -> Result:
    """Run another console script of this environment (``nova``, ``openstack``) as the
    demo user of ``sim``, with no ``OS_*`` variable of the caller's shell."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    full.update(sim.env)
    full["GC_NO_TOKEN_CACHE"] = "1"
    proc = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), name), *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


_REQUEST_ID = re.compile(r"\(Request-ID: req-[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\)")


def same_request_ids(text: str) -> str:
    """A text with each ``(Request-ID: req-<uuid>)`` (random per answer) written
    ``(Request-ID: req-...)``, for exact comparisons."""
    return _REQUEST_ID.sub("(Request-ID: req-...)", text)


def gc_on_terminal(
    sim, *args: str, columns: int = 120, stdout: bool = False, timeout: float = 60
) -> tuple[int, str, bytes]:
    """Run gc with stderr (and stdout too with ``stdout=True``) on a pseudo-terminal
    ``columns`` wide: (exit code, what went to stdout if not the terminal, what the
    terminal received)."""
    import fcntl
    import pty
    import struct
    import termios

    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(sim.env)
    env["GC_NO_TOKEN_CACHE"] = "1"
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    try:
        proc = subprocess.run(
            [GC, *args],
            stdout=slave if stdout else subprocess.PIPE,
            stderr=slave,
            stdin=subprocess.DEVNULL,
            env=env,
            timeout=timeout,
            text=True,
        )
        os.close(slave)
        slave = -1
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)
    return proc.returncode, proc.stdout or "", seen
