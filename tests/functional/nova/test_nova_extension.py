"""The real ``nova`` executable with the gridcentric extension, against gc-simulator."""

from __future__ import annotations

import base64
import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass

import pytest

from gcclient.simulator.fixtures import NETWORK_ID
from tests.functional.gcrun import (
    NOVA,
    SIGNAL_ENDINGS,
    actions,
    blessed_image,
    with_a_late_signal,
)

COMMANDS = ("bless", "launch", "discard", "gc-migrate", "list-launched", "list-blessed")
UNKNOWN = "00000000-0000-0000-0000-000000000000"
HOSTS = ("compute-1", "compute-2")


@dataclass
class Result:
    code: int
    out: str
    err: str


def nova(sim, *args: str, timeout: float = 120) -> Result:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(sim.env)
    proc = subprocess.run(
        [NOVA, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def gc_actions(sim, mark) -> list[tuple[str, str, object]]:
    """The Gridcentric requests (actions, gcinfo) since a mark, without nova's own GETs."""
    return [
        entry
        for entry in actions(sim.journal_since(mark))
        if entry[0] != "GET" or entry[1] == "/gcinfo"
    ]


def table_ids(out: str) -> list[str]:
    return [line.split("|")[1].strip() for line in out.splitlines() if line.startswith("| ")][1:]


@pytest.fixture(scope="module")
def image(simulator):
    return blessed_image(simulator, "nova-source")[1]


def test_nova_help_lists_the_six_commands(simulator):
    result = nova(simulator, "help")
    assert result.code == 0, result.err
    listed = {line.split()[0] for line in result.out.splitlines() if line.startswith("    ")}
    assert set(COMMANDS) <= listed
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("command", "texts"),
    [
        (
            "bless",
            [
                "usage: nova bless <instance id>\n\nBless an instance\n\n",
                "  <instance id>  ID of the instance to bless\n",
            ],
        ),
        (
            "launch",
            [
                "usage: nova launch [--target <target memory>] [--params <key=value>]\n",
                "\n\nLaunch a new instance\n\n",
                "ID of the blessed instance",
                "The memory target of the launched instance",
                "Guest parameters to send to vms-agent",
            ],
        ),
        (
            "discard",
            [
                "usage: nova discard <blessed id>\n\nDiscard a blessed instance\n\n",
                "  <blessed id>  ID of the blessed instance\n",
            ],
        ),
        (
            "gc-migrate",
            [
                "usage: nova gc-migrate <instance id> [<destination host>]\n",
                "\n\nMigrate an instance using Gridcentric VMS\n\n",
                "  <instance id>       ID of the instance to migrate\n",
                "  <destination host>  Host to migrate to\n",
            ],
        ),
        (
            "list-launched",
            [
                "usage: nova list-launched <blessed id>\n\n"
                "List instances launched from this blessed instance.\n\n",
                "  <blessed id>  ID of the blessed instance\n",
            ],
        ),
        (
            "list-blessed",
            [
                "usage: nova list-blessed <server id>\n\n"
                "List instances blessed from this instance.\n\n",
                "  <server id>  ID of the instance\n",
            ],
        ),
    ],
)
def test_nova_help_of_each_command_shows_the_seed_text(simulator, command, texts):
    result = nova(simulator, "help", command)
    assert result.code == 0, result.err
    for text in texts:
        assert text in result.out


def test_nova_list_still_works(simulator, image):
    result = nova(simulator, "list")
    assert result.code == 0, result.err
    assert image["id"] in result.out


def test_nova_bless(simulator):
    source = simulator.boot("nova-bless")
    mark = simulator.mark()
    result = nova(simulator, "bless", source["id"])
    assert result.code == 0, result.err
    assert gc_actions(simulator, mark) == [
        ("POST", f"/servers/{source['id']}/action", {"gc_bless": {}})
    ]
    assert "| Property" in result.out
    assert "nova-bless-0" in result.out


def test_nova_timings_lists_the_extensions_requests(simulator):
    """nova --timings: the bless action (sent on the extension's own adapter) is in
    novaclient's table with novaclient's own requests."""
    source = simulator.boot("nova-timed")
    result = nova(simulator, "--timings", "bless", source["id"])
    assert result.code == 0, result.err
    rows = [line for line in result.out.splitlines() if line.startswith("| ")]
    urls = [row.split("|")[1].strip() for row in rows]
    assert f"POST /servers/{source['id']}/action" in urls, result.out
    assert urls[-1] == "Total"
    assert "nova-timed-0" in result.out  # the blessed server, printed before the timings


def test_nova_launch_with_target_and_params(simulator, image):
    mark = simulator.mark()
    result = nova(simulator, "launch", "--target", "512MB", "--params", "a=b", image["id"])
    assert result.code == 0, result.err
    assert gc_actions(simulator, mark) == [
        (
            "POST",
            f"/servers/{image['id']}/action",
            {"gc_launch": {"target": "512MB", "guest": {"a": "b"}}},
        )
    ]
    assert f"{image['name']}-clone" in result.out


def test_nova_launch_with_every_later_option(simulator, image, tmp_path):
    user_data = tmp_path / "user-data"
    user_data.write_bytes(b"#!/bin/sh\necho hi\n")
    _, children = simulator.action(image["id"], {"gc_list_launched": {}})
    before = {s["id"] for s in children}  # type: ignore[union-attr]
    mark = simulator.mark()
    result = nova(
        simulator,
        "launch",
        "--target",
        "1G",
        "--params",
        "a=b",
        "--params",
        "url=x=y",
        "--name",
        "every option",
        "--num-instances",
        "2",
        "--user-data",
        str(user_data),
        "--security-groups",
        "default,web",
        "--availability-zone",
        "nova",
        "--key-name",
        "mykey",
        "--hint",
        "group=g1",
        "--hint",
        "group=g2",
        "--hint",
        "near=x",
        "--nic",
        f"net-id={NETWORK_ID}",
        image["id"],
    )
    assert result.code == 0, result.err
    listing = ("POST", f"/servers/{image['id']}/action", {"gc_list_launched": {}})
    assert gc_actions(simulator, mark) == [
        ("GET", "/gcinfo", None),
        listing,  # before and after: the launch's answer names one of the two
        (
            "POST",
            f"/servers/{image['id']}/action",
            {
                "gc_launch": {
                    "target": "1GB",
                    "guest": {"a": "b", "url": "x=y"},
                    "name": "every option",
                    "num_instances": 2,
                    "user_data": base64.b64encode(b"#!/bin/sh\necho hi\n").decode(),
                    "security_groups": ["default", "web"],
                    "availability_zone": "nova",
                    "key_name": "mykey",
                    "scheduler_hints": {"group": ["g1", "g2"], "near": "x"},
                    "networks": [{"uuid": NETWORK_ID}],
                }
            },
        ),
        listing,
    ]
    _, children = simulator.action(image["id"], {"gc_list_launched": {}})
    launched = [s["id"] for s in children if s["id"] not in before]  # type: ignore[union-attr]
    assert len(launched) == 2 and all(i in result.out for i in launched)
    assert "every option" in result.out


def test_nova_list_launched_and_list_blessed(simulator):
    source, image = blessed_image(simulator, "nova-lists")
    _, first = simulator.action(image["id"], {"gc_launch": {}})
    _, second = simulator.action(image["id"], {"gc_launch": {}})
    mark = simulator.mark()
    launched = nova(simulator, "list-launched", image["id"])
    assert launched.code == 0, launched.err
    assert table_ids(launched.out) == sorted([first[0]["id"], second[0]["id"]])
    header = [cell.strip() for cell in launched.out.splitlines()[1].split("|")[1:5]]
    assert header == ["ID", "Name", "Status", "Networks"]
    blessed = nova(simulator, "list-blessed", source["id"])
    assert blessed.code == 0, blessed.err
    assert table_ids(blessed.out) == [image["id"]]
    assert gc_actions(simulator, mark) == [
        ("POST", f"/servers/{image['id']}/action", {"gc_list_launched": {}}),
        ("POST", f"/servers/{source['id']}/action", {"gc_list_blessed": {}}),
    ]


def test_nova_discard(simulator):
    _, image = blessed_image(simulator, "nova-discard")
    mark = simulator.mark()
    result = nova(simulator, "discard", image["id"])
    assert result.code == 0, result.err
    assert result.out == ""
    assert gc_actions(simulator, mark) == [
        ("POST", f"/servers/{image['id']}/action", {"gc_discard": {}})
    ]
    simulator.wait_gone(image["id"])


def test_nova_gc_migrate(simulator):
    source = simulator.boot("nova-migrate")
    for host in HOSTS:
        mark = simulator.mark()
        result = nova(simulator, "gc-migrate", source["id"], host)
        assert gc_actions(simulator, mark) == [
            ("POST", f"/servers/{source['id']}/action", {"gc_migrate": {"dest": host}})
        ]
        if result.code == 0:
            assert result.out == ""
            break
        assert "ERROR (BadRequest): Unable to migrate to the same host." in result.err
    else:
        pytest.fail("no host accepted the migration")
    simulator.wait_status(source["id"], "ACTIVE")


def test_nova_gc_migrate_without_destination(simulator):
    source = simulator.boot("nova-migrate-any")
    mark = simulator.mark()
    result = nova(simulator, "gc-migrate", source["id"])
    assert result.code == 0, result.err
    assert gc_actions(simulator, mark) == [
        ("POST", f"/servers/{source['id']}/action", {"gc_migrate": {}})
    ]


def test_nova_errors_are_one_line(simulator):
    result = nova(simulator, "discard", UNKNOWN)
    assert result.code == 1
    assert "Traceback" not in result.err
    errors = [line for line in result.err.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1
    assert f"Instance {UNKNOWN} could not be found." in errors[0]


def test_nova_bad_input_is_refused_before_sending(simulator, image):
    mark = simulator.mark()
    result = nova(simulator, "launch", "--target", "lots", image["id"])
    assert result.code == 1
    assert "ERROR (CommandError): Invalid memory target 'lots'" in result.err
    assert gc_actions(simulator, mark) == []


def test_essex_refuses_a_missing_capability_before_sending(simulator_factory):
    essex = simulator_factory(era="essex")
    _, image = blessed_image(essex, "essex-source")
    mark = essex.mark()
    result = nova(essex, "launch", "--name", "x", image["id"])
    assert result.code == 1
    assert "launch-name" in result.err
    assert "Traceback" not in result.err
    assert gc_actions(essex, mark) == [("GET", "/gcinfo", None)]
    mark = essex.mark()
    plain = nova(essex, "launch", "--target", "512MB", image["id"])
    assert plain.code == 0, plain.err
    assert gc_actions(essex, mark) == [
        ("POST", f"/servers/{image['id']}/action", {"gc_launch": {"target": "512MB"}})
    ]


ACTION_PATH = r"^POST /v2/[^/]+/servers/[^/]+/action$"


@pytest.mark.parametrize(
    ("signum", "code", "word"),
    [(signal.SIGINT, 130, "Interrupted"), (signal.SIGTERM, 143, "Terminated")],
)
def test_nova_interrupted_after_a_write_says_what_it_left(simulator_factory, signum, code, word):
    """Issue 21: after a carried-out write, Ctrl-C printed only "... terminating nova
    client" and SIGTERM nothing. The answer to the bless is held back 20 s (a "slow"
    fault, after the bless was carried out), and the signal comes meanwhile."""
    sim = simulator_factory(
        era="cobalt", build_time=0.05,
        extra_args=["--fault-rate", "1", "--fault-kinds", "slow", "--fault-limit", "1",
                    "--slow-seconds", "20", "--fault-match", ACTION_PATH],
    )  # fmt: skip
    source = sim.boot("nova-sig")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(sim.env)
    proc = subprocess.Popen(
        [NOVA, "bless", source["id"]], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL, text=True, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        names = [s["name"] for s in sim.request("GET", "/servers/detail")[1]["servers"]]  # type: ignore[index]
        if len(names) > 1:
            break  # the bless was carried out; its answer is held back
        time.sleep(0.1)
    time.sleep(0.3)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == code and out == "" and "Traceback" not in err
    assert err.splitlines()[-1] == (
        f"{word}: the bless of {source['id']} was sent and may have been carried out: "
        f"check with nova list-blessed {source['id']}"
    )


@pytest.mark.parametrize(("signum", "code", "word"), SIGNAL_ENDINGS)
def test_nova_signalled_after_its_command_says_what_it_did(simulator, tmp_path, signum, code, word):
    """Issue 21, the fault matrix's last mismatch (`nova launch SIGHUP@1.5s`): nova
    printed the launched server, then a SIGHUP killed it in silence (exit -1). The
    extension put the default handlers back when its command returned, while
    novaclient's main ran on; Ctrl-C there printed "... terminating nova client"."""
    source = simulator.boot("nova-late")
    before = {s["id"] for s in simulator.servers()}
    result = with_a_late_signal(
        simulator, tmp_path, "nova", signum, "command", "bless", source["id"]
    )
    (blessed,) = {s["id"] for s in simulator.servers()} - before
    assert result.code == code and "Traceback" not in result.err
    assert re.search(rf"^\| id +\| {blessed} +\|$", result.out, re.M), result.out
    assert result.err.splitlines()[-1] == f"{word}: blessed server {blessed} (BUILD) was created"


def test_nova_signalled_as_it_exits_ends_with_its_output(simulator, tmp_path):
    """Python's finalization puts back the default action for a signal with a Python
    handler: a SIGHUP then killed nova in silence. By then every line is written, so
    the extension ignores them at exit."""
    source = simulator.boot("nova-exit")
    result = with_a_late_signal(
        simulator, tmp_path, "nova", signal.SIGHUP, "exit", "bless", source["id"]
    )
    assert result.code == 0, result.err
    # novaclient's own warning only (its text differs between releases: 18 says
    # "will be a removed")
    assert all(line.startswith("nova CLI is deprecated") for line in result.err.splitlines())
    assert source["id"] in result.out
