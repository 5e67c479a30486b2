"""Randomised differential test: gc-simulator's three eras against a table of historical answers.

Each sequence boots a server R, blesses it into a live image L, then sends random requests:
actions with every value type in every launch field, bless names, migrate destinations,
malformed bodies, other content types, unknown action keys, unknown IDs for every action,
DELETE, metadata and import bodies. The expected answer of each request comes from the tables
below, written from the historical source (S6 = cobalt 9989f67 on nova 2014.1, S4 =
stable/folsom c0ceb7a on nova 2012.2, S1 = the seed c80fb8f on nova 2012.1; file:line beside
each table) and a small model of what the sequence created. Values whose historical answer the
simulator does not model (see docs/simulator.rst) are not drawn.

Default run: a fixed seed, a few sequences. ``GC_HEAVY=1``: 300 sequences x 20 steps per era
(``GC_DIFF_SEQUENCES`` / ``GC_DIFF_STEPS`` / ``GC_DIFF_SEED`` change them); the figures are
printed.
"""

from __future__ import annotations

import json
import os
import random
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from gcclient.simulator.fixtures import NETWORK_ID
from gcclient.simulator.identity import USERS
from gcclient.simulator.testing import Simulator

HEAVY = os.environ.get("GC_HEAVY", "") not in ("", "0")
SEQUENCES = int(os.environ.get("GC_DIFF_SEQUENCES", "300" if HEAVY else "10"))
STEPS = int(os.environ.get("GC_DIFF_STEPS", "20"))
SEED = int(os.environ.get("GC_DIFF_SEED", "24"))

HTML = "text/html; charset=UTF-8"
JSON = "application/json"
FIXED_500 = "The server has either erred or is incapable of performing the requested operation."
GENERIC_400 = (
    "The server could not comply with the request since it is either malformed or otherwise "
    "incorrect."
)
HOSTS = ["compute-1", "compute-2", "compute-3"]
OTHER_NETWORK = "5d7b1b44-2c8e-4f0b-9a55-0000000000aa"
UNKNOWN_PORT = "5d7b1b44-2c8e-4f0b-9a55-0000000000bb"
PROJECT = USERS["demo"].project.id
USER = USERS["demo"].id

# ---- answers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    status: int
    message: str


@dataclass(frozen=True)
class Ok:
    kind: str  # views, list, empty, null, export, policy, import, deleted
    name: str | None = None  # the expected name of the created server (views)
    count: int = 1  # servers created by a launch


def fault(status: int, message: str) -> Fault:
    return Fault(status, FIXED_500 if status == 500 else message)


CRASH = Fault(500, FIXED_500)
GENERIC = Fault(400, GENERIC_400)
UNAUTH_401 = Fault(401, "Invalid destination")  # S1 ext:80-83, a bare webob 401
NOT_FOUND = "The resource could not be found."
MALFORMED = "Malformed request body"
BAD_PORT = "Bad port format: port uuid is not in proper format"
BAD_NET = "Bad networks format: network uuid is not in proper format"
NO_PARSE = "Unable to parse availability_zone"
ONLY_LAUNCHED = "Only launched instances support policies."
NO_FLAVOR = "Flavor could not be found"
NO_SG = "Security group could not be found"


@dataclass
class World:
    """What one sequence created, as the historical server would hold it."""

    era: str
    r: str | None = None  # a regular, active server
    clone_num: int = 0
    live: str | None = None  # L, a live image of R
    blessed: set[str] = field(default_factory=set)  # live images of R, L included
    children: set[str] = field(default_factory=set)  # servers launched from L
    names: dict[str, str] = field(default_factory=dict)
    hosts: dict[str, str | None] = field(default_factory=dict)  # where R and L run

    def known(self) -> set[str]:
        return {s for s in (self.r, self.live) if s} | self.blessed | self.children

    @property
    def cobalt(self) -> bool:
        return self.era == "cobalt"

    @property
    def essex(self) -> bool:
        return self.era == "essex"

    def state(self, message: str) -> Fault:
        """An extension error: the fixed 500 in the seed (S1 has no convert_exception), else
        400 (S6 ext:37-43, S4 ext:37-43)."""
        return CRASH if self.essex else fault(400, message)

    def not_found(self, sid: str) -> Fault:
        return self.state(f"Instance {sid} could not be found.")


