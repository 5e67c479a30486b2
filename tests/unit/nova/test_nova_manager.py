"""gcclient.nova.nova_manager: nova.gridcentric's methods and the server objects it
returns, on requests-mock: exact request bodies, no extra requests, errors as
novaclient's exceptions in nova's words."""

import base64
from types import SimpleNamespace

import pytest
from novaclient import exceptions as nova_exc
from novaclient.v2 import servers as nova_servers

from gcclient.api import exceptions
from gcclient.api.gcwire import Wire
from gcclient.nova import nova_manager

from .helpers import ACTION, ALL_CAPS, BASE, CHILD, UUID, actions, answer, view

SERVER_METHODS = ("launch", "bless", "discard", "migrate", "list_launched", "list_blessed")


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
    assert isinstance(server, nova_manager.GridcentricServer)
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
    assert isinstance(server, nova_manager.GridcentricServer)
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
    assert isinstance(server, nova_manager.GridcentricServer)
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
    return nova_manager.GridcentricServer(gc, info, loaded=True)


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
        assert all(isinstance(s, nova_manager.GridcentricServer) for s in result)
    else:
        assert result is None


def test_server_delete_and_refresh(gc, requests_mock):
    server = nova_manager.GridcentricServer(gc, view(CHILD, status="BUILD"), loaded=True)
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


# -- gcclient's errors as novaclient's, in nova's words --------------------------


@pytest.mark.parametrize(
    ("error", "cls"),
    [
        (exceptions.NotFound("gone"), nova_exc.NotFound),
        (exceptions.ClientException("no", http_status=405), nova_exc.MethodNotAllowed),
        (exceptions.ClientException("slow down", http_status=429), nova_exc.RateLimit),
        (exceptions.ClientException("odd", http_status=418), nova_exc.ClientException),
    ],
)
def test_status_errors_keep_their_status_and_request_id(error, cls):
    error.request_id, error.url, error.method = "req-7", f"{BASE}/x", "POST"
    translated = nova_manager.to_novaclient_error(error)
    assert type(translated) is cls
    assert (translated.code, translated.request_id) == (error.http_status, "req-7")
    assert (translated.url, translated.method) == (f"{BASE}/x", "POST")


def test_the_status_suffix_is_left_to_novaclient():
    error = exceptions.BadRequest("Invalid key", request_id="req-1", answered=True)
    assert str(error) == "Invalid key (HTTP 400) (Request-ID: req-1)"
    translated = nova_manager.to_novaclient_error(error)
    assert translated.message == "Invalid key"
    assert str(translated) == "Invalid key (HTTP 400) (Request-ID: req-1)"


def test_other_errors_are_command_errors_in_nova_words():
    refused = nova_manager.to_novaclient_error(exceptions.BlessedDelete("b1"))
    assert type(refused) is nova_exc.CommandError
    assert str(refused) == (
        "Server b1 is a blessed server (live image): discard it instead (nova discard, "
        "or .discard())"
    )
    missing = nova_manager.to_novaclient_error(exceptions.CapabilityError("name", "launch-name"))
    assert str(missing) == (
        "This cloud does not support --name: it does not advertise the 'launch-name' capability"
    )
    twins = nova_manager.to_novaclient_error(exceptions.NoUniqueMatch("2 named x", name="x"))
    assert type(twins) is nova_exc.NoUniqueMatch
    assert str(twins) == "2 named x"


def test_private_names_are_not_passed_to_nova_servers(gc):
    with pytest.raises(AttributeError):
        gc._no_such_thing  # noqa: B018
    assert gc.reboot == gc.api.servers.reboot


def test_requests_are_recorded_for_nova_timings(nova, gc, requests_mock):
    answer(requests_mock, [])
    nova.client.timings = True
    nova.client.times = []
    gc.list_blessed(UUID)
    assert [(name, type(start), type(end)) for name, start, end in nova.client.times] == [
        (f"POST /servers/{UUID}/action", float, float)
    ]
    nova.client.timings = False
    gc.list_blessed(UUID)
    assert len(nova.client.times) == 1


def test_the_adapter_takes_the_session_clients_options_and_compute_by_default(nova):
    client = SimpleNamespace(session=nova.client.session, region_name="R2", interface="internal")
    manager = nova_manager.NovaGridcentricManager(SimpleNamespace(client=client))
    adapter = manager.wire.adapter
    assert type(adapter) is nova_manager.TimedAdapter
    assert (adapter.service_type, adapter.region_name, adapter.interface) == (
        "compute", "R2", "internal"
    )  # fmt: skip
    assert adapter.session is nova.client.session
