"""In-process unit tests of the simulator's building blocks (no subprocess, no sockets)."""

from __future__ import annotations

import json

from gcclient.simulator.app import App, Config
from gcclient.simulator.faults import FaultPlan
from gcclient.simulator.request import Request
from gcclient.simulator.store import Store

BASE = "http://sim.test:1"


def make_app(era: str = "cobalt", build_time: float = 0.0) -> App:
    return App(Config(era=era, build_time=build_time), Store(":memory:"))


def call(app: App, method: str, path: str, body: object = None, token: str | None = None):
    headers = {"content-type": "application/json"}
    if token:
        headers["x-auth-token"] = token
    raw = b"" if body is None else json.dumps(body).encode()
    response = app.handle(Request(method, path, {}, headers, raw, BASE))
    data = json.loads(response.body) if response.body else None
    return response.status, data, response


def login(app: App, user: str = "demo") -> tuple[str, str]:
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": user,
                        "domain": {"id": "default"},
                        "password": f"{user}-password",
                    }
                },
            }
        }
    }
    _, data, response = call(app, "POST", "/v3/auth/tokens", body)
    return response.headers["X-Subject-Token"], data["token"]["project"]["id"]


def test_handler_crash_gives_fixed_500_and_server_keeps_running(capsys):
    import http.client
    import threading

    from gcclient.simulator.eras import FIXED_500
    from gcclient.simulator.httpd import Runtime, SimulatorServer

    app = make_app()
    runtime = Runtime(app=app, faults=FaultPlan(), journal=None, access_log=None, latency=0.0)
    server = SimulatorServer(("127.0.0.1", 0), runtime)
    runtime.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    real = app.handle
    try:
        app.handle = lambda req: 1 / 0  # type: ignore[method-assign]
        conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=5)
        conn.request("GET", "/v3")
        response = conn.getresponse()
        assert response.status == 500
        assert json.loads(response.read()) == {"computeFault": {"code": 500, "message": FIXED_500}}
        app.handle = real  # type: ignore[method-assign]
        conn.request("GET", "/v3")
        assert conn.getresponse().status == 200
        assert "ZeroDivisionError" in capsys.readouterr().err
    finally:
        server.shutdown()
        server.server_close()