# ---- launch: one table per field, (stage, answer) ------------------------------------------
# S6 order: ext:128-131 networks format (0), api:471 lookup (1), 472-476 live image (2),
# 479-482 security groups (3), 484-485 num_instances (4), 499-502 networks (5), 504 quota (6),
# 510-513 -> nova 2014.1 compute/api.py:505-537 zone (7) and forced_host policy (8), copy:
# 203-208 key (9), 228 sanitize_hostname(name) (10), Instance fields (11), 545 scheduler:
# filter_scheduler.py:264-265 hints (12), no host (13). S4: lookup 360 (1), live 361-365 (2),
# params.pop 368 (2.5), groups 368-371 (3), num 375-382 (4), quota 383 (6), copy: key 162-167
# (9), name 183 (10), zone 407-412 and 272-281 (11), no host 419 (13).

OK = None


def sg_cases(w: World) -> list[tuple[Any, Any]]:
    ghost = f"Security group ghost not found for project {PROJECT}."
    chars = lambda c: (3, fault(400, f"Security group {c} not found for project {PROJECT}."))  # noqa: E731
    cases: list[tuple[Any, Any]] = [
        (None, OK),
        ([], OK),
        (["web"], OK),
        (["default", "web"], OK),
        (["ghost"], (3, fault(400, ghost))),
        ("web", chars("w")),  # a string is iterated
        ("default", chars("d")),
        ([5], chars("5")),
        ([None], chars("None")),
        ([True], chars("True")),
        ({"web": 1}, OK),  # an object gives its keys
        ({"ghost": 1}, (3, fault(400, ghost))),
        ([["web"]], (3, CRASH)),  # a list in the name query
        (5, (3, GENERIC)),  # len(5) / for x in 5
        (1.5, (3, GENERIC)),
        (True, (3, GENERIC)),
    ]
    if w.cobalt:  # len("") == 0: the default group; len(0): TypeError
        cases += [("", OK), ({}, OK), (0, (3, GENERIC))]
    else:  # S4 iterates: "" and {} give no group; 0 cannot be iterated
        cases += [("", OK), ({}, OK), (0, (3, GENERIC))]
    return cases


def num_cases(w: World) -> list[tuple[Any, Any]]:
    small = (4, w.state("num_instances must be at least 1"))
    nonint = (4, w.state("num_instances must be an integer"))
    return [
        (1, OK),
        (2, OK),
        (True, OK),
        (0, small),
        (-1, small),
        (False, small),
        (None, nonint),
        ("2", nonint),
        (1.0, nonint),
        ([1], nonint),
        ({}, nonint),
    ]


def network_cases(w: World) -> list[tuple[Any, Any]]:
    """nova 2014.1 servers.py:668-727 (neutron) and neutronv2/api.py:589-658; S6 api.py:450-454."""
    other, port = OTHER_NETWORK, UNKNOWN_PORT
    count = (
        "All networks need to be specified for the new instance. Expected 1 but only {} specified."
    )
    return [
        ([{"uuid": NETWORK_ID}], OK),
        ([{"uuid": NETWORK_ID, "fixed_ip": "10.0.0.77"}], OK),
        ([], (5, fault(400, count.format(0)))),
        ("", (5, fault(400, count.format(0)))),
        ({}, (5, fault(400, count.format(0)))),
        (
            [{"uuid": NETWORK_ID}, {"uuid": NETWORK_ID}],
            (5, fault(400, f"Network {NETWORK_ID} is duplicated.")),
        ),
        ([{"uuid": other}], (5, fault(400, f"Network {other} could not be found."))),
        ([{"port": port}], (5, fault(400, f"Port id {port} could not be found."))),
        (None, (5, GENERIC)),  # len(None) in S6 api.py:450
        ([{"fixed_ip": "x"}], (0, fault(400, "Bad network format: missing 'uuid'"))),
        (
            [{"port": "x"}],
            (0, fault(400, "Bad port format: port uuid is not in proper format (x)")),
        ),
        ([{"port": 5}], (0, fault(400, f"{BAD_PORT} (5)"))),
        (
            [{"uuid": "net-1"}],
            (0, fault(400, "Bad networks format: network uuid is not in proper format (net-1)")),
        ),
        ([{"uuid": NETWORK_ID, "fixed_ip": "x"}], (0, fault(400, "Invalid fixed IP address (x)"))),
        ([{"uuid": NETWORK_ID, "fixed_ip": 5}], (0, fault(400, "Invalid fixed IP address (5)"))),
        ([{"uuid": 5}], (0, CRASH)),  # 5.split
        (["x"], (0, CRASH)),  # "x".get
        ("ab", (0, CRASH)),
        ({"uuid": NETWORK_ID}, (0, CRASH)),  # iterates the keys: "uuid".get
        (5, (0, GENERIC)),  # the for is outside the try
        (True, (0, GENERIC)),
    ]


