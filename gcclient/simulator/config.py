"""The simulator's settings, shared by the app and the parts it builds."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_HOSTS = ("compute-1", "compute-2", "compute-3")


@dataclass
class Config:
    host: str = "127.0.0.1"
    port: int = 0
    state: str = ":memory:"
    era: str = "cobalt"
    build_time: float = 1.0
    latency_ms: float = 0.0
    hosts: list[str] = field(default_factory=lambda: list(DEFAULT_HOSTS))
    token_ttl: float = 3600.0
    quota_instances: int = 100000
