"""What the nova extension's unit modules share: the endpoint, the IDs, the views and
the readers of what requests-mock was sent (their fixtures are in conftest.py)."""

from __future__ import annotations

import json

from gcclient.simulator.eras import CO_15_CAPS

BASE = "http://nova.test/v2/p1"
UUID = "11111111-2222-3333-4444-555555555555"
CHILD = "66666666-7777-8888-9999-000000000000"
ACTION = f"{BASE}/servers/{UUID}/action"
HTML = {"Content-Type": "text/html; charset=UTF-8"}
ALL_CAPS = list(CO_15_CAPS)  # what a cobalt 1.5 cloud advertises (gc-simulator's era)


def view(server_id=UUID, name="vm", status="ACTIVE", **extra):
    return {"id": server_id, "name": name, "status": status, "metadata": {}, **extra}


def actions(requests_mock):
    return [
        (r.method, r.url, r.json() if r.body else None)
        for r in requests_mock.request_history
        if r.path != "/v2/p1/gcinfo"
    ]


def answer(requests_mock, body, url=ACTION, status=200):
    text = body if isinstance(body, str) else json.dumps(body)
    return requests_mock.post(url, text=text, status_code=status, headers=HTML)
