"""Fault injection: each kind, the journal record, determinism with a seed."""

from __future__ import annotations

import http.client
import json
import time
import urllib.parse

import pytest

from gcclient.simulator.testing import Simulator, fault


def faulty(factory, kind: str, **kwargs) -> Simulator:
    args = ["--fault-rate", "1", "--fault-kinds", kind, "--fault-match", r"^POST .*/action$"]
    return factory(build_time=0.02, extra_args=args + list(kwargs.pop("extra", ())), **kwargs)


def post_action(sim: Simulator, server_id: str, body: dict) -> http.client.HTTPResponse:
    token, base = sim.token()
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.netloc, timeout=10)
    conn.request(
        "POST",
        f"{parts.path}/servers/{server_id}/action",
        body=json.dumps(body),
        headers={"X-Auth-Token": token, "Content-Type": "application/json"},
    )
    return conn.getresponse()


def last_action(sim: Simulator) -> dict:
    return [e for e in sim.journal() if e["path"].endswith("/action")][-1]


def blessed_count(sim: Simulator, source_id: str) -> int:
    return len(sim.action(source_id, {"gc_list_blessed": None})[1])


@pytest.mark.parametrize("kind", ["500", "503", "html"])
def test_error_faults_do_not_process(simulator_factory, kind):
    sim = faulty(simulator_factory, kind, extra=["--fault-match", r"^POST .*/action$"])
    source = sim.boot("f")
    response = post_action(sim, source["id"], {"gc_bless": {}})
    raw = response.read()
    if kind == "500":
        assert response.status == 500
        assert fault(json.loads(raw))[0] == "computeFault"
    elif kind == "503":
        assert response.status == 503 and response.getheader("Retry-After") == "1"
    else:
        assert response.status == 502
        assert response.getheader("Content-Type").startswith("text/html")
        assert raw.lstrip().startswith(b"<html>")
    entry = last_action(sim)
    assert (entry["fault"], entry["processed"]) == (kind, False)
    assert entry["body"] == {"gc_bless": {}}


def test_reset_before_loses_the_action(simulator_factory):
    sim = faulty(simulator_factory, "reset-before")
    source = sim.boot("rb")
    with pytest.raises((ConnectionError, http.client.HTTPException)):
        post_action(sim, source["id"], {"gc_bless": {}}).read()
    entry = last_action(sim)
    assert (entry["fault"], entry["processed"], entry["status"]) == ("reset-before", False, None)
    assert sim.get(source["id"])["metadata"] == {}


def test_reset_after_commits_the_action(simulator_factory):
    sim = faulty(simulator_factory, "reset-after")
    source = sim.boot("ra")
    with pytest.raises((ConnectionError, http.client.HTTPException)):
        post_action(sim, source["id"], {"gc_bless": {}}).read()
    entry = last_action(sim)
    assert (entry["fault"], entry["processed"]) == ("reset-after", True)
    assert sim.get(source["id"])["metadata"]["last_clone_num"] == "0"


def test_truncated_body(simulator_factory):
    sim = faulty(simulator_factory, "truncated")
    source = sim.boot("tr")
    response = post_action(sim, source["id"], {"gc_bless": {}})
    assert response.status == 200
    with pytest.raises(http.client.IncompleteRead):
        response.read()
    assert last_action(sim)["processed"] is True


def test_slow_response(simulator_factory):
    sim = faulty(simulator_factory, "slow", extra=["--slow-seconds", "0.5"])
    source = sim.boot("sl")
    started = time.monotonic()
    response = post_action(sim, source["id"], {"gc_bless": {}})
    assert response.status == 200 and json.loads(response.read())[0]["status"] == "BUILD"
    assert time.monotonic() - started >= 0.5
    assert last_action(sim)["fault"] == "slow"


def test_identity_never_faulted_by_default(simulator_factory):
    sim = simulator_factory(extra_args=["--fault-rate", "1", "--fault-kinds", "500"])
    token, base = sim.token()
    assert token
    assert sim.request("GET", "/servers")[0] == 500


def test_seed_makes_faults_deterministic(simulator_factory):
    args = ["--fault-rate", "0.5", "--fault-seed", "42", "--fault-kinds", "500,503,html"]
    sequences = []
    for _ in range(2):
        sim = simulator_factory(extra_args=args)
        statuses = [sim.request("GET", "/flavors")[0] for _ in range(30)]
        sequences.append(statuses)
        sim.stop()
    assert sequences[0] == sequences[1]
    assert set(sequences[0]) >= {200} and len(set(sequences[0])) > 1
