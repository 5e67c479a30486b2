"""Assertions the real-stack tests share."""

from __future__ import annotations

import re

from .rest import Result

MARKUP = re.compile(r"<[a-z/][^>]*>", re.IGNORECASE)
REQUEST_ID = re.compile(r"\(Request-ID: req-[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\)")


def one_error(result: Result, code: int = 1) -> str:
    """gc's promise: exit ``code``, one ``ERROR:`` line on stderr, no markup, no traceback."""
    assert result.code == code, (result.code, result.out, result.err)
    lines = result.err.splitlines()
    assert len(lines) == 1, f"expected one stderr line, got {lines!r}"
    line = lines[0]
    assert line.startswith("ERROR: "), line
    assert not MARKUP.search(line), line
    assert "Traceback" not in result.err
    return line


def same_request_ids(line: str) -> str:
    """The line with each ``(Request-ID: req-<uuid>)`` (a new one per answer) written
    ``(Request-ID: req-...)``: an error the cloud answered ends with its status and
    request ID, as nova's and openstack's do."""
    return REQUEST_ID.sub("(Request-ID: req-...)", line)


def names(result: Result) -> list[str]:
    """The Name column of a ``-f json`` listing."""
    assert result.code == 0, result.err
    return sorted(row["Name"] for row in result.json())
