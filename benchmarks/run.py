#!/usr/bin/env python
"""gcclient's benchmark: gc against nova and openstack, side by side, in one run.

    python benchmarks/run.py            # the full run (a few minutes on 2 cores)
    python benchmarks/run.py --quick    # fewer rounds, a smaller scale test

It starts gc-simulator itself, installs python-openstackclient into this
interpreter's environment when it is missing (python-novaclient comes with
gcclient), and prints one table: medians of interleaved runs, the ratio
gc/anchor, HTTP requests per command from the simulator's journal, and the
"Done when" checks of issue 6 with PASS or FAIL.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.path.dirname(sys.executable)
LATENCIES = (0, 50)


# ---- numbers ----------------------------------------------------------------------------


def median(values: Iterable[float | None]) -> float | None:
    """The median of the values that are not None; None when there are none."""
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def ratio(value: float | None, anchor: float | None) -> float | None:
    """value / anchor, or None when either is missing or the anchor is 0."""
    if value is None or anchor is None or anchor == 0:
        return None
    return value / anchor


def fmt_seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f} s"


def fmt_ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def fmt_count(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def render_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table (also valid reStructuredText: a simple table)."""
    widths = [len(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    rule = "  ".join("=" * w for w in widths)
    lines = [
        rule,
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False)).rstrip(),
        rule,
    ]
    for row in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip())
    lines.append(rule)
    return "\n".join(lines)


# ---- running commands ---------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    code: int
    maxrss_kb: int
    requests: int | None = None
    identity_requests: int | None = None
    out_bytes: int = 0
    err: str = ""


# Each measured command runs under this tiny wrapper (python -S, a few MB): it forks,
# execs the command and reports the child's own time and peak RSS. Measured straight
# from the runner, a child's ru_maxrss would start at the runner's size (the kernel
# carries the high-water mark of the memory a process had before exec).
WRAPPER = """
import os, resource, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status = os.waitpid(pid, 0)
seconds = time.perf_counter() - start
code = os.waitstatus_to_exitcode(status)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as report:
    report.write(f"{seconds} {usage.ru_maxrss}")
os._exit(code if code >= 0 else 128 - code)
"""


