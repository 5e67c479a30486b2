"""store.lineage and lineage_rows: the servers of a live image's lineage, oldest first,
scoped to a project unless none is given (an admin's list)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from gcclient.simulator import store
from tests.unit.simulator.rows import IMAGE, server_row


@pytest.fixture
def conn() -> Iterator:
    db = store.Store(":memory:")
    with db.tx() as connection:
        for number in range(3):
            store.insert_server(connection, server_row(number))
        store.insert_server(connection, server_row(3, project="p2"))
        store.insert_server(connection, server_row(4, launched_from="other"))
        yield connection
    db.close()


def test_lineage_of_a_project_oldest_first(conn) -> None:
    clones = store.lineage(conn, "launched_from", IMAGE, "p1")
    assert [c["name"] for c in clones] == ["clone-0", "clone-1", "clone-2"]
    assert clones[0]["metadata"] == {"launched_from": IMAGE}
    assert clones[0]["security_groups"] == ["default"]


def test_lineage_of_an_admin_spans_projects(conn) -> None:
    clones = store.lineage(conn, "launched_from", IMAGE)
    assert [c["name"] for c in clones] == ["clone-0", "clone-1", "clone-2", "clone-3"]


def test_lineage_rows_are_the_same_servers_undecoded(conn) -> None:
    rows = store.lineage_rows(conn, "launched_from", IMAGE, "p1")
    assert [store.decode_row(row) for row in rows] == store.lineage(
        conn, "launched_from", IMAGE, "p1"
    )
    assert json.loads(rows[0]["metadata"]) == {"launched_from": IMAGE}


def test_deleted_servers_are_not_in_a_lineage(conn) -> None:
    store.update_server(conn, "00000000-0000-4000-8000-000000000001", deleted=1)
    clones = store.lineage(conn, "launched_from", IMAGE, "p1")
    assert [c["name"] for c in clones] == ["clone-0", "clone-2"]


def test_lineage_refuses_another_column(conn) -> None:
    with pytest.raises(ValueError):
        store.lineage_rows(conn, "name", IMAGE)
