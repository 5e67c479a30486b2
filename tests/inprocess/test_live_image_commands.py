"""The six seed operations plus show and delete, with gc run in-process against the
simulator's App.

In-process tier (tests/inprocess/insim.py): moved from tests/functional/cli with the same
assertions; only the gc runner and the simulator fixtures are the tier's.
"""

import json

import pytest

from tests.functional.gcrun import actions, same_request_ids
from tests.inprocess.insim import run_gc as gc

UNKNOWN = "00000000-0000-0000-0000-000000000000"


@pytest.fixture(scope="module")
def blessed(simulator):
    source = simulator.boot("seed-source")
    code, body = simulator.action(source["id"], {"gc_bless": {}})
    assert code == 200
    blessed = body[0]
    simulator.wait_status(blessed["id"], "BLESSED")
    return source, blessed


def test_bless_sends_gc_bless_and_shows_the_blessed_server(simulator):
    source = simulator.boot("bless-me")
    mark = simulator.mark()
    result = gc(simulator, "bless", source["id"], "-f", "json")
    assert result.code == 0, result.err
    rows = result.json()
    assert len(rows) == 1
    assert rows[0]["Name"] == "bless-me-0"
    assert rows[0]["Status"] in ("BUILD", "BLESSED")
    assert set(rows[0]) == {"ID", "Name", "Status", "Networks"}
    assert actions(simulator.journal_since(mark)) == [
        ("POST", f"/servers/{source['id']}/action", {"gc_bless": {}})
    ]


def test_launch_sends_target_and_params(simulator, blessed):
    _, image = blessed
    mark = simulator.mark()
    result = gc(
        simulator,
        "launch",
        "--target",
        "512M",
        "--params",
        "a=b",
        "--params",
        "url=x=y",
        image["id"],
        "-f",
        "value",
        "-c",
        "Name",
    )
    assert result.code == 0, result.err
    assert result.out == f"{image['name']}-clone\n"
    assert actions(simulator.journal_since(mark)) == [
        (
            "POST",
            f"/servers/{image['id']}/action",
            {"gc_launch": {"target": "512MB", "guest": {"a": "b", "url": "x=y"}}},
        )
    ]


def test_launch_without_options_sends_an_empty_object(simulator, blessed):
    _, image = blessed
    mark = simulator.mark()
    assert gc(simulator, "launch", image["id"]).code == 0
    assert actions(simulator.journal_since(mark)) == [
        ("POST", f"/servers/{image['id']}/action", {"gc_launch": {}})
    ]


def image_addr(simulator, view):
    return ", ".join(e["addr"] for e in simulator.get(view["id"])["addresses"]["private"])


def test_list_launched_and_list_blessed(simulator):
    source = simulator.boot("lister")
    _, body = simulator.action(source["id"], {"gc_bless": {}})
    image = simulator.wait_status(body[0]["id"], "BLESSED")
    _, first = simulator.action(image["id"], {"gc_launch": {}})
    _, second = simulator.action(image["id"], {"gc_launch": {}})
    mark = simulator.mark()
    launched = gc(simulator, "list-launched", image["id"], "-f", "json")
    blessed = gc(simulator, "list-blessed", source["id"], "-f", "csv")
    assert launched.code == 0 and blessed.code == 0
    ids = sorted([first[0]["id"], second[0]["id"]])
    assert [row["ID"] for row in launched.json()] == ids
    assert actions(simulator.journal_since(mark)) == [
        ("POST", f"/servers/{image['id']}/action", {"gc_list_launched": {}}),
        ("POST", f"/servers/{source['id']}/action", {"gc_list_blessed": {}}),
    ]
    views = {first[0]["id"]: first[0], second[0]["id"]: second[0]}
    for row in launched.json():  # a mapping of network name to addresses, as openstack
        addresses = simulator.get(row["ID"])["addresses"]
        assert row["Networks"] == {
            label: [entry["addr"] for entry in entries] for label, entries in addresses.items()
        }
        assert list(row["Networks"]) == ["private"] and row["ID"] in views
    assert blessed.out.splitlines()[0] == '"ID","Name","Status","Networks"'
    assert image["id"] in blessed.out.splitlines()[1]
    assert blessed.out.splitlines()[1].endswith(',""')  # no address: empty text, as before
    text = gc(simulator, "list-launched", image["id"], "-f", "value", "-c", "ID", "-c", "Networks")
    for line in text.out.splitlines():  # value (and csv, table): the historical text
        server_id, networks = line.split(" ", 1)
        assert networks == "private=" + image_addr(simulator, {"id": server_id})


def test_list_launched_table_has_the_seed_columns(simulator, blessed):
    _, image = blessed
    # A row of its own: the module's other tests may run on another xdist worker.
    code, body = simulator.action(image["id"], {"gc_launch": {}})
    assert code == 200, body
    result = gc(simulator, "list-launched", image["id"])
    assert result.code == 0
    header = result.out.splitlines()[1]
    assert [c.strip() for c in header.strip("|").split("|")] == ["ID", "Name", "Status", "Networks"]


def test_yaml_and_value_formats(simulator, blessed):
    source, image = blessed
    yaml_out = gc(simulator, "list-blessed", source["id"], "-f", "yaml")
    assert yaml_out.code == 0
    assert f"- ID: {image['id']}" in yaml_out.out
    value = gc(simulator, "show", image["id"], "-f", "value", "-c", "status")
    assert value.out == "BLESSED\n"


def test_show_by_name_uses_one_filtered_query(simulator, blessed):
    _, image = blessed
    mark = simulator.mark()
    result = gc(simulator, "show", image["name"], "-f", "json")
    assert result.code == 0, result.err
    shown = result.json()
    assert shown["id"] == image["id"]
    assert shown["status"] == "BLESSED"
    assert shown["metadata"]["blessed_from"] == image["metadata"]["blessed_from"]
    requests = actions(simulator.journal_since(mark))
    assert [(m, p) for m, p, _ in requests] == [("GET", "/servers/detail")]
    query = simulator.journal_since(mark)[-1]["query"]
    assert "name=" in query


