import argparse
import base64
import json
import pkgutil
import re

import pytest
from keystoneauth1 import session, token_endpoint
from novaclient import api_versions, base
from novaclient import client as nova_client
from novaclient import exceptions as nova_exc
from novaclient import shell as nova_shell
from novaclient.v2 import servers as nova_servers

from gcclient import nova as novaclient_ext
from gcclient.api.gcwire import Wire
from gcclient.simulator.eras import CO_15_CAPS

BASE = "http://nova.test/v2/p1"
UUID = "11111111-2222-3333-4444-555555555555"
CHILD = "66666666-7777-8888-9999-000000000000"
ACTION = f"{BASE}/servers/{UUID}/action"
HTML = {"Content-Type": "text/html; charset=UTF-8"}
ALL_CAPS = list(CO_15_CAPS)  # what a cobalt 1.5 cloud advertises (gc-simulator's era)
SERVER_METHODS = ("launch", "bless", "discard", "migrate", "list_launched", "list_blessed")


def view(server_id=UUID, name="vm", status="ACTIVE", **extra):
    return {"id": server_id, "name": name, "status": status, "metadata": {}, **extra}


@pytest.fixture
def nova():
    sess = session.Session(auth=token_endpoint.Token(BASE, "tok"))
    return nova_client.Client("2", session=sess, extensions=nova_client.discover_extensions("2"))


@pytest.fixture
def gc(nova):
    return nova.gridcentric


@pytest.fixture
def caps(requests_mock):
    return requests_mock.get(f"{BASE}/gcinfo", json={"capabilities": ALL_CAPS})


def actions(requests_mock):
    return [
        (r.method, r.url, r.json() if r.body else None)
        for r in requests_mock.request_history
        if r.path != "/v2/p1/gcinfo"
    ]


def answer(requests_mock, body, url=ACTION, status=200):
    text = body if isinstance(body, str) else json.dumps(body)
    return requests_mock.post(url, text=text, status_code=status, headers=HTML)


# -- registration ---------------------------------------------------------


def test_registered_by_entry_point_with_one_manager_class():
    found = [e for e in nova_client.discover_extensions("2") if e.name == "gridcentric"]
    assert len(found) == 1
    assert found[0].module is novaclient_ext
    assert found[0].manager_class is novaclient_ext.GridcentricManager
    managers = [
        value
        for value in vars(novaclient_ext).values()
        if isinstance(value, type) and issubclass(value, base.Manager)
    ]
    assert managers == [novaclient_ext.GridcentricManager]


def test_no_python_path_extension_module_is_shipped():
    names = [m.name for m in pkgutil.iter_modules() if m.name.endswith("_python_novaclient_ext")]
    assert names == []


def test_client_exposes_gridcentric(nova):
    assert isinstance(nova.gridcentric, novaclient_ext.GridcentricManager)
    assert nova.gridcentric.api is nova


def test_adapter_reuses_the_novaclient_session(gc, nova):
    adapter = gc.wire.adapter
    assert adapter.session is nova.client.session
    assert adapter.service_type == "compute"
    assert gc.wire is gc.wire
    assert type(gc.wire) is Wire


# -- manager methods: exact bodies, no extra requests -------------------------


@pytest.mark.parametrize(
    ("call", "body"),
    [
        (lambda gc: gc.bless(UUID), {"gc_bless": {}}),
        (lambda gc: gc.bless_instance(UUID), {"gc_bless": {}}),
        (lambda gc: gc.create_live_image(UUID), {"gc_bless": {}}),
        (lambda gc: gc.launch(UUID), {"gc_launch": {}}),
        (lambda gc: gc.launch_instance(UUID), {"gc_launch": {}}),
        (lambda gc: gc.start_live_image(UUID), {"gc_launch": {}}),
        (lambda gc: gc.list_launched(UUID), {"gc_list_launched": {}}),
        (lambda gc: gc.list_launched_instances(UUID), {"gc_list_launched": {}}),
        (lambda gc: gc.list_live_image_servers(UUID), {"gc_list_launched": {}}),
        (lambda gc: gc.list_blessed(UUID), {"gc_list_blessed": {}}),
        (lambda gc: gc.list_blessed_instances(UUID), {"gc_list_blessed": {}}),
        (lambda gc: gc.list_live_images(UUID), {"gc_list_blessed": {}}),
    ],
)
def test_list_returning_actions_and_aliases(gc, requests_mock, call, body):
    answer(requests_mock, [view(CHILD, "c", "BUILD")])
    result = call(gc)
    assert actions(requests_mock) == [("POST", ACTION, body)]
    assert len(result) == 1
    server = result[0]
    assert isinstance(server, nova_servers.Server)
    assert isinstance(server, novaclient_ext.GridcentricServer)
    assert (server.id, server.name, server.status) == (CHILD, "c", "BUILD")
    for method in SERVER_METHODS + ("delete", "get"):
        assert callable(getattr(server, method))
    assert server.manager is gc
    assert len(requests_mock.request_history) == 1


