"""list-launched of 10,000 launched servers (table, JSON, peak RSS) and launch --wait
of 500 (requests per poll round): the scale checks of issue 6."""

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
        json_case = results.add(
            Case(
                f"list-launched {count} json",
                [gc, "list-launched", "-f", "json", image["id"]],
                env,
                sim,
            )
        )
        table_case = results.add(
            Case(f"list-launched {count} table", [gc, "list-launched", image["id"]], env, sim)
        )
        interleave([json_case, table_case], max(1, min(rounds, 5)))
        for case in (json_case, table_case):
            results.rows.append(Row(f"scale, {count} launched", case, None, rss=True))

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
    js, tb = k.get(f"list-launched {count} json"), k.get(f"list-launched {count} table")
    if js and tb:
        out.append(
            Check(
                f"list-launched {count} json <= 1.5 s", le(js.seconds, 1.5), fmt_seconds(js.seconds)
            )
        )
        out.append(
            Check(
                f"list-launched {count} table <= 3 s", le(tb.seconds, 3.0), fmt_seconds(tb.seconds)
            )
        )
        rss = max(js.maxrss_mb or 0, tb.maxrss_mb or 0)
        out.append(Check(f"list-launched {count} peak RSS <= 150 MB", rss <= 150, f"{rss:.0f} MB"))
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
