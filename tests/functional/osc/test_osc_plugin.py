"""The openstack plugin: the real ``openstack`` executable against gc-simulator.

python-openstackclient is in the ``test`` extra, so CI runs these; they are skipped
where it is not installed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess

import pytest

from tests.functional.gcrun import (
    OPENSTACK,
    SIGNAL_ENDINGS,
    Result,
    actions,
    make_blessed,
    openstack,
    with_a_late_signal,
)

pytestmark = pytest.mark.skipif(not OPENSTACK, reason="python-openstackclient is not installed")


def ok(result: Result) -> Result:
    assert result.code == 0, result.err
    return result


def test_commands_are_listed(simulator):
    """openstack's own list of commands is the registered list, and the one in
    docs/openstack.rst (tests/unit/osc/test_command_table.py checks those two)."""
    from tests.references import registered

    out = ok(openstack(simulator, "command", "list", "--group", "live_image", "-f", "json")).json()
    (group,) = [g for g in out if g["Command Group"] == "openstack.live_image.v1"]
    assert sorted(group["Commands"]) == sorted(registered())


def test_help_shows_osc_options(simulator):
    out = ok(openstack(simulator, "help", "live", "image", "server", "create")).out
    assert "--live-image <live-image>" in out and "--num-instances" in out
    assert "--security-group <security-group>" in out and "--security-groups" not in out
    assert "--param <key=value>" in out and "--wait-timeout" in out


def test_whole_lifecycle(simulator):
    source = simulator.boot("osc-source")
    mark = simulator.mark()

    created = ok(
        openstack(
            simulator, "live", "image", "create", "--server", "osc-source", "--wait", "-f", "json"
        )
    )
    image = created.json()  # one object, as every OSC create
    assert image["Status"] == "BLESSED"
    assert image["Name"] == "osc-source-0"

    listed = ok(
        openstack(simulator, "live", "image", "list", "--server", source["id"], "-f", "json")
    )
    assert [row["ID"] for row in listed.json()] == [image["ID"]]
    # Without the filter: every live image of the project.
    every = ok(openstack(simulator, "live", "image", "list", "-f", "json")).json()
    assert image["ID"] in [row["ID"] for row in every]
    assert source["id"] not in [row["ID"] for row in every]

    shown = ok(openstack(simulator, "live", "image", "show", "osc-source-0", "-f", "json")).json()
    assert shown["id"] == image["ID"] and shown["metadata"]["blessed_from"] == source["id"]

    started = ok(
        openstack(
            simulator,
            "live",
            "image",
            "server",
            "create",
            "osc-clone",
            "--live-image",
            image["ID"],
            "--num-instances",
            "2",
            "--wait",
            "-f",
            "json",
        )  # fmt: skip
    ).json()
    assert len(started) == 2 and {row["Status"] for row in started} == {"ACTIVE"}

    servers = ok(
        openstack(simulator, "live", "image", "server", "list", "--live-image", "osc-source-0",
                  "-f", "json")
    )  # fmt: skip
    assert sorted(row["ID"] for row in servers.json()) == sorted(row["ID"] for row in started)
    assert all(list(row["Networks"]) == ["private"] for row in servers.json())  # a mapping

    lineage = ok(
        openstack(simulator, "live", "image", "lineage", "show", "osc-source", "-f", "json")
    )
    assert [row["ID"] for row in lineage.json()][:2] == [source["id"], image["ID"]]

    ok(openstack(simulator, "vms", "server", "migrate", started[0]["ID"], "--wait"))

    ok(openstack(simulator, "live", "image", "delete", image["ID"], "--delete-launched", "--wait"))
    assert simulator.get(image["ID"]) is None
    empty = openstack(simulator, "live", "image", "list", "--server", source["id"], "-f", "json")
    assert ok(empty).json() == []

    bodies = [body for method, path, body in actions(simulator.actions_since(mark)) if body]
    assert {"gc_launch": {"name": "osc-clone", "num_instances": 2}} in bodies
    verbs = {next(iter(body)) for body in bodies if isinstance(body, dict)}
    assert {"gc_bless", "gc_launch", "gc_migrate", "gc_discard"} <= verbs


def test_security_group_is_repeated_and_host_is_an_option(simulator):
    image = make_blessed(simulator, "osc-sg")
    mark = simulator.mark()
    ok(
        openstack(
            simulator,
            "live",
            "image",
            "server",
            "create",
            "--live-image",
            image["id"],
            "--security-group",
            "default",
            "--security-group",
            "web",
            "--param",
            "role=web",
        )  # fmt: skip
    )
    (launch,) = [b for _, _, b in actions(simulator.actions_since(mark)) if b and "gc_launch" in b]
    body = launch["gc_launch"]
    assert body["security_groups"] == ["default", "web"]
    assert body["guest"] == {"role": "web"}
    # --security-groups (gc's comma list) is not an openstack option.
    refused = openstack(simulator, "live", "image", "server", "create", "--live-image",
                        image["id"], "--security-groups", "a,b")  # fmt: skip
    assert refused.code == 2


def test_show_refuses_a_server_that_is_not_a_live_image(simulator):
    server = simulator.boot("osc-plain")
    result = openstack(simulator, "live", "image", "show", server["id"])
    assert result.code == 1
    assert f"Server {server['id']} is not a live image" in result.err
    assert "openstack server show" in result.err


def test_user_agent_names_gcclient(simulator):
    from gcclient.version import __version__

    mark = simulator.mark()
    ok(openstack(simulator, "live", "image", "list"))
    compute = [e for e in simulator.journal_since(mark) if e["path"].startswith("/v2/")]
    assert compute
    for entry in compute:
        assert entry["agent"].startswith(f"gcclient/{__version__} "), entry["agent"]


def test_all_projects_as_admin(simulator):
    image = make_blessed(simulator, "osc-ap")  # the demo project's
    code, body = simulator.action(image["id"], {"gc_launch": {}})
    assert code == 200, body
    admin = simulator.env_for("admin")
    mark = simulator.mark()
    listed = openstack(
        simulator, "live", "image", "list", "--all-projects", "-f", "json", env=admin
    )
    rows = {row["ID"]: row for row in ok(listed).json()}
    assert rows[image["id"]]["Project"] == image["tenant_id"]
    servers = openstack(simulator, "live", "image", "server", "list", "--live-image", "osc-ap-0",
                        "--all-projects", "-f", "json", env=admin)  # fmt: skip
    assert [row["ID"] for row in ok(servers).json()] == [body[0]["id"]]
    queries = [e["query"] for e in simulator.journal_since(mark) if e["path"].endswith("/detail")]
    assert queries and all("all_tenants=1" in q for q in queries)
    member = openstack(simulator, "live", "image", "list", "--all-projects")
    assert member.code == 1
    assert "get_all_tenants" in member.err


def test_errors_are_gc_errors(simulator):
    result = openstack(simulator, "live", "image", "list", "--server", "no-such-server")
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
        [OPENSTACK, "live", "image", "list", "--server", "osc-cloudy", "-f", "json"],
        capture_output=True,
        text=True,
        env=full,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


@pytest.mark.parametrize(("signum", "code", "word"), SIGNAL_ENDINGS)
def test_signalled_after_its_command_says_what_it_did(simulator, tmp_path, signum, code, word):
    """The plugin's command tells a signal during its run like gc's; openstack runs
    on after it (cliff's clean-up, the interpreter's exit), where SIGHUP and SIGTERM
    killed it in silence and Ctrl-C ended it with 130 and nothing said."""
    source = simulator.boot("osc-late")
    before = {s["id"] for s in simulator.servers()}
    args = ["live", "image", "create", "--server", source["id"], "-f", "value", "-c", "ID"]
    result = with_a_late_signal(simulator, tmp_path, "openstack", signum, "command", *args)
    (blessed,) = {s["id"] for s in simulator.servers()} - before
    assert (result.code, result.out) == (code, blessed + "\n"), result.err
    assert result.err.splitlines() == [f"{word}: blessed server {blessed} (BUILD) was created"]


def test_signalled_as_it_exits_ends_with_its_output(simulator, tmp_path):
    """During the interpreter's exit every line is written: the signal is ignored."""
    source = simulator.boot("osc-exit")
    args = ["live", "image", "create", "--server", source["id"], "-f", "value", "-c", "ID"]
    result = with_a_late_signal(simulator, tmp_path, "openstack", signal.SIGHUP, "exit", *args)
    assert (result.code, result.err) == (0, "")
    assert len(result.out.split()) == 1