def zone_cases(w: World) -> list[tuple[Any, Any]]:
    if w.cobalt:
        policy = (8, fault(400, "Policy doesn't allow compute:create:forced_host to be performed."))
        nowhere = (13, fault(400, "No valid host was found. "))
        return [
            (None, OK), ("", OK), (0, OK), (False, OK), ([], OK), ({}, OK), ("nova", OK),
            ("nova:", OK), ("nova::", OK),
            ("elsewhere", nowhere),
            ("nova:compute-1", policy), ("nova::node", policy), (":compute-2", policy),
            ("nova:compute-1:node", policy),
            ("a:b:c:d", (7, fault(400, f"Invalid input received: {NO_PARSE}"))),
            (5, (7, GENERIC)), (True, (7, GENERIC)), (1.5, (7, GENERIC)),
            ([":"], (7, CRASH)), (["x"], (11, CRASH)), ({"x": 1}, (11, CRASH)),
        ]  # fmt: skip
    nohosts = (13, fault(400, "No hosts found"))  # S4 api.py:419
    return [
        (None, OK), ("nova", OK), ("nova:compute-1", OK),
        ("", nohosts), ("elsewhere", nohosts), ("nova:compute-9", nohosts),
        ("elsewhere:compute-1", nohosts), ([], nohosts), (["x"], nohosts),
        ("a:b:c", (11, fault(400, "Invalid availability zone"))),
        (5, (11, GENERIC)), (0, (11, GENERIC)), (False, (11, GENERIC)),
        ([":"], (11, CRASH)),
    ]  # fmt: skip


def key_cases(w: World) -> list[tuple[Any, Any]]:
    missing = lambda k: (9, fault(400, f"Keypair {k} not found for user {USER}"))  # noqa: E731
    return [
        (None, OK), ("mykey", OK), ("nokey", missing("nokey")), ("", missing("")),
        (5, missing("5")), (True, missing("True")), (["mykey"], (9, CRASH)),
    ]  # fmt: skip


def name_cases(w: World) -> list[tuple[Any, Any]]:
    return [
        ("clone-x", OK), ("a b_c", OK), ("n" * 300, OK), ("é\u00e9", OK),
        (None, (10, GENERIC)), (5, (10, GENERIC)), (True, (10, GENERIC)), (["n"], (10, GENERIC)),
        ({}, (10, GENERIC)),
    ]  # fmt: skip


def user_data_cases(w: World) -> list[tuple[Any, Any]]:
    cases: list[tuple[Any, Any]] = [(None, OK), ("aGk=", OK), ("", OK), (5, OK), (0, OK), ([], OK)]
    if w.cobalt:  # a string field of nova 2014.1's Instance object
        cases += [(["x"], (11, CRASH)), ({"a": "b"}, (11, CRASH))]
    return cases


def hint_cases(w: World) -> list[tuple[Any, Any]]:
    crash = (12, CRASH)
    return [
        ({}, OK), (None, OK), ("", OK), ([], OK), (0, OK), ({"a": "b"}, OK),
        ({"a": ["b", "c"]}, OK),
        ("x", crash), (5, crash), (True, crash), (["a"], crash),
    ]  # fmt: skip


ANY = [("0", OK), ("512MB", OK), (5, OK), (None, OK), ({"k": "v"}, OK), ([1], OK), ("junk", OK)]
LAUNCH_FIELDS: dict[str, Callable[[World], list[tuple[Any, Any]]]] = {
    "security_groups": sg_cases,
    "num_instances": num_cases,
    "availability_zone": zone_cases,
    "key_name": key_cases,
    "name": name_cases,
    "user_data": user_data_cases,
    "target": lambda w: ANY,
    "guest": lambda w: ANY,
    "unknown_key": lambda w: ANY,
}
COBALT_FIELDS = {"networks": network_cases, "scheduler_hints": hint_cases}


