"""The in-process tier: gc-simulator's ``App.handle`` behind a requests transport adapter.

``InProcessSimulator`` is a ``gcclient.simulator.testing.Simulator`` (same helpers: boot,
action, journal, env) whose HTTP requests never leave the process: the adapter, mounted on
every keystoneauth session made while it runs (as httpx's ``MockTransport`` replaces the
network with a handler), builds the simulator's ``Request`` from the encoded request and
turns its ``Response`` into a ``requests.Response``, journaling it as httpd.py does. So the
client's wire format (headers, JSON bodies, status codes) is the real one, without sockets
or processes. A ``FakeClock`` stands in for time on both sides: the core's ``Poller`` sleeps
by moving it, and the simulator's builds finish by it.

``run_gc`` runs ``gcclient.cli.application.main`` in this process with its own
environment, stdin, stdout and stderr, and returns gcrun's ``Result``.

What this tier cannot show stays in tests/functional (real processes): start-up, signals,
TLS, completion on a pty, the front-end executables, durability, faults of the transport.
"""

from __future__ import annotations

import io
import itertools
import json
import logging
import os
import sys
import threading
import time
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from gcclient.simulator import compute, extension, identity, servers, store
from gcclient.simulator.app import App
from gcclient.simulator.config import Config
from gcclient.simulator.httpd import _user_name
from gcclient.simulator.journal import Journal
from gcclient.simulator.request import Request
from gcclient.simulator.responses import Response, compute_fault
from gcclient.simulator.testing import Simulator
from tests.functional.gcrun import Result

BASE_URL = "http://gc-simulator.in-process"  # the first simulator's; the next get -2, -3...


class FakeClock:
    """Time that moves only when someone sleeps (plus the real time that passes)."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def time(self) -> float:
        return time.time() + self.offset

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.offset += seconds


class ShiftedTime:
    """The ``time`` module as the simulator's modules see it: ``time()`` by the clock."""

    def __init__(self, clock: FakeClock) -> None:
        self._clock = clock

    def time(self) -> float:
        return self._clock.time()

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


SIMULATOR_MODULES = (compute, extension, identity, servers, store)
CLOCK = FakeClock()  # one per process: its time only moves forward
LIVE: dict[str, InProcessSimulator] = {}  # started simulators by host name
_started = itertools.count(1)


def next_base_url() -> str:
    """``http://gc-simulator.in-process``, then ``http://gc-simulator-2.in-process``..."""
    number = next(_started)
    return BASE_URL if number == 1 else BASE_URL.replace(".", f"-{number}.", 1)


class WireAdapter(BaseAdapter):
    """A requests transport adapter that answers from a simulator's ``App``, chosen by the
    URL's host (each in-process simulator has a host name of its own)."""

    def __init__(self, sims: dict[str, InProcessSimulator] = LIVE) -> None:
        super().__init__()
        self.sims = sims

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        body = request.body
        raw = body.encode() if isinstance(body, str) else (body or b"")
        if not isinstance(raw, bytes):  # a file or an iterator of chunks
            raw = b"".join(raw)  # type: ignore[arg-type]
        sim = self.sims[urlsplit(request.url or "").netloc]
        status, headers, payload = sim.dispatch(
            request.method or "GET", request.url or "", dict(request.headers), raw
        )
        response = requests.Response()
        response.status_code = status
        response.headers = CaseInsensitiveDict(headers)
        response._content = payload
        response.encoding = None
        response.url = request.url or ""
        response.request = request
        response.reason = ""
        response.raw = io.BytesIO(payload)
        return response

    def close(self) -> None:
        pass


