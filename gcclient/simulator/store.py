"""Durable SQLite state: servers, tokens, policies, exported images, lazy transitions."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS servers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    project_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    name TEXT,
    vm_state TEXT NOT NULL,
    task_state TEXT,
    host TEXT,
    az TEXT NOT NULL DEFAULT 'nova',
    image_id TEXT,
    flavor_id TEXT,
    key_name TEXT,
    security_groups TEXT NOT NULL DEFAULT '[]',
    metadata TEXT NOT NULL DEFAULT '{}',
    system_metadata TEXT NOT NULL DEFAULT '{}',
    blessed_from TEXT,
    launched_from TEXT,
    user_data TEXT,
    networks TEXT NOT NULL DEFAULT '["private"]',
    ip TEXT,
    target TEXT,
    guest TEXT,
    scheduler_hints TEXT,
    fault TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    due_at REAL,
    due_action TEXT,
    due_arg TEXT
);
CREATE INDEX IF NOT EXISTS servers_quota ON servers (project_id, deleted, task_state);
CREATE INDEX IF NOT EXISTS servers_due ON servers (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS servers_blessed_from ON servers (blessed_from) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS servers_launched_from ON servers (launched_from) WHERE deleted = 0;
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    methods TEXT NOT NULL,
    issued_at REAL NOT NULL,
    expires_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS tokens_expiry ON tokens (expires_at);
CREATE TABLE IF NOT EXISTS policies (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    text TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS images (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    owner TEXT,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
"""

JSON_COLUMNS = (
    "security_groups",
    "metadata",
    "system_metadata",
    "networks",
    "guest",
    "scheduler_hints",
    "fault",
)


def isotime(ts: float | None = None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() if ts is None else ts))


def default_state_path() -> str:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "state"
    )
    return os.path.join(base, "gc-simulator", "state.db")


def decode_row(row: sqlite3.Row | None) -> dict[str, Any] | None:
    return None if row is None else _decode(row)


def _decode(row: sqlite3.Row) -> dict[str, Any]:
    server = dict(row)
    for column in JSON_COLUMNS:
        value = server.get(column)
        server[column] = json.loads(value) if value else None
    return server


def _make_private(path: str) -> None:
    """The state file readable by its owner only (0600): it holds live tokens. SQLite
    gives its -wal and -shm files the database file's mode."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
    except OSError:
        pass
    finally:
        os.close(fd)


class Store:
    """One SQLite connection guarded by a lock; every transaction commits before returning."""

    def __init__(self, path: str) -> None:
        self.path = path
        if path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            _make_private(path)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            path, check_same_thread=False, isolation_level=None, timeout=30
        )
        self._conn.row_factory = sqlite3.Row
        if path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        _check_schema(self._conn)
        self._conn.executescript(SCHEMA)
        self._closed = False

    def read(self, sql: str, args: tuple = ()) -> list[sqlite3.Row]:
        """A read outside any write transaction (no BEGIN IMMEDIATE: other processes go on)."""
        with self._lock:
            if self._closed:
                raise RuntimeError("store closed")
            return self._conn.execute(sql, args).fetchall()

    @contextlib.contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._closed:
                raise RuntimeError("store closed")
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._conn.close()


def _check_schema(conn: sqlite3.Connection) -> None:
    """A state file from something else (same table names, other columns) is refused at start."""
    for table in ("servers", "tokens", "policies", "images", "counters"):
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if not have:
            continue
        wanted = set(
            re.findall(rf"CREATE TABLE IF NOT EXISTS {table} \((.*?)\n\);", SCHEMA, re.S)[0].split(
                ",\n"
            )
        )
        need = {line.split()[0] for line in wanted if line.strip() and line.split()}
        missing = sorted(need - have)
        if missing:
            raise sqlite3.DatabaseError(f"table {table} lacks column(s) {', '.join(missing)}")


def next_counter(conn: sqlite3.Connection, name: str) -> int:
    conn.execute(
        "INSERT INTO counters (name, value) VALUES (?, 1) "
        "ON CONFLICT(name) DO UPDATE SET value = value + 1",
        (name,),
    )
    return conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0]


def storable(value: Any) -> Any:
    """Text SQLite can hold: a lone surrogate (``"\\ud800"`` in JSON, not a character) becomes
    U+FFFD, as a UTF-8 database column would not keep it either."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def insert_server(conn: sqlite3.Connection, server: dict[str, Any]) -> None:
    row = {column: storable(value) for column, value in server.items()}
    metadata = row.get("metadata") or {}
    row["blessed_from"] = metadata.get("blessed_from")
    row["launched_from"] = metadata.get("launched_from")
    for column in JSON_COLUMNS:
        if column in row:
            row[column] = None if row[column] is None else json.dumps(row[column])
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    conn.execute(f"INSERT INTO servers ({columns}) VALUES ({marks})", tuple(row.values()))


