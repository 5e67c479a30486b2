"""Durability: kill -9 under concurrent load, restart on the same state file."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.parse
from collections import Counter

from gcclient.simulator.testing import DEFAULT_IMAGE, Simulator


class Worker(threading.Thread):
    def __init__(self, sim: Simulator, source_id: str, image_id: str, acked: list) -> None:
        super().__init__(daemon=True)
        token, base = sim.token()
        parts = urllib.parse.urlsplit(base)
        self.netloc, self.prefix = parts.netloc, parts.path
        self.headers = {"X-Auth-Token": token, "Content-Type": "application/json"}
        self.source_id, self.image_id, self.acked = source_id, image_id, acked

    def call(self, conn: http.client.HTTPConnection, path: str, body: dict) -> tuple[int, object]:
        conn.request("POST", self.prefix + path, body=json.dumps(body), headers=self.headers)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null")

    def run(self) -> None:
        conn = http.client.HTTPConnection(self.netloc, timeout=10)
        boot = {"server": {"name": "load", "imageRef": DEFAULT_IMAGE, "flavorRef": "1"}}
        step = 0
        try:
            while True:
                step += 1
                if step % 3 == 0:
                    status, data = self.call(conn, "/servers", boot)
                    if status == 202:
                        self.acked.append(("boot", data["server"]["id"], None))
                elif step % 3 == 1:
                    path = f"/servers/{self.source_id}/action"
                    status, data = self.call(conn, path, {"gc_bless": {}})
                    if status == 200:
                        self.acked.append(("bless", data[0]["id"], data[0]["name"]))
                else:
                    path = f"/servers/{self.image_id}/action"
                    status, data = self.call(conn, path, {"gc_launch": {}})
                    if status == 200:
                        self.acked.append(("launch", data[0]["id"], None))
        except (OSError, http.client.HTTPException, ValueError):
            return


def test_kill_9_under_load_loses_no_acknowledged_operation(simulator_factory, tmp_path):
    state = str(tmp_path / "state.db")
    sim = simulator_factory(state=state, build_time=0.05, journal=False)
    source = sim.boot("durable")
    image = sim.wait_status(sim.action(source["id"], {"gc_bless": {}})[1][0]["id"], "BLESSED")
    acked: list = []
    workers = [Worker(sim, source["id"], image["id"], acked) for _ in range(12)]
    for worker in workers:
        worker.start()
    time.sleep(1.5)
    sim.kill()
    for worker in workers:
        worker.join(10)
    assert len(acked) > 50
    sim.start()
    by_id = {s["id"]: s for s in sim.servers()}
    missing = [entry for entry in acked if entry[1] not in by_id]
    assert missing == []
    blessed = [s for s in by_id.values() if s["metadata"].get("blessed_from") == source["id"]]
    names = Counter(s["name"] for s in blessed)
    assert max(names.values()) == 1, "a bless counter increment was lost"
    last = int(by_id[source["id"]]["metadata"]["last_clone_num"])
    assert last + 1 == len(blessed)
    children = [s for s in by_id.values() if s["metadata"].get("launched_from") == image["id"]]
    assert {i for kind, i, _ in acked if kind == "launch"} <= {s["id"] for s in children}
    assert all(s["metadata"] == {"launched_from": image["id"]} for s in children)
    assert len({s["id"] for s in by_id.values()}) == len(by_id)
    for server in children:
        assert sim.wait_status(server["id"], "ACTIVE")["status"] == "ACTIVE"


def test_restart_keeps_servers_and_tokens(simulator_factory, tmp_path):
    state = str(tmp_path / "keep.db")
    sim = simulator_factory(state=state, build_time=0.05)
    server = sim.boot("keeper")
    token, _ = sim.token()
    assert sim.stop() == 0
    sim.start()
    assert sim.get(server["id"])["status"] == "ACTIVE"
    assert state in sim.ready_line
    _, base = sim.token()
    assert sim.raw("GET", base + "/servers", headers={"X-Auth-Token": token})[0] == 200
