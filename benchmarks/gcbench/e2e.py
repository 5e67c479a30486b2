"""End to end at 0 and 50 ms added latency: bless, launch, list-launched, show by name;
at 0 ms, warm show by ID against the import of the libraries it must use."""

from __future__ import annotations

import argparse
import statistics
import sys
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
    interleave,
    le,
    ratio,
    start_simulator,
)

NAME = "e2e"
LATENCIES = (0, 50)
# The warm one-request command against importing what it must use, pair by pair.
FLOOR_PAIRS = 9
LIBRARY_FLOOR = "import keystoneauth1.session, requests"


def run(results: Results, args: argparse.Namespace) -> None:
    for latency_ms in LATENCIES:
        end_to_end(results, args.rounds, latency_ms)


def end_to_end(results: Results, rounds: int, latency_ms: int) -> None:
    sim = start_simulator(latency_ms)
    try:
        cache = tempfile.mkdtemp(prefix="gc-bench-cache-")
        env = child_env({**sim.env, "XDG_CACHE_HOME": cache})
        source = sim.boot("bench-src")
        _, blessed = sim.action(source["id"], {"gc_bless": {"name": "bench-image"}})
        image = sim.wait_status(blessed[0]["id"], "BLESSED")
        _, listed = sim.action(source["id"], {"gc_bless": {"name": "bench-listed"}})
        listed_image = sim.wait_status(listed[0]["id"], "BLESSED")
        sim.action(listed_image["id"], {"gc_launch": {"num_instances": 3}})
        tag = f"@{latency_ms}ms"
        gc, nova, osc = exe("gc"), exe("nova"), exe("openstack")
        specs = [
            ("gc bless", [gc, "bless", source["id"]], False),
            ("gc bless cold", [gc, "bless", source["id"]], True),
            ("gc launch", [gc, "launch", image["id"]], False),
            ("gc list-launched", [gc, "list-launched", listed_image["id"]], False),
            ("gc show", [gc, "show", "bench-src"], False),
            ("nova bless", [nova, "bless", source["id"]], False),
            ("nova launch", [nova, "launch", image["id"]], False),
            ("nova list-launched", [nova, "list-launched", listed_image["id"]], False),
            ("openstack server show", [osc, "server", "show", "bench-src"], False),
        ]
        cases = [
            results.add(Case(f"{key} {tag}", argv, env, sim=sim, fresh_cache=cold))
            for key, argv, cold in specs
        ]
        interleave(cases, rounds)
        if latency_ms == 0:
            warm_show_pairs(results, env, sim, source["id"])
        k = results.cases
        section = f"end to end, {latency_ms} ms"
        for gc_key, anchor_key, note in (
            ("gc bless", "nova bless", "warm token cache"),
            ("gc bless cold", "nova bless", "cold token cache"),
            ("gc launch", "nova launch", "warm"),
            ("gc list-launched", "nova list-launched", "warm, 3 launched"),
            ("gc show", "openstack server show", "warm, by name"),
        ):
            results.rows.append(Row(section, k[f"{gc_key} {tag}"], k[f"{anchor_key} {tag}"], note))
    finally:
        sim.cleanup()


def warm_show_pairs(results: Results, env: dict[str, str], sim: Any, server_id: str) -> None:
    """``gc show <uuid>`` (warm token cache, one request) and the import of
    keystoneauth1.session and requests, run back to back FLOOR_PAIRS times (the order
    alternating) so that both see the same load; the ratio is the median of the pairs'."""
    show = results.add(Case("gc show uuid @0ms", [exe("gc"), "show", server_id], env, sim))
    floor = results.add(Case("floor libraries", [sys.executable, "-c", LIBRARY_FLOOR], env))
    show.once()  # warm-up
    floor.once()
    ratios = []
    for n in range(FLOOR_PAIRS):
        pair = (show, floor) if n % 2 else (floor, show)
        for case in pair:
            case.runs.append(case.once())
        ratios.append(show.runs[-1].seconds / floor.runs[-1].seconds)
    results.extra["warm show / library floor, pair by pair"] = [round(r, 3) for r in ratios]
    results.extra["warm show / library floor, median of pairs"] = round(
        statistics.median(ratios), 3
    )
    results.rows.append(Row("end to end, 0 ms", show, floor, "warm, by ID; pairs"))


def checks(results: Results, args: argparse.Namespace) -> list[Check]:
    k = results.cases
    out: list[Check] = []

    def sec(key: str) -> float | None:
        return k[key].seconds if key in k else None

    def req(key: str) -> float | None:
        return k[key].requests if key in k else None

    pairs = results.extra.get("warm show / library floor, median of pairs")
    if pairs is not None:
        out.append(
            Check(
                f"warm gc show <uuid> at 0 ms <= 1.10x python -c '{LIBRARY_FLOOR}'",
                le(pairs, 1.10),
                f"{pairs:.2f} (median of {FLOOR_PAIRS} pairs)",
            )
        )
    for latency in LATENCIES:
        tag = f"@{latency}ms"
        cold, warm, nova = (
            req(f"gc bless cold {tag}"),
            req(f"gc bless {tag}"),
            req(f"nova bless {tag}"),
        )
        if latency == 0:
            out.append(Check("gc bless <uuid>: <= 2 requests cold", le(cold, 2), fmt_count(cold)))
            out.append(
                Check(
                    "gc bless <uuid>: 1 request warm",
                    None if warm is None else warm == 1,
                    f"{fmt_count(warm)} (nova bless: {fmt_count(nova)})",
                )
            )
        limit = 0.5 if latency else 0.75
        r = ratio(sec(f"gc bless {tag}"), sec(f"nova bless {tag}"))
        out.append(
            Check(
                f"at {latency} ms, warm gc bless <= {limit}x nova bless", le(r, limit), fmt_ratio(r)
            )
        )
    return out
