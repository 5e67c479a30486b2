"""The one wire implementation of the Gridcentric extension.

``Wire`` sends the actions and plain compute calls over a keystoneauth
``Adapter`` (or anything with the same ``request`` method) and turns answers
into Python values or typed exceptions. ``gc``, the Python API and the
novaclient extension all go through it.
"""

from __future__ import annotations

import email.utils
import logging
import random
import re
import time
from collections.abc import Callable, Mapping
from typing import Any

from gcclient import bodies, decoding, exceptions, names
from gcclient.auth import not_keystone_text, redact, tls_failure_text

LOG = logging.getLogger(__name__)

UUID_RE = re.compile(
    r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.IGNORECASE
)
RETRIABLE_STATUSES = (502, 503, 504)
GET_ATTEMPTS = 4
BACKOFF_START = 0.5
BACKOFF_CAP = 8.0
RETRY_AFTER_CAP = 30.0
_NOT_SENT_ERRORS = ("NewConnectionError", "NameResolutionError", "ConnectTimeoutError")

Server = dict[str, Any]


# How a gated request key is named in a capability error (the gc option or command).
_FEATURE_NAMES = {
    "scheduler_hints": "--hint",
    "networks": "--nic",
    "export": "export",
    "import": "import",
    "install_policy": "install-policy",
    "get_policy": "get-policy",
}


def is_uuid(value: str) -> bool:
    return bool(UUID_RE.match(value))


def _not_sent(exc: BaseException) -> bool:
    """True when a connection error certainly happened before the request left."""
    from requests.exceptions import ConnectTimeout

    seen: BaseException | None = exc
    depth = 0
    while seen is not None and depth < 10:
        if isinstance(seen, ConnectTimeout):  # requests' own: the connect step timed out
            return True
        text = f"{type(seen).__name__} {seen}"
        if any(name in text for name in _NOT_SENT_ERRORS) or "Connection refused" in text:
            return True
        reason = getattr(seen, "reason", None)
        if isinstance(reason, BaseException) and reason is not seen:
            seen = reason
        else:
            seen = seen.__cause__ or seen.__context__
            if seen is None and getattr(exc, "args", None):
                inner = [a for a in exc.args if isinstance(a, BaseException)]
                seen = inner[0] if inner and inner[0] is not exc else None
        depth += 1
    return False


# Phrases for the low-level causes of a connection error, most specific first.
_REASONS = (
    ("Connection refused", "connection refused"),
    ("NameResolutionError", "the host name could not be resolved"),
    ("Name or service not known", "the host name could not be resolved"),
    ("ConnectTimeoutError", "the connection timed out"),
    ("IncompleteRead", "the answer was cut short"),
    ("Connection reset", "the connection was reset"),
    ("RemoteDisconnected", "the server closed the connection without answering"),
    ("timed out", "no answer within the timeout"),
)
_URL_RE = re.compile(r"(https?://\S+?)(?::\s|\s|$)")


def _chain_text(exc: BaseException) -> str:
    """The text of an exception and of everything it wraps (bounded)."""
    parts: list[str] = []
    seen: BaseException | None = exc
    while seen is not None and len(parts) < 10:
        parts.append(f"{type(seen).__name__} {seen}")
        reason = getattr(seen, "reason", None)
        if isinstance(reason, BaseException) and reason is not seen:
            seen = reason
        else:
            seen = seen.__cause__ or seen.__context__
    return " | ".join(parts)


def _reason(exc: BaseException | None) -> str:
    """A short phrase for why a connection failed (no library internals)."""
    if exc is None:
        return "no answer"
    text = _chain_text(exc)
    for needle, phrase in _REASONS:
        if needle in text:
            return phrase
    return str(exc)


def _failed_url(exc: BaseException) -> str | None:
    found = _URL_RE.search(str(exc))
    return found.group(1) if found else None


def _query_value(url: str, key: str) -> str | None:
    """A query parameter of a link, or None."""
    from urllib.parse import parse_qs, urlsplit

    values = parse_qs(urlsplit(url).query).get(key)
    return values[-1] if values else None


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (seconds or an HTTP date), capped; None if absent
    or unreadable."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            return None
        seconds = when.timestamp() - time.time()
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)


def _retry_delay(attempt: int, retry_after: str | None) -> float:
    """Retry-After when the server gave one, else exponential backoff with jitter,
    never more than BACKOFF_CAP."""
    delay = _retry_after(retry_after)
    if delay is not None:
        return delay
    base = BACKOFF_START * (2**attempt)
    return min(base * random.uniform(0.5, 1.5), BACKOFF_CAP)


