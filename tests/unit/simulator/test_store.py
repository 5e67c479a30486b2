"""store.py: the SQLite state (servers, tokens, policies, images, counters) and the lazy
transitions applied when they fall due."""

from __future__ import annotations

import json
import sqlite3
import stat

import pytest

from gcclient.simulator import store as st
from gcclient.simulator.store import Store


@pytest.fixture
def store():
    made = Store(":memory:")
    yield made
    made.close()


def add(conn, sid, project="p", **extra):
    row = {
        "id": sid,
        "project_id": project,
        "user_id": "u",
        "name": sid,
        "vm_state": "active",
        "created": "c",
        "updated": "c",
        **extra,
    }
    st.insert_server(conn, row)


def test_default_state_path(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert st.default_state_path() == f"{tmp_path}/gc-simulator/state.db"
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.setenv("HOME", "/home/x")
    assert st.default_state_path() == "/home/x/.local/state/gc-simulator/state.db"


def test_isotime():
    assert st.isotime(0) == "1970-01-01T00:00:00Z"
    assert st.isotime(86400.9) == "1970-01-02T00:00:00Z"


def test_a_state_file_is_private_and_durable(tmp_path):
    path = tmp_path / "deep" / "state.db"
    first = Store(str(path))
    with first.tx() as conn:
        add(conn, "s1")
    first.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = Store(str(path))
    assert [row["id"] for row in again.read("SELECT id FROM servers")] == ["s1"]
    assert again.read("PRAGMA journal_mode")[0][0] == "wal"
    again.close()


def test_a_foreign_state_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE tokens (id TEXT, owner TEXT)")
    conn.close()
    with pytest.raises(sqlite3.DatabaseError) as caught:
        Store(str(path))
    assert str(caught.value) == (
        "table tokens lacks column(s) expires_at, issued_at, methods, project_id, user_id"
    )


def test_a_failed_transaction_rolls_back(store):
    with pytest.raises(KeyError):
        with store.tx() as conn:
            add(conn, "s1")
            raise KeyError("boom")
    assert store.read("SELECT id FROM servers") == []


def test_a_closed_store_refuses_work(store):
    store.close()
    store.close()  # twice is fine
    with pytest.raises(RuntimeError, match="store closed"):
        store.read("SELECT 1")
    with pytest.raises(RuntimeError, match="store closed"):
        with store.tx():
            pass


def test_counters_count_from_one_per_name(store):
    with store.tx() as conn:
        assert [st.next_counter(conn, "ip") for _ in range(3)] == [1, 2, 3]
        assert st.next_counter(conn, "placement") == 1


def test_storable_replaces_lone_surrogates_only():
    assert st.storable("caf\u00e9") == "caf\u00e9"
    assert st.storable("a\ud800b") == "a\ufffdb"
    assert st.storable(5) == 5


def test_servers_round_trip_with_json_columns_and_lineage(store):
    with store.tx() as conn:
        add(
            conn,
            "s1",
            metadata={"blessed_from": "src", "k": "v"},
            security_groups=["web"],
            fault=None,
            name="n\ud800",
        )
        server = st.get_server(conn, "s1")
        assert server is not None
        assert server["metadata"] == {"blessed_from": "src", "k": "v"}
        assert server["security_groups"] == ["web"]
        assert server["networks"] == ["private"]  # the column's default
        assert server["fault"] is None and server["name"] == "n\ufffd"
        assert (server["blessed_from"], server["launched_from"]) == ("src", None)
        st.update_server(
            conn, "s1", metadata={"launched_from": "img"}, vm_state="error", fault={"code": 500}
        )
        server = st.require_server(conn, "s1")
        assert (server["blessed_from"], server["launched_from"]) == (None, "img")
        assert server["fault"] == {"code": 500} and server["updated"] != "c"
        st.update_server(conn, "s1", deleted=1)
        assert st.get_server(conn, "s1") is None
        with pytest.raises(LookupError, match="server s1 vanished"):
            st.require_server(conn, "s1")


def test_listing_newest_first_with_cuts(store):
    with store.tx() as conn:
        for n in range(5):
            add(
                conn,
                f"s{n}",
                project="p" if n != 2 else "q",
                vm_state="stopped" if n == 1 else "active",
            )
        st.update_server(conn, "s3", task_state="migrating")
        ids = lambda rows: [r["id"] for r in rows]  # noqa: E731
        assert ids(st.newest_servers(conn, "p")) == ["s4", "s3", "s1", "s0"]
        assert ids(st.newest_servers(conn, None)) == ["s4", "s3", "s2", "s1", "s0"]
        assert ids(st.newest_servers(conn, "p", limit=2)) == ["s4", "s3"]
        seq = st.server_seq(conn, "s3", "p")
        assert ids(st.newest_servers(conn, "p", before=seq)) == ["s1", "s0"]
        assert ids(st.newest_servers(conn, "p", vm_states=("active",))) == ["s4", "s0"]
        assert st.server_seq(conn, "s2", "p") is None
        assert st.server_seq(conn, "s2", None) == 3
        assert st.count_active(conn, "p") == 4
        st.update_server(conn, "s4", task_state="deleting")
        assert st.count_active(conn, "p") == 3


def test_lineage_queries(store):
    with store.tx() as conn:
        add(conn, "img", metadata={"blessed_from": "src"})
        add(conn, "c1", metadata={"launched_from": "img"})
        add(conn, "c2", project="q", metadata={"launched_from": "img"})
        ids = lambda rows: [r["id"] for r in rows]  # noqa: E731
        assert ids(st.lineage(conn, "launched_from", "img")) == ["c1", "c2"]
        assert ids(st.lineage(conn, "launched_from", "img", "q")) == ["c2"]
        assert ids(st.lineage(conn, "blessed_from", "src", "p")) == ["img"]
        with pytest.raises(ValueError):
            st.lineage(conn, "name", "img")
        assert st.has_children(conn, "img") and st.has_children(conn, "img", "q")
        assert not st.has_children(conn, "img", "r") and not st.has_children(conn, "c1")
        assert (st.server_project(conn, "c2"), st.server_project(conn, "nope")) == ("q", None)


def test_images_and_policies(store):
    with store.tx() as conn:
        st.insert_image(conn, "i1", "vm-export", "p")
        assert st.find_image(conn, "i1")["name"] == "vm-export"
        assert st.find_image(conn, "i1", "q") is None
        assert [r["id"] for r in st.owned_images(conn, "p")] == ["i1"]
        assert st.latest_policy(conn) is None
        st.insert_policy(conn, "[a]\n")
        st.insert_policy(conn, "[b]\n")
        assert st.latest_policy(conn) == "[b]\n"


def test_tokens(store):
    with store.tx() as conn:
        st.insert_token(conn, "t1", "u", "p", ("password", "token"), 10.0, 20.0)
        st.insert_token(conn, "t2", "u", "p", ("password",), 10.0, 30.0)
    assert st.read_token(store, "t1") == {
        "id": "t1",
        "user_id": "u",
        "project_id": "p",
        "methods": ("password", "token"),
        "issued_at": 10.0,
        "expires_at": 20.0,
    }
    with store.tx() as conn:
        st.purge_tokens(conn, 20.0)
    assert st.read_token(store, "t1") is None and st.read_token(store, "t2") is not None
    with store.tx() as conn:
        st.delete_token(conn, "t2")
    assert st.read_token(store, "t2") is None


def test_transitions_apply_when_due_only(store):
    with store.tx() as conn:
        add(conn, "b", vm_state="building", due_at=100.0, due_action="active")
        add(conn, "later", vm_state="building", due_at=200.0, due_action="active")
        assert st.apply_due(conn, 99.0) == 0
        assert st.apply_due(conn, 100.0) == 1
        server = st.get_server(conn, "b")
        assert (server["vm_state"], server["task_state"], server["due_at"]) == (
            "active",
            None,
            None,
        )
        assert server["updated"] == "1970-01-01T00:01:40Z"
        assert st.get_server(conn, "later")["vm_state"] == "building"


@pytest.mark.parametrize(
    ("action", "arg", "expected"),
    [
        ("delete", None, None),
        ("error", json.dumps({"code": 500}), ("error", None, "h1", {"code": 500})),
        ("migrate", json.dumps({"host": "h2", "vm_state": "active"}), ("active", None, "h2", None)),
        ("other", None, ("building", "x", "h1", None)),
    ],
)
def test_each_transition(store, action, arg, expected):
    with store.tx() as conn:
        add(
            conn,
            "s",
            vm_state="building",
            task_state="x",
            host="h1",
            due_at=1.0,
            due_action=action,
            due_arg=arg,
        )
        st.apply_due(conn, 2.0)
        server = st.get_server(conn, "s")
        if expected is None:
            assert server is None
        else:
            got = (server["vm_state"], server["task_state"], server["host"], server["fault"])
            assert got == expected and server["due_action"] is None


def test_bless_clears_the_sources_blessing_when_its_last_copy_is_done(store):
    with store.tx() as conn:
        add(conn, "src", task_state="blessing")
        for copy, due in (("b1", 1.0), ("b2", 5.0)):
            add(
                conn,
                copy,
                vm_state="building",
                metadata={"blessed_from": "src"},
                due_at=due,
                due_action="bless",
            )
        st.apply_due(conn, 2.0)
        assert st.get_server(conn, "b1")["vm_state"] == "blessed"
        assert st.get_server(conn, "src")["task_state"] == "blessing"  # b2 still building
        st.apply_due(conn, 6.0)
        assert st.get_server(conn, "src")["task_state"] is None
