"""At scale, 50 ms added latency (issue 14): delete of 200 servers against openstack and
nova, discard --delete-launched --wait of a live image with 200 launched, lineage of 10
live images x 100 launched, list of a project with 10,000 servers.

The servers are written into the simulator's state with ``seed_servers`` (a second for
10,000) instead of one API call each; the servers a delete or discard run consumes are
seeded again before each run, while the simulator runs (SQLite in WAL mode).
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
from typing import Any

from .runner import (
    Case,
    Check,
    Results,
    Row,
    child_env,
    exe,
    fmt_count,
    fmt_ratio,
    fmt_seconds,
    interleave,
    le,
    ratio,
    start_simulator,
)

NAME = "scale"
LATENCY_MS = 50
DELETE_COUNT = 200
DISCARD_COUNT = 200
LINEAGE_IMAGES, LINEAGE_LAUNCHED = 10, 100
LIST_COUNT = 10_000
PAGE_SIZE = 1000  # the simulator's (and nova's default) largest page
POLL_PAUSE = 0.5  # a pause longer than this between reads starts a new poll round
SECTION = f"scale, {LATENCY_MS} ms"


def _users() -> dict[str, Any]:
    from gcclient.simulator.identity import USERS

    return USERS


def seed(path: str, user: str, **counts: Any) -> dict[str, list[str]]:
    from gcclient.simulator.fixtures import seed_servers

    who = _users()[user]
    return seed_servers(path, who.project.id, who.id, **counts)


def run(results: Results, args: argparse.Namespace) -> None:
    state = os.path.join(tempfile.mkdtemp(prefix="gc-bench-scale-"), "state.db")
    # "alt" holds the 10,000 servers of the list; "demo" the lineage, deletes and discards.
    per_source = LIST_COUNT // 10 - 2
    seed(state, "alt", sources=10, images=1, launched=per_source, prefix="many")
    seed(state, "alt", plain=LIST_COUNT - 10 * (2 + per_source), prefix="many-plain")
    tree = seed(
        state,
        "demo",
        sources=1,
        images=LINEAGE_IMAGES,
        launched=LINEAGE_LAUNCHED,
        prefix="tree",
    )
    sim = start_simulator(LATENCY_MS, state=state)
    try:
        env = {
            user: child_env(
                {**sim.env_for(user), "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="gc-bench-")}
            )
            for user in ("demo", "alt")
        }
        gc, nova, osc = exe("gc"), exe("nova"), exe("openstack")
        reads = max(1, min(args.rounds, 5))

        lineage = results.add(
            Case(
                f"gc lineage {LINEAGE_IMAGES}x{LINEAGE_LAUNCHED}",
                [gc, "lineage", tree["sources"][0]],
                env["demo"],
                sim,
            )
        )
        interleave([lineage], reads)
        results.rows.append(
            Row(SECTION, lineage, None, f"{LINEAGE_IMAGES} live images x {LINEAGE_LAUNCHED}")
        )

        listed = results.add(Case(f"gc list {LIST_COUNT}", [gc, "list"], env["alt"], sim))
        listed_all = results.add(
            Case(
                f"gc list --all {LIST_COUNT}", [gc, "list", "--all", "-f", "json"], env["alt"], sim
            )
        )
        interleave([listed, listed_all], reads)
        for case, note in ((listed, "10 of them live images"), (listed_all, "every one")):
            results.rows.append(Row(SECTION, case, None, f"{LIST_COUNT} servers, {note}", rss=True))

        deletes = {
            tool: results.add(Case(f"{tool} delete {DELETE_COUNT}", [], env["demo"], sim))
            for tool in ("gc", "openstack", "nova")
        }
        argv = {
            "gc": [gc, "delete"],
            "openstack": [osc, "server", "delete"],
            "nova": [nova, "delete"],
        }
        tools = list(deletes)
        for r in range(args.scale_rounds):
            for tool in tools[r % 3 :] + tools[: r % 3]:
                ids = seed(state, "demo", plain=DELETE_COUNT, prefix=f"del-{tool}-{r}")["plain"]
                deletes[tool].argv = [*argv[tool], *ids]
                deletes[tool].runs.append(deletes[tool].once())
        for tool in ("openstack", "nova"):
            results.rows.append(Row(SECTION, deletes["gc"], deletes[tool], f"{DELETE_COUNT} IDs"))

        discard = results.add(
            Case(f"gc discard --delete-launched --wait {DISCARD_COUNT}", [], env["demo"], sim)
        )
        worst: list[int] = []
        for r in range(args.scale_rounds):
            image = seed(
                state, "demo", sources=1, images=1, launched=DISCARD_COUNT, prefix=f"discard-{r}"
            )["images"][0]
            discard.argv = [gc, "discard", "--delete-launched", "--wait", image]
            mark = sim.mark()
            discard.runs.append(discard.once())
            rounds = poll_rounds(sim.journal_since(mark))
            worst.append(max(rounds, default=0))
            results.extra["discard poll rounds"] = rounds
        results.extra["discard requests per poll round"] = max(worst, default=None)
        results.rows.append(
            Row(
                SECTION,
                discard,
                None,
                f"{DISCARD_COUNT} launched; at most {fmt_count(max(worst, default=None))} "
                "requests per poll round",
            )
        )
    finally:
        sim.cleanup()


def _is_write(entry: dict[str, Any]) -> bool:
    if entry["method"] in ("DELETE", "PUT"):
        return True
    if entry["method"] != "POST":
        return False
    body = entry.get("body")
    name = next(iter(body), "") if isinstance(body, dict) and len(body) == 1 else ""
    return not name.startswith(("gc_list", "co_list"))


def poll_rounds(entries: list[dict[str, Any]]) -> list[int]:
    """The compute reads of each poll round after the first write: a round ends at a
    write or at a pause longer than POLL_PAUSE (the poller sleeps 1 s between rounds)."""
    from gcclient.simulator.testing import is_identity_path

    entries = [e for e in entries if not is_identity_path(e["path"])]
    first = next((i for i, e in enumerate(entries) if _is_write(e)), len(entries))
    rounds: list[int] = []
    current, last = 0, None
    for entry in entries[first:]:
        if _is_write(entry):
            if current:
                rounds.append(current)
            current, last = 0, entry["ts"]
            continue
        if current and last is not None and entry["ts"] - last > POLL_PAUSE:
            rounds.append(current)
            current = 0
        current += 1
        last = entry["ts"]
    if current:
        rounds.append(current)
    return rounds


def checks(results: Results, args: argparse.Namespace) -> list[Check]:
    k = results.cases
    out: list[Check] = []

    def case(key: str) -> Case | None:
        found = k.get(key)
        return found if found is not None and found.runs else None

    gc_del, osc_del = case(f"gc delete {DELETE_COUNT}"), case(f"openstack delete {DELETE_COUNT}")
    if gc_del and osc_del:
        r = ratio(gc_del.seconds, osc_del.seconds)
        out.append(
            Check(
                f"gc delete {DELETE_COUNT}: <= 0.15x openstack server delete",
                le(r, 0.15),
                fmt_ratio(r),
            )
        )
        out.append(
            Check(
                f"gc delete {DELETE_COUNT}: <= 3 s",
                le(gc_del.seconds, 3.0),
                fmt_seconds(gc_del.seconds),
            )
        )
    discard = case(f"gc discard --delete-launched --wait {DISCARD_COUNT}")
    if discard:
        out.append(
            Check(
                f"discard --delete-launched --wait {DISCARD_COUNT}: <= 4 s",
                le(discard.seconds, 4.0),
                fmt_seconds(discard.seconds),
            )
        )
        per = results.extra.get("discard requests per poll round")
        out.append(
            Check(
                f"discard --delete-launched --wait {DISCARD_COUNT}: 1 request per poll round",
                None if per is None else per == 1,
                fmt_count(per),
            )
        )
    lineage = case(f"gc lineage {LINEAGE_IMAGES}x{LINEAGE_LAUNCHED}")
    if lineage:
        tag = f"gc lineage {LINEAGE_IMAGES}x{LINEAGE_LAUNCHED}"
        out.append(
            Check(f"{tag}: <= 12 requests", le(lineage.requests, 12), fmt_count(lineage.requests))
        )
        out.append(
            Check(f"{tag}: <= 1.5 s", le(lineage.seconds, 1.5), fmt_seconds(lineage.seconds))
        )
    listed = case(f"gc list {LIST_COUNT}")
    listed_all = case(f"gc list --all {LIST_COUNT}")
    if listed:
        out.append(
            Check(
                f"gc list in a project of {LIST_COUNT}: 1 request",
                None if listed.requests is None else listed.requests == 1,
                fmt_count(listed.requests),
            )
        )
        out.append(
            Check(
                f"gc list in a project of {LIST_COUNT}: <= 1.5 s",
                le(listed.seconds, 1.5),
                fmt_seconds(listed.seconds),
            )
        )
    if listed_all:
        pages = math.ceil(LIST_COUNT / PAGE_SIZE)
        out.append(
            Check(
                f"gc list --all of {LIST_COUNT}: 1 request per page ({pages} pages)",
                None if listed_all.requests is None else listed_all.requests == pages,
                fmt_count(listed_all.requests),
            )
        )
    if listed or listed_all:
        rss = max(c.maxrss_mb or 0 for c in (listed, listed_all) if c)
        out.append(
            Check(f"gc list of {LIST_COUNT}: peak RSS <= 150 MB", rss <= 150, f"{rss:.0f} MB")
        )
    return out
