"""The ``name`` filter of server lists: a regex run on a snapshot, never under the store lock.

Nova (Essex/Folsom ``nova/db/sqlalchemy/api.py`` ``instance_get_all_by_filters``) fetches the
project's instances, returns ``[]`` when there are none, and only then compiles the filter with
``re.compile``; an invalid regex escapes as an unhandled error, i.e. a 500 ``computeFault``.
Names are at most 255 characters in Nova's database, so only that much of a name is matched.

Python's ``re`` holds the GIL for the whole match, so a pattern with exponential backtracking
would stall every thread of the simulator. Plain patterns (no quantifier, group or
alternation: what clients send to look a name up) run here; any other pattern runs in a small
worker process, killed after ``FILTER_TIMEOUT`` (answered 400).
"""

from __future__ import annotations

import json
import re
import select
import subprocess
import sys
import threading
from typing import Any

from .responses import bad_request, compute_fault

MAX_NAME_FILTER = 1024  # characters of the pattern; 400 beyond
MAX_NAME = 255  # characters of a name that the pattern is run on (Nova's column size)
FILTER_TIMEOUT = 5.0  # seconds of matching per request in a worker; 400 beyond
MAX_FILTER_WORKERS = 2  # worker processes matching at once; more requests wait for one

# Without quantifiers, groups or alternation a match costs at most one step per pattern item
# at each start position: literals, escaped characters, \d \w \s (and negations), ``.``
# and character classes.
PLAIN = re.compile(
    r"\^?(?:\\[^A-Za-z0-9]|\\[dDwWsS]|\[\^?\]?(?:\\.|[^\]\\])*\]|[^\\()\[\]{}*+?|^$])*\$?"
)

WORKER = """
import json, re, sys
for line in sys.stdin:
    job = json.loads(line)
    try:
        regex = re.compile(job["pattern"])
    except re.error:
        sys.stdout.write('{"error": true}\\n')
    else:
        hits = [i for i, name in enumerate(job["names"]) if regex.search(name)]
        sys.stdout.write(json.dumps({"hits": hits}) + "\\n")
    sys.stdout.flush()
"""


class _Workers:
    def __init__(self) -> None:
        self._idle: list[subprocess.Popen[str]] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(MAX_FILTER_WORKERS)

    def run(self, pattern: str, names: list[str]) -> list[int] | None:
        """Indexes of matching names, or None for an invalid pattern; 400 after the timeout."""
        with self._slots:
            with self._lock:
                worker = self._idle.pop() if self._idle else None
            if worker is None or worker.poll() is not None:
                worker = subprocess.Popen(
                    [sys.executable, "-I", "-S", "-c", WORKER],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )
            assert worker.stdin is not None and worker.stdout is not None
            try:
                worker.stdin.write(json.dumps({"pattern": pattern, "names": names}) + "\n")
                worker.stdin.flush()
                ready, _, _ = select.select([worker.stdout], [], [], FILTER_TIMEOUT)
                answer = worker.stdout.readline() if ready else ""
            except OSError:
                answer = ""
            if not answer:
                worker.kill()
                worker.wait()
                raise bad_request(
                    f"Invalid filter: the name regex took more than {FILTER_TIMEOUT:g} seconds"
                )
            with self._lock:
                self._idle.append(worker)
        result = json.loads(answer)
        return None if result.get("error") else result["hits"]


_WORKERS = _Workers()


def filter_by_name(pattern: str, servers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(pattern) > MAX_NAME_FILTER:
        raise bad_request(f"Invalid filter: name is longer than {MAX_NAME_FILTER} characters")
    if not servers:
        return []
    names = [(s["name"] or "")[:MAX_NAME] for s in servers]
    if PLAIN.fullmatch(pattern):
        try:
            regex = re.compile(pattern)
        except re.error:  # e.g. a class with a reversed range
            raise compute_fault()
        return [s for s, name in zip(servers, names, strict=True) if regex.search(name)]
    hits = _WORKERS.run(pattern, names)
    if hits is None:
        raise compute_fault()
    return [servers[i] for i in hits]
