"""Start-up: gc --version, --help and help launch against nova, openstack and the floors."""

from __future__ import annotations

import argparse
import sys

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
    ratio,
)

NAME = "startup"


def run(results: Results, args: argparse.Namespace) -> None:
    rounds = args.rounds
    env = child_env()
    py = sys.executable
    c = {
        "gc --version": [exe("gc"), "--version"],
        "gc --help": [exe("gc"), "--help"],
        "gc help launch": [exe("gc"), "help", "launch"],
        "nova --version": [exe("nova"), "--version"],
        "nova help": [exe("nova"), "help"],
        "openstack --version": [exe("openstack"), "--version"],
        "openstack --help": [exe("openstack"), "--help"],
        "floor pass": [py, "-c", "pass"],
        "floor cliff": [py, "-c", "import cliff.app"],
    }
    cases = [results.add(Case(key, argv, env)) for key, argv in c.items()]
    interleave(cases, rounds)
    k = results.cases
    for gc_key, anchors in (
        ("gc --version", ("nova --version", "openstack --version", "floor cliff")),
        ("gc --help", ("nova help", "openstack --help", "floor cliff")),
        ("gc help launch", ("nova help", "floor cliff")),
    ):
        for anchor in anchors:
            results.rows.append(Row("start-up", k[gc_key], k[anchor]))
    results.rows.append(Row("start-up", None, k["floor pass"], "floor"))


def checks(results: Results, args: argparse.Namespace) -> list[Check]:
    k = results.cases
    out: list[Check] = []

    def sec(key: str) -> float | None:
        return k[key].seconds if key in k else None

    for key, limit, osc in (
        ("gc --version", 0.15, "openstack --version"),
        ("gc --help", 0.20, "openstack --help"),
    ):
        value = sec(key)
        out.append(Check(f"{key} median <= {limit} s", le(value, limit), fmt_seconds(value)))
        r = ratio(value, sec(osc))
        out.append(Check(f"{key} <= 0.2x {osc}", le(r, 0.2), fmt_ratio(r)))
        r = ratio(value, sec("floor cliff"))
        out.append(Check(f"{key} <= 1.05x python -c 'import cliff.app'", le(r, 1.05), fmt_ratio(r)))
    return out
