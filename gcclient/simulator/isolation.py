"""Project isolation of the lineage metadata (``blessed_from`` / ``launched_from``).

These keys make a server count as another server's live image or launched child, so a
project may only name its own servers in them: otherwise it could block another project's
discard or appear in its lineage. Import is the one exception for ``blessed_from``: an
exported live image keeps naming its original source, as Cobalt's import does, and every
lineage query is scoped to the caller's project, so that name gives no hold on the source.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from .eras import Era
from .responses import bad_request
from .store import server_project

LINEAGE_KEYS = ("blessed_from", "launched_from")


def foreign_reference(
    conn: sqlite3.Connection,
    metadata: dict[str, Any],
    project_id: str | None,
    keys: tuple[str, ...] = LINEAGE_KEYS,
) -> str | None:
    """The first lineage value naming a live server of another project, if any."""
    for key in keys:
        ref = metadata.get(key)
        if not ref:
            continue
        owner = server_project(conn, str(ref))
        if owner is not None and owner != project_id:
            return str(ref)
    return None


def check_lineage(
    conn: sqlite3.Connection,
    metadata: dict[str, Any],
    project_id: str | None,
    era: Era,
    keys: tuple[str, ...] = LINEAGE_KEYS,
) -> None:
    """Refuse (400, the era's not-found text) metadata naming another project's server."""
    ref = foreign_reference(conn, metadata, project_id, keys)
    if ref is not None:
        raise bad_request(era.text("not_found", uuid=ref))
