"""testing.py: the harness that runs gc-simulator in a subprocess. Its own logic is tested
without one: the command line it builds, how it reads the ready output (from a pipe), the
journal readers, and its HTTP helpers (token from the catalog, paging, waits) with ``raw``
answered by an App in this process."""

from __future__ import annotations

import json
import os
import signal
from urllib.parse import parse_qs, urlsplit

import pytest

from gcclient.simulator.app import App
from gcclient.simulator.config import Config
from gcclient.simulator.request import Request
from gcclient.simulator.responses import json_response
from gcclient.simulator.store import Store
from gcclient.simulator.testing import (
    DEFAULT_IMAGE,
    READY_MARKER,
    Simulator,
    SimulatorError,
    decode,
    fault,
    is_identity_path,
)

BASE = "http://sim.test:1"


@pytest.fixture
def sim():
    made = Simulator(
        era="folsom", build_time=0.25, state="/s.db", hosts=["h1", "h2"], extra_args=("--quiet",)
    )
    yield made
    made.cleanup()
    assert not os.path.exists(made.workdir)


def test_command(sim):
    assert sim.command()[1:] == [
        "-m",
        "gcclient.simulator",
        "--port",
        "0",
        "--state",
        "/s.db",
        "--era",
        "folsom",
        "--build-time",
        "0.25",
        "--latency",
        "0",
        "--access-log",
        sim.access_log_path,
        "--hosts",
        "h1,h2",
        "--journal",
        sim.journal_path,
        "--quiet",
    ]
    plain = Simulator(journal=False)
    assert "--journal" not in plain.command() and "--hosts" not in plain.command()
    plain.cleanup()


def test_identity_paths():
    assert is_identity_path("/") and is_identity_path("/v3/auth/tokens")
    assert is_identity_path("/v2.0/tokens") and is_identity_path("/v2/tokens")
    assert not is_identity_path("/v2/p/servers")


def test_decode_and_fault():
    assert decode(b"") == "" and decode(b'{"a": 1}') == {"a": 1} and decode(b"oops") == "oops"
    assert fault({"badRequest": {"code": 400, "message": "m"}}) == ("badRequest", 400, "m")
    for body in ({}, {"a": {}, "b": {}}, "text"):
        with pytest.raises(AssertionError, match="not a fault envelope"):
            fault(body)


def test_journal_readers_skip_a_partial_last_line(sim):
    assert sim.journal() == [] and sim.mark() == 0
    entries = [{"path": "/v3/auth/tokens"}, {"path": "/v2/p/servers"}, {"path": "/v2/p/x"}]
    with open(sim.journal_path, "w", encoding="utf-8") as handle:
        handle.write("".join(json.dumps(e) + "\n" for e in entries) + '{"path": "/par')
    assert sim.journal() == entries and sim.mark() == 3
    assert sim.journal_since(1) == entries[1:]
    assert sim.actions_since(0) == entries[1:]


class FakeProc:
    """The Popen object of a process that has written ``output`` to its stdout pipe."""

    def __init__(self, output: bytes, alive: bool = True) -> None:
        read, write = os.pipe()
        os.write(write, output)
        os.close(write)
        self.stdout = os.fdopen(read, "rb")
        self.alive = alive
        self.signals: list[int] = []
        self.returncode: int | None = None
        self.pid = 42

    def poll(self) -> int | None:
        return None if self.alive else self.returncode

    def send_signal(self, signum: int) -> None:
        self.signals.append(signum)
        self.alive, self.returncode = False, -signum

    def wait(self, timeout: float | None = None) -> int | None:
        return self.returncode


def test_ready_output_is_parsed(sim):
    output = (
        b"export OS_AUTH_URL=http://127.0.0.1:5/v3\nexport OS_USERNAME=demo\n"
        + READY_MARKER.encode()
        + b": era folsom\nignored\n"
    )
    sim.proc = FakeProc(output)  # type: ignore[assignment]
    assert sim._read_exports(5) == {"OS_AUTH_URL": "http://127.0.0.1:5/v3", "OS_USERNAME": "demo"}
    assert sim.ready_line == "# gc-simulator ready: era folsom"
    assert sim.pid == 42
    assert sim.stop() == -signal.SIGTERM and sim.proc.signals == [signal.SIGTERM]
    assert sim.stop() == -signal.SIGTERM and sim.proc.signals == [signal.SIGTERM]  # once