def run_command(argv: Sequence[str], env: dict[str, str]) -> Run:
    """Run a command once; its time and its own peak RSS come from the wrapper."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r", suffix=".report") as report,
    ):
        proc = subprocess.run(
            [sys.executable, "-S", "-c", WRAPPER, report.name, *argv],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=env,
            check=False,
        )
        seconds, maxrss = report.read().split()
        out_bytes = out.tell()
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return Run(float(seconds), proc.returncode, int(maxrss), out_bytes=out_bytes, err=text[-400:])


@dataclass
class Case:
    """One command measured several times; ``key`` names it in the results."""

    key: str
    argv: list[str]
    env: dict[str, str]
    sim: Any = None
    fresh_cache: bool = False
    runs: list[Run] = field(default_factory=list)

    def once(self) -> Run:
        env = self.env
        if self.fresh_cache:
            env = dict(env, XDG_CACHE_HOME=tempfile.mkdtemp(prefix="gc-bench-cold-"))
        mark = self.sim.mark() if self.sim is not None else 0
        run = run_command(self.argv, env)
        if self.sim is not None:
            from gcclient.simulator.testing import is_identity_path

            entries = self.sim.journal_since(mark)
            run.requests = len(entries)
            run.identity_requests = sum(1 for e in entries if is_identity_path(e["path"]))
        if run.code != 0:
            raise SystemExit(f"benchmark command failed ({run.code}): {self.shown()}\n{run.err}")
        return run

    def shown(self) -> str:
        return " ".join(shlex.quote(a) if " " in a else a for a in self.argv_display())

    def argv_display(self) -> list[str]:
        first = os.path.basename(self.argv[0])
        if first.startswith("python"):
            first = "python"
        return [first, *self.argv[1:]]

    @property
    def seconds(self) -> float | None:
        return median(r.seconds for r in self.runs)

    @property
    def requests(self) -> float | None:
        return median(r.requests for r in self.runs)

    @property
    def identity(self) -> float | None:
        return median(r.identity_requests for r in self.runs)

    @property
    def maxrss_mb(self) -> float | None:
        return max((r.maxrss_kb / 1024 for r in self.runs), default=None)


def interleave(cases: Sequence[Case], rounds: int, warmup: bool = True) -> None:
    """Run every case once per round, rotating the order each round."""
    if warmup:
        for case in cases:
            case.once()
    for r in range(rounds):
        shift = r % len(cases)
        for case in list(cases[shift:]) + list(cases[:shift]):
            case.runs.append(case.once())


# ---- environment -----------------------------------------------------------------------------


def exe(name: str) -> str:
    return os.path.join(BIN, name)


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of measured commands: no OS_* of the caller, bytecode allowed
    (as on an installed system), no colours or pagers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("GC_NO_TOKEN_CACHE", None)
    env.update(extra or {})
    return env


def ensure_anchors(install: bool) -> None:
    """python-openstackclient into this environment when missing; nova comes with gcclient."""
    if not os.path.exists(exe("openstack")):
        if not install:
            raise SystemExit("openstack is not installed (run without --no-install)")
        print("# installing python-openstackclient into", sys.prefix, flush=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "python-openstackclient"], check=True
        )
    for name in ("gc", "nova", "openstack"):
        if not os.path.exists(exe(name)):
            raise SystemExit(f"{exe(name)} is missing")
    # Bytecode for gcclient, as an installed package has it.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", os.path.join(ROOT, "gcclient")],
        env=child_env(),
        stdout=subprocess.DEVNULL,
        check=False,
    )


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()} "
        f"({platform.system()} {platform.release()})"
    )


# ---- the measurements -------------------------------------------------------------------------


@dataclass
class Row:
    section: str
    gc: Case | None
    anchor: Case | None
    note: str = ""


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    cases: dict[str, Case] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, case: Case) -> Case:
        self.cases[case.key] = case
        return case


def startup(results: Results, rounds: int) -> None:
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


def start_simulator(latency_ms: float, build_time: float = 0.05, extra: Sequence[str] = ()) -> Any:
    from gcclient.simulator.testing import Simulator

    args = ["--quiet", "--quota-instances", "1000000", *extra]
    return Simulator(build_time=build_time, latency_ms=latency_ms, extra_args=args).start()


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


def scale(results: Results, rounds: int, count: int, wait_count: int) -> None:
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
            results.rows.append(Row(f"scale, {count} launched", case, None, "seconds; peak RSS"))

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


def request_kind(entry: dict[str, Any]) -> str:
    """The action name of a journal entry, else its method and last path segment."""
    body = entry.get("body")
    if isinstance(body, dict) and len(body) == 1 and entry["path"].endswith("/action"):
        return next(iter(body))
    return f"{entry['method']} {entry['path'].rstrip('/').rsplit('/', 1)[-1]}"


def throughput(results: Results, quick: bool) -> None:
    """The simulator's own throughput: benchmarks/sim_throughput.py's measure()."""
    sys.path.insert(0, HERE)
    import sim_throughput  # type: ignore[import-not-found]

    sim = start_simulator(0)
    try:
        value = sim_throughput.measure(sim.env, seconds=2.0 if quick else 5.0)
    finally:
        sim.cleanup()
    results.extra["simulator"] = value


# ---- checks and report -------------------------------------------------------------------------


@dataclass
class Check:
    text: str
    ok: bool | None
    detail: str


def checks(results: Results, count: int) -> list[Check]:
    k = results.cases
    out: list[Check] = []

    def sec(key: str) -> float | None:
        return k[key].seconds if key in k else None

    def req(key: str) -> float | None:
        return k[key].requests if key in k else None

    def le(value: float | None, limit: float) -> bool | None:
        return None if value is None else value <= limit

    for key, limit, osc in (
        ("gc --version", 0.15, "openstack --version"),
        ("gc --help", 0.20, "openstack --help"),
    ):
        value = sec(key)
        out.append(Check(f"{key} median <= {limit} s", le(value, limit), fmt_seconds(value)))
        r = ratio(value, sec(osc))
        out.append(Check(f"{key} <= 0.2x {osc}", le(r, 0.2), fmt_ratio(r)))
        r = ratio(value, sec("floor cliff"))
        out.append(Check(f"{key} <= 1.3x python -c 'import cliff.app'", le(r, 1.3), fmt_ratio(r)))
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


HEADER = ("section", "gc", "median", "reqs", "anchor", "median", "reqs", "gc/anchor", "note")


def table_rows(results: Results) -> list[list[str]]:
    rows = []
    for row in results.rows:
        gc, anchor = row.gc, row.anchor
        note = row.note
        if gc is not None and gc.key.startswith("list-launched"):
            note = f"peak RSS {gc.maxrss_mb:.0f} MB"
        rows.append(
            [
                row.section,
                gc.shown() if gc else "",
                fmt_seconds(gc.seconds) if gc else "",
                fmt_count(gc.requests) if gc else "",
                anchor.shown() if anchor else "",
                fmt_seconds(anchor.seconds) if anchor else "",
                fmt_count(anchor.requests) if anchor else "",
                fmt_ratio(ratio(gc.seconds, anchor.seconds)) if gc and anchor else "",
                note,
            ]
        )
    return rows


def shorten(results: Results) -> None:
    """Long UUIDs in the shown commands become <uuid>; the simulator's names stay."""
    import re

    uuid = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    for case in results.cases.values():
        case.argv = [uuid.sub("<uuid>", a) if i else a for i, a in enumerate(case.argv)]


