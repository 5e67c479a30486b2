"""What a bulk write already knows about its servers, so that it sends no GET each.

``gc delete`` must refuse a live image (a blessed server is discarded, never
deleted), so it used to read each server before its ``DELETE``: 2 requests a server.
The project's listing (``GET /servers/detail``, 1000 views a page) shows the same
views: for K servers it costs one request per page, read until every ID is seen.
When the pages read outnumber the servers still unseen, one ``GET`` each is cheaper
(an admin's ID in another project, a server created after the listing started, or
an ID that is no server's: these are found as before, a UUID-shaped name included).
A name costs its filtered query, whose answer is the view. So a delete of 1,000
servers in a project of 1,000 is 1,000 ``DELETE``\\s and one or two pages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gcclient.api import names, paging
from gcclient.api.gcwire import Server, Wire
from gcclient.core.ledger import Entry
from gcclient.core.operations import Each, Operations


class _Pages:
    """The wire's pages, until the next one costs more than a GET per unseen server."""

    def __init__(self, wire: Wire, wanted: set[str]) -> None:
        self.wire = wire
        self.wanted = wanted
        self.found: dict[str, Server] = {}
        self.pages = 0

    def list_servers_page(self, params: Mapping[str, str]) -> tuple[list[Server], str | None]:
        if self.pages and len(self.wanted) - len(self.found) <= self.pages:
            return [], None  # the rest by a GET each: no dearer than the pages read
        self.pages += 1
        page, marker = self.wire.list_servers_page(params)
        for view in page:
            server_id = str(view.get("id", ""))
            if server_id in self.wanted:
                self.found[server_id] = view
        if len(self.found) == len(self.wanted):
            return page, None  # every server seen: no further page
        return page, marker


def listed_views(wire: Wire, ids: Sequence[str]) -> dict[str, Server]:
    """The views of the servers ``ids`` (canonical UUIDs) found in the project's
    listing, read page after page until every one is seen, the listing ends, or the
    servers still unseen are no more than the pages read (then a GET each is as
    cheap): ``min(K, pages)`` requests and at most K more for K servers."""
    wanted = set(ids)
    if len(wanted) < 2:
        return {}  # one GET is the cheapest
    pages = _Pages(wire, wanted)
    for _ in paging.iter_servers(pages, page_size=paging.PAGE_SIZE):
        pass
    return pages.found


def delete_each(ops: Operations, servers: Sequence[str]) -> list[Each]:
    """Delete each server (a name or an ID), ``ops.parallel`` at a time; a live image
    is refused from its view in the listing, without a GET of its own."""
    uuids = [u for u in (names.normalise_uuid(s) for s in servers) if u is not None]
    views = listed_views(ops.wire, uuids)

    def delete(server: str, entry: Entry | None) -> Any:
        view = views.get(names.normalise_uuid(server) or "")
        if view is None:
            return ops.delete(server, entry=entry)  # a GET, or the name's query
        return ops.delete_view(view, entry=entry)

    return ops.each(servers, delete, "delete")