def test_migrate_sends_the_destination(simulator):
    server = simulator.boot("mover")
    # The host attribute is an admin's to read: the demo user's view has none.
    host = simulator.get(server["id"], user="admin")["OS-EXT-SRV-ATTR:host"]
    dest = next(h for h in ("compute-1", "compute-2", "compute-3") if h != host)
    mark = simulator.mark()
    result = gc(simulator, "gc-migrate", server["id"], dest)
    assert result.code == 0, result.err
    assert result.out == ""
    assert actions(simulator.journal_since(mark)) == [
        ("POST", f"/servers/{server['id']}/action", {"gc_migrate": {"dest": dest}})
    ]
    simulator.wait_status(server["id"], "ACTIVE")


def test_migrate_alias(simulator):
    server = simulator.boot("mover-2")
    result = gc(simulator, "migrate", server["id"])
    assert result.code == 0, result.err
    simulator.wait_status(server["id"], "ACTIVE")


def test_discard_refused_while_launched_servers_remain(simulator, blessed):
    _, image = blessed
    simulator.action(image["id"], {"gc_launch": {}})
    result = gc(simulator, "discard", image["id"])
    assert result.code == 1
    assert same_request_ids(result.err) == (
        f"ERROR: Instance {image['id']} still has launched instances. "
        "Cannot discard an instance with remaining launched ones. "
        "(HTTP 400) (Request-ID: req-...)\n"
    )


def test_delete_refuses_a_blessed_server_before_sending(simulator, blessed):
    _, image = blessed
    mark = simulator.mark()
    result = gc(simulator, "delete", image["id"])
    assert result.code == 1
    assert result.err == (
        f"ERROR: Server {image['id']} is a blessed server (live image): "
        "use 'gc discard' to remove it\n"
    )
    assert [m for m, _, _ in actions(simulator.journal_since(mark))] == ["GET"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["bless", UNKNOWN],
            f"ERROR: Instance {UNKNOWN} could not be found. (HTTP 400) (Request-ID: req-...)\n",
        ),
        (["show", UNKNOWN], f"ERROR: No server with a name or ID of '{UNKNOWN}' exists.\n"),
        (
            ["show", "no-such-name"],
            "ERROR: No server with a name or ID of 'no-such-name' exists.\n",
        ),
    ],
)
def test_not_found_errors(simulator, argv, message):
    result = gc(simulator, *argv)
    assert (result.code, same_request_ids(result.err)) == (1, message)
    assert "Traceback" not in result.err


def test_bless_twice_gives_the_cobalt_error(simulator, blessed):
    _, image = blessed
    result = gc(simulator, "bless", image["id"])
    assert (result.code, same_request_ids(result.err)) == (
        1,
        f"ERROR: Instance {image['id']} is already a live image. "
        "(HTTP 400) (Request-ID: req-...)\n",
    )


def test_usage_errors_exit_2(simulator):
    assert gc(simulator, "bless").code == 2
    assert gc(simulator, "launch", "--num-instances", "x", UNKNOWN).code == 2
    result = gc(simulator, "frobnicate")
    assert result.code == 2


def test_bad_target_is_refused_before_sending(simulator, blessed):
    _, image = blessed
    mark = simulator.mark()
    result = gc(simulator, "launch", "--target", "1.5GB", image["id"])
    assert result.code == 1
    assert result.err == (
        "ERROR: Invalid --target '1.5GB': expected a whole number with an optional "
        "unit B, KB, MB, GB or TB (for example 512MB)\n"
    )
    assert actions(simulator.journal_since(mark)) == []


def test_missing_auth_setting_is_one_line(simulator):
    result = gc(simulator, "bless", UNKNOWN, env={"OS_PASSWORD": ""})
    assert (result.code, result.err) == (
        1,
        "ERROR: Missing setting: --os-password or OS_PASSWORD\n",
    )


def test_wrong_password(simulator):
    result = gc(simulator, "show", UNKNOWN, env={"OS_PASSWORD": "wrong"})
    assert result.code == 1
    assert result.err.startswith("ERROR: Authentication failed")
    assert "wrong" not in result.err
    assert len(result.err.splitlines()) == 1


def test_debug_shows_a_traceback_only_with_debug(simulator):
    plain = gc(simulator, "bless", UNKNOWN)
    debug = gc(simulator, "--debug", "bless", UNKNOWN)
    assert "Traceback" not in plain.err
    assert "Traceback" in debug.err
    assert plain.code == debug.code == 1


def test_json_output_is_valid_and_stdout_only_carries_data(simulator, blessed):
    source, _ = blessed
    result = gc(simulator, "list-blessed", source["id"], "-f", "json")
    assert json.loads(result.out)


def test_boot_without_host_is_a_plain_nova_boot(simulator):
    from gcclient.simulator.testing import DEFAULT_IMAGE

    mark = simulator.mark()
    result = gc(
        simulator,
        "boot",
        "--image",
        DEFAULT_IMAGE,
        "--flavor",
        "1",
        "--wait",
        "plain-vm",
        "-f",
        "value",
        "-c",
        "status",
    )
    assert (result.code, result.out) == (0, "ACTIVE\n"), result.err
    posts = [(m, p, b) for m, p, b in actions(simulator.journal_since(mark)) if m == "POST"]
    assert posts == [
        (
            "POST",
            "/servers",
            {"server": {"name": "plain-vm", "imageRef": DEFAULT_IMAGE, "flavorRef": "1"}},
        )
    ]
