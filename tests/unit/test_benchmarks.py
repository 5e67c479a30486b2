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
    for option in ("--rounds", "--quick", "--scale", "--only", "--section", "--json"):
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


def test_sections_run_alone(run):
    args = run.parse_args(["--section", "scale", "--only", "startup"])
    assert args.only == ["scale", "startup"]
    assert set(run.SECTIONS) == {"startup", "e2e", "launched", "scale", "throughput"}
    for module in run.SECTIONS.values():
        assert callable(module.run) and callable(module.checks)


def entry(ts, method, path, body=None):
    return {"ts": ts, "method": method, "path": f"/v2/p/{path}", "body": body}


def test_poll_rounds_count_the_reads_of_each_round_after_the_first_write(run):
    listed = {"gc_list_launched": None}
    entries = [
        entry(0.0, "POST", "servers/img/action", listed),  # before any write: not a poll
        entry(0.1, "DELETE", "servers/a"),
        entry(0.2, "DELETE", "servers/b"),
        entry(0.3, "POST", "servers/img/action", listed),
        entry(1.3, "POST", "servers/img/action", listed),
        entry(1.35, "POST", "servers/img/action", {"gc_discard": None}),
        entry(1.4, "GET", "servers/img"),
        entry(2.4, "GET", "servers/img"),
    ]
    assert run.scale.poll_rounds(entries) == [1, 1, 1, 1]
    # One GET per server per round: two servers, two rounds of two.
    entries = [
        entry(0.1, "DELETE", "servers/a"),
        entry(0.2, "DELETE", "servers/b"),
        {"ts": 0.25, "method": "POST", "path": "/v3/auth/tokens", "body": None},
        entry(0.3, "GET", "servers/a"),
        entry(0.35, "GET", "servers/b"),
        entry(1.35, "GET", "servers/a"),
        entry(1.4, "GET", "servers/b"),
    ]
    assert run.scale.poll_rounds(entries) == [2, 2]


def test_scale_checks_pass_and_fail_on_the_issue_limits(run):
    def case(key, seconds, requests=None, rss_kb=0):
        found = run.Case(key, ["/venv/bin/gc"], {})
        found.runs = [run.Run(seconds, 0, rss_kb, requests=requests)]
        return found

    results = run.Results()
    for found in (
        case("gc delete 1000", 2.0, requests=1001),
        case("openstack delete 200", 40.0),
        case("gc discard --delete-launched --wait 200", 5.0),
        case("gc lineage 10x100", 1.0, requests=3),
        case("gc list 10000", 1.2, requests=1, rss_kb=60 * 1024),
        case("gc list --all 10000", 2.0, requests=10, rss_kb=160 * 1024),
    ):
        results.add(found)
    results.extra["discard requests per poll round"] = 1
    results.extra["wait on 2 of 10000: requests per round"] = [10, 2, 2, 3]
    states = {c.text: c.ok for c in run.scale.checks(results, run.parse_args([]))}
    # The first round counts too: a walk of ten pages fails the wait check.
    results.extra["wait on 2 of 10000: requests per round"] = [10, 2, 2]
    waits = [c.ok for c in run.scale.checks(results, run.parse_args([])) if "wait on" in c.text]
    assert waits == [False]
    results.extra["wait on 2 of 10000: requests per round"] = [2, 2, 2]
    waits = [c.ok for c in run.scale.checks(results, run.parse_args([])) if "wait on" in c.text]
    assert waits == [True]
    # Ten full pages of 1000 and the empty one nova links after the tenth.
    results.add(case("gc list --all 10000", 2.0, requests=11, rss_kb=50 * 1024))
    pages = [c.ok for c in run.scale.checks(results, run.parse_args([])) if "--all" in c.text]
    assert pages == [True]
    results.add(case("gc list --all 10000", 2.0, requests=10, rss_kb=160 * 1024))
    assert states == {
        "gc delete 1000: <= 3 s": True,
        "gc delete 1000: <= 1000 + 2 requests": True,
        "gc delete 1000: per server <= 0.03x openstack server delete of 200": True,
        "wait on 2 servers in a project of 10000: <= 2 requests a round": False,
        "discard --delete-launched --wait 200: <= 4 s": False,
        "discard --delete-launched --wait 200: 1 request per poll round": True,
        "gc lineage 10x100: <= 12 requests": True,
        "gc lineage 10x100: <= 1.5 s": True,
        "gc list in a project of 10000: 1 request": True,
        "gc list in a project of 10000: <= 1.5 s": True,
        "gc list --all of 10000: 1 request per page (11 pages, the last one empty)": False,
        "gc list of 10000: peak RSS <= 150 MB": False,
    }


def test_shorten_collapses_runs_of_uuids(run):
    ids = [f"{n:08x}-0000-4000-8000-000000000000" for n in range(200)]
    results = run.Results()
    results.add(run.Case("a", ["/venv/bin/gc", "delete", *ids], {}))
    results.add(run.Case("b", ["/venv/bin/gc", "show", ids[0], "--wait"], {}))
    run.shorten(results)
    assert results.cases["a"].shown() == "gc delete <uuid>x200"
    assert results.cases["b"].shown() == "gc show <uuid> --wait"


def test_load_is_three_averages(run):
    """The report prints the machine's load beside the figures (it is shared)."""
    averages = run.load().split()
    assert len(averages) == 3 and all(float(a) >= 0 for a in averages)


def test_report_names_the_load(run):
    args = run.parse_args(["--section", "startup"])
    args.load_at_start = "1.00 2.00 3.00"
    text, _ = run.report(run.Results(), args, [], 1.0)
    assert "load average (1, 5, 15 min): 1.00 2.00 3.00 at the start, " in text
