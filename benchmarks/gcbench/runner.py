"""The benchmark harness: run commands under a fork/exec wrapper, interleave rounds,
count requests in the simulator's journal, and render the table and checks.

The sections (``startup``, ``e2e``, ``launched``, ``scale``, ``throughput``) are one
module each in this package; each has ``run(results, args)`` and
``checks(results, args)``.
"""

from __future__ import annotations

import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(HERE)
BIN = os.path.dirname(sys.executable)


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


def load() -> str:
    """The load averages (1, 5, 15 min) as ``uptime`` shows them: the machine is
    shared, and a figure means little without the load it was taken under."""
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def start_simulator(
    latency_ms: float,
    build_time: float = 0.05,
    extra: Sequence[str] = (),
    state: str = ":memory:",
) -> Any:
    from gcclient.simulator.testing import Simulator

    args = ["--quiet", "--quota-instances", "1000000", *extra]
    return Simulator(
        build_time=build_time, latency_ms=latency_ms, extra_args=args, state=state
    ).start()


# ---- results, checks and table -------------------------------------------------------------


@dataclass
class Row:
    section: str
    gc: Case | None
    anchor: Case | None
    note: str = ""
    rss: bool = False  # the note shows gc's peak RSS


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    cases: dict[str, Case] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, case: Case) -> Case:
        self.cases[case.key] = case
        return case


@dataclass
class Check:
    text: str
    ok: bool | None
    detail: str


def le(value: float | None, limit: float) -> bool | None:
    """value <= limit, or None (not measured)."""
    return None if value is None else value <= limit


def request_kind(entry: dict[str, Any]) -> str:
    """The action name of a journal entry, else its method and last path segment."""
    body = entry.get("body")
    if isinstance(body, dict) and len(body) == 1 and entry["path"].endswith("/action"):
        return next(iter(body))
    return f"{entry['method']} {entry['path'].rstrip('/').rsplit('/', 1)[-1]}"


HEADER = ("section", "gc", "median", "reqs", "anchor", "median", "reqs", "gc/anchor", "note")


def table_rows(results: Results) -> list[list[str]]:
    rows = []
    for row in results.rows:
        gc, anchor = row.gc, row.anchor
        note = row.note
        if gc is not None and row.rss:
            note = ", ".join(filter(None, [note, f"peak RSS {gc.maxrss_mb:.0f} MB"]))
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
    """Long UUIDs in the shown commands become <uuid> (a run of N of them "<uuid>xN");
    the simulator's names stay."""
    import re

    uuid = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    for case in results.cases.values():
        argv = [uuid.sub("<uuid>", a) if i else a for i, a in enumerate(case.argv)]
        short: list[str] = []
        for arg in argv:
            if arg == "<uuid>" and short and short[-1].startswith("<uuid>"):
                count = int(short[-1][7:] or 1)
                short[-1] = f"<uuid>x{count + 1}"
            else:
                short.append(arg)
        case.argv = short
