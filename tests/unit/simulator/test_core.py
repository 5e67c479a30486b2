"""In-process unit tests of the simulator's building blocks (no subprocess, no sockets)."""

from __future__ import annotations

import json
import time

import pytest

from gcclient.simulator.app import App, Config
from gcclient.simulator.clouds import merge
from gcclient.simulator.eras import COBALT, ESSEX, FOLSOM
from gcclient.simulator.faults import FaultPlan, parse_kinds
from gcclient.simulator.journal import redact
from gcclient.simulator.request import Request
from gcclient.simulator.resources import ini_error
from gcclient.simulator.store import Store, apply_due, get_server

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


def test_era_tables():
    assert (ESSEX.label, FOLSOM.label, COBALT.label) == ("seed", "GC-Folsom", "CO-1.5")
    assert ESSEX.capabilities is None
    assert "co_bless" in COBALT.action_keys and "gc_bless" in COBALT.action_keys
    assert "co_get_policy" in COBALT.action_keys and "gc_get_policy" not in COBALT.action_keys
    assert "gc_export" not in ESSEX.action_keys and "co_bless" not in FOLSOM.action_keys
    assert set(ESSEX.resources.values()) == {"servers"}
    assert COBALT.text("delete_blessed", uuid="u") == (
        "Cannot delete a live image u. Please discard it instead."
    )


def test_lazy_transitions_apply_in_sql():
    app = make_app(build_time=0.0)
    token, project = login(app)
    body = {"server": {"name": "a", "imageRef": "6f3c6e1a-3c0e-4a43-9d1b-6d1f0c0b0a01",
                       "flavorRef": "1"}}  # fmt: skip
    status, data, _ = call(app, "POST", f"/v2/{project}/servers", body, token)
    assert status == 202
    sid = data["server"]["id"]
    with app.store.tx() as conn:
        assert get_server(conn, sid)["vm_state"] == "building"
        assert apply_due(conn, time.time() + 1) == 1
        assert get_server(conn, sid)["vm_state"] == "active"
    status, data, response = call(app, "POST", f"/v2/{project}/servers/{sid}/action",
                                  {"gc_bless": None}, token)  # fmt: skip
    assert status == 200 and response.content_type == "text/html; charset=UTF-8"
    _, shown, _ = call(app, "GET", f"/v2/{project}/servers/{data[0]['id']}", token=token)
    assert shown["server"]["status"] == "BLESSED"


def test_ini_validation():
    assert ini_error("[a]\nb = c\n") is None
    assert ini_error("") is None
    assert ini_error("garbage") == "File contains no section headers."


def test_fault_plan_is_deterministic_and_respects_match():
    picks = []
    for _ in range(2):
        plan = FaultPlan(rate=0.5, kinds=("500", "slow"), seed=7)
        picks.append([plan.pick("GET", "/v2/p/servers") for _ in range(50)])
    assert picks[0] == picks[1] and None in picks[0] and "500" in picks[0]
    plan = FaultPlan(rate=1.0, seed=1)
    assert plan.pick("POST", "/v3/auth/tokens") is None
    assert plan.pick("GET", "/v2/p/servers") is not None
    assert FaultPlan(rate=0.0).pick("GET", "/v2/p/servers") is None
    with pytest.raises(ValueError):
        parse_kinds("500,boom")


def test_journal_redaction():
    body = {
        "auth": {
            "identity": {
                "password": {"user": {"name": "demo", "password": "s"}},
                "token": {"id": "t"},
                "application_credential": {"id": "x", "secret": "y"},
            },
            "passwordCredentials": {"username": "demo", "password": "p"},
        },
        "server": {"adminPass": "a", "name": "n"},
    }
    clean = redact(body)
    assert clean["auth"]["identity"]["password"]["user"] == {"name": "demo", "password": "***"}
    assert clean["auth"]["identity"]["token"] == {"id": "***"}
    assert clean["auth"]["identity"]["application_credential"] == {"id": "x", "secret": "***"}
    assert clean["auth"]["passwordCredentials"]["password"] == "***"
    assert clean["server"] == {"adminPass": "***", "name": "n"}


def test_clouds_yaml_merge_replaces_own_entry_only():
    env = {
        "OS_AUTH_URL": "http://h:1/v3", "OS_USERNAME": "demo", "OS_PASSWORD": "pw",
        "OS_PROJECT_NAME": "demo", "OS_USER_DOMAIN_NAME": "Default",
        "OS_PROJECT_DOMAIN_NAME": "Default", "OS_REGION_NAME": "RegionOne",
    }  # fmt: skip
    first = merge("", "gc-simulator", env)
    assert first.startswith("clouds:\n  gc-simulator:\n")
    existing = "clouds:\n  other:\n    region_name: X\n" + first.split("clouds:\n", 1)[1]
    merged = merge(existing, "gc-simulator", {**env, "OS_AUTH_URL": "http://h:2/v3"})
    assert merged.count("gc-simulator:") == 1
    assert "http://h:2/v3" in merged and "http://h:1/v3" not in merged
    assert "  other:\n    region_name: X\n" in merged


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
