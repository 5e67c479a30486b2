"""gcclient.cli.server_commands: show, delete and gc-migrate's take_action on a Wire
over requests-mock: the requests each sends, what it returns and the outcome
recorded in the ledger (the parsers are in test_server_commands_parsers.py)."""

from __future__ import annotations

import pytest
from keystoneauth1 import adapter, session

from gcclient.api.exceptions import BlessedDelete, CommandError, WaitError
from gcclient.api.gcwire import Wire
from gcclient.cli import server_commands as sc
from gcclient.core.ledger import DONE, Ledger

from ..fakes import command

BASE = "http://nova.test/v2/p1"
UUID = "11111111-2222-3333-4444-555555555555"
SERVER = f"{BASE}/servers/{UUID}"
ACTION = f"{SERVER}/action"


def view(status="ACTIVE", **extra):
    return {"id": UUID, "name": "web", "status": status, "metadata": {}, **extra}


@pytest.fixture
def wire():
    return Wire(adapter.Adapter(session=session.Session(), endpoint_override=BASE))


def run(cls, wire, name, argv):
    """take_action as Outcomes.run calls it, with a fresh ledger."""
    cmd, args = command(cls, wire, name, argv)
    cmd.ledger, cmd.failure, cmd.summary = Ledger(), None, []
    return cmd, cmd.take_action(args)


def sent(requests_mock):
    return [(r.method, r.url, r.json() if r.body else None) for r in requests_mock.request_history]


def test_show_is_one_get_and_the_views_properties(wire, requests_mock):
    requests_mock.get(SERVER, json={"server": view(image={"id": "i-1"}, flavor={"id": "1"})})
    _, (names, values) = run(sc.ShowServer, wire, "show", [UUID])
    shown = dict(zip(names, values, strict=True))
    assert (shown["id"], shown["name"], shown["status"]) == (UUID, "web", "ACTIVE")
    assert (shown["image"], shown["flavor"]) == ("i-1", "1")
    assert sent(requests_mock) == [("GET", SERVER, None)]


def test_delete_looks_up_then_deletes_and_records_it_done(wire, requests_mock):
    requests_mock.get(SERVER, json={"server": view()})
    requests_mock.delete(SERVER, status_code=204)
    cmd, result = run(sc.DeleteServer, wire, "delete", [UUID])
    assert result is None
    assert sent(requests_mock) == [("GET", SERVER, None), ("DELETE", SERVER, None)]
    assert [(e.server, e.state) for e in cmd.ledger.of("delete")] == [(UUID, DONE)]
    assert cmd.failure is None


def test_delete_with_wait_polls_until_the_server_is_gone(wire, requests_mock):
    requests_mock.get(SERVER, [{"json": {"server": view()}}, {"status_code": 404}])
    requests_mock.delete(SERVER, status_code=204)
    cmd, _ = run(sc.DeleteServer, wire, "delete", [UUID, "--wait"])
    assert [r.method for r in requests_mock.request_history] == ["GET", "DELETE", "GET"]
    assert cmd.failure is None


def test_delete_of_a_live_image_is_refused_before_sending(wire, requests_mock):
    requests_mock.get(SERVER, json={"server": view("BLESSED", metadata={"blessed_from": "x"})})
    with pytest.raises(BlessedDelete):
        run(sc.DeleteServer, wire, "delete", [UUID])
    assert [r.method for r in requests_mock.request_history] == ["GET"]


def test_migrate_sends_the_destination(wire, requests_mock):
    requests_mock.post(ACTION, status_code=200, json={})
    cmd, result = run(sc.MigrateServer, wire, "gc-migrate", [UUID, "host2"])
    assert result is None
    assert sent(requests_mock) == [("POST", ACTION, {"gc_migrate": {"dest": "host2"}})]
    assert [(e.server, e.state) for e in cmd.ledger.of("migrate")] == [(UUID, DONE)]


def test_migrate_without_a_destination_lets_the_cloud_pick(wire, requests_mock):
    requests_mock.post(ACTION, status_code=200, json={})
    run(sc.MigrateServer, wire, "gc-migrate", [UUID])
    assert sent(requests_mock) == [("POST", ACTION, {"gc_migrate": {}})]


@pytest.mark.parametrize(
    ("dest", "message"),
    [
        (" ", "Invalid destination host '': it is empty (leave it out to let the cloud choose)"),
        ("h\x07", "Invalid destination host 'h\\x07': not a host name"),
    ],
)
def test_an_invalid_destination_is_refused_before_sending(wire, requests_mock, dest, message):
    with pytest.raises(CommandError) as err:
        run(sc.MigrateServer, wire, "gc-migrate", [UUID, dest])
    assert str(err.value) == message
    assert requests_mock.request_history == []


def test_migrate_with_wait_checks_the_host_it_landed_on(wire, requests_mock):
    requests_mock.post(ACTION, status_code=200, json={})
    requests_mock.get(SERVER, json={"server": view(**{"OS-EXT-SRV-ATTR:host": "host2"})})
    cmd, _ = run(sc.MigrateServer, wire, "gc-migrate", [UUID, "host2", "--wait"])
    assert cmd.failure is None
    with pytest.raises(WaitError) as err:
        run(sc.MigrateServer, wire, "gc-migrate", [UUID, "host3", "--wait"])
    assert str(err.value) == f"Server {UUID} is ACTIVE on host2, not on host3"


def test_gc_migrate_has_an_alias():
    assert sc.MigrateServer.alias_class is sc.MigrateServerAlias
    assert sc.MigrateServerAlias.__doc__ == (
        "Migrate an instance using Gridcentric VMS (alias of 'gc-migrate')"
    )