def _may_have_arrived(failure: exceptions.ConnectionFailure, path: str) -> bool:
    """Whether a write that failed with this connection error may have reached the
    server: not when the connection was never made, nor when the failure was on
    another request (the token request that comes first)."""
    cause = failure.__cause__
    if cause is None or _not_sent(cause):
        return False
    url = _failed_url(cause)
    return url is None or url.split("?", 1)[0].endswith(path)


def _created(answer: Any, what: str, check: str) -> list[Server]:
    """The servers a bless or launch answered with; an answer without any is not a
    success the caller can rely on (the request may still have been carried out)."""
    try:
        servers = decoding.as_list(answer)
    except decoding.Undecodable:
        servers = []
    if not servers:
        raise exceptions.UnknownOutcome(
            f"The {what} request was accepted but the answer did not include the new "
            f"server; it may have been carried out: check with {check}"
        )
    return servers


class Wire:
    """Gridcentric and compute calls over one adapter."""

    def __init__(
        self,
        adapter: Any,
        *,
        warn: Callable[[str], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.adapter = adapter
        self.warn = warn or LOG.warning
        self._sleep = sleep
        self._capabilities: list[str] | None = None

    # -- transport -------------------------------------------------------

    def _send(self, method: str, path: str, **kwargs: Any) -> Any:
        """One request; keystoneauth errors become gcclient errors."""
        from keystoneauth1 import exceptions as ks_exc

        headers = {"Accept": "application/json"}
        try:
            # No retries inside keystoneauth: GETs are retried by _get, writes never.
            return self.adapter.request(
                path,
                method,
                raise_exc=False,
                headers=headers,
                connect_retries=0,
                status_code_retries=0,
                **kwargs,
            )
        except ks_exc.MissingRequiredOptions as exc:
            raise exceptions.AuthSettingsError(str(exc)) from None
        except ks_exc.EndpointNotFound as exc:
            raise exceptions.EndpointNotFound(f"No compute endpoint found: {exc}") from None
        except ks_exc.SSLError as exc:
            url = _failed_url(exc) or path
            raise exceptions.TLSVerificationFailed(tls_failure_text(exc, url)) from None
        except ks_exc.Unauthorized as exc:
            raise exceptions.Unauthorized(
                redact(f"Authentication failed: {getattr(exc, 'message', exc)}"), http_status=401
            ) from None
        except (ks_exc.HttpError, ks_exc.DiscoveryFailure) as exc:
            if not_keystone_text(exc):
                raise exceptions.NotKeystone(str(not_keystone_text(exc))) from None
            status = getattr(exc, "http_status", None)
            raise exceptions.for_status(status or 500)(
                redact(f"Authentication failed: {getattr(exc, 'message', exc)}"),
                http_status=status,
            ) from None
        except ks_exc.ConnectionError as exc:
            url = redact(_failed_url(exc) or path)
            raise exceptions.ConnectionFailure(f"Cannot reach {url}: {_reason(exc)}") from exc
        except ks_exc.ClientException as exc:
            raise exceptions.ConnectionFailure(redact(str(exc)) or type(exc).__name__) from exc

    def _get(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        """An idempotent GET: retried on connection errors and 502/503/504, with
        jittered, bounded backoff that honours Retry-After."""
        for attempt in range(GET_ATTEMPTS):
            last = attempt == GET_ATTEMPTS - 1
            try:
                response = self._send("GET", path, params=params)
            except (exceptions.EndpointNotFound, exceptions.TLSVerificationFailed):
                raise  # retrying cannot help
            except exceptions.ConnectionFailure as exc:
                if last:
                    raise exceptions.ConnectionFailure(
                        f"{exc} (gave up after {GET_ATTEMPTS} attempts)"
                    ) from exc.__cause__
                self._sleep(_retry_delay(attempt, None))
                continue
            if response.status_code in RETRIABLE_STATUSES and not last:
                self._sleep(_retry_delay(attempt, response.headers.get("Retry-After")))
                continue
            return self._check(response, "GET", path)
        raise AssertionError("unreachable")

    def _check(self, response: Any, method: str, path: str) -> Any:
        if response.status_code >= 400:
            raise decoding.error_from_response(response, method, path)
        try:
            return decoding.decode(response.text)
        except decoding.Undecodable:
            raise exceptions.ClientException(
                f"The server answered {method} {path} with a body that is not JSON "
                f"(HTTP {response.status_code}, {response.headers.get('Content-Type', '')})",
                http_status=response.status_code,
            ) from None

    def _post(self, path: str, body: Any, *, what: str, check: str | None) -> Any:
        """A non-idempotent POST: sent once; a lost answer is reported as unknown.
        ``check=None`` marks a read-only action (the lists, get-policy)."""
        try:
            response = self._send("POST", path, json=body)
        except exceptions.ConnectionFailure as exc:
            if check is None and _may_have_arrived(exc, path):
                raise exceptions.ConnectionFailure(
                    f"The {what} request failed: its answer was lost "
                    f"({_reason(exc.__cause__)}); it changes nothing, so it is safe to try again"
                ) from None
            if _may_have_arrived(exc, path):
                raise exceptions.UnknownOutcome(
                    f"The {what} request was sent but its answer was lost "
                    f"({_reason(exc.__cause__)}); it may have been carried out: "
                    f"check with {check} before retrying"
                ) from None
            raise exceptions.ConnectionFailure(
                f"{exc}; the {what} request was not sent"
            ) from exc.__cause__
        if response.status_code >= 400:
            raise decoding.error_from_response(response, "POST", path)
        try:
            return decoding.decode(response.text)
        except decoding.Undecodable:
            if check is None:
                raise exceptions.ClientException(
                    f"The server answered {what} with a body that is not JSON "
                    f"(HTTP {response.status_code}, {response.headers.get('Content-Type', '')})",
                    http_status=response.status_code,
                ) from None
            raise exceptions.UnknownOutcome(
                f"The {what} request was accepted (HTTP {response.status_code}) but its answer "
                f"could not be read; it may have been carried out: check with {check}"
            ) from None

    def action(
        self, server_id: str, body: dict[str, Any], *, check: str = "", readonly: bool = False
    ) -> Any:
        what = next(iter(body))
        return self._post(
            f"/servers/{server_id}/action",
            body,
            what=what,
            check=None if readonly else (check or f"gc show {server_id}"),
        )

    # -- plain compute -----------------------------------------------------

    def get(self, server_id: str) -> Server:
        body = self._get(f"/servers/{server_id}")
        server = body.get("server") if isinstance(body, dict) else None
        if not isinstance(server, dict) or server.get("id") in (None, ""):
            raise exceptions.ClientException(f"Unexpected answer to GET /servers/{server_id}")
        return body["server"]

    def list_servers(self, **filters: str) -> list[Server]:
        body = self._get("/servers/detail", params=filters or None)
        return decoding.as_list(body)

    def list_servers_page(self, params: Mapping[str, str]) -> tuple[list[Server], str | None]:
        """One page of ``GET /servers/detail`` and the marker of the next page when the
        answer links one (``servers_links`` rel ``next``)."""
        body = self._get("/servers/detail", params=params)
        marker = None
        if isinstance(body, dict):
            for link in body.get("servers_links") or ():
                if isinstance(link, dict) and link.get("rel") == "next":
                    marker = _query_value(str(link.get("href") or ""), "marker")
        return decoding.as_list(body), marker

    def list_images(self, **filters: str) -> list[dict[str, Any]]:
        """``GET /images/detail`` (compute image API), filtered server-side."""
        body = self._get("/images/detail", params=filters or None)
        return list(body.get("images") or []) if isinstance(body, dict) else []

    def list_flavors(self) -> list[dict[str, Any]]:
        """``GET /flavors/detail``."""
        body = self._get("/flavors/detail")
        return list(body.get("flavors") or []) if isinstance(body, dict) else []

    def delete(self, server_id: str) -> None:
        """DELETE is idempotent in effect; it is still sent once, like every write."""
        try:
            response = self._send("DELETE", f"/servers/{server_id}")
        except exceptions.ConnectionFailure as exc:
            if _may_have_arrived(exc, f"/servers/{server_id}"):
                raise exceptions.UnknownOutcome(
                    f"The delete request was sent but its answer was lost "
                    f"({_reason(exc.__cause__)}); check with gc show {server_id}"
                ) from None
            raise
        if response.status_code >= 400:
            raise decoding.error_from_response(response, "DELETE", f"/servers/{server_id}")

    def boot(self, server: Mapping[str, Any], *, on_host: str | None = None) -> Server:
        body = {"server": dict(server)}
        path = "/servers"
        if on_host is not None:
            metadata = dict(body["server"].get("metadata") or {})
            metadata["gc:target_host"] = on_host
            body["server"]["metadata"] = metadata
            path = "/gcservers"
        answer = self._post(path, body, what="boot", check="gc list --all")
        return answer["server"] if isinstance(answer, dict) and "server" in answer else answer

    # -- names -------------------------------------------------------------

    def find(self, name_or_id: str) -> Server:
        """The server view for a name or an ID (one GET; a UUID-shaped argument that
        is no server's ID is then looked up once as a name)."""
        uuid = names.normalise_uuid(name_or_id)
        if uuid is not None:
            try:
                return self.get(uuid)
            except exceptions.NotFound:
                pass
        return self._find_by_name(name_or_id)

    def resolve(self, name_or_id: str) -> str:
        """The ID to act on: a UUID normalised (no request), a name by one filtered query."""
        uuid = names.normalise_uuid(name_or_id)
        if uuid is not None:
            return uuid
        return str(self._find_by_name(name_or_id)["id"])

    def _find_by_name(self, name: str) -> Server:
        bodies.check_name(name, "server name")  # no server can have it: no request
        if name.isdigit():
            try:
                return self.get(name)
            except exceptions.NotFound:
                pass
        matches = [
            server
            for server in self.list_servers(name=f"^{re.escape(name)}$")
            if server.get("name") == name
        ]
        if not matches:
            raise exceptions.NotFound(names.not_found_text(name), http_status=404)
        if len(matches) > 1:
            raise exceptions.NoUniqueMatch(names.ambiguous_text(name, matches), name=name)
        return matches[0]

    # -- capabilities --------------------------------------------------------

    def capabilities(self) -> list[str]:
        """The advertised capabilities (``GET /gcinfo``, once per Wire); [] when absent."""
        if self._capabilities is None:
            try:
                body = self._get("/gcinfo")
            except exceptions.NotFound:
                body = None
            caps = body.get("capabilities") if isinstance(body, dict) else None
            self._capabilities = [str(c) for c in caps] if isinstance(caps, list) else []
        return self._capabilities

    def require(self, needed: Mapping[str, str], params: Mapping[str, Any]) -> None:
        """Refuse parameters whose capability the server does not advertise."""
        wanted = {key: cap for key, cap in needed.items() if params.get(key) is not None}
        if not wanted:
            return
        caps = set(self.capabilities())
        for key, cap in sorted(wanted.items()):
            if cap in caps:
                continue
            if cap == "security-groups" and "scheduler-hints" in caps:
                self.warn(
                    "The cloud no longer advertises 'security-groups'; sending them anyway "
                    "(Cobalt servers still honour them)"
                )
                continue
            option = _FEATURE_NAMES.get(key) or "--" + key.replace("_", "-")
            raise exceptions.CapabilityError(
                f"This cloud does not support {option}: it does not advertise the "
                f"'{cap}' capability (see 'gc capabilities')"
            )

    # -- the Gridcentric actions ---------------------------------------------

    def bless(self, server_id: str, *, name: str | None = None) -> list[Server]:
        self.require(bodies.BLESS_CAPABILITIES, {"name": name})
        check = f"gc list-blessed {server_id}"
        body = self.action(server_id, bodies.bless_body(name), check=check)
        return _created(body, "gc_bless", check)

    def launch(self, server_id: str, **params: Any) -> list[Server]:
        body = bodies.launch_body(**params)
        self.require(bodies.LAUNCH_CAPABILITIES, body["gc_launch"])
        check = f"gc list-launched {server_id}"
        answer = self.action(server_id, body, check=check)
        return _created(answer, "gc_launch", check)

    def discard(self, server_id: str) -> None:
        self.action(server_id, bodies.simple_body("gc_discard"), check=f"gc show {server_id}")

    def migrate(self, server_id: str, dest: str | None = None) -> None:
        self.action(server_id, bodies.migrate_body(dest), check=f"gc show {server_id}")

    def list_launched(self, server_id: str) -> list[Server]:
        body = bodies.simple_body("gc_list_launched")
        return decoding.as_list(self.action(server_id, body, readonly=True))

    def list_blessed(self, server_id: str) -> list[Server]:
        body = bodies.simple_body("gc_list_blessed")
        return decoding.as_list(self.action(server_id, body, readonly=True))

    def export(self, server_id: str) -> dict[str, Any]:
        self.require({"export": "import-export"}, {"export": True})
        answer = self.action(server_id, bodies.simple_body("gc_export"))
        if not isinstance(answer, dict):
            raise exceptions.ClientException("Unexpected answer to gc_export: not an object")
        return answer

    def import_server(self, data: Mapping[str, Any]) -> Server:
        self.require({"import": "import-export"}, {"import": True})
        answer = self._post(
            "/gc-import-server", {"data": dict(data)}, what="import", check="gc list"
        )
        if isinstance(answer, dict) and isinstance(answer.get("server"), dict):
            return answer["server"]
        raise exceptions.ClientException("Unexpected answer to import: no server")

    def install_policy(self, policy: str, *, wait: bool = False) -> None:
        self.require({"install_policy": "install-policy"}, {"install_policy": True})
        self._post(
            "/gcpolicy",
            {"policy_ini_string": policy, "wait": bool(wait)},
            what="install-policy",
            check="gc get-policy <launched server>",
        )

    def get_policy(self, server_id: str) -> list[str]:
        self.require({"get_policy": "get-policy"}, {"get_policy": True})
        answer = self.action(server_id, {"co_get_policy": {}}, readonly=True)
        return [str(line) for line in answer] if isinstance(answer, list) else []
