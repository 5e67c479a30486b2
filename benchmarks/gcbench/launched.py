"""list-launched of 10,000 launched servers (JSON, value, csv and table, peak RSS;
nova list-launched, which prints a table, beside them) and launch --wait of 500
(requests per poll round): the scale checks of issues 6 and 26."""

from __future__ import annotations

import argparse
import tempfile
import time

from .runner import (
    Case,
    Check,
    Results,
    Row,
    child_env,
    exe,
    fmt_ratio,
    fmt_seconds,
    interleave,
    le,
    request_kind,
    start_simulator,
)

NAME = "launched"
FORMATS = ("json", "value", "csv", "table")
# Issue 26: seconds each output format may take for 10,000 servers.
LIMITS = {"json": 0.8, "value": 0.6, "table": 3.0}
RSS_LIMIT_MB = 60


def run(results: Results, args: argparse.Namespace) -> None:
    rounds, count, wait_count = args.rounds, args.scale, args.wait_count
    # Build time: long enough to see BUILD, short enough for thousands to be ACTIVE soon.
    sim = start_simulator(0, build_time=0.5)
    try:
        env = child_env({**sim.env, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="gc-bench-")})
        source = sim.boot("scale-src")
        _, blessed = sim.action(source["id"], {"gc_bless": {"name": "scale-image"}})
        image = sim.wait_status(blessed[0]["id"], "BLESSED")
        status, _ = sim.action(image["id"], {"gc_launch": {"num_instances": count}})
        if status != 200:
            raise SystemExit(f"launching {count} servers failed: {status}")
        deadline = time.monotonic() + 300
        while True:
            _, children = sim.action(image["id"], {"gc_list_launched": {}})
            active = sum(1 for c in children if c.get("status") == "ACTIVE")
            if active == count:
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"only {active} of {count} launched servers became ACTIVE")
            time.sleep(0.5)
        gc = exe("gc")
        nova = results.add(
            Case(
                f"nova list-launched {count}", [exe("nova"), "list-launched", image["id"]], env, sim
            )
        )
        listed = {
            fmt: results.add(
                Case(
                    f"list-launched {count} {fmt}",
                    [gc, "list-launched", "-f", fmt, image["id"]],
                    env,
                    sim,
                )
            )
            for fmt in FORMATS
        }
        interleave([*listed.values(), nova], max(1, min(rounds, 5)))
        for case in listed.values():
            results.rows.append(Row(f"scale, {count} launched", case, nova, rss=True))

        # --wait on many launched servers: requests per poll round.
        _, blessed = sim.action(source["id"], {"gc_bless": {"name": "wait-image"}})
        wait_image = sim.wait_status(blessed[0]["id"], "BLESSED")
        wait_case = results.add(
            Case(
                f"launch {wait_count} --wait",
                [gc, "launch", "--num-instances", str(wait_count), "--wait", wait_image["id"]],
                env,
                sim,
            )
        )
        mark = sim.mark()
        wait_case.runs.append(wait_case.once())
        entries = sim.journal_since(mark)
        kinds = [request_kind(e) for e in entries]
        launch_at = kinds.index("gc_launch") if "gc_launch" in kinds else len(kinds)
        polling = kinds[launch_at + 1 :]
        rounds_seen = polling.count("gc_list_launched")
        results.extra["wait"] = {
            "requests": len(entries),
            "before_launch": kinds[:launch_at],
            "poll_rounds": rounds_seen,
            "requests_while_polling": len(polling),
            "requests_per_round": len(polling) / rounds_seen if rounds_seen else None,
        }
        results.rows.append(
            Row(
                f"scale, {wait_count} launched",
                wait_case,
                None,
                f"{rounds_seen} poll rounds, "
                f"{fmt_ratio(results.extra['wait']['requests_per_round'])} requests per round",
            )
        )
    finally:
        sim.cleanup()


def checks(results: Results, args: argparse.Namespace) -> list[Check]:
    k = results.cases
    out: list[Check] = []
    count = args.scale
    found = {fmt: k.get(f"list-launched {count} {fmt}") for fmt in FORMATS}
    for fmt, limit in LIMITS.items():
        case = found.get(fmt)
        if case is not None and case.runs:
            out.append(
                Check(
                    f"list-launched {count} {fmt} <= {limit:g} s",
                    le(case.seconds, limit),
                    fmt_seconds(case.seconds),
                )
            )
    sizes = {fmt: c.maxrss_mb or 0 for fmt, c in found.items() if c is not None and c.runs}
    if sizes:
        worst = max(sizes, key=lambda fmt: sizes[fmt])
        out.append(
            Check(
                f"list-launched {count} peak RSS <= {RSS_LIMIT_MB} MB (every format)",
                sizes[worst] <= RSS_LIMIT_MB,
                f"{sizes[worst]:.0f} MB ({worst})",
            )
        )
    wait = results.extra.get("wait")
    if wait:
        per = wait["requests_per_round"]
        out.append(
            Check(
                "--wait: one request per poll round",
                None if per is None else per == 1.0,
                fmt_ratio(per),
            )
        )
    return out