def test_list_of_several_servers_needs_no_more_requests(gc, requests_mock):
    answer(requests_mock, [view(f"{i}" * 8 + "-0000-0000-0000-000000000000") for i in range(5)])
    result = gc.list_launched(UUID)
    assert len(result) == 5
    assert [s.status for s in result] == ["ACTIVE"] * 5
    assert result[0].metadata == {}
    with pytest.raises(AttributeError):
        _ = result[0].fault
    assert len(requests_mock.request_history) == 1


@pytest.mark.parametrize(
    "call", [lambda gc: gc.discard(UUID), lambda gc: gc.discard_instance(UUID)]
)
def test_discard_and_alias(gc, requests_mock, call):
    answer(requests_mock, "null")
    assert call(gc) is None
    assert actions(requests_mock) == [("POST", ACTION, {"gc_discard": {}})]


def test_discard_through_delete_live_image_alias(gc, requests_mock):
    answer(requests_mock, "null")
    gc.delete_live_image(UUID)
    assert actions(requests_mock) == [("POST", ACTION, {"gc_discard": {}})]


@pytest.mark.parametrize(
    ("call", "body"),
    [
        (lambda gc: gc.migrate(UUID), {"gc_migrate": {}}),
        (lambda gc: gc.migrate(UUID, "host2"), {"gc_migrate": {"dest": "host2"}}),
        (lambda gc: gc.migrate(UUID, dest="host2"), {"gc_migrate": {"dest": "host2"}}),
        (lambda gc: gc.migrate_instance(UUID, "host2"), {"gc_migrate": {"dest": "host2"}}),
    ],
)
def test_migrate_and_alias(gc, requests_mock, call, body):
    answer(requests_mock, "")
    assert call(gc) is None
    assert actions(requests_mock) == [("POST", ACTION, body)]


def test_bless_with_name(gc, requests_mock, caps):
    answer(requests_mock, [view(CHILD, "img", "BUILD")])
    gc.bless(UUID, name="img")
    assert actions(requests_mock) == [("POST", ACTION, {"gc_bless": {"name": "img"}})]


def test_launch_with_every_option(gc, requests_mock, caps):
    answer(requests_mock, [view(CHILD, "vm", "BUILD")])
    result = gc.launch(
        UUID,
        target="512M",
        params={"a": "b"},
        guest_params={"c": 1},
        name="vm",
        user_data=b"#!/bin/sh\n",
        security_groups="default,web",
        num_instances=2,
        availability_zone="nova:host1",
        key_name="kp",
        scheduler_hints={"group": ["g1", "g2"]},
        networks=[{"uuid": "net1", "fixed_ip": "10.0.0.5"}],
    )
    listing = ("POST", ACTION, {"gc_list_launched": {}})  # before and after a launch of 2
    assert actions(requests_mock) == [
        listing,
        (
            "POST",
            ACTION,
            {
                "gc_launch": {
                    "target": "512MB",
                    "guest": {"a": "b", "c": "1"},
                    "name": "vm",
                    "user_data": base64.b64encode(b"#!/bin/sh\n").decode(),
                    "security_groups": ["default", "web"],
                    "num_instances": 2,
                    "availability_zone": "nova:host1",
                    "key_name": "kp",
                    "scheduler_hints": {"group": ["g1", "g2"]},
                    "networks": [{"uuid": "net1", "fixed_ip": "10.0.0.5"}],
                }
            },
        ),
        listing,
    ]
    assert result[0].id == CHILD
    assert caps.call_count == 1


def test_launch_takes_the_seed_positional_target_and_guest_params(gc, requests_mock):
    answer(requests_mock, [view(CHILD)])
    gc.launch(UUID, "1GB", {"k": "v"})
    assert actions(requests_mock) == [
        ("POST", ACTION, {"gc_launch": {"target": "1GB", "guest": {"k": "v"}}})
    ]


