"""The fault matrix's parts: the write scenarios of each front-end (``gc``, ``nova``,
the Python API), the states they start from, one run against a faulty gc-simulator,
and the classifier that judges what the front-end said against what the simulator
did (its journal and its state), line by line.

A run is a scenario, a fault kind (the simulator's 7, and 429 and 413) and a
placement: on the write itself, on every request after it, on the token request,
or on the name lookup before it; or a scenario and a signal (SIGINT, SIGTERM,
SIGHUP) sent at a moment drawn from a fixed seed while every request takes 0.3 s.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

from gcclient.simulator.faults import KINDS, RATE_LIMIT_KINDS
from gcclient.simulator.fixtures import seed_servers
from gcclient.simulator.identity import USERS
from gcclient.simulator.testing import DEFAULT_IMAGE, Simulator
from tests.functional.gcrun import GC, NOVA

ALL_KINDS = KINDS + RATE_LIMIT_KINDS
PLACEMENTS = ("write", "after", "token", "lookup")
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
RUN_TIMEOUT = 120
ACTION = r"^POST /v2/[^/]+/servers/{id}/action$"
TOKEN = r"^POST /v3/auth/tokens$"
LOOKUP = r"^GET /v2/[^/]+/servers/detail$"
POLICY = "[*]\nmemory = 0.5\n"


@dataclass(frozen=True)
class Scenario:
    """One write command of one front-end. ``args`` hold ``{key}`` fields filled with
    the setup's IDs (or names, for the lookup placement); ``write`` and ``after``
    are (match, eligible requests that pass first) for those placements."""

    name: str
    frontend: str  # gc, nova or api
    setup: str
    args: tuple[str, ...]
    write: tuple[str, int]
    after: tuple[str, int]
    wait: bool = False
    creates: bool = False
    lookup: bool = True  # it takes a server by name
    signals: bool = True

    @property
    def several(self) -> bool:
        """Whether it sends several writes (bulk, cascade)."""
        return self.name.startswith(("delete-3", "bless-2", "discard-2", "discard --"))

    @property
    def label(self) -> str:
        return f"{self.frontend} {self.name}{' --wait' if self.wait else ''}"


SOURCE = ACTION.format(id="{source}")


def _gc_scenarios() -> list[Scenario]:
    found = []
    get = ("^GET ", 0)
    plain = [
        ("bless", "source", ("bless", "{source}"), ACTION.format(id="{source}"), get, True),
        ("launch", "blessed", ("launch", "{blessed}"), ACTION.format(id="{blessed}"), get, True),
        ("discard", "blessed", ("discard", "{blessed}"), ACTION.format(id="{blessed}"), get, False),
        ("gc-migrate", "source", ("gc-migrate", "{source}"), SOURCE, get, False),
        ("boot", "none", ("boot", "--image", DEFAULT_IMAGE, "--flavor", "1", "mx"),
         r"^POST /v2/[^/]+/servers$", get, True),
        ("import", "exported", ("import", "{file}"), r"^POST /v2/[^/]+/gc-import-server$",
         (r"^GET /v2/[^/]+/servers/", 0), True),
        ("delete-3", "three", ("delete", "--parallel", "1", "{a}", "{b}", "{c}"), "^DELETE ",
         (r"^GET /v2/[^/]+/servers/detail", 0), False),
        ("delete-3 --parallel 3", "three", ("delete", "--parallel", "3", "{a}", "{b}", "{c}"),
         "^DELETE ", (r"^GET /v2/[^/]+/servers/detail", 0), False),
        ("bless-2 --parallel 2", "two", ("bless", "--parallel", "2", "{a}", "{b}"),
         r"^POST /v2/[^/]+/servers/[^/]+/action$", get, True),
        ("discard-2 --parallel 2", "two-blessed", ("discard", "--parallel", "2", "{a}", "{b}"),
         r"^POST /v2/[^/]+/servers/[^/]+/action$", get, False),
        ("delete-3 in 1,003 servers", "big", ("delete", "{a}", "{b}", "{c}"), "^DELETE ",
         (r"^GET /v2/[^/]+/servers/detail", 0), False),
    ]  # fmt: skip
    for name, setup, args, write, after, creates in plain:
        for wait in (False, True):
            extra = ("--wait",) if wait else ()
            lookup = setup not in ("none", "exported")
            found.append(
                Scenario(name, "gc", setup, args + extra, (write, 0), after, wait, creates, lookup)
            )
    launch3 = ACTION.format(id="{blessed}")
    three = ("launch", "--num-instances", "3", "{blessed}")
    found.append(
        Scenario("launch-3", "gc", "blessed", three, (launch3, 1), (launch3, 2), False, True)
    )
    found.append(
        Scenario(
            "launch-3", "gc", "blessed", three[:3] + ("--wait", "{blessed}"), (launch3, 1),
            (launch3, 2), True, True,
        )
    )  # fmt: skip
    cascade = r"^(POST /v2/[^/]+/servers/{blessed}/action|GET )"
    for wait in (False, True):
        extra = ("--wait",) if wait else ()
        found.append(
            Scenario(
                "discard --delete-launched", "gc", "family",
                ("discard", "--delete-launched", *extra, "{blessed}"), ("^DELETE ", 0),
                (cascade, 1), wait,
            )
        )  # fmt: skip
    found.append(
        Scenario(
            "export", "gc", "blessed", ("export", "{blessed}", "{out}"),
            (ACTION.format(id="{blessed}"), 0), (r"^GET /v2/[^/]+/servers/", 0),
        )
    )  # fmt: skip
    policy = r"^POST /v2/[^/]+/gcpolicy$"
    for wait in (False, True):
        extra = ("--wait",) if wait else ()
        found.append(
            Scenario(
                "install-policy", "gc", "none", ("install-policy", *extra, "{policy}"),
                (policy, 0), ("^GET ", 0), wait, lookup=False,
            )
        )  # fmt: skip
    return found


def _nova_scenarios() -> list[Scenario]:
    get = ("^GET ", 0)
    rows = [
        ("bless", "source", ("bless", "{source}"), "{source}", True),
        ("launch", "blessed", ("launch", "{blessed}"), "{blessed}", True),
        ("discard", "blessed", ("discard", "{blessed}"), "{blessed}", False),
        ("gc-migrate", "source", ("gc-migrate", "{source}"), "{source}", False),
    ]
    found = [
        Scenario(n, "nova", s, a, (ACTION.format(id=i), 0), get, creates=c)
        for n, s, a, i, c in rows
    ]
    launch3 = ACTION.format(id="{blessed}")
    found.append(
        Scenario(
            "launch-3", "nova", "blessed", ("launch", "--num-instances", "3", "{blessed}"),
            (launch3, 1), (launch3, 2), creates=True,
        )
    )  # fmt: skip
    return found


def _api_scenarios() -> list[Scenario]:
    get = ("^GET ", 0)
    rows = [
        ("bless", "source", ("bless", "{source}"), ACTION.format(id="{source}"), True),
        ("launch", "blessed", ("launch", "{blessed}"), ACTION.format(id="{blessed}"), True),
        ("discard", "blessed", ("discard", "{blessed}"), ACTION.format(id="{blessed}"), False),
        ("migrate", "source", ("migrate", "{source}"), ACTION.format(id="{source}"), False),
        ("delete", "source", ("delete", "{source}"), "^DELETE ", False),
        ("export", "blessed", ("export", "{blessed}"), ACTION.format(id="{blessed}"), False),
        ("import", "exported", ("import", "{file}"), r"^POST /v2/[^/]+/gc-import-server$", True),
        ("install-policy", "none", ("install_policy", "{policy}"), r"^POST /v2/[^/]+/gcpolicy$",
         False),
    ]  # fmt: skip
    found = [
        Scenario(n, "api", s, a, (w, 0), get, creates=c, lookup=s not in ("none", "exported"),
                 signals=False)
        for n, s, a, w, c in rows
    ]  # fmt: skip
    launch3 = ACTION.format(id="{blessed}")
    found.append(
        Scenario(
            "launch-3", "api", "blessed", ("launch3", "{blessed}"), (launch3, 1), (launch3, 2),
            creates=True, signals=False,
        )
    )  # fmt: skip
    return found


SCENARIOS = _gc_scenarios() + _nova_scenarios() + _api_scenarios()


def fault_runs() -> list[tuple[Scenario, str, str]]:
    return [
        (s, kind, placement)
        for s in SCENARIOS
        for placement in PLACEMENTS
        if placement != "lookup" or s.lookup
        for kind in ALL_KINDS
    ]


def signal_runs(seed: int, per_signal: int = 2) -> list[tuple[Scenario, int, float]]:
    """Each scenario that can be interrupted, times each signal, at ``per_signal``
    moments drawn from ``seed`` (0.1 to 1.6 s after the start, every request taking
    0.3 s: the token, the lookup, the write or the wait). A process the signal killed
    before it could tell (``nova`` starting up) is a mismatch only if a write was
    sent."""
    import random

    rng = random.Random(seed)
    return [
        (s, signum, round(rng.uniform(0.1, 1.6), 2))
        for s in SCENARIOS
        if s.signals
        for signum in SIGNALS
        for _ in range(per_signal)
    ]


# -- setup ----------------------------------------------------------------------------


def make_setup(kind: str, workdir: str) -> tuple[str, dict[str, str]]:
    """A state file with what a scenario needs, and the IDs (``key``) and names
    (``key_name``) to put in its arguments."""
    state = os.path.join(workdir, f"{kind}.db")
    ids: dict[str, str] = {}
    if kind == "big":  # 1,003 servers: the three deleted are on the listing's page two
        demo = USERS["demo"]
        made = seed_servers(state, demo.project.id, demo.id, plain=1003)
        for key, server_id in zip("abc", made["plain"][:3], strict=True):
            ids[key] = server_id
    sim = Simulator(era="cobalt", build_time=0.02, state=state).start()
    try:
        if kind == "big":
            views = {s["id"]: s for s in sim.request("GET", "/servers/detail")[1]["servers"]}  # type: ignore[index]
            for key in "abc":
                ids[f"{key}_name"] = views.get(ids[key], {}).get("name", ids[key])
        if kind in ("source", "blessed", "family", "exported"):
            source = sim.boot(f"mx-{kind}")
            ids["source"], ids["source_name"] = source["id"], source["name"]
        if kind in ("blessed", "family", "exported"):
            _, body = sim.action(ids["source"], {"gc_bless": {}})
            blessed = sim.wait_status(body[0]["id"], "BLESSED")  # type: ignore[index]
            ids["blessed"], ids["blessed_name"] = blessed["id"], blessed["name"]
        if kind == "family":
            for _ in range(2):
                _, body = sim.action(ids["blessed"], {"gc_launch": {}})
                sim.wait_status(body[0]["id"], "ACTIVE")  # type: ignore[index]
        if kind in ("three", "two", "two-blessed"):
            for key in "abc"[: 2 if kind.startswith("two") else 3]:
                view = sim.boot(f"mx-{kind}-{key}")
                if kind == "two-blessed":
                    _, body = sim.action(view["id"], {"gc_bless": {}})
                    view = sim.wait_status(body[0]["id"], "BLESSED")  # type: ignore[index]
                ids[key], ids[f"{key}_name"] = view["id"], view["name"]
        if kind == "exported":
            _, data = sim.action(ids["blessed"], {"gc_export": {}})
            ids["file"] = os.path.join(workdir, "export.json")
            with open(ids["file"], "w") as handle:
                json.dump(data, handle)
    finally:
        sim.stop()
    ids["policy"] = os.path.join(workdir, "policy.ini")
    with open(ids["policy"], "w") as handle:
        handle.write(POLICY)
    return state, ids


def servers_of(state: str) -> dict[str, dict[str, Any]]:
    """The servers of a stopped simulator's state file, read directly (no simulator
    to start: the matrix makes over a thousand runs)."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(state)) as db:
        return {row[0]: {"id": row[0]} for row in db.execute("SELECT id FROM servers")}


