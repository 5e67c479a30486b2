"""gcclient/client.py: the Python API's server objects and its Client over a given
keystoneauth session (requests-mock answers as nova would)."""

from __future__ import annotations

from unittest.mock import Mock

import pytest
from keystoneauth1 import session as ksa_session

from gcclient.client import Client, GridcentricManager, Server

NOVA = "http://nova.example/v2/p1"
SID = "6f3c6e1a-3c0e-4a43-9d1b-6d1f0c0b0a01"


def server(**info):
    return Server(Mock(spec=GridcentricManager), {"id": SID, "name": "web", **info})


def test_a_server_reads_its_view_as_attributes():
    made = server(status="ACTIVE", metadata={"blessed_from": "x"})
    assert (made.id, made.name, made.status) == (SID, "web", "ACTIVE")
    assert made.metadata == {"blessed_from": "x"}
    made.metadata["changed"] = "y"  # a copy: the view is not changed through it
    assert made.to_dict()["metadata"] == {"blessed_from": "x"}
    with pytest.raises(AttributeError):
        made.flavor  # noqa: B018
    assert repr(made) == f"<Server {SID} 'web' ACTIVE>"


def test_servers_are_equal_by_id():
    assert server(status="BUILD") == server(status="ACTIVE")
    assert len({server(), server()}) == 1
    assert server() != SID


def test_a_servers_methods_are_the_managers_with_the_server():
    made = server()
    made.bless(name="gold")
    made.launch(target="512MB")
    made.migrate("compute-2")
    made.discard()
    made.delete()
    manager = made.manager
    manager.bless.assert_called_once_with(made, name="gold")
    manager.launch.assert_called_once_with(made, target="512MB")
    manager.migrate.assert_called_once_with(made, "compute-2")
    manager.discard.assert_called_once_with(made)
    manager.delete.assert_called_once_with(made)


def test_refresh_updates_the_object_in_place():
    made = server(status="BUILD")
    made.manager.get.return_value = server(status="ACTIVE")
    assert made.refresh() is made
    assert made.status == "ACTIVE"


@pytest.fixture
def client():
    return Client(session=ksa_session.Session(), endpoint_override=NOVA)


def test_client_over_a_session_lists_launched_servers(client, requests_mock):
    requests_mock.post(
        f"{NOVA}/servers/{SID}/action",
        json=[{"id": "c1", "name": "web-clone", "status": "ACTIVE"}],
    )
    launched = client.gridcentric.list_launched(SID)
    assert [(s.id, s.name) for s in launched] == [("c1", "web-clone")]
    assert all(s.manager is client.gridcentric for s in launched)
    (request,) = requests_mock.request_history
    assert request.json() == {"gc_list_launched": {}}  # a UUID is an ID: no lookup


def test_client_gets_a_server_by_id(client, requests_mock):
    requests_mock.get(f"{NOVA}/servers/{SID}", json={"server": {"id": SID, "name": "web"}})
    found = client.gridcentric.get(SID)
    assert isinstance(found, Server) and found.name == "web"
    assert client.connection is None and client.wire is client.gridcentric.wire