@pytest.mark.parametrize(
    ("call", "url", "sent", "reply", "expected"),
    [
        (
            lambda gc: gc.export(UUID),
            ACTION,
            {"gc_export": {}},
            {"fields": {}, "export_image_id": "img"},
            {"fields": {}, "export_image_id": "img"},
        ),
        (
            lambda gc: gc.get_policy(UUID),
            ACTION,
            {"co_get_policy": {}},
            ["[a]", "b=1"],
            ["[a]", "b=1"],
        ),
        (
            lambda gc: gc.install_policy("[x]", wait=True),
            f"{BASE}/gcpolicy",
            {"policy_ini_string": "[x]", "wait": True},
            "",
            None,
        ),
    ],
)
def test_export_policy_calls(gc, requests_mock, caps, call, url, sent, reply, expected):
    answer(requests_mock, reply, url=url)
    assert call(gc) == expected
    assert actions(requests_mock) == [("POST", url, sent)]


def test_import_server_returns_a_server(gc, requests_mock, caps):
    requests_mock.post(f"{BASE}/gc-import-server", json={"server": {"id": CHILD, "links": []}})
    server = gc.import_server({"fields": {}})
    assert isinstance(server, novaclient_ext.GridcentricServer)
    assert server.id == CHILD
    assert actions(requests_mock) == [
        ("POST", f"{BASE}/gc-import-server", {"data": {"fields": {}}})
    ]


def test_capabilities(gc, requests_mock, caps):
    assert gc.capabilities() == ALL_CAPS
    assert gc.capabilities() == ALL_CAPS
    assert caps.call_count == 1


def test_get_returns_a_server_with_one_request(gc, requests_mock):
    requests_mock.get(f"{BASE}/servers/{UUID}", json={"server": view(status="BLESSED")})
    server = gc.get(UUID)
    assert isinstance(server, novaclient_ext.GridcentricServer)
    assert server.status == "BLESSED"
    assert len(requests_mock.request_history) == 1


def test_a_name_is_resolved_by_one_filtered_query(gc, requests_mock):
    requests_mock.get(
        f"{BASE}/servers/detail", json={"servers": [view(name="web"), view(CHILD, "web2")]}
    )
    answer(requests_mock, [view(CHILD)])
    gc.bless("web")
    history = requests_mock.request_history
    assert [(r.method, r.path) for r in history] == [
        ("GET", "/v2/p1/servers/detail"),
        ("POST", f"/v2/p1/servers/{UUID}/action"),
    ]
    # limit: the early eras link a next page only when a limit is named, and a
    # listing reads every page (issue 20).
    assert history[0].qs == {"name": ["^web$"], "limit": ["1000"]}


def test_a_novaclient_server_object_is_accepted_without_a_request(gc, nova, requests_mock):
    answer(requests_mock, [])
    plain = nova_servers.Server(nova.servers, view(), loaded=True)
    assert gc.list_blessed(plain) == []
    assert actions(requests_mock) == [("POST", ACTION, {"gc_list_blessed": {}})]


# -- server object methods ---------------------------------------------------


@pytest.fixture
def blessed(gc):
    info = view(status="BLESSED", metadata={"blessed_from": CHILD})
    return novaclient_ext.GridcentricServer(gc, info, loaded=True)


@pytest.mark.parametrize(
    ("call", "body", "reply"),
    [
        (lambda s: s.launch(), {"gc_launch": {}}, [view(CHILD)]),
        (lambda s: s.launch(target="2G"), {"gc_launch": {"target": "2GB"}}, [view(CHILD)]),
        (lambda s: s.bless(), {"gc_bless": {}}, [view(CHILD)]),
        (lambda s: s.list_launched(), {"gc_list_launched": {}}, [view(CHILD)]),
        (lambda s: s.list_blessed(), {"gc_list_blessed": {}}, [view(CHILD)]),
        (lambda s: s.discard(), {"gc_discard": {}}, "null"),
        (lambda s: s.migrate(), {"gc_migrate": {}}, ""),
        (lambda s: s.migrate("h2"), {"gc_migrate": {"dest": "h2"}}, ""),
        (lambda s: s.migrate(dest="h2"), {"gc_migrate": {"dest": "h2"}}, ""),
    ],
)
def test_server_methods(blessed, requests_mock, call, body, reply):
    answer(requests_mock, reply)
    result = call(blessed)
    assert actions(requests_mock) == [("POST", ACTION, body)]
    if isinstance(reply, list):
        assert [s.id for s in result] == [CHILD]
        assert all(isinstance(s, novaclient_ext.GridcentricServer) for s in result)
    else:
        assert result is None


