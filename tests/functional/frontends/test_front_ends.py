"""One launch request, four front-ends: gc, gcclient.Client, the nova shell and
novaclient's Python API send the same body for the same options (issue 17)."""

from __future__ import annotations

import base64
import os
import subprocess

import pytest

from gcclient.simulator.fixtures import NETWORK_ID
from tests.functional.gcrun import NOVA, gc, make_blessed, nova_api, python_client

USER_DATA = b"#!/bin/sh\necho hi\n"

# (command-line options shared by gc and nova, Python keyword arguments, the body).
CASES = [
    ([], {}, {}),
    (["--target", "512M"], {"target": "512M"}, {"target": "512MB"}),
    (
        ["--params", "a=b", "--params", "url=x=y"],
        {"params": {"a": "b", "url": "x=y"}},
        {"guest": {"a": "b", "url": "x=y"}},
    ),
    (["--name", "fe"], {"name": "fe"}, {"name": "fe"}),
    (["--num-instances", "2"], {"num_instances": 2}, {"num_instances": 2}),
    (
        ["--security-groups", "default,web"],
        {"security_groups": ["default", "web"]},
        {"security_groups": ["default", "web"]},
    ),
    (["--availability-zone", "nova"], {"availability_zone": "nova"}, {"availability_zone": "nova"}),
    (["--key-name", "mykey"], {"key_name": "mykey"}, {"key_name": "mykey"}),
    (
        ["--hint", "group=g1", "--hint", "group=g2", "--hint", "near=x"],
        {"scheduler_hints": {"group": ["g1", "g2"], "near": "x"}},
        {"scheduler_hints": {"group": ["g1", "g2"], "near": "x"}},
    ),
    (
        ["--nic", f"net-id={NETWORK_ID}"],
        {"networks": [{"uuid": NETWORK_ID}]},
        {"networks": [{"uuid": NETWORK_ID}]},
    ),
    (
        ["--user-data", "{user_data}"],
        {"user_data": USER_DATA},
        {"user_data": base64.b64encode(USER_DATA).decode()},
    ),
]


def _every(cases):
    """All the options of the table at once (user data aside)."""
    options, kwargs, body = [], {}, {}
    for o, k, b in cases:
        if "user_data" not in k:
            options, kwargs, body = options + o, {**kwargs, **k}, {**body, **b}
    return options, kwargs, body


HEAVY = os.environ.get("GC_HEAVY", "") not in ("", "0")
# CI: no option, every option at once, user data; GC_HEAVY=1: each option on its own too.
RUN = CASES if HEAVY else [CASES[0], _every(CASES), CASES[-1]]


def launch_bodies(sim, mark: int) -> list[dict]:
    return [
        entry["body"]["gc_launch"]
        for entry in sim.journal_since(mark)
        if entry["method"] == "POST"
        and isinstance(entry.get("body"), dict)
        and "gc_launch" in entry["body"]
    ]


def run_nova_shell(sim, args: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(sim.env)
    proc = subprocess.run(
        [NOVA, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="module")
def image(simulator):
    return make_blessed(simulator, "front-ends")["id"]


@pytest.mark.parametrize(
    "options, kwargs, body", RUN, ids=[" ".join(c[0])[:40] or "none" for c in RUN]
)
def test_every_front_end_sends_the_same_body(simulator, image, tmp_path, options, kwargs, body):
    data = tmp_path / "user-data"
    data.write_bytes(USER_DATA)
    options = [o.format(user_data=data) for o in options]
    mark = simulator.mark()
    result = gc(simulator, "launch", *options, image, "-f", "value", "-c", "ID")
    assert result.code == 0, result.err
    python_client(simulator).gridcentric.launch(image, **kwargs)
    run_nova_shell(simulator, ["launch", *options, image])
    nova_api(simulator).gridcentric.launch(image, **kwargs)
    bodies = launch_bodies(simulator, mark)
    assert bodies == [body] * 4
