"""Helpers of the historical-client tests (test_sim_historical.py, test_sim_fidelity.py):
the exact bodies the 2013 Cobalt and Gridcentric extensions sent, and readers of the
simulator's raw answers (status, content type, body, text)."""

from __future__ import annotations

import json

from gcclient.simulator.fixtures import KEYPAIR_NAME
from gcclient.simulator.identity import USERS
from gcclient.simulator.testing import DEFAULT_IMAGE, Simulator

HTML = "text/html; charset=UTF-8"
JSON = "application/json"
DEMO = USERS["demo"]

# cobaltclient 0e09957 cobalt_python_novaclient_ext/__init__.py:546-551 (start_live_image with
# its defaults: no name, no user data, no networks).
COBALT_LAUNCH = {
    "guest": {},
    "security_groups": None,
    "availability_zone": None,
    "scheduler_hints": {},
    "num_instances": 1,
    "key_name": None,
}
# cobaltclient aa6dec6 gridcentric_python_novaclient_ext/__init__.py:390-395 (launch defaults).
GRIDCENTRIC_LAUNCH = {
    "target": "0",
    "guest": {},
    "security_groups": None,
    "availability_zone": None,
    "num_instances": 1,
    "key_name": None,
}
# cobalt c80fb8f nova/novaclient/v1_1/gridcentric.py:121-124 (the seed client).
SEED_LAUNCH = {"target": "0", "guest": {}}


def answer(
    sim: Simulator, method: str, path: str, body: object = None, user: str = "demo"
) -> tuple[int, str, object, str]:
    """(status, content type, decoded JSON or None, raw text) of one request."""
    status, headers, raw = sim.request_raw(method, path, body, user=user)
    text = raw.decode()
    try:
        data = json.loads(text) if text else None
    except ValueError:
        data = None
    return status, headers.get("Content-Type", ""), data, text


def action(
    sim: Simulator, sid: str, body: dict, user: str = "demo"
) -> tuple[int, str, object, str]:
    return answer(sim, "POST", f"/servers/{sid}/action", body, user)


def fault_answer(status: int, message: str) -> tuple[int, str, object, str]:
    """The nova fault envelope, exactly as the simulator must send it."""
    name = {400: "badRequest", 404: "itemNotFound", 500: "computeFault"}[status]
    data = {name: {"code": status, "message": message}}
    return status, JSON, data, json.dumps(data)


def boot_with_key(sim: Simulator, name: str, user: str = "demo", **extra: object) -> dict:
    body = {"server": {"name": name, "imageRef": DEFAULT_IMAGE, "flavorRef": "1", **extra}}
    status, data = sim.request("POST", "/servers", body, user=user)
    assert status == 202, data
    return sim.wait_status(data["server"]["id"], "ACTIVE", user=user)


def live_image(sim: Simulator, name: str, user: str = "demo", **extra: object) -> dict:
    """A BLESSED live image of a server booted with the key ``mykey``."""
    source = boot_with_key(sim, name, user, key_name=KEYPAIR_NAME, **extra)
    status, _, data, _ = action(sim, source["id"], {"gc_bless": {"name": None}}, user)
    assert status == 200, data
    return sim.wait_status(data[0]["id"], "BLESSED", user=user)
