"""Worlds for the bad-input catalogues: simulators prepared with servers in every state,
a tiny fake nova, a plain web server and ports that are closed or never answer.

Used by tests/functional/cli/test_bad_input.py, test_bad_input_adversarial.py and (the
worlds of simulators alone, built in-process) tests/inprocess/test_bad_input.py; the
module-scoped ``worlds`` fixtures that build them lazily are in the conftests of
tests/functional/cli and tests/inprocess.
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from gcclient.simulator.testing import Simulator

NAMED = "5d6a3c1e-0b7f-4e2a-9c8d-7e6f5a4b3c2d"  # a server's name, not its ID
UNKNOWN = "00000000-1111-4222-8333-444444444444"
NIC_ERROR = (
    "Invalid nic argument '{arg}'. Nic arguments must be of the form --nic "
    "<net-id=net-uuid,v4-fixed-ip=ip-addr,port-id=port-uuid>, with at minimum "
    "net-id or port-id specified."
)
TARGET_ERROR = (
    "Invalid --target '{arg}': expected a whole number with an optional "
    "unit B, KB, MB, GB or TB (for example 512MB)"
)
HOSTS = ["compute-1", "compute-2"]


# ---- a tiny fake nova: scripted answers, every request recorded --------------------------


class FakeNova:
    """An HTTP endpoint that answers every compute request with one scripted reply."""

    def __init__(
        self, status: int, body: bytes, headers: dict[str, str] | None = None, cut: bool = False
    ):
        self.status, self.body, self.headers, self.cut = status, body, headers or {}, cut
        self.requests: list[tuple[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                fake.requests.append((self.command, self.path))
                self.send_response(fake.status)
                for name, value in fake.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(fake.body)))
                self.end_headers()
                self.wfile.write(fake.body)

            do_GET = do_POST = do_DELETE = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v2/demo"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---- worlds: simulators prepared with servers in every state -----------------------------


@dataclass
class World:
    sim: Simulator
    ids: dict[str, str] = field(default_factory=dict)
    fake: FakeNova | None = None
    env: dict[str, str] = field(default_factory=dict)
    extra: list[Simulator] = field(default_factory=list)

    def close(self) -> None:
        for sim in [self.sim, *self.extra]:
            sim.cleanup()
        if self.fake is not None:
            self.fake.close()


def bless(sim: Simulator, server_id: str, wait: bool = True) -> str:
    code, body = sim.action(server_id, {"gc_bless": {}})
    assert code == 200, body
    if wait:
        sim.wait_status(body[0]["id"], "BLESSED")
    return body[0]["id"]


def lifecycle_world(era: str, make: type[Simulator] = Simulator) -> World:
    """Settled servers made on a fast simulator, then the same state file served by
    a slow one, so that BUILD, MIGRATING and 'blessing' last for the whole module.
    ``make`` is the simulator class (an in-process one for tests/inprocess)."""
    state = os.path.join(tempfile.mkdtemp(prefix="gc-bad-input-"), "state.db")
    fast = make(era=era, build_time=0.02, state=state, hosts=HOSTS).start()
    ids: dict[str, str] = {}
    ids["plain"] = fast.boot("plain")["id"]
    ids["source"] = fast.boot("source")["id"]
    ids["blessed"] = bless(fast, ids["source"])
    code, body = fast.action(ids["blessed"], {"gc_launch": {}})
    assert code == 200, body
    ids["child"] = fast.wait_status(body[0]["id"], "ACTIVE")["id"]
    fast.boot("twin")
    fast.boot("twin")
    ids["mover"] = fast.boot("mover")["id"]
    ids["blessing_source"] = fast.boot("blessing-source")["id"]
    ids["host"] = fast.get(ids["plain"], user="admin")["OS-EXT-SRV-ATTR:host"]
    fast.stop()
    slow = make(era=era, build_time=600, state=state, hosts=HOSTS).start()
    ids["building"] = slow.boot("building", wait=False)["id"]
    mover_host = slow.get(ids["mover"], user="admin")["OS-EXT-SRV-ATTR:host"]
    other = next(h for h in HOSTS if h != mover_host)
    code, body = slow.action(ids["mover"], {"gc_migrate": {"dest": other}})
    assert code == 200, body
    if era != "essex":
        bless(slow, ids["blessing_source"], wait=False)
    ids["user_id"] = slow.get(ids["plain"])["user_id"]
    world = World(slow, ids, extra=[fast])
    return world


def simple_world(
    *extra_args: str,
    era: str = "cobalt",
    hosts: list[str] | None = None,
    blessed: bool = False,
    make: type[Simulator] = Simulator,
) -> World:
    sim = make(era=era, build_time=0.02, hosts=hosts or HOSTS, extra_args=list(extra_args))
    sim.start()
    ids = {"plain": sim.boot("plain")["id"]}
    if blessed:
        ids["blessed"] = bless(sim, ids["plain"])
    return World(sim, ids)


def fake_world(status: int, body: bytes | str, headers: dict[str, str] | None = None) -> World:
    sim = Simulator(era="cobalt", build_time=0.02).start()
    raw = body.encode() if isinstance(body, str) else body
    fake = FakeNova(status, raw, headers)
    ids = {"plain": UNKNOWN, "fake": fake.url}
    return World(sim, ids, fake=fake, env={"OS_ENDPOINT_OVERRIDE": fake.url})


def faulty_world(kind: str, *extra: str) -> World:
    args = ["--fault-rate", "1", "--fault-kinds", kind, "--fault-match", r"^POST .*/action$"]
    sim = Simulator(era="cobalt", build_time=0.02, extra_args=[*args, *extra]).start()
    return World(sim, {"plain": sim.boot("plain")["id"]})


def closed_world() -> World:
    sim = Simulator(era="cobalt", build_time=0.02).start()
    port = closed_port()
    return World(sim, {"port": str(port)}, env={"OS_AUTH_URL": f"http://127.0.0.1:{port}/v3"})


WORLDS: dict[str, Callable[[], World]] = {
    "closed-port": closed_world,
    "fault-html": lambda: faulty_world("html"),
    "fault-503": lambda: faulty_world("503"),
    "fault-500": lambda: faulty_world("500"),
    "fault-truncated": lambda: faulty_world("truncated"),
    "fault-reset-after": lambda: faulty_world("reset-after"),
    "fault-slow": lambda: faulty_world("slow", "--slow-seconds", "2.5"),
    "fake-no-extension": lambda: fake_world(
        400,
        json.dumps({"badRequest": {"code": 400, "message": "There is no such action: gc_bless"}}),
        {"Content-Type": "application/json"},
    ),
    "fake-empty": lambda: fake_world(200, b"", {"Content-Type": "text/html; charset=UTF-8"}),
    "fake-html": lambda: fake_world(
        200, "<html><body>It works!</body></html>", {"Content-Type": "text/html"}
    ),
    "fake-text": lambda: fake_world(200, "OK", {"Content-Type": "text/plain"}),
    "fake-500-bare": lambda: fake_world(500, b""),
    "fake-500-text": lambda: fake_world(
        500, "Internal proxy failure\n", {"Content-Type": "text/plain"}
    ),
    "fake-401": lambda: fake_world(
        401,
        json.dumps({"unauthorized": {"code": 401, "message": "Token not valid here."}}),
        {"Content-Type": "application/json"},
    ),
    "fake-wrapped": lambda: fake_world(
        200, json.dumps({"unexpected": True}), {"Content-Type": "application/json"}
    ),
}


class WebServer:
    """A plain web server where Keystone should be: 200 HTML on GET, 501 on POST."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def log_request(self, *args: Any) -> None:
                server.requests.append(self.requestline)

        handler = partial(Handler, directory=tempfile.mkdtemp())
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


