"""Deterministic fault injection."""

from __future__ import annotations

import random
import re
import threading

KINDS = ("500", "503", "reset-before", "reset-after", "slow", "truncated", "html")
PROCESSED_KINDS = frozenset({"reset-after", "slow", "truncated"})
DEFAULT_MATCH = r"^[A-Z]+ /(v2|v1\.1)/[^/]+/"

HTML_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


def parse_kinds(text: str) -> tuple[str, ...]:
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown fault kind(s): {', '.join(unknown)}")
    return kinds


class FaultPlan:
    def __init__(
        self,
        rate: float = 0.0,
        kinds: tuple[str, ...] = KINDS,
        seed: int | None = None,
        match: str | None = None,
        slow_seconds: float = 3.0,
        skip: int = 0,
        limit: int | None = None,
    ) -> None:
        self.rate = rate
        self.kinds = kinds or KINDS
        self.match = re.compile(match or DEFAULT_MATCH)
        self.slow_seconds = slow_seconds
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        # The first ``skip`` eligible requests pass; at most ``limit`` faults in all.
        self.skip = skip
        self.limit = limit
        self._eligible = 0
        self._given = 0

    def pick(self, method: str, path: str) -> str | None:
        if self.rate <= 0 or not self.match.search(f"{method} {path}"):
            return None
        with self._lock:
            self._eligible += 1
            if self._eligible <= self.skip or (
                self.limit is not None and self._given >= self.limit
            ):
                return None
            if self._rng.random() >= self.rate:
                return None
            self._given += 1
            return self._rng.choice(self.kinds)
