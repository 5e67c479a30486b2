"""The transport's judgement of a failed request: did it leave, and why did it fail.

Decided from the exception types of requests, urllib3 and the socket layer (the
text is only read for what carries no types, e.g. requests-mock's), and the
backoff of retried reads.
"""

from __future__ import annotations

import random
import re
import time
from typing import Any

BACKOFF_START = 0.5
BACKOFF_CAP = 8.0
RETRY_AFTER_CAP = 30.0


def _inner(exc: BaseException) -> list[BaseException]:
    """What an exception wraps: urllib3's reason, requests' first argument, the chain."""
    found: list[BaseException] = []
    reason = getattr(exc, "reason", None)
    if isinstance(reason, BaseException):
        found.append(reason)
    found += [a for a in getattr(exc, "args", ()) if isinstance(a, BaseException)]
    found += [e for e in (exc.__cause__, exc.__context__) if e is not None]
    return [e for e in found if e is not exc]


def request_left(exc: BaseException) -> bool:
    """Whether a failed request may have reached the server, decided from the
    exception types of requests, urllib3 and the socket layer (never from text).
    Unknown types count as "may have left": a write is then an unknown outcome."""
    import http.client
    import socket

    from requests import exceptions as rq
    from urllib3 import exceptions as u3

    not_sent = (
        rq.ConnectTimeout,
        rq.SSLError,
        u3.NewConnectionError,
        u3.ConnectTimeoutError,
        u3.SSLError,
        ConnectionRefusedError,
        socket.gaierror,
    )
    left = (
        rq.ReadTimeout,
        rq.ChunkedEncodingError,
        u3.ProtocolError,
        u3.ReadTimeoutError,
        ConnectionResetError,
        http.client.RemoteDisconnected,
        http.client.IncompleteRead,
    )
    pending, depth = [exc], 0
    while pending and depth < 20:
        seen = pending.pop(0)
        depth += 1
        if isinstance(seen, not_sent):
            return False
        if isinstance(seen, left):
            return True
        pending += _inner(seen)
    return True


# Short phrases for the low-level cause of a connection error, by type.
def reason(exc: BaseException | None) -> str:
    """A short phrase for why a connection failed (no library internals)."""
    import http.client
    import socket

    from requests import exceptions as rq
    from urllib3 import exceptions as u3

    phrases: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], str], ...] = (
        (ConnectionRefusedError, "connection refused"),
        ((u3.NameResolutionError, socket.gaierror), "the host name could not be resolved"),
        ((rq.ConnectTimeout, u3.ConnectTimeoutError), "the connection timed out"),
        ((rq.ChunkedEncodingError, http.client.IncompleteRead), "the answer was cut short"),
        (ConnectionResetError, "the connection was reset"),
        (http.client.RemoteDisconnected, "the server closed the connection without answering"),
        ((rq.ReadTimeout, u3.ReadTimeoutError), "no answer within the timeout"),
    )
    if exc is None:
        return "no answer"
    chain: list[BaseException] = []
    pending = [exc]
    while pending and len(chain) < 20:
        seen = pending.pop(0)
        chain.append(seen)
        pending += _inner(seen)
    for types, phrase in phrases:
        if any(isinstance(seen, types) for seen in chain):
            new_connection = [e for e in chain if type(e) is u3.NewConnectionError]
            if new_connection and types == (rq.ConnectTimeout, u3.ConnectTimeoutError):
                # urllib3's NewConnectionError is a ConnectTimeoutError; its text tells.
                return (
                    "connection refused"
                    if "refused" in str(new_connection[0])
                    else ("the connection could not be made")
                )
            return phrase
    text = " ".join(f"{type(e).__name__} {e}" for e in chain)
    for needle, phrase in _TEXT_REASONS:  # requests-mock and plain strings carry no types
        if needle in text:
            return phrase
    return str(exc)


_TEXT_REASONS = (
    ("Connection refused", "connection refused"),
    ("Connection reset", "the connection was reset"),
    ("RemoteDisconnected", "the server closed the connection without answering"),
    ("IncompleteRead", "the answer was cut short"),
    ("timed out", "no answer within the timeout"),
)
_URL_RE = re.compile(r"(https?://\S+?)(?::\s|\s|$)")


def failed_url(exc: BaseException) -> str | None:
    found = _URL_RE.search(str(exc))
    return found.group(1) if found else None


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (seconds or an HTTP date), capped; None if absent
    or unreadable."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        import email.utils  # only for an HTTP-date Retry-After

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


def retry_delay(attempt: int, retry_after: str | None) -> float:
    """Retry-After when the server gave one, else exponential backoff with jitter,
    never more than BACKOFF_CAP."""
    delay = _retry_after(retry_after)
    if delay is not None:
        return delay
    base = BACKOFF_START * (2**attempt)
    return min(base * random.uniform(0.5, 1.5), BACKOFF_CAP)


# -- what a failed request says, with no secret in it --------------------

# The password runs to the last '@' of the authority (a password may hold '@';
# the authority ends at '/', '?', '#' or a space, as urllib splits it).
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/?#\s:@]*):[^/?#\s]*@")
# Secrets in JSON bodies that keystoneauth logs at --debug: the server's adminPass,
# passwords, secrets and passcodes (keystoneauth hashes the token headers itself).
_BODY_SECRET = re.compile(
    r'("(?:adminPass|password|secret|passcode|application_credential_secret)"\s*:\s*")'
    r'(?:[^"\\]|\\.)*(")'
)


def redact(text: str) -> str:
    """A text with the password of every URL's userinfo (``user:password@``) and
    the secrets of JSON bodies (``"adminPass": "..."``) hidden."""
    return _BODY_SECRET.sub(r"\1***\2", _USERINFO.sub(r"\1:***@", text))


def plain_http_answer(exc: BaseException) -> bool:
    """Whether a TLS error is a handshake answered in plain HTTP (https:// given for
    an http:// port), where --insecure or a CA bundle cannot help."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            break
        if "WRONG_VERSION_NUMBER" in str(seen) or "wrong version number" in str(seen):
            return True
        reason = getattr(seen, "reason", None)
        nxt = reason if isinstance(reason, BaseException) else None
        seen = nxt or seen.__cause__ or seen.__context__
    return False


def tls_failure_text(exc: BaseException, url: str) -> str:
    if plain_http_answer(exc):
        return (
            f"TLS handshake with {redact(url)} failed: the server there does not speak TLS "
            "(is the URL http:// rather than https://?)"
        )
    return redact(f"TLS verification failed: {exc}")


def not_keystone_text(exc: Any) -> str | None:
    """The message for a token request refused as a web server does (404, 405, 501),
    or for an auth URL without a version document: it is not Keystone. None for
    other errors."""
    if type(exc).__name__ == "DiscoveryFailure":
        return (
            "The auth URL does not lead to Keystone: it answered without an identity "
            "version document; check the auth URL"
        )
    url = str(getattr(exc, "url", "") or "").split("?", 1)[0]
    status = getattr(exc, "http_status", None)
    if status in (404, 405, 501) and url.endswith(("/auth/tokens", "/tokens")):
        return (
            f"The auth URL does not lead to Keystone: {redact(url)} answered HTTP {status} "
            "to the token request; check the auth URL"
        )
    return None
