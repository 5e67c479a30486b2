"""JSON-lines journal of every request, with secrets redacted."""

from __future__ import annotations

import json
import os
import threading
import time
from typing import IO, Any

from .wire import loads

SECRET_KEYS = frozenset(
    {"password", "adminPass", "admin_pass", "secret", "passcode", "X-Auth-Token"}
)
REDACTED = "***"


def redact(value: Any, parent: str | None = None) -> Any:
    if isinstance(value, dict):
        clean: dict[str, Any] = {}
        for key, item in value.items():
            secret = key in SECRET_KEYS or (parent == "token" and key == "id")
            if secret and not isinstance(item, (dict, list)):
                clean[key] = REDACTED
            elif key == "application_credential" and isinstance(item, dict):
                clean[key] = {k: REDACTED if k == "secret" else v for k, v in item.items()}
            else:
                clean[key] = redact(item, key)
        return clean
    if isinstance(value, list):
        return [redact(item, parent) for item in value]
    return value


def parse_body(raw: bytes) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", "replace")
    try:
        return redact(loads(raw))
    except ValueError:
        return text


def open_private(path: str) -> IO[str]:
    """``path`` opened for appending, readable by its owner only (0600): the journal
    and the access log tell who did what."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
    except OSError:
        pass  # not ours to change (a shared log): it stays as its owner set it
    return os.fdopen(fd, "a", encoding="utf-8")


class Journal:
    def __init__(self, path: str) -> None:
        self._file = open_private(path)
        self._lock = threading.Lock()

    def record(
        self,
        *,
        method: str,
        path: str,
        query: str,
        status: int | None,
        raw: bytes,
        user: str | None,
        fault: str | None,
        processed: bool,
        agent: str | None = None,
    ) -> None:
        entry = {
            "ts": time.time(),
            "method": method,
            "path": path,
            "query": query,
            "status": status,
            "body": parse_body(raw),
            "user": user,
            "fault": fault,
            "processed": processed,
            "agent": agent,
        }
        line = json.dumps(entry) + "\n"
        with self._lock:
            if not self._file.closed:
                self._file.write(line)
                self._file.flush()

    def close(self) -> None:
        with self._lock:
            self._file.close()