def expect_launch(w: World, sid: str, value: Any) -> Any:
    """The answer to ``{"gc_launch": value}`` on ``sid``."""
    if w.cobalt and not isinstance(value, dict):
        return CRASH  # ext:123-128
    problems: list[tuple[float, Any]] = []
    if w.cobalt:
        stage0 = _field(w, value, "networks", stages=(0,))
        if stage0:
            return stage0
    if sid not in w.known():
        return w.not_found(sid)
    if sid not in w.blessed:
        if w.essex:
            return CRASH
        return fault(
            400,
            f"Instance {sid} is not a live image. Please create a live image to launch from it.",
        )
    if not isinstance(value, dict):
        if w.essex:
            return CRASH  # a deliberate difference (docs): S1 passed it on
        return GENERIC if isinstance(value, list) else CRASH  # S4 api.py:368 params.pop
    if w.essex:  # S1 api.py:243-268 reads nothing of the parameters
        return Ok("views", f"{_name_of(w, sid)}-clone", 1)
    tables = {**LAUNCH_FIELDS, **(COBALT_FIELDS if w.cobalt else {})}
    for key, table in tables.items():
        if key in value:
            answer = dict((json.dumps(v), a) for v, a in table(w)).get(json.dumps(value[key]))
            if answer is not None:
                problems.append(answer)
    if problems:
        return min(problems, key=lambda p: p[0])[1]
    count = value.get("num_instances", 1)
    name = value.get("name", f"{_name_of(w, sid)}-clone")
    return Ok("views", name[:255], int(count))


def _field(w: World, value: dict, key: str, stages: tuple[int, ...]) -> Any:
    if key not in value:
        return None
    table = {**LAUNCH_FIELDS, **COBALT_FIELDS}[key]
    answer = dict((json.dumps(v), a) for v, a in table(w)).get(json.dumps(value[key]))
    return answer[1] if answer is not None and answer[0] in stages else None


def _name_of(w: World, sid: str) -> str:
    return w.names[sid]


def draw_launch(w: World, rng: random.Random) -> dict[str, Any]:
    tables = {**LAUNCH_FIELDS, **(COBALT_FIELDS if w.cobalt else {})}
    params: dict[str, Any] = {}
    for key in rng.sample(sorted(tables), rng.randint(0, 3)):
        value, _ = rng.choice(tables[key](w))
        params[key] = value
    if rng.random() < 0.5:  # mostly one clone, mostly valid
        params = {k: v for k, v in params.items() if k != "num_instances"}
    return params


# ---- the other requests --------------------------------------------------------------------


@dataclass
class Step:
    what: str
    method: str
    path: str
    expect: Any  # Fault or Ok
    data: bytes | None = None
    content_type: str | None = JSON
    after: Callable[[Simulator, World, Any], None] | None = None  # run on the expected answer


def body(value: Any) -> bytes:
    return json.dumps(value).encode()


def act(sid: str, key: str, value: Any, expect: Any, after: Any = None) -> Step:
    return Step(f"{key} {json.dumps(value)[:80]} on {sid[:8]}", "POST", f"/servers/{sid}/action",
                expect, body({key: value}), after=after)  # fmt: skip


def key_of(w: World, rng: random.Random, action: str) -> str:
    return f"co_{action}" if w.cobalt and rng.random() < 0.3 else f"gc_{action}"


def target(w: World, rng: random.Random, *kinds: str) -> str:
    pool = {
        "r": [w.r] if w.r else [],
        "live": [w.live] if w.live else [],
        "other": sorted(w.blessed - {w.live}),
        "child": sorted(w.children),
        "unknown": [str(uuid.uuid4())],
    }
    choices = [sid for kind in kinds for sid in pool[kind]]
    return rng.choice(choices or pool["unknown"])


def launch_step(w: World, rng: random.Random) -> Step:
    sid = target(w, rng, "live", "live", "live", "r", "child", "unknown")
    value: Any = draw_launch(w, rng)
    if rng.random() < 0.15:
        value = rng.choice([None, "x", [], [1], 5, True])
    expect = expect_launch(w, sid, value)

    def after(sim: Simulator, w: World, data: Any) -> None:
        if isinstance(expect, Ok) and sid == w.live:
            _, launched = sim.action(sid, {"gc_list_launched": None})
            assert isinstance(launched, list)
            new = {s["id"] for s in launched} - w.children
            assert len(new) == expect.count, f"launched {len(new)}, not {expect.count}"
            w.children |= new

    return act(sid, key_of(w, rng, "launch"), value, expect, after)


BLESS_VALUES = [None, {}, {"name": None}, {"name": "img"}, {"name": "b" * 300}, {"name": 5},
                {"name": True}, {"name": ["x"]}, {"other": 1}, "x", [], 5, True, 0, ""]  # fmt: skip