class InProcessSimulator(Simulator):
    """A Simulator answered in this process; ``start`` builds the App, no port is opened."""

    def __init__(self, clock: FakeClock = CLOCK, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.clock = clock
        self.app: App | None = None
        self._journal: Journal | None = None
        self._journal_lock = threading.Lock()  # gc --parallel sends from threads

    def start(self, timeout: float = 15.0) -> InProcessSimulator:
        config = Config(
            state=self.state,
            era=self.era,
            build_time=self.build_time,
            latency_ms=self.latency_ms,
            hosts=list(self.hosts) if self.hosts else Config().hosts,
        )
        for flag, value in zip(self.extra_args[::2], self.extra_args[1::2], strict=False):
            if flag == "--quota-instances":
                config.quota_instances = int(value)
            elif flag == "--token-ttl":
                config.token_ttl = float(value)
            else:
                raise ValueError(f"{flag} needs the real gc-simulator (tests/functional)")
        self.app = App(config, store.Store(self.state))
        if self.use_journal:
            self._journal = Journal(self.journal_path)
        self.url = next_base_url()
        LIVE[urlsplit(self.url).netloc] = self
        self.env = identity.credentials_env(identity.USERS["demo"], f"{self.url}/v3")
        return self

    def stop(self, timeout: float = 10.0) -> int | None:
        LIVE.pop(urlsplit(self.url).netloc, None)
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        if self.app is not None:
            self.app.store.close()
            self.app = None
        return 0

    def cleanup(self) -> None:
        self.stop()

    def dispatch(
        self, method: str, url: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        """One request as httpd.SimulatorHandler.process answers it, minus the socket."""
        assert self.app is not None, "start() the simulator first"
        parts = urlsplit(url)
        req = Request(
            method=method,
            path=parts.path or "/",
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in headers.items()},
            raw=raw,
            base_url=self.url,
        )
        try:
            response: Response = self.app.handle(req)
        except Exception:
            response = compute_fault().response()
        with self._journal_lock:
            if self._journal is not None:
                self._journal.record(
                    method=method,
                    path=req.path,
                    query=parts.query,
                    status=response.status,
                    raw=raw,
                    user=_user_name(req, self.app),
                    fault=None,
                    processed=True,
                )
        request_id = f"req-{uuid.uuid4()}"  # as httpd.py's _write: one per answer
        out = {
            "Content-Length": str(len(response.body)),
            "X-Compute-Request-Id": request_id,
            "X-Openstack-Request-Id": request_id,
            "Server": "gc-simulator",
        }
        if response.content_type:
            out["Content-Type"] = response.content_type
        out.update(response.headers)
        return response.status, out, b"" if method == "HEAD" else response.body

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
        all_headers = {"Accept": "application/json", **(headers or {})}
        if data is not None:
            all_headers.setdefault("Content-Type", "application/json")
        return self.dispatch(method, url, all_headers, data or b"")

    def wait_status(
        self, server_id: str, status: str, timeout: float = 10, user: str = "demo"
    ) -> dict:
        """As Simulator's, with the fake clock: each round moves time by a build step."""
        step = max(self.build_time / 4, 0.005)
        for _ in range(int(timeout / step) + 1):
            server = self.get(server_id, user=user)
            if server is not None and server["status"] == status:
                return server
            self.clock.sleep(step)
        raise TimeoutError(f"server {server_id} is not {status} after {timeout}s")


def run_gc(
    sim: Simulator,
    *args: str,
    env: dict[str, str] | None = None,
    user: str = "demo",
    stdin: str = "",
) -> Result:
    """``gc args`` in this process against ``sim``: exit code, stdout and stderr."""
    from gcclient.cli import application

    saved_env = dict(os.environ)
    saved_streams = (sys.stdin, sys.stdout, sys.stderr)
    saved_argv = sys.argv
    root = logging.getLogger("")
    saved_logging = (root.level, root.handlers[:])
    loggers = [
        v for v in logging.Logger.manager.loggerDict.values() if isinstance(v, logging.Logger)
    ]
    saved_handlers = {id(lg): (lg, lg.handlers[:]) for lg in loggers}
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    try:
        for key in list(os.environ):
            if key.startswith("OS_"):
                del os.environ[key]
        os.environ.update(sim.env_for(user) if user != "demo" else sim.env)
        os.environ["GC_NO_TOKEN_CACHE"] = "1"
        os.environ.update(env or {})
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()), encoding="utf-8")
        sys.stdout, sys.stderr = out, err
        sys.argv = ["gc", *args]  # argparse's program name
        application.GcApp.NAME = "gc"  # cliff reads sys.argv[0] when it is imported
        try:
            code = application.main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        sys.argv = saved_argv
        if "NAME" in vars(application.GcApp):
            del application.GcApp.NAME
        root.setLevel(saved_logging[0])
        root.handlers[:] = saved_logging[1]  # cliff adds a handler on each run
        for lg in logging.Logger.manager.loggerDict.values():
            if isinstance(lg, logging.Logger):  # and gc's loggers may too: none outlives the run
                lg.handlers[:] = saved_handlers.get(id(lg), (lg, []))[1]
        os.environ.clear()
        os.environ.update(saved_env)
    out.flush()
    err.flush()
    return Result(code, _text(out), _text(err))


def _text(stream: io.TextIOWrapper) -> str:
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8", "replace")