def test_a_simulator_that_exits_early_shows_its_stderr(sim):
    with open(sim.stderr_path, "w") as handle:
        handle.write("gc-simulator: --state x: not a usable state file\n")
    sim.proc = FakeProc(b"export A=1\n")  # type: ignore[assignment]
    with pytest.raises(SimulatorError) as caught:
        sim._read_exports(5)
    assert str(caught.value) == (
        "simulator exited: gc-simulator: --state x: not a usable state file\n"
    )


class AppSimulator(Simulator):
    """Simulator whose ``raw`` is answered by an App in this process (no process, no port)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.app = App(Config(era=self.era, build_time=self.build_time), Store(":memory:"))
        self.url = BASE
        self.env = self.env_for("demo")
        self.sent: list[tuple[str, str]] = []

    def raw(self, method, url, body=None, headers=None, data=None):
        if data is None and body is not None:
            data = json.dumps(body).encode()
        parts = urlsplit(url)
        self.sent.append((method, parts.path + (f"?{parts.query}" if parts.query else "")))
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        if data is not None:
            lowered.setdefault("content-type", "application/json")
        req = Request(method, parts.path, parse_qs(parts.query), lowered, data or b"", self.url)
        response = self.app.handle(req)
        return response.status, dict(response.headers), response.body

    def cleanup(self) -> None:
        self.app.store.close()
        super().cleanup()


@pytest.fixture
def app_sim():
    made = AppSimulator(build_time=0.0)
    yield made
    made.cleanup()


def test_env_for(app_sim):
    assert app_sim.env_for("alt")["OS_AUTH_URL"] == f"{BASE}/v3"
    assert app_sim.env_for("alt")["OS_USERNAME"] == "alt"


def test_token_is_fetched_once_per_user_from_the_catalog(app_sim):
    token, url = app_sim.token()
    assert app_sim.token() == (token, url)
    assert url.startswith(f"{BASE}/v2/") and len(token) == 40
    assert [p for _, p in app_sim.sent] == ["/v3/auth/tokens"]
    assert app_sim.token("alt")[1] != url


def test_boot_get_action_delete_and_waits(app_sim):
    server = app_sim.boot("one")
    assert (server["name"], server["status"]) == ("one", "ACTIVE")
    assert server["image"]["id"] == DEFAULT_IMAGE
    assert app_sim.boot("two", wait=False)["id"]
    status, data = app_sim.action(server["id"], {"gc_bless": None})
    assert status == 200 and data[0]["metadata"] == {"blessed_from": server["id"]}
    assert app_sim.wait_status(data[0]["id"], "BLESSED")["id"] == data[0]["id"]
    assert app_sim.get("nope") is None
    assert app_sim.request("GET", "/flavors/1")[0] == 200


def test_wait_timeouts_say_what_was_seen(app_sim):
    server = app_sim.boot()
    with pytest.raises(TimeoutError) as caught:
        app_sim.wait_status(server["id"], "BLESSED", timeout=0.05)
    assert str(caught.value) == f"server {server['id']} is ACTIVE, not BLESSED, after 0.05s"
    with pytest.raises(TimeoutError) as caught:
        app_sim.wait_gone(server["id"], timeout=0.05)
    assert str(caught.value) == f"server {server['id']} still exists after 0.05s"
    assert app_sim.delete(server["id"]) == 204
    app_sim.wait_gone(server["id"])


def test_servers_follows_every_page(app_sim, monkeypatch):
    made = [app_sim.boot(f"s{n}", wait=False)["id"] for n in range(3)]
    real = app_sim.request

    def small_pages(method, path, *args, **kwargs):  # pages of 2 instead of 1000
        return real(method, path.replace("limit=1000", "limit=2"), *args, **kwargs)

    monkeypatch.setattr(app_sim, "request", small_pages)
    assert [s["id"] for s in app_sim.servers()] == made[::-1]
    pages = [p for _, p in app_sim.sent if p.startswith("/v2/") and "detail" in p]
    assert pages[1].endswith(f"limit=2&marker={made[1]}") and len(pages) == 2


def test_failures_raise_simulator_error(app_sim, monkeypatch):
    real = app_sim.request
    monkeypatch.setattr(app_sim, "request", lambda *a, **k: (500, {"computeFault": {}}))
    with pytest.raises(SimulatorError, match="^boot failed: 500 "):
        app_sim.boot()
    with pytest.raises(SimulatorError, match="^listing failed: 500 "):
        app_sim.servers()
    with pytest.raises(SimulatorError, match="^GET server failed: 500 "):
        app_sim.get("x")
    monkeypatch.setattr(app_sim, "request", real)
    monkeypatch.setattr(app_sim.app, "handle", lambda req: json_response(401, {}))
    with pytest.raises(SimulatorError, match="^authentication failed: 401 b'{}'$"):
        app_sim.token("alt")
