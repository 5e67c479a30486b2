"""A 429 (or 413 with Retry-After) on a GET is waited out and retried, said at -v;
--timing prints openstack's table of requests on stderr."""

from __future__ import annotations

import re

import pytest

from gcclient.simulator.faults import FaultPlan
from tests.functional.gcrun import gc

MATCH = r"^GET .*/gcinfo$"


def seed_for(kind: str, wanted: list[str | None]) -> int:
    """A fault seed whose first picks are ``wanted`` (the simulator's own FaultPlan)."""
    for seed in range(1000):
        plan = FaultPlan(rate=0.5, kinds=(kind,), seed=seed, match=MATCH)
        if [plan.pick("GET", "/v2/p/gcinfo") for _ in wanted] == wanted:
            return seed
    raise AssertionError("no seed found")


@pytest.mark.parametrize("kind", ["429", "413"])
def test_rate_limited_get_is_retried_and_logged_at_v(simulator_factory, kind):
    seed = seed_for(kind, [kind, None])
    sim = simulator_factory(
        extra_args=["--fault-rate", "0.5", "--fault-kinds", kind, "--fault-seed", str(seed),
                    "--fault-match", MATCH],
    )  # fmt: skip
    mark = sim.mark()
    result = gc(sim, "-v", "capabilities", "-f", "value")
    assert result.code == 0, result.err
    assert "import-export" in result.out.split()
    retry_lines = [line for line in result.err.splitlines() if "retrying" in line]
    assert retry_lines == [f"GET /gcinfo: {kind}, retrying in 1.0 s (attempt 2 of 4)"], result.err
    gets = [e for e in sim.journal_since(mark) if e["path"].endswith("/gcinfo")]
    assert [e["status"] for e in gets] == [int(kind), 200]
    quiet = gc(sim, "capabilities", "-f", "value")
    assert "retrying" not in quiet.err


def test_timing_table_on_stderr_and_nothing_more_on_stdout(simulator):
    server = simulator.boot("timed")
    plain = gc(simulator, "show", server["id"], "-f", "value", "-c", "name")
    timed = gc(simulator, "--timing", "show", server["id"], "-f", "value", "-c", "name")
    assert (timed.code, timed.out) == (0, plain.out) == (0, "timed\n")
    lines = timed.err.splitlines()
    assert re.fullmatch(r"\| URL +\| Seconds \|", lines[1]), timed.err
    rows = [line for line in lines if line.startswith("| ") and "Seconds" not in line]
    assert re.fullmatch(
        r"\| POST http://127\.0\.0\.1:\d+/v3/auth/tokens +\| +\d+\.\d{3} \|", rows[0]
    )
    assert re.fullmatch(
        rf"\| GET http://127\.0\.0\.1:\d+/v2(\.1)?/\w+/servers/{server['id']} +\| +\d+\.\d{{3}} \|",
        rows[1],
    ), rows
    assert re.fullmatch(r"\| Total +\| +\d+\.\d{3} \|", rows[-1])
    assert len(rows) == 3
