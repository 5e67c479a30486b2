"""The seed README's scripting example (examples/seed_scripting.py) against gc-simulator."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.functional.gcrun import actions

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "seed_scripting.py"


def run_example(sim, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(sim.env)
    env["GC_EXAMPLE_POLL"] = "0.05"
    return subprocess.run(
        [sys.executable, str(EXAMPLE), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_seed_example_runs_and_exits_0(simulator):
    mark = simulator.mark()
    proc = run_example(simulator)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 2
    assert all(" was launched from " in line for line in lines)

    sent = [(m, p, b) for m, p, b in actions(simulator.journal_since(mark)) if m != "GET"]
    methods = [
        (m, p.split("/")[1], next(iter(b)) if isinstance(b, dict) else None) for m, p, b in sent
    ]
    assert methods == [
        ("POST", "servers", "server"),
        ("POST", "servers", "gc_bless"),
        ("POST", "servers", "gc_launch"),
        ("POST", "servers", "gc_launch"),
        ("POST", "servers", "gc_list_launched"),
        ("DELETE", "servers", None),
        ("DELETE", "servers", None),
        ("DELETE", "servers", None),
        ("POST", "servers", "gc_discard"),
    ]
    source = sent[1][1].split("/")[2]
    blessed = sent[2][1].split("/")[2]
    assert [b for _, _, b in sent[1:5]] == [
        {"gc_bless": {}},
        {"gc_launch": {}},
        {"gc_launch": {}},
        {"gc_list_launched": {}},
    ]
    assert sent[7][1] == f"/servers/{source}"
    assert sent[8] == ("POST", f"/servers/{blessed}/action", {"gc_discard": {}})
    simulator.wait_gone(blessed)


def test_seed_example_takes_image_and_flavor_from_argv(simulator):
    from gcclient.simulator.fixtures import IMAGES

    image = sorted(IMAGES)[-1]
    mark = simulator.mark()
    proc = run_example(simulator, image, "2")
    assert proc.returncode == 0, proc.stderr
    boots = [
        b for m, p, b in actions(simulator.journal_since(mark)) if (m, p) == ("POST", "/servers")
    ]
    assert boots[0]["server"]["imageRef"] == image
    assert boots[0]["server"]["flavorRef"] == "2"
