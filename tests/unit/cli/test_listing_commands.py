"""gcclient.cli.listing_commands: ``gc list``'s take_action on a Wire over
requests-mock: the query sent per option, the rows (oldest first) and the columns
(the parser is in test_listing_commands_parsers.py)."""

from __future__ import annotations

import argparse

import pytest
from keystoneauth1 import adapter, session

from gcclient.api.gcwire import Wire
from gcclient.cli import listing_commands as lc

from ..fakes import command

BASE = "http://nova.test/v2/p1"
DETAIL = f"{BASE}/servers/detail"


def server(sid, name, status="ACTIVE", created="", **metadata):
    return {"id": sid, "name": name, "status": status, "created": created, "metadata": metadata}


SERVERS = [
    server("s1", "web", created="2026-01-02T00:00:00Z"),
    server("b1", "img", "BLESSED", "2026-01-03T00:00:00Z", blessed_from="s1"),
    server("l1", "kid", created="2026-01-01T00:00:00Z", launched_from="b1"),
    server("l0", "zz", created="2026-01-01T00:00:00Z", launched_from="b1"),
]


@pytest.fixture
def wire():
    return Wire(adapter.Adapter(session=session.Session(), endpoint_override=BASE))


def list_servers(wire, requests_mock, argv, answer=SERVERS):
    requests_mock.get(DETAIL, json={"servers": answer})
    cmd, args = command(lc.ListServers, wire, "list", argv)
    columns, rows = cmd.take_action(args)
    queries = [r.url.partition("?")[2] for r in requests_mock.request_history]
    return columns, rows, queries


def test_live_images_are_asked_for_as_blessed(wire, requests_mock):
    columns, rows, queries = list_servers(wire, requests_mock, [])
    assert columns == ("ID", "Name", "Status", "Role")
    assert rows == [("b1", "img", "BLESSED", "live image")]
    assert queries == ["status=BLESSED&limit=1000"]


def test_all_roles_oldest_first_then_by_name(wire, requests_mock):
    _, rows, queries = list_servers(wire, requests_mock, ["--all"])
    assert rows == [  # same created: by name, not by ID
        ("l1", "kid", "ACTIVE", "launched"),
        ("l0", "zz", "ACTIVE", "launched"),
        ("s1", "web", "ACTIVE", "source"),
        ("b1", "img", "BLESSED", "live image"),
    ]
    assert queries == ["limit=1000"]


def test_launched_with_a_status_and_a_name_filtered_by_the_server(wire, requests_mock):
    _, rows, queries = list_servers(
        wire, requests_mock, ["--launched", "--status", "error", "--name", "^k"]
    )
    assert rows == [("l1", "kid", "ACTIVE", "launched"), ("l0", "zz", "ACTIVE", "launched")]
    assert queries == ["status=ERROR&name=%5Ek&limit=1000"]


def test_long_adds_source_host_az_created_and_networks(wire, requests_mock):
    view = {
        **server("b1", "img", "BLESSED", "2026-01-03T00:00:00Z", blessed_from="s1"),
        "OS-EXT-SRV-ATTR:host": "h1",
        "OS-EXT-AZ:availability_zone": "nova",
        "addresses": {"private": [{"addr": "10.0.0.1"}, {"addr": "10.0.0.2"}]},
    }
    columns, rows, _ = list_servers(wire, requests_mock, ["--long"], [view])
    assert columns == (
        "ID", "Name", "Status", "Role", "Source", "Host", "AZ", "Created", "Networks"
    )  # fmt: skip
    assert rows == [
        ("b1", "img", "BLESSED", "live image", "s1", "h1", "nova", "2026-01-03T00:00:00Z",
         "private=10.0.0.1, 10.0.0.2"),
    ]  # fmt: skip


def test_all_projects_sends_all_tenants_and_adds_the_project(wire, requests_mock):
    view = {**server("s9", "theirs"), "tenant_id": "p2"}
    columns, rows, queries = list_servers(wire, requests_mock, ["--all", "--all-projects"], [view])
    assert columns == ("ID", "Name", "Status", "Role", "Project")
    assert rows == [("s9", "theirs", "ACTIVE", "source", "p2")]
    assert queries == ["limit=1000&all_tenants=1"]


def test_a_missing_name_or_status_is_an_empty_cell(wire, requests_mock):
    _, rows, _ = list_servers(wire, requests_mock, ["--all"], [{"id": "x", "metadata": {}}])
    assert rows == [("x", "", "", "source")]


def test_status_type_knows_novas_statuses():
    assert lc.status_type("blessed") == "BLESSED"
    with pytest.raises(argparse.ArgumentTypeError) as err:
        lc.status_type("sleeping")
    assert str(err.value).startswith("must be one of ACTIVE, BLESSED, BUILD, DELETED, ERROR,")


def test_name_must_be_a_regular_expression():
    assert lc._regex("^w.*") == "^w.*"
    with pytest.raises(argparse.ArgumentTypeError) as err:
        lc._regex("(")
    assert str(err.value) == (
        "not a regular expression (missing ), unterminated subpattern at position 0)"
    )
