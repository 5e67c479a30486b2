"""store.lineage: the list views' query shares decoded JSON values across its rows (a
lineage of 10,000 clones holds one metadata text); every other query decodes each row
on its own, so that a write path that changes a value changes one server only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gcclient.simulator import store

IMAGE = "11111111-1111-4111-8111-111111111111"


def _server(number: int, *, launched_from: str = IMAGE, project: str = "p1") -> dict:
    return {
        "id": f"00000000-0000-4000-8000-{number:012d}",
        "project_id": project,
        "user_id": "u1",
        "name": f"clone-{number}",
        "vm_state": "active",
        "metadata": {"launched_from": launched_from},
        "security_groups": ["default"],
        "created": "2026-12-05T00:00:00Z",
        "updated": "2026-12-05T00:00:00Z",
    }


@pytest.fixture
def conn() -> Iterator:
    db = store.Store(":memory:")
    with db.tx() as connection:
        for number in range(3):
            store.insert_server(connection, _server(number))
        store.insert_server(connection, _server(3, project="p2"))
        store.insert_server(connection, _server(4, launched_from="other"))
        yield connection
    db.close()


def test_lineage_shares_equal_json_values_across_rows(conn) -> None:
    clones = store.lineage(conn, "launched_from", IMAGE, "p1")
    assert [c["name"] for c in clones] == ["clone-0", "clone-1", "clone-2"]
    assert all(c["metadata"] == {"launched_from": IMAGE} for c in clones)
    assert clones[0]["metadata"] is clones[2]["metadata"]
    assert clones[0]["security_groups"] is clones[1]["security_groups"]


def test_lineage_of_an_admin_spans_projects_oldest_first(conn) -> None:
    clones = store.lineage(conn, "launched_from", IMAGE)
    assert [c["name"] for c in clones] == ["clone-0", "clone-1", "clone-2", "clone-3"]


def test_other_queries_decode_each_row_apart(conn) -> None:
    first = store.get_server(conn, "00000000-0000-4000-8000-000000000000")
    second = store.get_server(conn, "00000000-0000-4000-8000-000000000001")
    assert first is not None and second is not None
    first["metadata"]["changed"] = "yes"
    assert second["metadata"] == {"launched_from": IMAGE}


def test_lineage_refuses_another_column(conn) -> None:
    with pytest.raises(ValueError):
        store.lineage(conn, "name", IMAGE)
