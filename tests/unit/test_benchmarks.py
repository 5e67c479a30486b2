"""benchmarks/run.py: its options and its number helpers (no timing is asserted here)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNNER = os.path.join(ROOT, "benchmarks", "run.py")


@pytest.fixture(scope="module")
def run():
    spec = importlib.util.spec_from_file_location("bench_run", RUNNER)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module
    spec.loader.exec_module(module)
    return module


def test_help_works():
    proc = subprocess.run([sys.executable, RUNNER, "--help"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    for option in ("--rounds", "--quick", "--scale", "--only", "--json"):
        assert option in proc.stdout


def test_median_ignores_missing_values(run):
    assert run.median([3.0, 1.0, 2.0]) == 2.0
    assert run.median([4.0, 1.0, None, 2.0, 3.0]) == 2.5
    assert run.median([None]) is None
    assert run.median([]) is None


def test_ratio(run):
    assert run.ratio(1.0, 4.0) == 0.25
    assert run.ratio(None, 1.0) is None
    assert run.ratio(1.0, None) is None
    assert run.ratio(1.0, 0) is None


def test_case_medians_and_peak_rss(run):
    case = run.Case("k", ["/bin/true"], {})
    case.runs = [
        run.Run(0.3, 0, 2048, requests=2),
        run.Run(0.1, 0, 4096, requests=1),
        run.Run(0.2, 0, 1024, requests=1),
    ]
    assert case.seconds == 0.2
    assert case.requests == 1
    assert case.maxrss_mb == 4.0


def test_row_ratio_and_table(run):
    gc = run.Case("gc x", ["/venv/bin/gc", "x"], {})
    gc.runs = [run.Run(0.1, 0, 0), run.Run(0.3, 0, 0), run.Run(0.2, 0, 0)]
    anchor = run.Case("nova x", ["/venv/bin/nova", "x"], {})
    anchor.runs = [run.Run(0.4, 0, 0), run.Run(0.5, 0, 0), run.Run(0.6, 0, 0)]
    results = run.Results(rows=[run.Row("s", gc, anchor, "n")])
    [row] = run.table_rows(results)
    assert row[:3] == ["s", "gc x", "0.200 s"]
    assert row[4:6] == ["nova x", "0.500 s"]
    assert row[7] == "0.40"
    text = run.render_table(run.HEADER, [row])
    lines = text.splitlines()
    assert lines[0] == lines[2] == lines[-1]
    assert set(lines[0]) <= {"=", " "}
    assert "gc x" in lines[3] and "0.40" in lines[3]


def test_request_kind(run):
    assert (
        run.request_kind(
            {"method": "POST", "path": "/v2/p/servers/u/action", "body": {"gc_list_launched": {}}}
        )
        == "gc_list_launched"
    )
    assert run.request_kind({"method": "GET", "path": "/v2/p/gcinfo", "body": None}) == "GET gcinfo"


def test_run_command_reports_the_childs_own_peak_rss(run):
    small = run.run_command([sys.executable, "-c", "pass"], dict(os.environ))
    big = run.run_command(
        [
            sys.executable,
            "-c",
            "x = bytearray(80 * 1024 * 1024); x[::4096] = b'1' * len(x[::4096])",
        ],
        dict(os.environ),
    )
    assert small.code == big.code == 0
    assert big.maxrss_kb - small.maxrss_kb > 60 * 1024