def test_server_delete_and_refresh(gc, requests_mock):
    server = novaclient_ext.GridcentricServer(gc, view(CHILD, status="BUILD"), loaded=True)
    requests_mock.get(f"{BASE}/servers/{CHILD}", json={"server": view(CHILD, status="ACTIVE")})
    requests_mock.delete(f"{BASE}/servers/{CHILD}", status_code=204)
    server.get()
    assert server.status == "ACTIVE"
    server.delete()
    assert [(r.method, r.path) for r in requests_mock.request_history] == [
        ("GET", f"/v2/p1/servers/{CHILD}"),
        ("DELETE", f"/v2/p1/servers/{CHILD}"),
    ]


def test_deleting_a_blessed_server_is_refused_before_sending(blessed, gc, requests_mock):
    with pytest.raises(nova_exc.CommandError, match="discard"):
        blessed.delete()
    requests_mock.get(
        f"{BASE}/servers/{UUID}", json={"server": view(metadata={"blessed_from": CHILD})}
    )
    with pytest.raises(nova_exc.CommandError):
        gc.delete(UUID)
    assert [r.method for r in requests_mock.request_history] == ["GET"]


def test_other_server_calls_go_to_the_servers_manager(blessed, requests_mock):
    requests_mock.post(ACTION, status_code=202)
    blessed.reboot()
    assert requests_mock.last_request.json() == {"reboot": {"type": "SOFT"}}


# -- errors --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "fault", "cls"),
    [
        (400, "badRequest", nova_exc.BadRequest),
        (403, "forbidden", nova_exc.Forbidden),
        (404, "itemNotFound", nova_exc.NotFound),
        (413, "overLimit", nova_exc.OverLimit),
        (500, "computeFault", nova_exc.ClientException),
    ],
)
def test_http_errors_become_novaclient_exceptions(gc, requests_mock, status, fault, cls):
    message = f"Instance {UUID} is not a live image."
    answer(requests_mock, {fault: {"code": status, "message": message}}, status=status)
    with pytest.raises(cls) as err:
        gc.launch(UUID)
    assert err.value.code == status
    assert err.value.message == message
    assert isinstance(err.value, nova_exc.ClientException)


def test_missing_capability_is_refused_before_sending(gc, requests_mock):
    requests_mock.get(f"{BASE}/gcinfo", status_code=404, json={})
    with pytest.raises(nova_exc.CommandError, match="launch-name"):
        gc.launch(UUID, name="x")
    assert [r.path for r in requests_mock.request_history] == ["/v2/p1/gcinfo"]


def test_bad_input_is_a_command_error(gc, requests_mock):
    with pytest.raises(nova_exc.CommandError, match="Invalid memory target"):
        gc.launch(UUID, target="lots")
    with pytest.raises(nova_exc.CommandError, match="at least 1"):
        gc.launch(UUID, num_instances=0)
    assert requests_mock.request_history == []


def test_unknown_name_and_ambiguous_name(gc, requests_mock):
    requests_mock.get(f"{BASE}/servers/detail", json={"servers": []})
    with pytest.raises(nova_exc.NotFound, match="No server with a name or ID of 'x' exists."):
        gc.bless("x")
    twins = [view(name="x"), view(CHILD, "x")]  # two servers: a listing drops a repeated ID
    requests_mock.get(f"{BASE}/servers/detail", json={"servers": twins})
    with pytest.raises(nova_exc.NoUniqueMatch):
        gc.bless("x")


def test_missing_server_on_get_is_not_found(gc, requests_mock):
    requests_mock.get(
        f"{BASE}/servers/{UUID}",
        status_code=404,
        json={"itemNotFound": {"code": 404, "message": "gone"}},
    )
    # A server may be named like a UUID: one name lookup follows the 404.
    requests_mock.get(f"{BASE}/servers/detail", json={"servers": []})
    with pytest.raises(nova_exc.NotFound):
        gc.get(UUID)
    assert [r.path for r in requests_mock.request_history][-2:] == [
        f"/v2/p1/servers/{UUID}",
        "/v2/p1/servers/detail",
    ]


def test_connection_failure_is_one_line_command_error(gc, requests_mock):
    import requests

    requests_mock.post(ACTION, exc=requests.exceptions.ConnectionError("Connection refused"))
    with pytest.raises(nova_exc.CommandError):
        gc.discard(UUID)


# -- nova shell ------------------------------------------------------------------