def web_world() -> World:
    world = simple_world()
    web = WebServer()
    world.ids["web"] = str(web.port)
    world.web = web  # type: ignore[attr-defined]
    return world


def hanging_world() -> World:
    """A port that accepts connections (the kernel's backlog) and never answers."""
    world = simple_world()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    world.ids["hang"] = str(listener.getsockname()[1])
    world.listener = listener  # type: ignore[attr-defined]
    return world


def named_world(make: type[Simulator] = Simulator) -> World:
    world = simple_world(blessed=True, make=make)
    world.ids["named"] = world.sim.boot(NAMED)["id"]
    for _ in range(12):
        world.sim.boot("many", wait=False)
    return world


WORLDS.update(
    {
        "web-server": web_world,
        "named": named_world,
        "no-id": lambda: fake_world(200, json.dumps({"server": {"name": "x"}}), {}),
        "closed-port-2": closed_world,
        "hanging-port": hanging_world,
    }
)


def simulator_worlds(make: type[Simulator]) -> dict[str, Callable[[], World]]:
    """The worlds made of simulators alone (badinput.SIMULATOR_WORLDS), built with
    ``make``: gc-simulator processes here, in-process simulators in tests/inprocess."""
    return {
        "cobalt": lambda: lifecycle_world("cobalt", make),
        "folsom": lambda: lifecycle_world("folsom", make),
        "essex": lambda: lifecycle_world("essex", make),
        "one-host": lambda: simple_world(hosts=["compute-1"], make=make),
        "quota": lambda: simple_world("--quota-instances", "2", blessed=True, make=make),
        "quota-essex": lambda: simple_world("--quota-instances", "1", era="essex", make=make),
    }


WORLDS.update(simulator_worlds(Simulator))
