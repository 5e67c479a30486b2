"""keystoneauth's errors turned into gcclient's, with what a real Keystone means by them.

A real Keystone (30.0.0, tests/realstack) answers in ways a reading of the status
alone gets wrong:

- the token method with a revoked, expired or malformed token gets 404 with
  Keystone's error envelope ("Failed to validate token", "Could not recognize
  Fernet token"): the token is bad, the auth URL is right;
- a password login without a project gets 201 and an unscoped token, whose
  service catalog is empty: no project was given.

A 404 without Keystone's envelope (a plain web server) still means the auth URL
does not lead to Keystone (:func:`transport.not_keystone_text`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from gcclient.api import decoding, exceptions, transport
from gcclient.api.transport import not_keystone_text, plain_http_answer, redact, tls_failure_text


def keystone_message(exc: Any) -> str | None:
    """The message of Keystone's error envelope ``{"error": {"message": ...}}`` in a
    keystoneauth HTTP error, made plain; None when the answer has no such envelope."""
    response = getattr(exc, "response", None)
    if response is None:
        return None
    try:
        body = json.loads(response.text or "")
    except (ValueError, TypeError, AttributeError):
        return None
    error = body.get("error") if isinstance(body, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    return decoding.plain(str(message)) if message else None


def _methods(exc: Any) -> list[str]:
    """The auth methods of the token request that failed (read from its body; the
    token in it is never kept or shown)."""
    request = getattr(getattr(exc, "response", None), "request", None)
    raw = getattr(request, "body", None)
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    try:
        methods = json.loads(raw or "")["auth"]["identity"]["methods"]
    except (ValueError, TypeError, KeyError):
        return []
    return [str(m) for m in methods] if isinstance(methods, list) else []


def token_rejected(exc: Any) -> exceptions.TokenRejected | None:
    """The error for Keystone's 404 to the token method: the token is expired, revoked
    or invalid. None for any other error."""
    url = str(getattr(exc, "url", "") or "").split("?", 1)[0]
    if getattr(exc, "http_status", None) != 404 or not url.endswith("/auth/tokens"):
        return None
    message = keystone_message(exc)
    if message is None:
        return None  # no Keystone envelope: a web server's 404 (not Keystone)
    methods = _methods(exc)
    if "token" not in methods and not (not methods and "token" in message.lower()):
        return None
    return exceptions.TokenRejected(message, 404, getattr(exc, "request_id", None))


def _unscoped(adapter: Any) -> bool:
    """Whether the adapter's token is scoped to no project and no domain (asked of the
    auth plugin, which already holds the token: no request)."""
    session = getattr(adapter, "session", None)
    auth: Any = getattr(adapter, "auth", None) or getattr(session, "auth", None)
    try:
        access = auth.get_access(session)
    except Exception:
        return False
    return not getattr(access, "scoped", True)


def translate(call: Callable[[], Any], path: str = "", adapter: Any = None) -> Any:
    """Run a keystoneauth call; its errors become gcclient errors."""
    from keystoneauth1 import exceptions as ks_exc

    try:
        return call()
    except ks_exc.MissingAuthPlugin:
        raise
    except ks_exc.MissingRequiredOptions as exc:
        raise exceptions.AuthSettingsError(str(exc)) from None
    except ks_exc.EndpointNotFound as exc:
        failure: exceptions.ConnectionFailure
        if isinstance(exc, ks_exc.EmptyCatalog) and _unscoped(adapter):
            failure = exceptions.NoProjectScope(str(exc))
        else:
            failure = exceptions.EndpointNotFound(f"No compute endpoint found: {exc}")
        failure.sent = False
        raise failure from None
    except ks_exc.SSLError as exc:
        url = transport.failed_url(exc) or path
        if plain_http_answer(exc):
            failure = exceptions.TLSVerificationFailed("", text=tls_failure_text(exc, url))
        else:
            failure = exceptions.TLSVerificationFailed(redact(str(exc)))
        failure.sent = False
        raise failure from None
    except ks_exc.Unauthorized as exc:
        raise exceptions.Unauthorized(
            redact(f"Authentication failed: {_text(exc)}"),
            http_status=401,
            request_id=getattr(exc, "request_id", None),
            answered=True,
        ) from None
    except (ks_exc.HttpError, ks_exc.DiscoveryFailure) as exc:
        rejected = token_rejected(exc)
        if rejected is not None:
            raise rejected from None
        if keystone_message(exc) is None and not_keystone_text(exc):
            # Keystone's own envelope proves the URL right, whatever the status.
            raise exceptions.NotKeystone(str(not_keystone_text(exc))) from None
        status = getattr(exc, "http_status", None)
        raise exceptions.for_status(status or 500)(
            redact(f"Authentication failed: {_text(exc)}"),
            http_status=status,
            request_id=getattr(exc, "request_id", None),
            answered=status is not None,
        ) from None
    except ks_exc.ClientException as exc:
        url = redact(transport.failed_url(exc) or path)
        if isinstance(exc, ks_exc.ConnectionError):
            failure = exceptions.ConnectionFailure(f"Cannot reach {url}: {transport.reason(exc)}")
        else:
            failure = exceptions.ConnectionFailure(redact(str(exc)) or type(exc).__name__)
        failure.sent = transport.request_left(exc)
        failure.reason = transport.reason(exc)
        failure.url = url
        raise failure from exc


def _text(exc: Any) -> str:
    """keystoneauth's message of an error, on one line without markup."""
    return decoding.plain(str(getattr(exc, "message", None) or exc))