def make_setups(workdir: str, scenarios: list[Scenario] | None = None) -> dict[str, Any]:
    """The prepared states of ``scenarios`` (all by default): a sample makes only its own."""
    kinds = {s.setup for s in (SCENARIOS if scenarios is None else scenarios)}
    found: dict[str, Any] = {k: make_setup(k, workdir) for k in sorted(kinds)}
    found["before"] = {kind: servers_of(state) for kind, (state, _) in list(found.items())}
    return found


# -- one run --------------------------------------------------------------------------


def command(scenario: Scenario, args: list[str]) -> list[str]:
    if scenario.frontend == "gc":
        return [GC, *args]
    if scenario.frontend == "nova":
        return [NOVA, *args]
    return [sys.executable, "-m", "tests.functional.frontends.api_runner", *args]


def environment(sim: Simulator, scenario: Scenario) -> dict[str, str]:
    """The front-end's environment; this checkout on the path of the API runner only,
    so that gc and nova run the gcclient they were installed with (GC_UNDER_TEST_BIN)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(sim.env, GC_NO_TOKEN_CACHE="1")
    if scenario.frontend not in ("gc", "nova"):
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
        env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    return env


@dataclass
class Outcome:
    """What one run said and what the simulator did."""

    code: int
    out: str
    err: str
    journal: list[dict[str, Any]]
    before: dict[str, Any]
    after: dict[str, Any]
    hang: bool = False
    signum: int | None = None
    facts: dict[str, Any] = field(default_factory=dict)


def run(
    scenario: Scenario,
    setups: dict[str, Any],
    *,
    kind: str | None = None,
    placement: str = "write",
    signum: int | None = None,
    delay: float = 0.0,
) -> Outcome:
    """One run from a copy of the scenario's prepared state."""
    base_state, ids = setups[scenario.setup]
    workdir = tempfile.mkdtemp(prefix="gc-matrix-")
    state = os.path.join(workdir, "state.db")
    shutil.copy(base_state, state)
    values = dict(ids, out=os.path.join(workdir, "export-out.json"))
    if placement == "lookup":  # the arguments by name: each costs one filtered query
        values.update({k[: -len("_name")]: v for k, v in ids.items() if k.endswith("_name")})
    args = [a.format(**values) for a in scenario.args]
    extra: list[str] = []
    if kind is not None:
        if placement in ("write", "after"):
            match, skip = scenario.write if placement == "write" else scenario.after
            match = match.format(**ids)
        else:
            match, skip = (TOKEN if placement == "token" else LOOKUP), 0
        extra = ["--fault-rate", "1", "--fault-kinds", kind, "--fault-match", match]
        extra += ["--fault-skip", str(skip), "--slow-seconds", "1"]
        if placement != "after":
            extra += ["--fault-limit", "1"]
    latency = 300 if signum is not None else 0
    sim = Simulator(
        era="cobalt", build_time=0.02, state=state, extra_args=extra, latency_ms=latency
    ).start()
    hang = False
    try:
        proc = subprocess.Popen(
            command(scenario, args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL, text=True, env=environment(sim, scenario),
        )  # fmt: skip
        if signum is not None:
            time.sleep(delay)
            if proc.poll() is None:
                proc.send_signal(signum)
        try:
            out, err = proc.communicate(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            hang = True
        code = proc.returncode
        time.sleep(0.4 if signum is not None else 0)  # a late request reaches the journal
        journal = sim.journal()
    finally:
        sim.cleanup()
    after = servers_of(state)
    shutil.rmtree(workdir, ignore_errors=True)
    return Outcome(code, out, err, journal, setups["before"][scenario.setup], after, hang, signum)


# The classifier, here too: the matrix's test reads both through this module.
from tests.functional.frontends.matrixjudge import carried_out, judge, told, writes  # noqa: E402

__all__ = ["SCENARIOS", "Outcome", "Scenario", "carried_out", "judge", "run", "told", "writes"]
