"""Shared fixtures of the simulator's unit modules: an ``App`` on an in-memory store, called
through ``App.handle`` with a ``Request`` as httpd.py builds it (no socket, no process).

``api`` is a cobalt App whose transitions are due at once (build time 0): the next request
applies them, as the running simulator does. ``api_factory(era=..., **config)`` makes others;
``make_request`` builds a bare ``Request`` for the modules that take one directly.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from gcclient.simulator.app import App
from gcclient.simulator.config import Config
from gcclient.simulator.fixtures import IMAGES
from gcclient.simulator.identity import USERS
from gcclient.simulator.request import Request
from gcclient.simulator.responses import Response
from gcclient.simulator.store import Store, apply_due

BASE = "http://sim.test:1"
IMAGE = next(iter(IMAGES))


@dataclass
class Reply:
    status: int
    data: Any
    response: Response

    @property
    def fault(self) -> tuple[str, int, str]:
        """A nova fault envelope as (name, code, message)."""
        assert isinstance(self.data, dict) and len(self.data) == 1, self.data
        name, inner = next(iter(self.data.items()))
        return name, inner["code"], inner["message"]


def request(
    method: str = "GET",
    path: str = "/",
    body: object = None,
    *,
    headers: dict[str, str] | None = None,
    raw: bytes | None = None,
    query: dict[str, list[str]] | None = None,
) -> Request:
    """A Request as httpd.py makes it: lower-case header names, raw body bytes."""
    all_headers = {"content-type": "application/json"} if body is not None else {}
    all_headers.update({k.lower(): v for k, v in (headers or {}).items()})
    data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
    return Request(method, path, query or {}, all_headers, data, BASE)


def _decode(body: bytes) -> Any:
    """JSON when it is, else the text (the seed's plain answers); None for no body."""
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")


class Api:
    """One simulator App called as a client would, with a token per user."""

    def __init__(self, era: str = "cobalt", **config: Any) -> None:
        config.setdefault("build_time", 0.0)
        self.app = App(Config(era=era, **config), Store(":memory:"))
        self._tokens: dict[str, tuple[str, str]] = {}

    def call(
        self,
        method: str,
        path: str,
        body: object = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
        query: dict[str, list[str]] | None = None,
    ) -> Reply:
        extra = dict(headers or {})
        if token:
            extra["X-Auth-Token"] = token
        response = self.app.handle(request(method, path, body, headers=extra, raw=raw, query=query))
        return Reply(response.status, _decode(response.body), response)

    def login(self, user: str = "demo") -> tuple[str, str]:
        """(token, project ID) of a user, by password (once per user)."""
        if user not in self._tokens:
            account = USERS[user]
            body = {
                "auth": {
                    "identity": {
                        "methods": ["password"],
                        "password": {
                            "user": {
                                "name": user,
                                "domain": {"id": "default"},
                                "password": account.password,
                            }
                        },
                    }
                }
            }
            reply = self.call("POST", "/v3/auth/tokens", body)
            assert reply.status == 201, reply.data
            self._tokens[user] = (
                reply.response.headers["X-Subject-Token"],
                reply.data["token"]["project"]["id"],
            )
        return self._tokens[user]

    def compute(
        self,
        method: str,
        rest: str,
        body: object = None,
        *,
        user: str = "demo",
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
        query: dict[str, list[str]] | None = None,
    ) -> Reply:
        """``/v2/{project}{rest}`` as ``user``."""
        token, project = self.login(user)
        return self.call(
            method, f"/v2/{project}{rest}", body, token=token, headers=headers, raw=raw, query=query
        )

    def action(self, server_id: str, body: object, user: str = "demo") -> Reply:
        return self.compute("POST", f"/servers/{server_id}/action", body, user=user)

    def settle(self) -> None:
        """Apply every transition due by now (as the next request would)."""
        with self.app.store.tx() as conn:
            apply_due(conn, time.time() + 1e6)

    def boot(self, name: str = "vm", *, user: str = "demo", settle: bool = True) -> str:
        body = {"server": {"name": name, "imageRef": IMAGE, "flavorRef": "1"}}
        reply = self.compute("POST", "/servers", body, user=user)
        assert reply.status == 202, reply.data
        if settle:
            self.settle()
        return str(reply.data["server"]["id"])

    def bless(self, server_id: str, *, user: str = "demo", settle: bool = True) -> str:
        reply = self.action(server_id, {"gc_bless": None}, user=user)
        assert reply.status == 200, reply.data
        if settle:
            self.settle()
        return str(reply.data[0]["id"])

    def launch(self, image_id: str, params: object = None, *, user: str = "demo") -> Reply:
        return self.action(image_id, {"gc_launch": {} if params is None else params}, user=user)

    def server(self, server_id: str, user: str = "demo") -> dict[str, Any]:
        reply = self.compute("GET", f"/servers/{server_id}", user=user)
        assert reply.status == 200, reply.data
        return dict(reply.data["server"])

    def close(self) -> None:
        self.app.store.close()


@pytest.fixture
def api_factory() -> Iterator[Callable[..., Api]]:
    made: list[Api] = []

    def factory(era: str = "cobalt", **config: Any) -> Api:
        made.append(Api(era, **config))
        return made[-1]

    try:
        yield factory
    finally:
        for one in made:
            one.close()


@pytest.fixture
def api(api_factory: Callable[..., Api]) -> Api:
    return api_factory("cobalt")


@pytest.fixture
def make_request() -> Callable[..., Request]:
    return request