def update_server(conn: sqlite3.Connection, server_id: str, **changes: Any) -> None:
    if "metadata" in changes:
        metadata = changes["metadata"] or {}
        changes["blessed_from"] = metadata.get("blessed_from")
        changes["launched_from"] = metadata.get("launched_from")
    for column in JSON_COLUMNS:
        if column in changes and changes[column] is not None:
            changes[column] = json.dumps(changes[column])
    changes = {column: storable(value) for column, value in changes.items()}
    changes.setdefault("updated", isotime())
    assignments = ", ".join(f"{column} = ?" for column in changes)
    conn.execute(f"UPDATE servers SET {assignments} WHERE id = ?", (*changes.values(), server_id))


def get_server(conn: sqlite3.Connection, server_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT * FROM servers WHERE id = ? AND deleted = 0", (server_id,)
    ).fetchone()
    return decode_row(row)


def require_server(conn: sqlite3.Connection, server_id: str) -> dict[str, Any]:
    """A server this transaction has just written (it cannot be missing)."""
    server = get_server(conn, server_id)
    if server is None:
        raise LookupError(f"server {server_id} vanished inside its own transaction")
    return server


def _query_servers(conn: sqlite3.Connection, where: str, args: tuple = ()) -> list[dict[str, Any]]:
    """Live servers matching ``where`` (a fragment written in this module only)."""
    rows = conn.execute(f"SELECT * FROM servers WHERE deleted = 0 AND {where}", args)
    return [_decode(row) for row in rows]


def count_active(conn: sqlite3.Connection, project_id: str) -> int:
    return conn.execute(
        "SELECT COUNT(*) FROM servers WHERE project_id = ? AND deleted = 0 "
        "AND COALESCE(task_state, '') != 'deleting'",
        (project_id,),
    ).fetchone()[0]


def newest_servers(
    conn: sqlite3.Connection,
    project_id: str | None,
    *,
    before: int | None = None,
    vm_states: tuple[str, ...] = (),
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """A project's servers (every project's with ``None``), newest first: only those
    older than the ``before`` sequence number and in ``vm_states`` (when given, and not
    migrating), at most ``limit``."""
    where = "1 = 1"
    args: tuple[Any, ...] = ()
    if project_id is not None:
        # "+": walk the primary key backwards and stop at the limit, rather than sort
        # the whole project found through the project index.
        where, args = ("+project_id = ?" if limit is not None else "project_id = ?"), (project_id,)
    if before is not None:
        where, args = f"{where} AND seq < ?", (*args, before)
    if vm_states:
        marks = ", ".join("?" for _ in vm_states)
        where = f"{where} AND vm_state IN ({marks}) AND task_state IS NOT 'migrating'"
        args = (*args, *vm_states)
    cut = "" if limit is None else f" LIMIT {int(limit)}"
    return _query_servers(conn, f"{where} ORDER BY seq DESC{cut}", args)


def server_seq(conn: sqlite3.Connection, server_id: str, project_id: str | None) -> int | None:
    """The sequence number (creation order) of a server of the project, if it exists."""
    row = conn.execute(
        "SELECT seq FROM servers WHERE deleted = 0 AND id = ? AND (? IS NULL OR project_id = ?)",
        (server_id, project_id, project_id),
    ).fetchone()
    return None if row is None else int(row[0])


def lineage(
    conn: sqlite3.Connection, column: str, server_id: str, project_id: str | None = None
) -> list[dict[str, Any]]:
    """Servers whose ``blessed_from`` or ``launched_from`` is ``server_id``, oldest first."""
    return [_decode(row) for row in lineage_rows(conn, column, server_id, project_id)]


def lineage_rows(
    conn: sqlite3.Connection, column: str, server_id: str, project_id: str | None = None
) -> list[sqlite3.Row]:
    """The rows of :func:`lineage`, not decoded: the list views keep each row's view
    text (:class:`~gcclient.simulator.views.ViewTexts`) and decode only a new row."""
    if column not in ("blessed_from", "launched_from"):
        raise ValueError(column)
    where = f"deleted = 0 AND {column} = ?"
    args: tuple = (server_id,)
    if project_id is not None:
        where, args = f"{where} AND project_id = ?", (server_id, project_id)
    return conn.execute(f"SELECT * FROM servers WHERE {where} ORDER BY seq", args).fetchall()


def server_project(conn: sqlite3.Connection, server_id: str) -> str | None:
    """The project of a live (not deleted) server, or None."""
    row = conn.execute(
        "SELECT project_id FROM servers WHERE id = ? AND deleted = 0", (server_id,)
    ).fetchone()
    return row[0] if row else None


def has_children(conn: sqlite3.Connection, server_id: str, project_id: str | None = None) -> bool:
    """Whether any server (of ``project_id`` only, when given) was launched from ``server_id``."""
    if project_id is None:
        return bool(_query_servers(conn, "launched_from = ? LIMIT 1", (server_id,)))
    return bool(
        _query_servers(
            conn, "launched_from = ? AND project_id = ? LIMIT 1", (server_id, project_id)
        )
    )


def insert_image(conn: sqlite3.Connection, image_id: str, name: str, owner: str) -> None:
    conn.execute(
        "INSERT INTO images (id, name, owner, created) VALUES (?, ?, ?, ?)",
        (image_id, storable(name), owner, isotime()),
    )


def find_image(
    conn: sqlite3.Connection, image_id: str, owner: str | None = None
) -> sqlite3.Row | None:
    """An exported image by ID (only ``owner``'s when given)."""
    if owner is None:
        return conn.execute("SELECT * FROM images WHERE id = ?", (image_id,)).fetchone()
    return conn.execute(
        "SELECT * FROM images WHERE id = ? AND owner = ?", (image_id, owner)
    ).fetchone()


def owned_images(conn: sqlite3.Connection, owner: str) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT * FROM images WHERE owner = ? ORDER BY created", (owner,)
    ).fetchall()


