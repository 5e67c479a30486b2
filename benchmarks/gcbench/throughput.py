"""The simulator's own throughput: benchmarks/sim_throughput.py's measure()."""

from __future__ import annotations

import argparse
import sys

from .runner import HERE, Check, Results, start_simulator

NAME = "throughput"


def run(results: Results, args: argparse.Namespace) -> None:
    sys.path.insert(0, HERE)
    import sim_throughput  # type: ignore[import-not-found]

    sim = start_simulator(0)
    try:
        value = sim_throughput.measure(sim.env, seconds=2.0 if args.quick else 5.0)
    finally:
        sim.cleanup()
    results.extra["simulator"] = value


def checks(results: Results, args: argparse.Namespace) -> list[Check]:
    return []