def bless_step(w: World, rng: random.Random) -> Step:
    sid = target(w, rng, "r", "r", "live", "unknown")
    value = rng.choice(BLESS_VALUES)
    expect: Any
    counted = False
    if sid not in w.known():
        expect = w.not_found(sid)
    elif sid != w.r:
        expect = w.state(f"Instance {sid} is already a live image.")
    elif w.essex or value is None:  # S1 ignores the body; S6 api.py:360-361
        expect, counted = Ok("views", f"{w.names[sid]}-{w.clone_num}"), True
    elif not isinstance(value, dict):
        expect, counted = CRASH, True  # params.get after the clone number (S6 api.py:378-379)
    elif value.get("name") is None:
        expect, counted = Ok("views", f"{w.names[sid]}-{w.clone_num}"), True
    elif isinstance(value["name"], str):
        expect, counted = Ok("views", value["name"][:255]), True
    else:
        expect, counted = GENERIC, True  # sanitize_hostname (S6 api.py:228)

    def after(sim: Simulator, w: World, data: Any) -> None:
        if counted:
            w.clone_num += 1
        if isinstance(expect, Ok):
            new = data[0]["id"]
            w.blessed.add(new)
            w.names[new] = data[0]["name"]
            sim.wait_status(new, "BLESSED")

    return act(sid, key_of(w, rng, "bless"), value, expect, after)


DESTS = [("compute-9", "compute-9"), ("", ""), (5, "5"), (True, "True"), (1.5, "1.5"),
         (["x"], "[u'x']")]  # fmt: skip


def migrate_step(w: World, rng: random.Random) -> Step:
    sid = target(w, rng, "r", "r", "r", "live", "unknown")
    roll = rng.random()
    if roll < 0.15:
        value: Any = rng.choice([None, "x", [], 5])
    elif roll < 0.3:
        value = rng.choice([{}, {"dest": None}, {"other": 1}])
    elif roll < 0.65:
        value = {"dest": rng.choice(HOSTS)}
    else:
        value = {"dest": rng.choice(DESTS)[0]}
    service = "cobalt" if w.cobalt else "gridcentric"
    dest = value.get("dest") if isinstance(value, dict) else None
    shown = dict((json.dumps(d), t) for d, t in DESTS).get(json.dumps(dest), str(dest))
    expect: Any
    if w.essex:  # S1 ext:80-83, api.py:270-284
        if not isinstance(value, dict) or "dest" not in value:
            expect = UNAUTH_401
        elif sid not in w.known() or dest not in HOSTS or dest == w.hosts.get(sid):
            expect = CRASH
        else:
            expect = Ok("empty")
    elif not isinstance(value, dict):
        expect = CRASH  # S6 ext:148-149, S4 ext:126
    elif sid not in w.known():
        expect = w.not_found(sid)
    elif sid != w.r:
        expect = fault(400, f"Unable to migrate instance {sid} because it is not active")
    elif dest is None:
        expect = Ok("empty")
    elif dest not in HOSTS:
        expect = fault(
            400, f"Cannot migrate to host {shown} because it is not running the {service} service."
        )
    elif dest == w.hosts.get(sid):
        expect = fault(400, "Unable to migrate to the same host.")
    else:
        expect = Ok("empty")

    def after(sim: Simulator, w: World, data: Any) -> None:
        if isinstance(expect, Ok):
            settle(sim, sid, "ACTIVE" if sid == w.r else "BLESSED")
            w.hosts[sid] = host_of(sim, sid)

    return act(sid, key_of(w, rng, "migrate"), value, expect, after)


def discard_step(w: World, rng: random.Random) -> Step:
    sid = target(w, rng, "live", "live", "other", "r", "child", "unknown")
    expect: Any
    if sid not in w.known():
        expect = w.not_found(sid)
    elif sid not in w.blessed:
        expect = w.state(f"Instance {sid} is not a live image. Cannot discard a regular instance.")
    elif sid == w.live and w.children:
        expect = w.state(
            f"Instance {sid} still has launched instances. "
            "Cannot discard an instance with remaining launched ones."
        )
    else:
        expect = Ok("null")

    def after(sim: Simulator, w: World, data: Any) -> None:
        if isinstance(expect, Ok):
            sim.wait_gone(sid)
            forget(w, sid)

    value = rng.choice([None, {}, "x", 5])
    return act(sid, key_of(w, rng, "discard"), value, expect, after)


def list_step(w: World, rng: random.Random) -> Step:
    kind = rng.choice(["launched", "blessed"])
    sid = target(w, rng, "r", "live", "other", "child", "unknown")
    expect: Any
    if sid not in w.known():
        expect = Ok("list", count=0) if w.essex else w.not_found(sid)  # S1 api.py:286-300
    elif kind == "launched":
        expect = Ok("list", name=",".join(sorted(w.children if sid == w.live else [])))
    else:
        expect = Ok("list", name=",".join(sorted(w.blessed if sid == w.r else [])))
    return act(sid, key_of(w, rng, f"list_{kind}"), rng.choice([None, {}]), expect)


