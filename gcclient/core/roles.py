"""The project's servers with their Gridcentric role, from ``GET /servers/detail``.

The extension has no call that lists live images, but every server view carries
the metadata markers (``blessed_from`` on a live image, ``launched_from`` on a
launched server, spec section 4), so one listing of the project tells every
server's role. Nova pages the listing; :func:`gcclient.api.paging.iter_servers` follows the
pages, handing each view on as it arrives.

Nova filters ``name`` (a regular expression) and ``status`` on the server side
in every era (BLESSED included); the markers are user metadata, which nova lets
only admins filter on, so roles are told here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from gcclient.api.paging import PAGE_SIZE, PagedWire, iter_servers

Server = dict[str, Any]


SOURCE = "source"
LIVE_IMAGE = "live image"
LAUNCHED = "launched"
ROLES = (SOURCE, LIVE_IMAGE, LAUNCHED)

# The statuses nova's server-side filter knows (nova's state map), BLESSED included.
STATUSES = frozenset(
    {
        "ACTIVE",
        "BLESSED",
        "BUILD",
        "DELETED",
        "ERROR",
        "HARD_REBOOT",
        "MIGRATING",
        "PASSWORD",
        "PAUSED",
        "REBOOT",
        "REBUILD",
        "RESCUE",
        "RESIZE",
        "REVERT_RESIZE",
        "SHUTOFF",
        "SUSPENDED",
        "UNKNOWN",
        "VERIFY_RESIZE",
    }
)


def is_live_image(view: Server) -> bool:
    """Whether a server is a live image (a blessed server): ``blessed_from`` in its
    metadata, or a BLESSED status."""
    metadata = view.get("metadata") or {}
    return "blessed_from" in metadata or str(view.get("status", "")).upper() == "BLESSED"


def role_of(view: Server) -> str:
    """``live image``, ``launched`` or ``source`` (any other server: one that can be
    blessed), from the metadata markers; a BLESSED status counts as a live image."""
    metadata = view.get("metadata") or {}
    if is_live_image(view):
        return LIVE_IMAGE
    if "launched_from" in metadata:
        return LAUNCHED
    return SOURCE


def source_of(view: Server) -> str:
    """The ID the server was blessed or launched from; empty for a source."""
    metadata = view.get("metadata") or {}
    parent = metadata.get("blessed_from") or metadata.get("launched_from")
    return str(parent) if parent else ""


def list_servers(
    wire: PagedWire,
    *,
    roles: Collection[str] = (LIVE_IMAGE,),
    status: str | None = None,
    name: str | None = None,
    page_size: int = PAGE_SIZE,
) -> Iterator[Server]:
    """The project's servers of the given roles; ``status`` and ``name`` (a regular
    expression) are filtered by the server.

    Live images alone, without a status, are asked for as ``status=BLESSED``: one
    small answer instead of every page of the project. A live image still being
    blessed (BUILD) or whose bless failed (ERROR) is listed when that status is
    asked for, or with every role.
    """
    filters: dict[str, str] = {}
    if status is None and set(roles) == {LIVE_IMAGE}:
        status = "BLESSED"
    if status is not None:
        filters["status"] = status.upper()
    if name is not None:
        filters["name"] = name
    for view in iter_servers(wire, page_size=page_size, **filters):
        if role_of(view) in roles:
            yield view
