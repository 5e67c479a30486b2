"""kill -9 of gc-simulator under a 16-client load of the whole lifecycle (boot, bless,
launch, delete, discard, migrate), then a restart on the same state file: every
acknowledged operation is there and the lineage invariants hold.

(tests/functional/simulator/test_sim_durability.py covers boot/bless/launch with 12 raw
clients and the bless counter; this one is the 16-client mixed lifecycle.)
GC_HEAVY=1 lets the load run longer before the kill.
"""

from __future__ import annotations

import os
import threading
import time
import urllib.error
from collections import Counter

from gcclient.simulator.testing import DEFAULT_IMAGE, Simulator

HEAVY = os.environ.get("GC_HEAVY", "") not in ("", "0")
CLIENTS = 16
LOAD_SECONDS = 6.0 if HEAVY else 2.0
HOSTS = ["compute-1", "compute-2", "compute-3"]


class Client(threading.Thread):
    """One client's loop; records what the simulator acknowledged (2xx received)."""

    def __init__(self, sim: Simulator, index: int, source: str, acked: list, lock) -> None:
        super().__init__(daemon=True)
        self.sim, self.index, self.source = sim, index, source
        self.acked, self.lock = acked, lock
        self.stopped_by: BaseException | None = None

    def ack(self, *entry: str) -> None:
        with self.lock:
            self.acked.append(entry)

    def run(self) -> None:
        sim = self.sim
        try:
            while True:
                status, body = sim.action(self.source, {"gc_bless": {}})
                if status != 200:
                    continue
                keep = body[0]["id"]
                self.ack("bless", keep, self.source)
                status, body = sim.action(self.source, {"gc_bless": {}})
                spare = body[0]["id"] if status == 200 else None
                if spare:
                    self.ack("bless", spare, self.source)
                status, body = sim.action(keep, {"gc_launch": {}})
                child = body[0]["id"] if status == 200 else None
                if child:
                    self.ack("launch", child, keep)
                if spare:
                    self.ack("discard-sent", spare, self.source)
                    status, _ = sim.action(spare, {"gc_discard": None})
                    if status == 200:
                        self.ack("discard", spare, self.source)
                if child:
                    self.ack("delete-sent", child, keep)
                if child and sim.delete(child) == 204:
                    self.ack("delete", child, keep)
                boot = {"name": f"c{self.index}", "imageRef": DEFAULT_IMAGE, "flavorRef": "1"}
                status, body = sim.request("POST", "/servers", {"server": boot})
                if status == 202:
                    self.ack("boot", body["server"]["id"], "")
                status, _ = sim.action(self.source, {"gc_migrate": {}})
                if status == 200:
                    self.ack("migrate", self.source, "")
        except (OSError, urllib.error.URLError, ValueError) as exc:
            self.stopped_by = exc


def servers(sim: Simulator) -> dict[str, dict]:
    return {s["id"]: s for s in sim.servers()}


def check(acked: list[tuple[str, ...]], found: dict[str, dict]) -> dict[str, int]:
    # A delete or discard that was sent may have been carried out even when the kill
    # came before its answer: such a server may be gone, but nothing else may.
    maybe_gone = {i for kind, i, _ in acked if kind.endswith("-sent")}
    deleted = {i for kind, i, _ in acked if kind in ("delete", "discard")}
    for kind, server_id, parent in acked:
        if kind.endswith("-sent"):
            continue
        server = found.get(server_id)
        if kind in ("delete", "discard"):
            assert server is None or server.get("OS-EXT-STS:task_state") == "deleting", (
                kind,
                server_id,
            )
        elif server_id not in deleted | maybe_gone:
            assert server is not None, f"acknowledged {kind} of {server_id} lost"
            if kind == "bless":
                assert server["metadata"]["blessed_from"] == parent
            if kind == "launch":
                assert server["metadata"]["launched_from"] == parent
    children = [s for s in found.values() if s["metadata"].get("launched_from")]
    for child in children:
        parent = found.get(child["metadata"]["launched_from"])
        assert parent is not None, f"launched {child['id']} without its blessed parent"
        assert parent["metadata"].get("blessed_from"), "parent is not blessed"
        assert parent.get("OS-EXT-STS:task_state") != "deleting", (
            f"discarded {parent['id']} still has launched {child['id']}"
        )
    assert len(found) == len(set(found))
    return Counter(kind for kind, _, _ in acked if not kind.endswith("-sent"))


def test_kill_9_under_16_clients_keeps_every_acknowledged_operation(tmp_path, simulator_factory):
    state = str(tmp_path / "state.db")
    sim = simulator_factory(era="cobalt", build_time=0.05, state=state, hosts=HOSTS)
    try:
        sources = [sim.boot(f"durable-{i}")["id"] for i in range(CLIENTS)]
        sim.token()  # authenticate once, before the threads share the harness
        acked: list[tuple[str, ...]] = []
        lock = threading.Lock()
        clients = [Client(sim, i, sources[i], acked, lock) for i in range(CLIENTS)]
        for client in clients:
            client.start()
        time.sleep(LOAD_SECONDS)
        sim.kill()
        for client in clients:
            client.join(15)
        assert all(c.stopped_by is not None for c in clients)
        with lock:
            snapshot = list(acked)

        sim.start()
        figures = check(snapshot, servers(sim))
        # let the asynchronous transitions started before the kill finish, then again
        time.sleep(0.5)
        found = servers(sim)
        check(snapshot, found)
        gone = {i for kind, i, _ in snapshot if kind in ("delete", "discard")}
        assert not gone & set(found), "a deleted or discarded server came back"
        print(
            f"\ndurability: {CLIENTS} clients for {LOAD_SECONDS:g}s, then kill -9; "
            f"acknowledged: {dict(sorted(figures.items()))}, all present after restart; "
            f"{len(found)} servers, invariants hold"
        )
        assert sum(figures.values()) > 50
    finally:
        sim.cleanup()
