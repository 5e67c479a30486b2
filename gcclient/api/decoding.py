"""Decoding of compute answers: JSON whatever the content type, and error envelopes."""

from __future__ import annotations

import html
import json
import re
from http import HTTPStatus
from typing import Any

from gcclient.api import exceptions

NO_SUCH_ACTION = "There is no such action"
EXTENSION_MISSING = "This cloud does not offer the Gridcentric extension (it answered: {message})"
EXTENSION_PATH_MISSING = (
    "This cloud does not offer the Gridcentric extension ({request} answered: {message})"
)
_REQUEST_ID_HEADERS = ("x-openstack-request-id", "x-compute-request-id")
# The extension's own resources (not /gcinfo: the early Gridcentric servers had the
# extension without it). An unrouted path gets webob's 404, not a nova fault.
EXTENSION_PATHS = re.compile(r"^/(gc|co)(servers|policy|-import-server)(\?|$)")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


class Undecodable(ValueError):
    """A successful answer whose body is not JSON."""


def decode(text: str) -> Any:
    """The JSON value of a body; an empty body is None."""
    if not text or not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise Undecodable(str(exc)) from None


def plain(text: str) -> str:
    """A server's text fit for an error line: markup removed (webob's ``<br />``),
    entities decoded, every run of blank space and newlines one space."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text))).strip()


def request_id(headers: Any) -> str | None:
    for name in _REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return str(value)
    return None


def error_message(status: int, reason: str, content_type: str, text: str) -> str:
    """The server's message from a nova or keystone error envelope, or a fallback."""
    try:
        body = decode(text)
    except Undecodable:
        body = None
    if isinstance(body, dict) and body:
        inner = next(iter(body.values()))
        if isinstance(inner, dict) and inner.get("message") and plain(str(inner["message"])):
            return plain(str(inner["message"]))
        if isinstance(body.get("message"), str) and plain(body["message"]):
            return plain(body["message"])
    stripped = (text or "").strip()
    # A plain line is the message whatever the content type: webob labels a bare
    # Response text/html (the seed's 401 "Invalid destination"); markup is not a message.
    if stripped and not stripped.startswith("<"):
        first = stripped.splitlines()[0]
        if len(first) <= 200 and "<" not in first:
            return plain(first)
    if not reason:
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
    label = f"{status} {reason}".strip()
    if not stripped:
        return f"The server answered HTTP {label} without a message"
    return f"The server answered HTTP {label} with a body that is not an error message"


def is_fault_envelope(text: str) -> bool:
    """Whether a body is Nova's fault envelope: ``{"<name>": {"message": ..., ...}}``."""
    try:
        body = decode(text)
    except Undecodable:
        return False
    if not isinstance(body, dict) or len(body) != 1:
        return False
    inner = next(iter(body.values()))
    return isinstance(inner, dict) and isinstance(inner.get("message"), str)


def describe_answer(response: Any) -> str:
    """A short description of an answer that did not come from Nova's API."""
    status = response.status_code
    try:
        label = f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        label = str(status)
    text = (response.text or "").strip()
    content_type = response.headers.get("Content-Type", "") or ""
    if not text:
        return f"HTTP {label} without a body"
    if "html" in content_type or text.startswith("<"):
        return f"HTTP {label} with an HTML page"
    return f"HTTP {label} without the compute API's error envelope"


def error_from_response(
    response: Any, method: str = "", url: str = ""
) -> exceptions.ClientException:
    """The typed exception for an error answer (a requests.Response)."""
    status = response.status_code
    message = error_message(
        status,
        getattr(response, "reason", "") or "",
        response.headers.get("Content-Type", ""),
        response.text,
    )
    cls = exceptions.for_status(status)
    if status == 400 and message.startswith(NO_SUCH_ACTION):
        cls = exceptions.ExtensionMissing
        message = EXTENSION_MISSING.format(message=message)
    elif status == 404 and EXTENSION_PATHS.match(url) and not is_fault_envelope(response.text):
        # webob's 404 for a path no route serves: the extension is not loaded there.
        cls = exceptions.ExtensionMissing
        message = EXTENSION_PATH_MISSING.format(request=f"{method} {url}", message=message)
    return cls(
        message,
        http_status=status,
        request_id=request_id(response.headers),
        method=method,
        url=url,
        answered=True,
    )


def as_list(body: Any) -> list[dict[str, Any]]:
    """A list answer: a bare array, leniently a bare object or {"servers": [...]};
    an entry without an ID is no server (nothing could be done with it)."""
    if body is None:
        return []
    if isinstance(body, list):
        return [
            item for item in body if isinstance(item, dict) and item.get("id") not in (None, "")
        ]
    if isinstance(body, dict):
        for key in ("servers", "server"):
            if key in body:
                return as_list(body[key])
        return as_list([body])
    raise Undecodable(f"expected a list of servers, got {type(body).__name__}")
