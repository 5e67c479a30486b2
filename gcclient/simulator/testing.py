"""Test and benchmark harness: run gc-simulator in a subprocess and talk to it with urllib."""

from __future__ import annotations

import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from typing import Any

from .fixtures import IMAGES
from .identity import USERS, credentials_env

READY_MARKER = "# gc-simulator ready"
DEFAULT_IMAGE = next(iter(IMAGES))
IDENTITY_PREFIXES = ("/v3", "/v2.0", "/v2/tokens")
PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class SimulatorError(RuntimeError):
    pass


def is_identity_path(path: str) -> bool:
    return path == "/" or path.startswith(IDENTITY_PREFIXES)


class Simulator:
    """A gc-simulator subprocess; use as a context manager or call start()/stop()."""

    def __init__(
        self,
        *,
        era: str = "cobalt",
        build_time: float = 0.05,
        latency_ms: float = 0,
        state: str = ":memory:",
        hosts: list[str] | tuple[str, ...] | None = None,
        extra_args: tuple[str, ...] | list[str] = (),
        journal: bool = True,
        env: dict[str, str] | None = None,
    ) -> None:
        self.era = era
        self.build_time = build_time
        self.latency_ms = latency_ms
        self.state = state
        self.hosts = list(hosts) if hosts else None
        self.extra_args = list(extra_args)
        self.use_journal = journal
        self.extra_env = dict(env or {})
        self.workdir = tempfile.mkdtemp(prefix="gc-simulator-")
        self.journal_path = os.path.join(self.workdir, "journal.jsonl")
        self.access_log_path = os.path.join(self.workdir, "access.log")
        self.stderr_path = os.path.join(self.workdir, "stderr.log")
        self.proc: subprocess.Popen[bytes] | None = None
        self.env: dict[str, str] = {}
        self.url = ""
        self.ready_line = ""
        self._tokens: dict[str, tuple[str, str]] = {}

    # ---- lifecycle ---------------------------------------------------------------------

    def command(self) -> list[str]:
        cmd = [
            sys.executable,
            "-m",
            "gcclient.simulator",
            "--port",
            "0",
            "--state",
            self.state,
            "--era",
            self.era,
            "--build-time",
            str(self.build_time),
            "--latency",
            str(self.latency_ms),
            "--access-log",
            self.access_log_path,
        ]
        if self.hosts is not None:
            cmd += ["--hosts", ",".join(self.hosts)]
        if self.use_journal:
            cmd += ["--journal", self.journal_path]
        return cmd + self.extra_args

    def start(self, timeout: float = 15.0) -> Simulator:
        if self.proc is not None and self.proc.poll() is None:
            return self
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (PROJECT_ROOT, env.get("PYTHONPATH")) if p)
        env.update(self.extra_env)
        stderr = open(self.stderr_path, "a")  # noqa: SIM115
        self.proc = subprocess.Popen(
            self.command(),
            stdout=subprocess.PIPE,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
            env=env,
        )
        stderr.close()
        self.env = self._read_exports(timeout)
        self.url = self.env["OS_AUTH_URL"].rsplit("/v3", 1)[0]
        self._tokens.clear()
        return self

    def _read_exports(self, timeout: float) -> dict[str, str]:
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        exports: dict[str, str] = {}
        pending = b""
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while True:
                while b"\n" in pending:
                    raw_line, _, pending = pending.partition(b"\n")
                    line = raw_line.decode()
                    if line.startswith("export "):
                        key, _, value = line[len("export ") :].strip().partition("=")
                        exports[key] = value
                    elif line.startswith(READY_MARKER):
                        self.ready_line = line.strip()
                        return exports
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not selector.select(remaining):
                    self.kill()
                    raise SimulatorError(f"simulator not ready after {timeout}s: {self.stderr()}")
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise SimulatorError(f"simulator exited: {self.stderr()}")
                pending += chunk

    def stderr(self) -> str:
        try:
            with open(self.stderr_path) as handle:
                return handle.read()
        except OSError:
            return ""

    def stop(self, timeout: float = 10.0) -> int | None:
        return self._signal(signal.SIGTERM, timeout)

    def kill(self) -> int | None:
        return self._signal(signal.SIGKILL, 10.0)

    def _signal(self, signum: int, timeout: float) -> int | None:
        proc = self.proc
        if proc is None:
            return None
        if proc.poll() is None:
            proc.send_signal(signum)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
        return proc.returncode

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    # ---- environment -------------------------------------------------------------------

    def env_for(self, user: str) -> dict[str, str]:
        return credentials_env(USERS[user], f"{self.url}/v3")

    # ---- journal -----------------------------------------------------------------------

    def journal(self) -> list[dict[str, Any]]:
        try:
            with open(self.journal_path, encoding="utf-8") as handle:
                return [json.loads(line) for line in handle if line.endswith("\n")]
        except FileNotFoundError:
            return []

    def mark(self) -> int:
        return len(self.journal())

    def journal_since(self, mark: int) -> list[dict[str, Any]]:
        return self.journal()[mark:]

    def actions_since(self, mark: int) -> list[dict[str, Any]]:
        return [e for e in self.journal_since(mark) if not is_identity_path(e["path"])]

    # ---- HTTP helpers ------------------------------------------------------------------

    def token(self, user: str = "demo") -> tuple[str, str]:
        """Return (token, compute endpoint) for a user, authenticating once."""
        if user not in self._tokens:
            account = USERS[user]
            body = {
                "auth": {
                    "identity": {
                        "methods": ["password"],
                        "password": {
                            "user": {
                                "name": account.name,
                                "domain": {"name": "Default"},
                                "password": account.password,
                            }
                        },
                    },
                    "scope": {
                        "project": {"name": account.project.name, "domain": {"name": "Default"}}
                    },
                }
            }
            status, headers, raw = self.raw("POST", f"{self.url}/v3/auth/tokens", body)
            if status != 201:
                raise SimulatorError(f"authentication failed: {status} {raw!r}")
            catalog = json.loads(raw)["token"]["catalog"]
            compute = next(s for s in catalog if s["type"] == "compute")
            url = next(e["url"] for e in compute["endpoints"] if e["interface"] == "public")
            self._tokens[user] = (headers["X-Subject-Token"], url)
        return self._tokens[user]

    def raw(
        self,
        method: str,
        url: str,
        body: object = None,
        headers: dict[str, str] | None = None,
        data: bytes | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        if data is None and body is not None:
            data = json.dumps(body).encode()
        all_headers = {"Accept": "application/json"}
        if data is not None:
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, dict(exc.headers), exc.read()

    def request(
        self,
        method: str,
        path: str,
        body: object = None,
        *,
        user: str = "demo",
        headers: dict[str, str] | None = None,
        data: bytes | None = None,
    ) -> tuple[int, object]:
        """Call ``{compute endpoint}{path}`` as a user; returns (status, decoded body)."""
        status, _, raw = self.request_raw(method, path, body, user=user, headers=headers, data=data)
        return status, decode(raw)

    def request_raw(
        self,
        method: str,
        path: str,
        body: object = None,
        *,
        user: str = "demo",
        headers: dict[str, str] | None = None,
        data: bytes | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        token, base = self.token(user)
        all_headers = {"X-Auth-Token": token, **(headers or {})}
        return self.raw(method, base + path, body, all_headers, data)

    def boot(self, name: str = "vm", *, wait: bool = True, user: str = "demo") -> dict:
        body = {"server": {"name": name, "imageRef": DEFAULT_IMAGE, "flavorRef": "1"}}
        status, data = self.request("POST", "/servers", body, user=user)
        if status != 202 or not isinstance(data, dict):
            raise SimulatorError(f"boot failed: {status} {data!r}")
        server_id = data["server"]["id"]
        if wait:
            return self.wait_status(server_id, "ACTIVE", user=user)
        server = self.get(server_id, user=user)
        if server is None:
            raise SimulatorError(f"server {server_id} gone right after its boot")
        return server

    def servers(self, user: str = "demo") -> list[dict]:
        """Every server of the user's project (``GET /servers/detail``, page after page:
        a page holds at most 1000, as nova's)."""
        found: list[dict] = []
        query = "limit=1000"
        while True:
            status, data = self.request("GET", f"/servers/detail?{query}", user=user)
            if status != 200 or not isinstance(data, dict):
                raise SimulatorError(f"listing failed: {status} {data!r}")
            found += data["servers"]
            if not data.get("servers_links") or not data["servers"]:
                return found
            query = f"limit=1000&marker={data['servers'][-1]['id']}"

    def get(self, server_id: str, user: str = "demo") -> dict | None:
        status, data = self.request("GET", f"/servers/{server_id}", user=user)
        if status == 404:
            return None
        if status != 200 or not isinstance(data, dict):
            raise SimulatorError(f"GET server failed: {status} {data!r}")
        return data["server"]

    def action(self, server_id: str, body: dict, user: str = "demo") -> tuple[int, object]:
        return self.request("POST", f"/servers/{server_id}/action", body, user=user)

    def delete(self, server_id: str, user: str = "demo") -> int:
        status, _ = self.request("DELETE", f"/servers/{server_id}", user=user)
        return status

    def wait_status(
        self, server_id: str, status: str, timeout: float = 10, user: str = "demo"
    ) -> dict:
        deadline = time.monotonic() + timeout
        server = None
        while time.monotonic() < deadline:
            server = self.get(server_id, user=user)
            if server is not None and server["status"] == status:
                return server
            time.sleep(min(0.02, max(self.build_time / 4, 0.005)))
        shown = server["status"] if server else "gone"
        raise TimeoutError(f"server {server_id} is {shown}, not {status}, after {timeout}s")

    def wait_gone(self, server_id: str, timeout: float = 10, user: str = "demo") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.get(server_id, user=user) is None:
                return
            time.sleep(min(0.02, max(self.build_time / 4, 0.005)))
        raise TimeoutError(f"server {server_id} still exists after {timeout}s")


def decode(raw: bytes) -> object:
    """JSON if possible, else text; an empty body gives ``""``."""
    if not raw:
        return ""
    text = raw.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


def fault(body: object) -> tuple[str, int, str]:
    """Unpack a nova fault envelope into (fault name, code, message)."""
    if not isinstance(body, dict) or len(body) != 1:
        raise AssertionError(f"not a fault envelope: {body!r}")
    name, inner = next(iter(body.items()))
    return name, inner["code"], inner["message"]