@pytest.fixture
def parser():
    shell = nova_shell.OpenStackComputeShell()
    shell.extensions = nova_client.discover_extensions("2")
    parser = shell.get_subcommand_parser(api_versions.APIVersion("2.0"), do_help=True, argv=[])
    return shell, parser


HELP = {
    "bless": (
        "usage: nova bless <instance id>\n\nBless an instance\n\nPositional arguments:\n"
        "  <instance id>  ID of the instance to bless\n"
    ),
    "discard": (
        "usage: nova discard <blessed id>\n\nDiscard a blessed instance\n\n"
        "Positional arguments:\n  <blessed id>  ID of the blessed instance\n"
    ),
    "list-launched": (
        "usage: nova list-launched <blessed id>\n\n"
        "List instances launched from this blessed instance.\n\n"
        "Positional arguments:\n  <blessed id>  ID of the blessed instance\n"
    ),
    "list-blessed": (
        "usage: nova list-blessed <server id>\n\nList instances blessed from this instance.\n\n"
        "Positional arguments:\n  <server id>  ID of the instance\n"
    ),
}


@pytest.mark.parametrize("command", sorted(HELP))
def test_shell_help_matches_the_seed(parser, command, capsys):
    shell, _ = parser
    assert shell.subcommands[command].format_help() == HELP[command]


def test_shell_help_of_launch_and_gc_migrate(parser):
    shell, _ = parser
    launch = shell.subcommands["launch"].format_help()
    assert launch.startswith("usage: nova launch [--target <target memory>] [--params <key=value>]")
    assert "\n\nLaunch a new instance\n\n" in launch
    assert re.search(r"\n  <blessed id> +ID of the blessed instance\n", launch)
    assert re.search(r"\n  --target <target memory> +The memory target of the launched", launch)
    assert re.search(r"\n  --params <key=value> +Guest parameters to send to vms-agent\n", launch)
    for option in (
        "--name",
        "--num-instances",
        "--user-data",
        "--security-groups",
        "--availability-zone",
        "--key-name",
        "--hint",
        "--nic",
    ):
        assert option in launch
    migrate = shell.subcommands["gc-migrate"].format_help()
    assert migrate.startswith("usage: nova gc-migrate <instance id> [<destination host>]\n")
    assert "\n\nMigrate an instance using Gridcentric VMS\n\n" in migrate
    assert "<instance id>       ID of the instance to migrate" in migrate
    assert "<destination host>  Host to migrate to" in migrate


def test_shell_commands_do_not_clash_with_nova(parser):
    shell, _ = parser
    import novaclient.v2.shell as v2

    builtin = {a[3:].replace("_", "-") for a in dir(v2) if a.startswith("do_")}
    ours = {a[3:].replace("_", "-") for a in dir(novaclient_ext) if a.startswith("do_")}
    assert ours == {"bless", "launch", "discard", "gc-migrate", "list-launched", "list-blessed"}
    assert ours.isdisjoint(builtin)
    assert ours <= set(shell.subcommands)


def run(parser, nova, argv):
    shell, subparser = parser
    args = subparser.parse_args(argv)
    args.func(nova, args)


def test_shell_launch_sends_every_option(parser, nova, requests_mock, caps, tmp_path, capsys):
    user_data = tmp_path / "ud"
    user_data.write_bytes(b"hello\n")
    answer(requests_mock, [view(CHILD, "vm", "BUILD", addresses={"net": [{"addr": "10.0.0.2"}]})])
    run(
        parser,
        nova,
        [
            "launch",
            "--target",
            "512MB",
            "--params",
            "a=b",
            "--params",
            "c=d=e",
            "--name",
            "vm",
            "--num-instances",
            "2",
            "--user-data",
            str(user_data),
            "--security-groups",
            "default,web",
            "--availability-zone",
            "nova",
            "--key-name",
            "kp",
            "--hint",
            "g=1",
            "--hint",
            "g=2",
            "--hint",
            "near=x",
            "--nic",
            "net-id=n1,v4-fixed-ip=10.0.0.9",
            "--nic",
            "port-id=p2",
            UUID,
        ],
    )
    listing = ("POST", ACTION, {"gc_list_launched": {}})  # before and after a launch of 2
    assert actions(requests_mock) == [
        listing,
        (
            "POST",
            ACTION,
            {
                "gc_launch": {
                    "target": "512MB",
                    "guest": {"a": "b", "c": "d=e"},
                    "name": "vm",
                    "num_instances": 2,
                    "user_data": base64.b64encode(b"hello\n").decode(),
                    "security_groups": ["default", "web"],
                    "availability_zone": "nova",
                    "key_name": "kp",
                    "scheduler_hints": {"g": ["1", "2"], "near": "x"},
                    "networks": [{"uuid": "n1", "fixed_ip": "10.0.0.9"}, {"port": "p2"}],
                }
            },
        ),
        listing,
    ]
    out = capsys.readouterr().out
    assert "| Property" in out
    assert "| id " in out and CHILD in out
    assert "| net network | 10.0.0.2" in out


