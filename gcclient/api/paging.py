"""The pages of ``GET /servers/detail``.

Nova pages the listing (``osapi_max_limit``, ``[api] max_limit``, 1000 by default):
the pages are followed with ``limit``/``marker``, one request per page, and each
view is handed on as it arrives, so nothing holds every page at once. The wire's
``list_servers`` and the core's roles, lineage and waits all read through here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Protocol

Server = dict[str, Any]

# nova's osapi_max_limit default: the largest page a stock nova returns.
PAGE_SIZE = 1000


class PagedWire(Protocol):
    def list_servers_page(self, params: Mapping[str, str]) -> tuple[list[Server], str | None]: ...


def next_marker(body: Mapping[str, Any]) -> str | None:
    """The marker of the next page when a listing's answer links one
    (``servers_links``, rel ``next``), or None."""
    from urllib.parse import parse_qs, urlsplit

    marker = None
    for link in body.get("servers_links") or ():
        if isinstance(link, dict) and link.get("rel") == "next":
            values = parse_qs(urlsplit(str(link.get("href") or "")).query).get("marker")
            marker = values[-1] if values else None
    return marker


def iter_servers(
    wire: PagedWire, *, page_size: int = PAGE_SIZE, **filters: str
) -> Iterator[Server]:
    """Every server of the project that the filters match, page after page.

    ``limit`` is always sent: the early eras link a next page only when the
    request names a limit. A page that fills the limit without a next link is
    followed with its last ID as the marker unless the server has linked pages
    before (then the missing link means the end), so a server that never links
    its pages is still read to the end. A server ID seen twice ends the walk.
    """
    params = {**filters, "limit": str(page_size)}
    seen: set[str] = set()
    linked = False
    while True:
        page, marker = wire.list_servers_page(params)
        fresh = 0
        for view in page:
            server_id = str(view.get("id", ""))
            if server_id in seen:
                continue
            seen.add(server_id)
            fresh += 1
            yield view
        if marker is not None:
            linked = True
        elif page and len(page) >= page_size and not linked:
            marker = str(page[-1].get("id", ""))
        if not marker or not fresh or marker == params.get("marker"):
            return
        params["marker"] = marker
