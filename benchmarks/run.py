#!/usr/bin/env python
"""gcclient's benchmark: gc against nova and openstack, side by side, in one run.

    python benchmarks/run.py                    # the full run (several minutes on 2 cores)
    python benchmarks/run.py --quick            # fewer rounds, a smaller list-launched test
    python benchmarks/run.py --section scale    # one section (repeatable)

It starts gc-simulator itself, installs python-openstackclient into this
interpreter's environment when it is missing (python-novaclient comes with
gcclient), and prints one table: medians of interleaved runs, the ratio
gc/anchor, HTTP requests per command from the simulator's journal, and the
"Done when" checks of the sections that ran, with PASS or FAIL.

The harness is ``gcbench/runner.py``; each section is a module of ``gcbench``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from gcbench import e2e, launched, scale, startup, throughput  # noqa: E402
from gcbench.runner import (  # noqa: E402, F401  (re-exported for tests and scripts)
    HEADER,
    ROOT,
    Case,
    Check,
    Results,
    Row,
    Run,
    ensure_anchors,
    load,
    machine,
    median,
    ratio,
    render_table,
    request_kind,
    run_command,
    shorten,
    table_rows,
)

SECTIONS = {module.NAME: module for module in (startup, e2e, launched, scale, throughput)}
DEFAULT_ROUNDS = 7


def report(
    results: Results, args: argparse.Namespace, ran: Sequence[str], elapsed: float
) -> tuple[str, list[Check]]:
    shorten(results)
    found = [check for name in ran for check in SECTIONS[name].checks(results, args)]
    lines = [
        "gcclient benchmark",
        f"machine: {machine()}",
        f"load average (1, 5, 15 min): {started_under(args)} at the start, {load()} at the end",
        f"reproduce: {reproduce(args)}",
        f"rounds: {args.rounds} (medians of interleaved runs); reqs = HTTP requests in the "
        "simulator's journal (identity included)",
        "",
        render_table(HEADER, table_rows(results)),
        "",
    ]
    for key, value in results.extra.items():
        lines.append(f"{key}: {json.dumps(value, sort_keys=True)}")
    lines += ["", "Done when:"]
    for check in found:
        state = "SKIP" if check.ok is None else ("PASS" if check.ok else "FAIL")
        lines.append(f"  {state}  {check.text}: {check.detail}")
    lines.append(f"\ntotal time: {elapsed:.0f} s")
    return "\n".join(lines), found


def as_json(results: Results, args: argparse.Namespace, found: list[Check]) -> dict[str, Any]:
    """Every case with its medians and its runs, the extras and the checks."""
    return {
        "machine": machine(),
        "load_average": {"start": started_under(args), "end": load()},
        "reproduce": reproduce(args),
        "cases": {
            key: {
                "command": case.shown(),
                "median_seconds": case.seconds,
                "median_requests": case.requests,
                "median_identity_requests": case.identity,
                "peak_rss_mb": case.maxrss_mb,
                "runs": [
                    {"seconds": r.seconds, "requests": r.requests, "maxrss_kb": r.maxrss_kb}
                    for r in case.runs
                ],
            }
            for key, case in results.cases.items()
        },
        "extra": results.extra,
        "checks": [{"check": c.text, "ok": c.ok, "value": c.detail} for c in found],
    }


def started_under(args: argparse.Namespace) -> str:
    """The load averages when main() started (unknown when report() is called alone)."""
    return str(getattr(args, "load_at_start", "unknown"))


def reproduce(args: argparse.Namespace) -> str:
    cmd = ["python", "benchmarks/run.py"]
    if args.quick:
        cmd.append("--quick")
    elif args.rounds != DEFAULT_ROUNDS:
        cmd += ["--rounds", str(args.rounds)]
    for name in args.only or ():
        cmd += ["--section", name]
    return " ".join(cmd)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--rounds", type=int, default=None, help=f"runs per command (default {DEFAULT_ROUNDS})"
    )
    parser.add_argument(
        "--quick", action="store_true", help="3 rounds, 2,000 servers for list-launched"
    )
    parser.add_argument(
        "--scale",
        type=int,
        default=None,
        help="launched servers for the list-launched test (default 10000)",
    )
    parser.add_argument(
        "--wait-count", type=int, default=None, help="servers for launch --wait (default 500)"
    )
    parser.add_argument(
        "--scale-rounds",
        type=int,
        default=1,
        help="runs of each delete and discard of the scale section (default 1: a run of "
        "openstack server delete of 200 servers takes tens of seconds)",
    )
    parser.add_argument(
        "--only",
        "--section",
        dest="only",
        action="append",
        choices=list(SECTIONS),
        help="run only these sections (repeatable)",
    )
    parser.add_argument("--no-install", action="store_true", help="do not pip install the anchors")
    parser.add_argument("--output", metavar="PATH", help="also write the report to this file")
    parser.add_argument("--json", metavar="PATH", help="write every run's figures as JSON")
    args = parser.parse_args(argv)
    if args.rounds is None:
        args.rounds = 3 if args.quick else DEFAULT_ROUNDS
    if args.scale is None:
        args.scale = 2000 if args.quick else 10000
    if args.wait_count is None:
        args.wait_count = 100 if args.quick else 500
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    args.load_at_start = load()
    sys.path.insert(0, ROOT)
    started = time.perf_counter()
    ran = [name for name in SECTIONS if name in (args.only or SECTIONS)]
    ensure_anchors(not args.no_install)
    results = Results()
    for name in ran:
        print(f"# {name} ...", file=sys.stderr, flush=True)
        SECTIONS[name].run(results, args)
    text, found = report(results, args, ran, time.perf_counter() - started)
    print(text)
    if args.output:
        with open(args.output, "w") as handle:
            handle.write(text + "\n")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(as_json(results, args, found), handle, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
