"""The lineage of a server: source → blessed servers → launched servers → ...

A source server (any regular server) has blessed servers (``list-blessed``);
a blessed server has launched servers (``list-launched``); a launched server
can be blessed again, so it has blessed servers of its own. The tree is built
with **one request per node** (plus the lookup of the root): the extension has
no call that returns a whole tree, and the server views of the list actions
already carry everything that is drawn.

Pure Python apart from the ``wire`` it is given, so the Python API and the CLI
share it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

SOURCE = "source"
BLESSED = "blessed"
LAUNCHED = "launched"


class ListingWire(Protocol):
    def get(self, server_id: str) -> dict[str, Any]: ...

    def list_blessed(self, server_id: str) -> list[dict[str, Any]]: ...

    def list_launched(self, server_id: str) -> list[dict[str, Any]]: ...


def kind_of(view: dict[str, Any]) -> str:
    """``blessed``, ``launched`` or ``source``, from the metadata markers (spec §4)."""
    metadata = view.get("metadata") or {}
    if "blessed_from" in metadata or str(view.get("status", "")).upper() == "BLESSED":
        return BLESSED
    if "launched_from" in metadata:
        return LAUNCHED
    return SOURCE


def parent_of(view: dict[str, Any]) -> str | None:
    """The ID this server was blessed or launched from, if any."""
    metadata = view.get("metadata") or {}
    parent = metadata.get("blessed_from") or metadata.get("launched_from")
    return str(parent) if parent else None


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


def children_of(wire: ListingWire, view: dict[str, Any]) -> list[dict[str, Any]]:
    """One request: list-launched for a blessed server, list-blessed otherwise."""
    server_id = str(view["id"])
    if kind_of(view) == BLESSED:
        found = wire.list_launched(server_id)
    else:
        found = wire.list_blessed(server_id)
    return sorted(found, key=_sort_key)


def build(wire: ListingWire, root: dict[str, Any], *, max_depth: int | None = None) -> Node:
    """The tree under ``root`` (a server view): one request per node expanded.

    ``max_depth`` limits how many levels below the root are fetched (0: only
    the root, no request); nodes whose children were not fetched are marked
    ``truncated``. A server seen twice (which a consistent cloud never shows)
    is not expanded again.
    """
    top = Node(dict(root))
    seen = {top.id}
    stack: list[tuple[Node, int]] = [(top, 0)]
    while stack:
        node, depth = stack.pop()
        if max_depth is not None and depth >= max_depth:
            node.truncated = True
            continue
        for view in children_of(wire, node.view):
            child = Node(dict(view))
            if child.id in seen:
                continue
            seen.add(child.id)
            node.children.append(child)
        stack.extend((child, depth + 1) for child in reversed(node.children))
    return top


def find_root(wire: ListingWire, view: dict[str, Any], *, limit: int = 100) -> dict[str, Any]:
    """Walk up ``blessed_from``/``launched_from`` to the oldest ancestor that still
    exists (one GET per ancestor). A deleted ancestor stops the walk there."""
    from gcclient.exceptions import NotFound

    current = view
    seen = {str(view.get("id"))}
    for _ in range(limit):
        parent = parent_of(current)
        if not parent or parent in seen:
            break
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
