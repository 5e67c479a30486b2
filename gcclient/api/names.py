"""Names and IDs of servers: UUIDs normalised, ambiguity told with its candidates.

Pure functions, used by the wire's lookups: a UUID-shaped argument is used as an ID
(lower case, dashed), and when no server has that ID one name lookup follows,
since a server may be named like a UUID.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

# The one UUID pattern of the client: dashes optional, any case (nova accepts both).
UUID_PATTERN = re.compile(
    r"^([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})$",
    re.IGNORECASE,
)
MAX_CANDIDATES = 10


def normalise_uuid(value: str) -> str | None:
    """The canonical form (lower case, dashed) of a UUID-shaped value, else None."""
    found = UUID_PATTERN.match(value.strip())
    return "-".join(found.groups()).lower() if found else None


def is_uuid(value: str) -> bool:
    """Whether a value is UUID-shaped as it is (no surrounding blanks)."""
    return bool(UUID_PATTERN.match(value))


def not_found_text(name_or_id: str) -> str:
    return f"No server with a name or ID of '{name_or_id}' exists."


def ambiguous_text(name: str, matches: Sequence[Mapping[str, Any]]) -> str:
    """One line: the name, then ID, name and status of at most 10 candidates."""
    shown = [
        f"{m.get('id', '?')} ({m.get('name', '')}, {m.get('status', '?')})"
        for m in matches[:MAX_CANDIDATES]
    ]
    more = len(matches) - MAX_CANDIDATES
    tail = f" and {more} more" if more > 0 else ""
    return (
        f"Multiple server matches found for '{name}', use an ID to be more specific: "
        f"{', '.join(shown)}{tail}"
    )
