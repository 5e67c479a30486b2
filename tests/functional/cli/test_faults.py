"""Launches through injected faults: nothing launched twice, everything accounted for.

Real ``gc launch`` processes against gc-simulator with 20% of compute requests
faulted (reset before processing, reset after processing, 500, 503). CI runs 60
launches; ``GC_HEAVY=1`` runs 200. Run with ``-s`` to see the figures.
"""

from __future__ import annotations

import collections
import os
from concurrent.futures import ThreadPoolExecutor

from gcclient.simulator.eras import FIXED_500
from tests.functional.gcrun import bless_and_wait, gc

HEAVY = os.environ.get("GC_HEAVY", "") not in ("", "0")
LAUNCHES = 200 if HEAVY else 60
FAULT_RATE = 0.2
FAULT_KINDS = "reset-before,reset-after,500,503"
SEED = int(os.environ.get("GC_FAULT_SEED", "20130410"))
WORKERS = 8

NOT_SENT = "request was not sent"
UNKNOWN = "it may have been carried out: check with gc list-launched"
# Answers that say the server did not carry the request out.
REFUSED = (FIXED_500, "Service temporarily unavailable.")


def classify(code: int, out: str, err: str) -> str:
    if code == 0:
        return "success"
    assert code == 1, (code, err)
    assert out == "" and "Traceback" not in err, err
    assert err.startswith("ERROR: ") and err.count("\n") == 1, err
    if NOT_SENT in err:
        return "not-sent"
    if UNKNOWN in err:
        return "unknown"
    if any(text in err for text in REFUSED):
        return "refused"
    raise AssertionError(f"unexpected error: {err}")


def test_launches_through_faults(simulator_factory, tmp_path):
    state = str(tmp_path / "state.db")
    clean = simulator_factory(era="cobalt", build_time=0.02, state=state)
    blessed = bless_and_wait(clean, clean.boot("fault-source")["id"])["id"]
    clean.stop()

    faulty = simulator_factory(
        era="cobalt",
        build_time=0.02,
        state=state,
        extra_args=[
            "--fault-rate",
            str(FAULT_RATE),
            "--fault-kinds",
            FAULT_KINDS,
            "--fault-seed",
            str(SEED),
        ],
    )
    names = [f"fault-{i:03d}" for i in range(LAUNCHES)]

    def launch(name: str) -> tuple[str, str, str]:
        result = gc(faulty, "launch", "--name", name, blessed, "-f", "value", "-c", "ID")
        return name, classify(result.code, result.out, result.err), result.out.strip()

    with ThreadPoolExecutor(WORKERS) as pool:
        outcomes = list(pool.map(launch, names))
    journal = faulty.journal()
    faulty.stop()

    after = simulator_factory(era="cobalt", build_time=0.02, state=state)
    servers = after.servers()
    _, launched_list = after.action(blessed, {"gc_list_launched": {}})

    by_name = collections.defaultdict(list)
    for server in servers:
        by_name[server["name"]].append(server)
    posts = collections.defaultdict(list)
    for entry in journal:
        body = entry.get("body")
        if entry["method"] == "POST" and isinstance(body, dict) and "gc_launch" in body:
            posts[body["gc_launch"].get("name")].append(entry)

    figures = collections.Counter(kind for _, kind, _ in outcomes)
    unknown_done = 0
    for name, kind, printed_id in outcomes:
        found = by_name.get(name, [])
        sent = posts.get(name, [])
        processed = sum(1 for e in sent if e["processed"])
        assert len(sent) <= 1, f"{name}: launch POST sent {len(sent)} times"
        assert len(found) == processed, f"{name}: {len(found)} servers, {processed} processed"
        if kind == "success":
            assert [s["id"] for s in found] == [printed_id], name
        elif kind in ("not-sent", "refused"):
            assert found == [], f"{name}: reported failed but launched {found}"
        else:
            assert len(found) <= 1
            unknown_done += len(found)

    children = [s for s in servers if s["metadata"].get("launched_from")]
    ids = {s["id"] for s in servers}
    assert all(s["metadata"]["launched_from"] in ids for s in children)
    assert {s["id"] for s in launched_list} == {s["id"] for s in children}
    assert sum(figures.values()) == LAUNCHES
    processed_launches = sum(1 for e in sum(posts.values(), []) if e["processed"])
    assert len(children) == processed_launches

    faults = collections.Counter(e["fault"] for e in journal if e["fault"])
    get_faults = sum(1 for e in journal if e["fault"] and e["method"] == "GET")
    print(
        f"\nfault test: {LAUNCHES} launches, fault rate {FAULT_RATE:.0%} ({FAULT_KINDS}), "
        f"seed {SEED}\n"
        f"  requests to compute: {sum(1 for e in journal if '/v2/' in e['path'])}, "
        f"faults injected: {sum(faults.values())} {dict(sorted(faults.items()))} "
        f"({get_faults} on GETs, retried)\n"
        f"  gc reported: success {figures['success']}, refused by the server "
        f"{figures['refused']}, not sent {figures['not-sent']}, outcome unknown "
        f"{figures['unknown']} (of which carried out: {unknown_done})\n"
        f"  servers launched: {len(children)} = launch requests processed "
        f"{processed_launches}; duplicates: 0; launches sent twice: 0"
    )
    assert figures["success"] > 0 and figures["refused"] + figures["unknown"] > 0
