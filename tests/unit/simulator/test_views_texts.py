"""views.ViewTexts: a list body joined from kept view texts is the body json.dumps
gives for the views, and a server whose row changed is viewed again."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from gcclient.simulator import store
from gcclient.simulator.request import Request
from gcclient.simulator.views import ViewTexts, server_view
from tests.unit.simulator.rows import IMAGE, server_row


class Member:
    id = "u1"
    name = "demo"
    is_admin = False


def request(base_url: str = "http://sim.test:5000") -> Request:
    return Request(
        method="POST",
        path="/",
        query={},
        headers={},
        raw=b"",
        base_url=base_url,
        user=Member(),
        project_id="p1",
    )


@pytest.fixture
def conn() -> Iterator:
    db = store.Store(":memory:")
    with db.tx() as connection:
        for number in range(3):
            store.insert_server(connection, server_row(number))
        yield connection
    db.close()


def expected(conn, req: Request) -> bytes:
    servers = store.lineage(conn, "launched_from", IMAGE, "p1")
    return json.dumps([server_view(req, s) for s in servers]).encode()


def rows(conn) -> list:
    return store.lineage_rows(conn, "launched_from", IMAGE, "p1")


def test_body_is_json_dumps_of_the_views_byte_for_byte(conn) -> None:
    texts, req = ViewTexts(), request()
    assert texts.list_body(req, rows(conn)) == expected(conn, req)
    assert texts.list_body(req, rows(conn)) == expected(conn, req)  # from kept texts


def test_a_changed_server_is_viewed_again(conn) -> None:
    texts, req = ViewTexts(), request()
    texts.list_body(req, rows(conn))
    store.update_server(conn, "00000000-0000-4000-8000-000000000001", vm_state="error")
    body = json.loads(texts.list_body(req, rows(conn)))
    assert [view["status"] for view in body] == ["ACTIVE", "ERROR", "ACTIVE"]
    assert texts.list_body(req, rows(conn)) == expected(conn, req)


def test_each_base_url_has_its_own_links(conn) -> None:
    texts = ViewTexts()
    first, second = request("http://one.test"), request("http://two.test")
    texts.list_body(first, rows(conn))
    body = json.loads(texts.list_body(second, rows(conn)))
    assert body[0]["links"][0]["href"].startswith("http://two.test/v2/p1/servers/")


def test_an_empty_lineage_is_an_empty_array(conn) -> None:
    assert ViewTexts().list_body(request(), []) == b"[]" == json.dumps([]).encode()


def test_past_its_limit_it_starts_again_and_stays_right(conn) -> None:
    texts, req = ViewTexts(limit=2), request()
    assert texts.list_body(req, rows(conn)) == expected(conn, req)
    assert texts.list_body(req, rows(conn)) == expected(conn, req)
    assert len(texts._texts) <= 2