def report(results: Results, args: argparse.Namespace, elapsed: float) -> str:
    shorten(results)
    lines = [
        "gcclient benchmark",
        f"machine: {machine()}",
        f"reproduce: {reproduce(args)}",
        f"rounds: {args.rounds} (medians of interleaved runs); reqs = HTTP requests in the "
        "simulator's journal (identity included)",
        "",
        render_table(HEADER, table_rows(results)),
        "",
    ]
    sim = results.extra.get("simulator")
    if sim is not None:
        lines.append(f"simulator throughput: {json.dumps(sim, sort_keys=True)}")
    wait = results.extra.get("wait")
    if wait:
        lines.append(f"--wait on {args.wait_count}: {json.dumps(wait, sort_keys=True)}")
    lines += ["", "Done when:"]
    for check in checks(results, args.scale):
        state = "SKIP" if check.ok is None else ("PASS" if check.ok else "FAIL")
        lines.append(f"  {state}  {check.text}: {check.detail}")
    lines.append(f"\ntotal time: {elapsed:.0f} s")
    return "\n".join(lines)


def as_json(results: Results, args: argparse.Namespace) -> dict[str, Any]:
    """Every case with its medians and its runs, the extras and the checks."""
    return {
        "machine": machine(),
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
        "checks": [
            {"check": c.text, "ok": c.ok, "value": c.detail} for c in checks(results, args.scale)
        ],
    }


def reproduce(args: argparse.Namespace) -> str:
    cmd = ["python", "benchmarks/run.py"]
    if args.quick:
        cmd.append("--quick")
    elif args.rounds != DEFAULT_ROUNDS:
        cmd += ["--rounds", str(args.rounds)]
    return " ".join(cmd)


DEFAULT_ROUNDS = 7
SECTIONS = ("startup", "e2e", "scale", "throughput")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rounds", type=int, default=None, help=f"runs per command (default {DEFAULT_ROUNDS})"
    )
    parser.add_argument(
        "--quick", action="store_true", help="3 rounds, 2,000 servers for the scale test"
    )
    parser.add_argument(
        "--scale", type=int, default=None, help="launched servers for list-launched (default 10000)"
    )
    parser.add_argument(
        "--wait-count", type=int, default=None, help="servers for launch --wait (default 500)"
    )
    parser.add_argument(
        "--only", action="append", choices=SECTIONS, help="run only these sections (repeatable)"
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
    sys.path.insert(0, ROOT)
    started = time.perf_counter()
    sections = set(args.only or SECTIONS)
    ensure_anchors(not args.no_install)
    results = Results()
    steps: list[tuple[str, Callable[[], None]]] = [
        ("startup", lambda: startup(results, args.rounds)),
        *[(("e2e"), (lambda lat=lat: end_to_end(results, args.rounds, lat))) for lat in LATENCIES],
        ("scale", lambda: scale(results, args.rounds, args.scale, args.wait_count)),
        ("throughput", lambda: throughput(results, args.quick)),
    ]
    for name, step in steps:
        if name in sections:
            print(f"# {name} ...", file=sys.stderr, flush=True)
            step()
    text = report(results, args, time.perf_counter() - started)
    print(text)
    if args.output:
        with open(args.output, "w") as handle:
            handle.write(text + "\n")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(as_json(results, args), handle, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
