"""At scale, 50 ms added latency (issues 14 and 26): gc delete of 1,000 servers against
openstack and nova deleting 200 (compared per server), discard --delete-launched --wait
of a live image with 200 launched, lineage of 10 live images x 100 launched, list of a
project with 10,000 servers, and a wait on 2 servers of that project (requests a round).

The servers are written into the simulator's state with ``seed_servers`` (a second for
10,000) instead of one API call each; the servers a delete or discard run consumes are
seeded again before each run, while the simulator runs (SQLite in WAL mode).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from typing import Any

from .runner import (
    Case,
    Check,
    Results,
    Row,
    Run,
    child_env,
    exe,
    fmt_count,
    fmt_ratio,
    fmt_seconds,
    interleave,
    le,
    ratio,
    run_command,
    start_simulator,
)

NAME = "scale"
LATENCY_MS = 50
DELETE_COUNT = 200  # openstack and nova: about 0.1 s a server
GC_DELETE_COUNT = 1000
WAIT_TIMEOUT = 4  # gc wait --status SHUTOFF on ACTIVE servers: rounds until it times out
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
    oldest = seed(state, "alt", sources=10, images=1, launched=per_source, prefix="many")
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

        wait_rounds(results, sim, env["alt"], gc, oldest["sources"][:2])

        counts = {"gc": GC_DELETE_COUNT, "openstack": DELETE_COUNT, "nova": DELETE_COUNT}
        deletes = {
            tool: results.add(Case(f"{tool} delete {counts[tool]}", [], env["demo"], sim))
            for tool in counts
        }
        argv = {
            "gc": [gc, "delete"],
            "openstack": [osc, "server", "delete"],
            "nova": [nova, "delete"],
        }
        tools = list(deletes)
        for r in range(args.scale_rounds):
            for tool in tools[r % 3 :] + tools[: r % 3]:
                ids = seed(state, "demo", plain=counts[tool], prefix=f"del-{tool}-{r}")["plain"]
                deletes[tool].argv = [*argv[tool], *ids]
                deletes[tool].runs.append(deletes[tool].once())
        for tool in ("openstack", "nova"):
            per = per_server(deletes["gc"], deletes[tool])
            results.rows.append(
                Row(
                    SECTION,
                    deletes["gc"],
                    deletes[tool],
                    f"{GC_DELETE_COUNT} IDs against {DELETE_COUNT}; per server {fmt_ratio(per)}",
                )
            )

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


def per_server(gc: Case, anchor: Case) -> float | None:
    """gc's seconds per server deleted over the anchor's."""
    if gc.seconds is None or anchor.seconds is None:
        return None
    return ratio(gc.seconds / GC_DELETE_COUNT, anchor.seconds / DELETE_COUNT)


def wait_rounds(results: Results, sim: Any, env: dict[str, str], gc: str, ids: list[str]) -> None:
    """``gc wait`` on 2 ACTIVE servers of the project of 10,000 for a status they never
    reach: it polls until --wait-timeout and exits 1. The two are among the first
    seeded, so the oldest: the listing (newest first) has them on its last page, and
    every round, the first included, must cost no more than a GET each."""
    from gcclient.simulator.testing import is_identity_path

    argv = [gc, "wait", "--status", "SHUTOFF", "--wait-timeout", str(WAIT_TIMEOUT), *ids]
    case = results.add(Case(f"gc wait 2 of {LIST_COUNT}", argv, env, sim))
    mark = sim.mark()
    run: Run = run_command(argv, env)
    entries = [e for e in sim.journal_since(mark) if not is_identity_path(e["path"])]
    run.requests = len(entries)
    case.runs.append(run)
    rounds = read_rounds(entries)
    results.extra["wait on 2 of 10000: requests per round"] = rounds
    results.rows.append(
        Row(
            SECTION,
            case,
            None,
            f"2 of {LIST_COUNT} servers, exit {run.code} (timeout); requests per round {rounds}",
        )
    )


def read_rounds(entries: list[dict[str, Any]]) -> list[int]:
    """The requests of each poll round: a round ends at a pause longer than POLL_PAUSE."""
    rounds: list[int] = []
    last = None
    for entry in entries:
        if last is None or entry["ts"] - last > POLL_PAUSE:
            rounds.append(0)
        rounds[-1] += 1
        last = entry["ts"]
    return rounds


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

    gc_del = case(f"gc delete {GC_DELETE_COUNT}")
    osc_del = case(f"openstack delete {DELETE_COUNT}")
    if gc_del:
        tag = f"gc delete {GC_DELETE_COUNT}"
        out.append(Check(f"{tag}: <= 3 s", le(gc_del.seconds, 3.0), fmt_seconds(gc_del.seconds)))
        out.append(
            Check(
                f"{tag}: <= {GC_DELETE_COUNT} + 2 requests",
                le(gc_del.requests, GC_DELETE_COUNT + 2),
                fmt_count(gc_del.requests),
            )
        )
    if gc_del and osc_del:
        per = per_server(gc_del, osc_del)
        out.append(
            Check(
                f"gc delete {GC_DELETE_COUNT}: per server <= 0.03x openstack server delete "
                f"of {DELETE_COUNT}",
                le(per, 0.03),
                fmt_ratio(per),
            )
        )
    rounds = results.extra.get("wait on 2 of 10000: requests per round")
    if rounds:
        out.append(
            Check(
                f"wait on 2 servers in a project of {LIST_COUNT}: <= 2 requests a round",
                max(rounds) <= 2 if len(rounds) > 1 else None,
                f"requests of each round {rounds}",
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
        # Nova links a next page after every full one (2014.1 common.py:543-557, as the
        # simulator does): pages of 1000 full to the last end with an empty one.
        pages = LIST_COUNT // PAGE_SIZE + 1
        out.append(
            Check(
                f"gc list --all of {LIST_COUNT}: 1 request per page ({pages} pages, the "
                "last one empty)",
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