def test_shell_seed_commands(parser, nova, requests_mock, capsys):
    answer(requests_mock, [view(CHILD, "b", "BUILD")])
    run(parser, nova, ["bless", UUID])
    run(parser, nova, ["launch", "--target", "512MB", "--params", "a=b", UUID])
    run(parser, nova, ["list-launched", UUID])
    run(parser, nova, ["list-blessed", UUID])
    answer(requests_mock, "null")
    run(parser, nova, ["discard", UUID])
    answer(requests_mock, "")
    run(parser, nova, ["gc-migrate", UUID, "host2"])
    run(parser, nova, ["gc-migrate", UUID])
    assert [body for _, _, body in actions(requests_mock)] == [
        {"gc_bless": {}},
        {"gc_launch": {"target": "512MB", "guest": {"a": "b"}}},
        {"gc_list_launched": {}},
        {"gc_list_blessed": {}},
        {"gc_discard": {}},
        {"gc_migrate": {"dest": "host2"}},
        {"gc_migrate": {}},
    ]


def test_shell_list_output_is_sorted_by_id(parser, nova, requests_mock, capsys):
    answer(
        requests_mock,
        [
            view("b" * 8, "second", addresses={"n1": [{"addr": "1.1.1.1"}, {"addr": "::1"}]}),
            view("a" * 8, "first", addresses=None),
        ],
    )
    run(parser, nova, ["list-launched", UUID])
    lines = capsys.readouterr().out.splitlines()
    assert [cell.strip() for cell in lines[1].split("|")[1:5]] == [
        "ID",
        "Name",
        "Status",
        "Networks",
    ]
    assert lines[3].startswith("| aaaaaaaa | first")
    assert lines[4].startswith("| bbbbbbbb | second | ACTIVE | n1=1.1.1.1, ::1 |")


def test_shell_server_display_survives_odd_views(capsys):
    novaclient_ext.print_server(
        {"id": "x", "image": "", "flavor": None, "addresses": "junk", "links": [], "fault": {}}
    )
    out = capsys.readouterr().out
    assert "Attempt to boot from volume - no image supplied" in out
    assert "| fault    | {}" in out


def test_shell_input_errors_are_command_errors(parser, nova, requests_mock):
    for argv in (
        ["launch", "--target", "lots", UUID],
        ["launch", "--num-instances", "two", UUID],
        ["launch", "--nic", "foo=bar", UUID],
        ["launch", "--hint", "nokey", UUID],
        ["launch", "--user-data", "/nonexistent/file", UUID],
    ):
        with pytest.raises(nova_exc.CommandError):
            run(parser, nova, argv)
    assert requests_mock.request_history == []


def test_shell_warns_on_a_target_without_unit(parser, nova, requests_mock, capsys):
    answer(requests_mock, [view(CHILD)])
    run(parser, nova, ["launch", "--target", "4096", UUID])
    assert "read as 4096 bytes" in capsys.readouterr().err
    assert actions(requests_mock)[0][2] == {"gc_launch": {"target": "4096"}}


def test_namespace_parsing_is_argparse(parser):
    _, subparser = parser
    assert isinstance(subparser, argparse.ArgumentParser)


def test_an_unknown_outcome_names_the_nova_command_that_checks(gc, caps, requests_mock):
    import requests

    from gcclient.api import exceptions

    reset = requests.exceptions.ConnectionError(
        "('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))"
    )
    requests_mock.post(ACTION, exc=reset)
    with pytest.raises(nova_exc.CommandError) as err:
        gc.launch(UUID)
    assert str(err.value) == (
        "The gc_launch request was sent but its answer was lost (the connection was reset); "
        f"it may have been carried out: check with nova list-launched {UUID} before retrying"
    )
    assert isinstance(err.value.__cause__, exceptions.UnknownOutcome)
    assert err.value.__cause__.server == UUID
    with pytest.raises(nova_exc.CommandError):
        gc.launch_request(UUID, gc_launch_request())


def gc_launch_request():
    from gcclient.core.launch_request import LaunchRequest

    return LaunchRequest.build(name="x")
