"""The ``name`` filter of server lists: a regex run on a snapshot, never under the store lock.

Nova (Essex/Folsom ``nova/db/sqlalchemy/api.py`` ``instance_get_all_by_filters``) fetches the
project's instances, returns ``[]`` when there are none, and only then compiles the filter with
``re.compile``; an invalid regex escapes as an unhandled error, i.e. a 500 ``computeFault``.
Names are at most 255 characters in Nova's database, so only that much of a name is matched.
"""

from __future__ import annotations

import re
from typing import Any

from .responses import bad_request, compute_fault

MAX_NAME_FILTER = 1024  # characters of the pattern; 400 beyond
MAX_NAME = 255  # characters of a name that the pattern is run on (Nova's column size)


def filter_by_name(pattern: str, servers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(pattern) > MAX_NAME_FILTER:
        raise bad_request(f"Invalid filter: name is longer than {MAX_NAME_FILTER} characters")
    if not servers:
        return []
    try:
        regex = re.compile(pattern)
    except re.error:
        raise compute_fault()
    return [s for s in servers if regex.search((s["name"] or "")[:MAX_NAME])]
