"""All of the simulator's SQL lives in its store module: the other modules call named
functions and never hold a connection's ``execute`` or an SQL text (issue 17)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import gcclient.simulator

PACKAGE = Path(gcclient.simulator.__file__).parent
STORE_MODULES = {"store"}  # the modules allowed to speak SQL (docs/simulator.rst)
EXECUTE = {"execute", "executemany", "executescript"}
# Upper-case statements as the store writes them; "DELETE" alone is an HTTP method.
SQL = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM"
    r"|CREATE\s+(TABLE|INDEX|VIEW|TRIGGER)|DROP\s+(TABLE|INDEX)|ALTER\s+TABLE|PRAGMA\s+\w"
    r"|BEGIN\s+(IMMEDIATE|EXCLUSIVE|DEFERRED|TRANSACTION)|ROLLBACK|WHERE\s+\w+\s*(=|<|>|IS|IN))",
    re.S,
)


def sql_uses(source: str) -> list[str]:
    """Each ``execute``-style call and each string holding SQL, as ``line: what``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in EXECUTE:
                found.append(f"{node.lineno}: .{node.func.attr}(")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if SQL.search(node.value):
                found.append(f"{node.lineno}: {node.value[:60]!r}")
    return found


def test_the_finder_sees_calls_and_sql_texts():
    assert sql_uses("conn.execute(q)\nc.executescript(s)\n") == [
        "1: .execute(",
        "2: .executescript(",
    ]
    assert sql_uses('x = "SELECT * FROM tokens WHERE id = ?"')
    assert sql_uses('x = ("DELETE FROM tokens "\n "WHERE id = ?")')
    assert sql_uses('x = f"UPDATE servers SET {a} WHERE id = ?"')
    assert sql_uses('x = "INSERT INTO images (id) VALUES (?)"')
    # A bare WHERE fragment is not seen: only the store-private _query_servers takes one.
    assert sql_uses('x = "project_id = ? AND deleted = 0"') == []
    assert sql_uses('x = "WHERE deleted = 0"')
    # Prose and HTTP methods are not SQL.
    assert sql_uses('"""Select a server from the list and delete it."""\nm = "DELETE"') == []


def test_the_store_is_where_the_sql_is():
    for name in STORE_MODULES:
        assert len(sql_uses((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))) > 10


def test_no_sql_outside_the_store():
    outside = {
        path.name: uses
        for path in sorted(PACKAGE.glob("*.py"))
        if path.stem not in STORE_MODULES and (uses := sql_uses(path.read_text(encoding="utf-8")))
    }
    assert outside == {}