def export_step(w: World, rng: random.Random) -> Step:
    sid = target(w, rng, "live", "other", "r", "child", "unknown")
    key = key_of(w, rng, "export")
    if w.essex:
        return act(sid, key, None, fault(400, f"There is no such action: {key}"))
    if sid not in w.known():
        return act(sid, key, None, w.not_found(sid))
    if sid not in w.blessed:  # S6 api.py:686-690
        message = f"Instance {sid} is not a live image. Only live images can be exported."
        return act(sid, key, None, fault(400, message))
    return act(sid, key, None, Ok("export"))


def policy_step(w: World, rng: random.Random) -> Step:
    sid = target(w, rng, "child", "r", "live", "unknown")
    if not w.cobalt:
        return act(sid, "co_get_policy", None, fault(400, "There is no such action: co_get_policy"))
    if sid not in w.known():
        return act(sid, "co_get_policy", None, w.not_found(sid))
    if sid not in w.children:  # S6 api.py:799-805
        message = f"Instance {sid} is not a launched instance. {ONLY_LAUNCHED}"
        return act(sid, "co_get_policy", None, fault(400, message))
    return act(sid, "co_get_policy", None, Ok("policy"))


def unknown_key_step(w: World, rng: random.Random) -> Step:
    keys = ["gc_frob", "gc_get_policy", "launch", "gc_bless "]
    if not w.cobalt:
        keys += ["co_bless", "co_launch", "co_get_policy"]
    key = rng.choice(keys)
    sid = target(w, rng, "r", "unknown")
    return act(sid, key, None, fault(400, f"There is no such action: {key}"))


CONTENT_TYPES = [
    ("application/json", b'{"gc_list_blessed": null}', "list"),
    ("application/json; charset=UTF-8", b'{"gc_list_blessed": null}', "list"),
    ("application/vnd.openstack.compute+json", b'{"gc_list_blessed": null}', "list"),
    ("application/xml", b"<gc_list_blessed/>", "list"),
    ("application/xml", b'{"gc_list_blessed": null}', "Malformed request body"),
    ("application/xml", b"<gc_list_blessed>", "Malformed request body"),
    ("application/xml", b"<gc_frob/>", "There is no such action: gc_frob"),
    ("text/plain", b'{"gc_list_blessed": null}', "There is no such action: None"),
    ("application/x-www-form-urlencoded", b"gc_list_blessed=1", "There is no such action: None"),
    ("text/html", b'{"gc_list_blessed": null}', "There is no such action: None"),
    ("application/atom+xml", b'{"gc_list_blessed": null}', "There is no such action: None"),
    ("Application/JSON", b'{"gc_list_blessed": null}', "There is no such action: None"),
    ("", b'{"gc_list_blessed": null}', "There is no such action: None"),
]
BODIES = [  # nova 2014.1 wsgi.py:638-653 and 919-934
    (b"", MALFORMED), (b"{", MALFORMED), (b"[]", MALFORMED), (b"[1, 2]", MALFORMED),
    (b'"xy"', MALFORMED), (b"{}", MALFORMED),
    (b'{"gc_list_blessed": null, "gc_discard": null}', MALFORMED),
    (b"null", 404), (b"[1]", 404), (b'"x"', 404), (b"5", 404), (b"true", 404),
]  # fmt: skip


def wire_step(w: World, rng: random.Random) -> Step:
    sid = w.r or str(uuid.uuid4())
    listed = Ok("list", name=",".join(sorted(w.blessed))) if w.r else w.not_found(sid)
    if w.essex and not w.r:
        listed = Ok("list", count=0)
    if rng.random() < 0.5:
        ctype, data, outcome = rng.choice(CONTENT_TYPES)
        expect = listed if outcome == "list" else fault(400, outcome)
        return Step(f"{ctype or 'empty type'}: {data[:40]!r}", "POST", f"/servers/{sid}/action",
                    expect, data, ctype)  # fmt: skip
    data, outcome = rng.choice(BODIES)
    expect = fault(404, NOT_FOUND) if outcome == 404 else fault(400, str(outcome))
    return Step(f"body {data[:40]!r}", "POST", f"/servers/{sid}/action", expect, data)