def insert_policy(conn: sqlite3.Connection, text: str) -> None:
    conn.execute("INSERT INTO policies (text, created) VALUES (?, ?)", (storable(text), isotime()))


def latest_policy(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT text FROM policies ORDER BY seq DESC LIMIT 1").fetchone()
    return row["text"] if row else None


def purge_tokens(conn: sqlite3.Connection, now: float) -> None:
    """Drop the tokens expired by ``now`` (done at each issue, so the table stays small)."""
    conn.execute("DELETE FROM tokens WHERE expires_at <= ?", (now,))


def insert_token(
    conn: sqlite3.Connection,
    token_id: str,
    user_id: str,
    project_id: str,
    methods: tuple[str, ...],
    issued_at: float,
    expires_at: float,
) -> None:
    conn.execute(
        "INSERT INTO tokens (id, user_id, project_id, methods, issued_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (token_id, user_id, project_id, ",".join(methods), issued_at, expires_at),
    )


def delete_token(conn: sqlite3.Connection, token_id: str) -> None:
    conn.execute("DELETE FROM tokens WHERE id = ?", (token_id,))


def read_token(store: Store, token_id: str) -> dict[str, Any] | None:
    """A token's row (``methods`` as a tuple), read outside any write transaction."""
    rows = store.read("SELECT * FROM tokens WHERE id = ?", (token_id,))
    if not rows:
        return None
    token = dict(rows[0])
    token["methods"] = tuple(token["methods"].split(","))
    return token


def apply_due(conn: sqlite3.Connection, now: float | None = None) -> int:
    """Apply every transition whose due time has passed; returns how many were applied."""
    now = time.time() if now is None else now
    rows = conn.execute(
        "SELECT id, due_action, due_arg, vm_state, blessed_from FROM servers "
        "WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at",
        (now,),
    ).fetchall()
    for row in rows:
        _apply(conn, row, isotime(now))
    return len(rows)


def _apply(conn: sqlite3.Connection, row: sqlite3.Row, stamp: str) -> None:
    action, arg, server_id = row["due_action"], row["due_arg"], row["id"]
    clear = "due_at = NULL, due_action = NULL, due_arg = NULL, updated = ?"
    if action == "delete":
        conn.execute(f"UPDATE servers SET deleted = 1, {clear} WHERE id = ?", (stamp, server_id))
    elif action == "active":
        conn.execute(
            f"UPDATE servers SET vm_state = 'active', task_state = NULL, {clear} WHERE id = ?",
            (stamp, server_id),
        )
    elif action == "bless":
        conn.execute(
            f"UPDATE servers SET vm_state = 'blessed', task_state = NULL, {clear} WHERE id = ?",
            (stamp, server_id),
        )
        if row["blessed_from"]:
            conn.execute(
                "UPDATE servers SET task_state = NULL WHERE id = ? AND task_state = 'blessing' "
                "AND NOT EXISTS (SELECT 1 FROM servers b WHERE b.blessed_from = ? "
                "AND b.deleted = 0 AND b.vm_state = 'building' AND b.id != ? "
                "AND b.project_id = servers.project_id)",
                (row["blessed_from"], row["blessed_from"], server_id),
            )
    elif action == "migrate":
        prior = json.loads(arg)
        conn.execute(
            f"UPDATE servers SET host = ?, vm_state = ?, task_state = NULL, {clear} WHERE id = ?",
            (prior["host"], prior["vm_state"], stamp, server_id),
        )
    elif action == "error":
        conn.execute(
            f"UPDATE servers SET vm_state = 'error', task_state = NULL, fault = ?, {clear} "
            "WHERE id = ?",
            (arg, stamp, server_id),
        )
    else:
        conn.execute(f"UPDATE servers SET {clear} WHERE id = ?", (stamp, server_id))
