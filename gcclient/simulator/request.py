"""The parsed HTTP request handed to the API handlers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from .responses import ApiError, Response, bad_request
from .wire import loads


class Caller(Protocol):
    """The authenticated user as the handlers see it (identity.User is one)."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def is_admin(self) -> bool: ...


_UNSET = object()


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    raw: bytes
    base_url: str
    user: Caller | None = None
    project_id: str | None = None
    version: str = "v2"
    params: dict[str, str] = field(default_factory=dict)
    _json: Any = field(default=_UNSET, repr=False)

    @property
    def is_admin(self) -> bool:
        return self.user is not None and self.user.is_admin

    @property
    def caller(self) -> Caller:
        """The authenticated user; compute handlers run only after authentication, so an
        unauthenticated request reaching one is answered as keystonemiddleware would."""
        if self.user is None:
            raise ApiError(401, "The request you have made requires authentication.")
        return self.user

    @property
    def project(self) -> str:
        """The token's project (see ``caller``)."""
        if self.project_id is None:
            raise ApiError(401, "The request you have made requires authentication.")
        return self.project_id

    @property
    def compute_base(self) -> str:
        return f"{self.base_url}/{self.version}/{self.project_id}"

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    def json(self) -> Any:
        if self._json is _UNSET:
            try:
                self._json = loads(self.raw) if self.raw else None
            except (UnicodeDecodeError, ValueError):
                raise bad_request("Malformed request body")
        return self._json

    def json_object(self) -> dict[str, Any]:
        body = self.json()
        if not isinstance(body, dict):
            raise bad_request("Malformed request body")
        return body


@dataclass
class Later(Response):
    """A handler's answer computed after its transaction, from a snapshot, without the lock."""

    work: Callable[[], Response] | None = None

    def run(self) -> Response:
        assert self.work is not None
        return self.work()