def delete_step(w: World, rng: random.Random) -> Step:
    sid = target(w, rng, "child", "child", "r", "live", "other", "unknown")
    expect: Any
    if sid not in w.known():
        expect = fault(404, "Instance could not be found" if w.cobalt else NOT_FOUND)
    elif sid in w.blessed and w.cobalt:
        expect = fault(400, f"Cannot delete a live image {sid}. Please discard it instead.")
    elif sid in w.blessed and not w.essex:
        expect = fault(400, "Cannot delete a live image. Please discard it instead.")
    else:
        expect = Ok("deleted")

    def after(sim: Simulator, w: World, data: Any) -> None:
        if isinstance(expect, Ok):
            sim.wait_gone(sid)
            forget(w, sid)

    return Step(f"DELETE {sid[:8]}", "DELETE", f"/servers/{sid}", expect, None, None, after)


def metadata_step(w: World, rng: random.Random) -> Step:
    sid = target(w, rng, "r", "unknown")
    if sid not in w.known():
        return Step(
            "metadata", "GET", f"/servers/{sid}/metadata", fault(404, "Server does not exist")
        )
    clone = {"last_clone_num": str(w.clone_num - 1)} if w.clone_num else {}
    return Step("metadata", "GET", f"/servers/{sid}/metadata", Ok("metadata", json.dumps(clone)))


def import_step(w: World, rng: random.Random) -> Step:
    """S6 api.py:734-771, S4 api.py:558-608."""
    full: dict[str, Any] = {"fields": {"display_name": "imp"}, "flavor_name": "m1.tiny",
                            "metadata": {}, "export_image_id": "x"}  # fmt: skip
    full["system_metadata" if w.cobalt else "security_group_names"] = {} if w.cobalt else ["web"]
    cases: list[tuple[Any, Any]] = [
        ({"data": {}}, CRASH), ({"data": {"fields": {}}}, CRASH), ({}, GENERIC),
        ({"data": None}, GENERIC), ({"data": "x"}, GENERIC), ({"data": [1]}, GENERIC),
        ({"data": {**full, "fields": []}}, GENERIC), ([], CRASH), (None, CRASH),
        ({"data": full}, Ok("import")),
        ({"data": {k: v for k, v in full.items() if k != "metadata"}}, CRASH),
        ({"data": {k: v for k, v in full.items() if k != "export_image_id"}}, CRASH),
        ({"data": {**full, "metadata": []}}, CRASH),
    ]  # fmt: skip
    if w.cobalt:
        cases += [
            ({"data": {**full, "flavor_name": "nope"}}, Ok("import")),
            ({"data": {k: v for k, v in full.items() if k != "system_metadata"}}, CRASH),
        ]
    else:
        cases += [
            ({"data": {**full, "flavor_name": "nope"}}, fault(400, f"{NO_FLAVOR}: nope")),
            ({"data": {**full, "security_group_names": ["ghost"]}}, fault(400, f"{NO_SG}: ghost")),
            ({"data": {**full, "security_group_names": "web"}}, fault(400, f"{NO_SG}: w")),
            ({"data": {**full, "security_group_names": 5}}, GENERIC),
            ({"data": {k: v for k, v in full.items() if k != "security_group_names"}}, CRASH),
        ]  # fmt: skip
    value, expect = rng.choice(cases)
    return Step(
        f"import {json.dumps(value)[:80]}", "POST", "/gc-import-server", expect, body(value)
    )


def forget(w: World, sid: str) -> None:
    if sid == w.r:
        w.r = None
    if sid == w.live:
        w.live = None
    w.blessed.discard(sid)
    w.children.discard(sid)


def settle(sim: Simulator, sid: str, status: str) -> None:
    sim.wait_status(sid, status)


def host_of(sim: Simulator, sid: str) -> str:
    server = sim.get(sid, user="admin")
    assert server is not None
    return server["OS-EXT-SRV-ATTR:host"]


STEP_KINDS: list[tuple[Callable[[World, random.Random], Step], int]] = [
    (launch_step, 8), (bless_step, 3), (migrate_step, 3), (discard_step, 2), (list_step, 2),
    (export_step, 1), (policy_step, 1), (unknown_key_step, 1), (wire_step, 3), (delete_step, 2),
    (metadata_step, 1),
]  # fmt: skip


# ---- running and comparing -----------------------------------------------------------------

FAULT_NAMES = {400: "badRequest", 404: "itemNotFound", 500: "computeFault"}


