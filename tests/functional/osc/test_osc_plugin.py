"""The openstack plugin: the real ``openstack`` executable against gc-simulator.

python-openstackclient is in the ``test`` extra, so CI runs these; they are skipped
where it is not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.functional.gcrun import Result, actions

OPENSTACK = os.path.join(os.path.dirname(sys.executable), "openstack")
if not os.path.exists(OPENSTACK):
    OPENSTACK = shutil.which("openstack") or ""

pytestmark = pytest.mark.skipif(not OPENSTACK, reason="python-openstackclient is not installed")


def openstack(sim, *args: str, env: dict[str, str] | None = None) -> Result:
    full = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    full.update(sim.env)
    full.update(env or {})
    proc = subprocess.run(
        [OPENSTACK, *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def ok(result: Result) -> Result:
    assert result.code == 0, result.err
    return result


def test_commands_are_listed(simulator):
    out = ok(openstack(simulator, "help")).out
    for name in (
        "live-image create",
        "live-image start",
        "live-image delete",
        "live-image list",
        "live-image servers",
        "server gc-migrate",
    ):
        assert name in out


def test_help_shows_gc_options(simulator):
    out = ok(openstack(simulator, "help", "live-image", "start")).out
    assert "--num-instances" in out and "--wait" in out and "<blessed id>" in out


def test_whole_lifecycle(simulator):
    source = simulator.boot("osc-source")
    mark = simulator.mark()

    blessed = ok(openstack(simulator, "live-image", "create", "osc-source", "--wait", "-f", "json"))
    (image,) = blessed.json()
    assert image["Status"] == "BLESSED"
    assert image["Name"] == "osc-source-0"

    listed = ok(openstack(simulator, "live-image", "list", source["id"], "-f", "json")).json()
    assert [row["ID"] for row in listed] == [image["ID"]]

    started = ok(
        openstack(
            simulator,
            "live-image",
            "start",
            image["ID"],
            "--name",
            "osc-clone",
            "--num-instances",
            "2",
            "--wait",
            "-f",
            "json",
        )  # fmt: skip
    ).json()
    assert len(started) == 2 and {row["Status"] for row in started} == {"ACTIVE"}

    servers = ok(openstack(simulator, "live-image", "servers", "osc-source-0", "-f", "json"))
    assert sorted(row["ID"] for row in servers.json()) == sorted(row["ID"] for row in started)
    assert all(list(row["Networks"]) == ["private"] for row in servers.json())  # a mapping

    ok(openstack(simulator, "server", "gc-migrate", started[0]["ID"], "--wait"))

    ok(openstack(simulator, "live-image", "delete", image["ID"], "--delete-launched", "--wait"))
    assert simulator.get(image["ID"]) is None
    assert ok(openstack(simulator, "live-image", "list", source["id"], "-f", "json")).json() == []

    bodies = [body for method, path, body in actions(simulator.actions_since(mark)) if body]
    verbs = {next(iter(body)) for body in bodies if isinstance(body, dict)}
    assert {"gc_bless", "gc_launch", "gc_migrate", "gc_discard"} <= verbs


def test_errors_are_gc_errors(simulator):
    result = openstack(simulator, "live-image", "list", "no-such-server")
    assert result.code == 1
    assert "no-such-server" in result.err


def test_with_os_cloud(simulator, tmp_path):
    from gcclient.simulator.clouds import write_clouds_yaml

    path = tmp_path / "clouds.yaml"
    write_clouds_yaml(str(path), "sim", simulator.env)
    simulator.boot("osc-cloudy")
    full = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    full.update({"OS_CLOUD": "sim", "OS_CLIENT_CONFIG_FILE": str(path)})
    proc = subprocess.run(
        [OPENSTACK, "live-image", "list", "osc-cloudy", "-f", "json"],
        capture_output=True,
        text=True,
        env=full,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []
