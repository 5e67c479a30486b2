"""isolation.py: lineage metadata may name only the caller's own live servers."""

from __future__ import annotations

import pytest

from gcclient.simulator.eras import COBALT, ESSEX
from gcclient.simulator.isolation import check_lineage, foreign_reference
from gcclient.simulator.responses import ApiError
from gcclient.simulator.store import Store, insert_server, update_server


@pytest.fixture
def conn():
    store = Store(":memory:")
    with store.tx() as connection:
        for sid, project in (("mine", "p1"), ("theirs", "p2")):
            insert_server(
                connection,
                {
                    "id": sid,
                    "project_id": project,
                    "user_id": "u",
                    "vm_state": "active",
                    "created": "t",
                    "updated": "t",
                },
            )
        yield connection
    store.close()


def test_own_unknown_and_empty_references_pass(conn):
    assert foreign_reference(conn, {}, "p1") is None
    assert foreign_reference(conn, {"blessed_from": "mine"}, "p1") is None
    assert foreign_reference(conn, {"launched_from": "nowhere"}, "p1") is None
    assert foreign_reference(conn, {"blessed_from": ""}, "p1") is None


def test_another_projects_server_is_named(conn):
    assert foreign_reference(conn, {"blessed_from": "theirs"}, "p1") == "theirs"
    assert foreign_reference(conn, {"launched_from": "theirs"}, "p1") == "theirs"
    assert foreign_reference(conn, {"launched_from": "mine", "blessed_from": "theirs"}, "p1") == (
        "theirs"
    )


def test_only_the_keys_asked_are_checked(conn):
    assert foreign_reference(conn, {"blessed_from": "theirs"}, "p1", ("launched_from",)) is None


def test_a_deleted_server_is_no_longer_anyones(conn):
    update_server(conn, "theirs", deleted=1)
    assert foreign_reference(conn, {"blessed_from": "theirs"}, "p1") is None


@pytest.mark.parametrize("era", [COBALT, ESSEX])
def test_check_lineage_answers_the_eras_not_found(conn, era):
    check_lineage(conn, {"blessed_from": "mine"}, "p1", era)
    with pytest.raises(ApiError) as caught:
        check_lineage(conn, {"blessed_from": "theirs"}, "p1", era)
    assert (caught.value.status, caught.value.message) == (
        400,
        "Instance theirs could not be found.",
    )
