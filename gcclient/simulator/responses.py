"""Response objects and nova-style fault envelopes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .eras import FIXED_500, GENERIC_400

JSON = "application/json"
HTML_ACTION = "text/html; charset=UTF-8"

FAULT_NAMES = {
    400: "badRequest",
    401: "unauthorized",
    403: "forbidden",
    404: "itemNotFound",
    405: "badMethod",
    409: "conflictingRequest",
    413: "overLimit",
    415: "badMediaType",
    429: "overLimit",
    501: "notImplemented",
    503: "serviceUnavailable",
}


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str | None = JSON
    headers: dict[str, str] = field(default_factory=dict)
    data: object = None


def json_response(status: int, data: object, content_type: str = JSON, **headers: str) -> Response:
    body = json.dumps(data).encode()
    return Response(status, body, content_type, dict(headers), data)


def empty_response(status: int, content_type: str | None = None) -> Response:
    return Response(status, b"", content_type)


class ApiError(Exception):
    """A nova fault: ``{"<faultName>": {"code": N, "message": "..."}}``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def response(self) -> Response:
        name = FAULT_NAMES.get(self.status, "computeFault")
        return json_response(
            self.status, {name: {"code": self.status, "message": self.message}}, **self.headers
        )


class RawError(Exception):
    """A non-envelope error answer (the seed's plain-text 401, keystone's error object)."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def compute_fault() -> ApiError:
    return ApiError(500, FIXED_500)


def generic_bad_request() -> ApiError:
    """Nova's answer to a TypeError in a handler: a 400 with webob's own text."""
    return ApiError(400, GENERIC_400)


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def not_found(message: str = "The resource could not be found.") -> ApiError:
    return ApiError(404, message)
