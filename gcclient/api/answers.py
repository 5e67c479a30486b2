"""Answers that come from the wrong place: a compute endpoint without its version.

A real nova (34.0.0, tests/realstack) answers every path outside an API version
(an endpoint override ``http://host:8774`` without ``/v2.1``) with 300 and
``{"choices": [...]}``: read as a list, that was an empty project (exit 0); read as
a server, "does not exist". A 3xx, or a 2xx without the key the compute API
always sends (``server``, ``servers``, ``images``, ``flavors``), is instead an
error that names the endpoint and the fix.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from gcclient.api import exceptions
from gcclient.api.transport import redact

_VERSION_SEGMENT = re.compile(r"^v\d+(\.\d+)?$")


def endpoint_of(response: Any, path: str) -> str:
    """The compute endpoint a request went to: its URL less the path and query."""
    url = str(getattr(response, "url", "") or "").split("?", 1)[0]
    tail = path.split("?", 1)[0]
    if tail and url.endswith(tail):
        url = url[: -len(tail)]
    return redact(url.rstrip("/"))


def unversioned(endpoint: str) -> bool:
    """Whether an endpoint's path holds no API version segment (``v2``, ``v2.1``)."""
    return not any(_VERSION_SEGMENT.match(s) for s in urlsplit(endpoint).path.split("/"))


def _suggested(endpoint: str, body: Any, path: str) -> str:
    """The versioned endpoint nova's 300 points to (its CURRENT choice's link less
    the path asked for), else the endpoint with /v2.1."""
    choices = body.get("choices") if isinstance(body, dict) else None
    tail = path.split("?", 1)[0]
    for choice in choices if isinstance(choices, list) else ():
        if not isinstance(choice, dict) or choice.get("status") != "CURRENT":
            continue
        for link in choice.get("links") or ():
            href = str(link.get("href") or "").split("?", 1)[0] if isinstance(link, dict) else ""
            if tail and href.endswith(tail):
                href = href[: -len(tail)]
            if href.startswith(endpoint + "/"):
                return redact(href.rstrip("/"))
    return endpoint + "/v2.1"


def _fix(endpoint: str, body: Any, path: str) -> str:
    suggested = _suggested(endpoint, body, path)
    added = suggested[len(endpoint) :] if suggested.startswith(endpoint) else "/v2.1"
    return f"the endpoint lacks the API version: add {added} ({suggested})"


def redirected(response: Any, method: str, path: str, body: Any) -> exceptions.WrongEndpoint:
    """The error for a 3xx answer (nova's 300 with its choices of versions)."""
    endpoint = endpoint_of(response, path)
    status = response.status_code
    if unversioned(endpoint) or (isinstance(body, dict) and "choices" in body):
        fix = _fix(endpoint, body, path)
    else:
        fix = "check the compute endpoint"
    failure = exceptions.WrongEndpoint(
        f"The compute endpoint {endpoint} answered {method} {path.split('?', 1)[0]} "
        f"with HTTP {status} instead of the compute API: {fix}"
    )
    failure.sent = False
    failure.url = endpoint
    return failure


def missing_key(response: Any, method: str, path: str, body: Any, key: str) -> exceptions.GcError:
    """The error for a 2xx answer without the key the compute API always sends."""
    endpoint = endpoint_of(response, path)
    if unversioned(endpoint):
        fix = _fix(endpoint, body, path)
    else:
        fix = "is it the compute API's endpoint?"
    return exceptions.ClientException(
        f"Unexpected answer to {method} {path.split('?', 1)[0]} from {endpoint}: no "
        f"'{key}' in it; {fix}",
        http_status=response.status_code,
        method=method,
        url=path,
    )


def expect(response: Any, method: str, path: str, body: Any, key: str) -> Any:
    """An answer's body that must hold ``key``, or the error that says where the
    request went."""
    if isinstance(body, dict) and key in body:
        return body
    raise missing_key(response, method, path, body, key)


GRIDCENTRIC_ALIASES = ("gc", "co")
GRIDCENTRIC_NAMES = ("gridcentric", "cobalt")
NOT_OFFERED = (
    "This cloud does not offer the Gridcentric extension (GET /gcinfo is not found and "
    "GET /extensions does not list it)"
)


def lists_the_extension(body: Any) -> bool | None:
    """Whether ``GET /extensions`` lists the Gridcentric or Cobalt extension; None when
    the answer is no list of extensions (it cannot tell)."""
    listed = body.get("extensions") if isinstance(body, dict) else None
    if not isinstance(listed, list):
        return None
    for ext in listed:
        if not isinstance(ext, dict):
            continue
        if str(ext.get("alias") or "").lower() in GRIDCENTRIC_ALIASES:
            return True
        if str(ext.get("name") or "").lower() in GRIDCENTRIC_NAMES:
            return True
    return False