def difference(expect: Any, status: int, ctype: str, raw: bytes) -> str | None:
    """None when the answer is the expected one, else what differs."""
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        data = raw.decode(errors="replace")
    if isinstance(expect, Fault):
        if expect.status == 401:
            want: Any = (401, HTML, "Invalid destination")
        else:
            envelope = {
                FAULT_NAMES[expect.status]: {"code": expect.status, "message": expect.message}
            }
            want = (expect.status, JSON, envelope)
        got: Any = (status, ctype, data)
        return None if got == want else f"got {got!r}, expected {want!r}"
    kind = expect.kind
    wanted_type = {"export": JSON, "import": JSON, "metadata": JSON, "deleted": None}.get(
        kind, HTML
    )
    if status != (204 if kind == "deleted" else 200) or (wanted_type and ctype != wanted_type):
        return f"got {status} {ctype} {str(data)[:300]}, expected {kind}"
    if kind == "views":
        ok = isinstance(data, list) and len(data) == 1 and data[0]["name"] == expect.name
        return None if ok else f"got {str(data)[:300]}, expected one view named {expect.name!r}"
    if kind == "list":
        ids = set(expect.name.split(",")) if expect.name else set()
        ok = isinstance(data, list) and {s["id"] for s in data} == ids
        return None if ok else f"got {str(data)[:300]}, expected the servers {sorted(ids)}"
    checks = {
        "empty": raw == b"",
        "null": raw == b"null",
        "deleted": raw == b"",
        "policy": isinstance(data, list),
        "export": isinstance(data, dict)
        and {"fields", "metadata", "flavor_name", "export_image_id"} <= set(data),
        "import": isinstance(data, dict) and set(data.get("server", {})) == {"id", "links"},
        "metadata": data == {"metadata": json.loads(expect.name or "{}")},
    }
    return None if checks[kind] else f"got {str(data)[:300]}, expected {kind} {expect.name or ''}"


def setup(sim: Simulator, era: str, seq: int) -> World:
    w = World(era)
    name = f"r{seq}"
    source = sim.boot(name)
    w.r, w.names[source["id"]] = source["id"], name
    w.hosts[source["id"]] = host_of(sim, source["id"])
    status, data = sim.action(source["id"], {"gc_bless": None})
    assert status == 200 and isinstance(data, list), data
    live = sim.wait_status(data[0]["id"], "BLESSED")["id"]
    w.live, w.blessed, w.names[live], w.clone_num = live, {live}, f"{name}-0", 1
    return w


def send(sim: Simulator, step: Step) -> tuple[int, str, bytes]:
    headers = {}
    if step.content_type is not None and step.data is not None:
        headers["Content-Type"] = step.content_type
    status, got_headers, raw = sim.request_raw(
        step.method, step.path, headers=headers, data=step.data
    )
    return status, got_headers.get("Content-Type", ""), raw


def run_era(
    sim: Simulator, sequences: int, steps: int, seed: int
) -> tuple[Counter[str], list[str]]:
    era = sim.era
    rng = random.Random(f"{seed}-{era}")
    kinds = STEP_KINDS + ([] if era == "essex" else [(import_step, 1)])
    makers, weights = [k for k, _ in kinds], [wt for _, wt in kinds]
    differences: list[str] = []
    sent: Counter[str] = Counter()
    for seq in range(sequences):
        w = setup(sim, era, seq)
        for number in range(steps):
            step = rng.choices(makers, weights)[0](w, rng)
            status, ctype, raw = send(sim, step)
            outcome = step.expect
            shown = outcome.status if isinstance(outcome, Fault) else outcome.kind
            sent[f"{step.what.split()[0]}:{shown}"] += 1
            problem = difference(step.expect, status, ctype, raw)
            if problem is not None:
                differences.append(f"{era} #{seq}.{number} {step.what}: {problem}")
                break  # the model no longer knows this sequence's state
            if step.after is not None:
                step.after(sim, w, json.loads(raw) if raw[:1] in (b"[", b"{") else None)
    return sent, differences


@pytest.mark.parametrize("era", ["essex", "folsom", "cobalt"])
def test_era_answers_as_the_historical_table(era, capsys, simulator_factory):
    sim = simulator_factory(era=era, build_time=0.01)
    sent, differences = run_era(sim, SEQUENCES, STEPS, SEED)
    with capsys.disabled():
        print(
            f"\n{era}: {SEQUENCES} sequences x {STEPS} steps, seed {SEED}: "
            f"{sum(sent.values())} requests, {len(differences)} differences"
        )
        if HEAVY:
            print("  " + ", ".join(f"{k} {n}" for k, n in sorted(sent.items())))
    assert not differences, "\n".join(differences[:20])
