"""The lineage of a server: source → blessed servers → launched servers → ...

A source server (any regular server) has blessed servers (``list-blessed``);
a blessed server has launched servers (``list-launched``); a launched server
can be blessed again, so it has blessed servers of its own.

The extension has no call that returns a tree. A small level of the tree is
expanded with those two list actions, one request per server; a larger one
with one listing of the project (``GET /servers/detail``, one request per page
of 1000): every server view carries the ``blessed_from``/``launched_from``
markers the two lists filter on. So the cost is a few requests per level, never
one per node: 10 live images with 100 servers launched from each cost the
lookup of the root, one list-blessed and the pages of the project, not 1,011
requests.

Pure Python apart from the ``wire`` it is given, so the Python API and the CLI
share it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from gcclient.api.exceptions import NotFound
from gcclient.core import roles

SOURCE = "source"
BLESSED = "blessed"
LAUNCHED = "launched"


# The largest level of the tree expanded with one list request per server.
LEVEL_BUDGET = 4


class ListingWire(Protocol):
    def get(self, server_id: str) -> dict[str, Any]: ...

    def list_blessed(self, server_id: str) -> list[dict[str, Any]]: ...

    def list_launched(self, server_id: str) -> list[dict[str, Any]]: ...

    def list_servers_page(
        self, params: Mapping[str, str]
    ) -> tuple[list[dict[str, Any]], str | None]: ...


_KINDS = {roles.LIVE_IMAGE: BLESSED, roles.LAUNCHED: LAUNCHED, roles.SOURCE: SOURCE}


def kind_of(view: dict[str, Any]) -> str:
    """``blessed``, ``launched`` or ``source``, from the metadata markers (spec §4)."""
    return _KINDS[roles.role_of(view)]


def parent_of(view: dict[str, Any]) -> str | None:
    """The ID this server was blessed or launched from, if any."""
    return roles.source_of(view) or None


@dataclass
class Node:
    """One server of a lineage tree."""

    view: dict[str, Any]
    children: list[Node] = field(default_factory=list)
    truncated: bool = False

    @property
    def id(self) -> str:
        return str(self.view.get("id", ""))

    @property
    def name(self) -> str:
        name = self.view.get("name")
        return "" if name is None else str(name)

    @property
    def status(self) -> str:
        return str(self.view.get("status") or "")

    @property
    def kind(self) -> str:
        return kind_of(self.view)

    def walk(self, depth: int = 0) -> Iterator[tuple[int, Node]]:
        """Depth-first, pre-order: (depth, node)."""
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)

    def count(self) -> int:
        return sum(1 for _ in self.walk())

    def to_dict(self) -> dict[str, Any]:
        """Nested plain data, as ``gc lineage -f json`` prints it."""
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "kind": self.kind,
            "children": [child.to_dict() for child in self.children],
        }
        if self.truncated:
            data["truncated"] = True
        return data


def _sort_key(view: dict[str, Any]) -> tuple[str, str, str]:
    """Oldest first; ``created`` has one-second resolution, so then by name."""
    return (str(view.get("created") or ""), str(view.get("name") or ""), str(view.get("id") or ""))


class Family:
    """The servers of a project indexed the way the two list actions filter them:
    list-launched by ``launched_from``, list-blessed by ``blessed_from``."""

    def __init__(self, views: Iterable[dict[str, Any]]) -> None:
        self.by_id: dict[str, dict[str, Any]] = {}
        self._launched: dict[str, list[dict[str, Any]]] = {}
        self._blessed: dict[str, list[dict[str, Any]]] = {}
        for view in views:
            self.by_id[str(view.get("id"))] = view
            metadata = view.get("metadata") or {}
            for key, index in (("launched_from", self._launched), ("blessed_from", self._blessed)):
                if metadata.get(key):
                    index.setdefault(str(metadata[key]), []).append(view)

    @classmethod
    def of_project(cls, wire: ListingWire) -> Family:
        """One listing of the caller's project (one request per page)."""
        return cls(roles.iter_servers(wire))

    def children(self, view: dict[str, Any]) -> list[dict[str, Any]]:
        """What list-launched (of a blessed server) or list-blessed (otherwise) answers."""
        index = self._launched if kind_of(view) == BLESSED else self._blessed
        return sorted(index.get(str(view.get("id")), ()), key=_sort_key)


def children_of(wire: ListingWire, view: dict[str, Any]) -> list[dict[str, Any]]:
    """One request: list-launched for a blessed server, list-blessed otherwise."""
    server_id = str(view["id"])
    if kind_of(view) == BLESSED:
        found = wire.list_launched(server_id)
    else:
        found = wire.list_blessed(server_id)
    return sorted(found, key=_sort_key)


def build(
    wire: ListingWire,
    root: dict[str, Any],
    *,
    max_depth: int | None = None,
    family: Family | None = None,
    budget: int = LEVEL_BUDGET,
) -> Node:
    """The tree under ``root`` (a server view), level by level.

    A level of at most ``budget`` servers is expanded with one list request per
    server; the first larger level switches to one listing of the project
    (``family``; one request per page), from which every deeper level is read
    without a request. So a small tree costs a few requests whatever the size
    of the project, and a large one at most ``budget`` per level plus the pages.

    ``max_depth`` limits how many levels below the root are fetched (0: only
    the root, no request); nodes whose children were not fetched are marked
    ``truncated``. A server seen twice (which a consistent cloud never shows)
    is not expanded again.
    """
    top = Node(dict(root))
    seen = {top.id}
    level = [top]
    depth = 0
    while level:
        if max_depth is not None and depth >= max_depth:
            for node in level:
                node.truncated = True
            break
        if family is None and len(level) > budget:
            family = Family.of_project(wire)
        below: list[Node] = []
        for node in level:
            found = family.children(node.view) if family else children_of(wire, node.view)
            for view in found:
                child = Node(dict(view))
                if child.id in seen:
                    continue
                seen.add(child.id)
                node.children.append(child)
                below.append(child)
        level = below
        depth += 1
    return top


def find_root(
    wire: ListingWire,
    view: dict[str, Any],
    *,
    limit: int = 100,
    family: Family | None = None,
) -> dict[str, Any]:
    """Walk up ``blessed_from``/``launched_from`` to the oldest ancestor that still
    exists. Ancestors are looked up in ``family`` when given, else (or when not
    there) with one GET each; a deleted ancestor stops the walk there."""
    current = view
    seen = {str(view.get("id"))}
    for _ in range(limit):
        parent = parent_of(current)
        if not parent or parent in seen:
            break
        if family is not None and parent in family.by_id:
            current = family.by_id[parent]
        else:
            try:
                current = wire.get(parent)
            except NotFound:
                break
        seen.add(parent)
    return current


UNICODE_BRANCHES = ("├── ", "└── ", "│   ", "    ")
ASCII_BRANCHES = ("|-- ", "`-- ", "|   ", "    ")


def tree_rows(root: Node, *, ascii_only: bool = False) -> list[tuple[str, Node]]:
    """(label, node) per node, the label drawn with tree branches before the name."""
    tee, last, pipe, blank = ASCII_BRANCHES if ascii_only else UNICODE_BRANCHES
    rows: list[tuple[str, Node]] = []

    def label(node: Node) -> str:
        name = node.name or node.id
        return name + (" ..." if node.truncated else "")

    def visit(node: Node, prefix: str) -> None:
        for index, child in enumerate(node.children):
            is_last = index == len(node.children) - 1
            rows.append((prefix + (last if is_last else tee) + label(child), child))
            visit(child, prefix + (blank if is_last else pipe))

    rows.append((label(root), root))
    visit(root, "")
    return rows
