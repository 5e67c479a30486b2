"""Errors raised by gcclient.

Every error a user can cause or meet is a :class:`GcError`. The errors about a
write's outcome carry structured fields (the action, the server, whether the
request was sent, the IDs known, the read-only query that checks it); their
text is built by :meth:`GcError.render` from a front-end's :class:`Words`, so the
core never speaks in one front-end's words (``str()`` uses :data:`PLAIN`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Check:
    """The read-only query that tells a write's outcome: ``show``, ``list-launched``,
    ``list-blessed``, ``list`` or ``get-policy``, about ``server``."""

    query: str
    server: str = ""


@dataclass(frozen=True)
class Words:
    """How a front-end names things in its messages.

    ``checks`` maps a :class:`Check` query to a phrase (``{server}`` is replaced);
    ``options`` maps a request key (``name``, ``scheduler_hints``, ``export``) to
    the option or command that sets it; ``capabilities`` is the phrase that shows
    the advertised capabilities; ``resume`` (``{servers}``) resumes a failed wait.
    ``setting`` and ``setting_option`` name a connection setting (a keystoneauth
    option's dest, ``password``) in full and in short: gc says ``--os-password or
    OS_PASSWORD`` and ``--os-password``, the Python API ``password``."""

    checks: Mapping[str, str]
    options: Mapping[str, str] = field(default_factory=dict)
    capabilities: str = ""
    resume: str = ""
    resume_gone: str = ""
    setting: str = "{dest}"
    setting_option: str = "{dest}"

    def name_setting(self, dest: str, *, short: bool = False) -> str:
        """A connection setting as this front-end names it ({dest}, {option}, {variable})."""
        template = self.setting_option if short else self.setting
        return template.format(
            dest=dest, option=dest.replace("_", "-"), variable="OS_" + dest.upper()
        )

    def check(self, check: Check | None) -> str:
        if check is None:
            return "the servers"
        template = self.checks.get(check.query, "server {server}")
        return template.format(server=check.server or "<server>")

    def option(self, key: str) -> str:
        return self.options.get(key) or f"the '{key}' parameter"


# The Python API's words: plain descriptions, no command of any front-end.
PLAIN = Words(
    checks={
        "show": "server {server}",
        "list-launched": "the servers launched from {server}",
        "list-blessed": "the servers blessed from {server}",
        "list": "the list of servers",
        "get-policy": "the policy of a launched server",
    }
)


class GcError(Exception):
    """Base class of every gcclient error."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message or self.render(PLAIN)

    def render(self, words: Words) -> str:
        """The message in a front-end's words (plain errors have one text)."""
        return self.message


class CommandError(GcError):
    """Bad input caught before anything was sent."""


class InvalidValue(CommandError):
    """A value refused before anything was sent, named by its option in a front-end's
    words (``options[option]``: gc says "Invalid --target '0': it must be greater
    than 0"); without one, by ``noun`` ("Invalid memory target '0': ...") or by
    ``plain``, a text of its own."""

    def __init__(
        self, option: str, noun: str, value: str, rule: str, *, plain: str | None = None
    ) -> None:
        self.option = option
        self.noun = noun
        self.value = value
        self.rule = rule
        self.plain = plain
        super().__init__("")

    def render(self, words: Words) -> str:
        if self.message:
            return self.message
        named = words.options.get(self.option)
        if named:
            return f"Invalid {named} '{self.value}': {self.rule}"
        return self.plain or f"Invalid {self.noun} '{self.value}': {self.rule}"


class CapabilityError(CommandError):
    """The cloud does not advertise a capability that an option needs."""

    def __init__(self, feature: str, capability: str) -> None:
        self.feature = feature
        self.capability = capability
        super().__init__("")

    def render(self, words: Words) -> str:
        text = (
            f"This cloud does not support {words.option(self.feature)}: it does not "
            f"advertise the '{self.capability}' capability"
        )
        return text + (f" (see {words.capabilities})" if words.capabilities else "")


class BlessedDelete(CommandError):
    """A blessed server cannot be deleted: it is discarded instead."""

    def __init__(self, server: str) -> None:
        self.server = server
        super().__init__("")

    def render(self, words: Words) -> str:
        return (
            f"Server {self.server} is a blessed server (live image): "
            f"{words.options.get('discard', 'discard it instead')}"
        )


@dataclass(frozen=True)
class Setting:
    """A connection setting named in a message, worded by each front-end
    (:meth:`Words.name_setting`); ``short``: the option alone, as in "(or --os-user-id)"."""

    dest: str
    short: bool = False


class AuthSettingsError(CommandError):
    """A connection setting is missing or unusable.

    The text is made of plain strings and :class:`Setting` parts, so that gc names
    ``--os-password or OS_PASSWORD`` and the Python API ``password``."""

    def __init__(self, *parts: str | Setting) -> None:
        self.parts = parts
        super().__init__("")

    def render(self, words: Words) -> str:
        if self.message:
            return self.message
        return "".join(
            p if isinstance(p, str) else words.name_setting(p.dest, short=p.short)
            for p in self.parts
        )


class NoUniqueMatch(GcError):
    """A name matched several servers (``name``: the name, when a server name)."""

    def __init__(self, message: str, *, name: str | None = None) -> None:
        super().__init__(message)
        self.name = name


class ConnectionFailure(GcError):
    """The endpoint could not be reached or did not answer.

    ``sent`` is False when the request certainly did not leave (decided from the
    exception types of requests and urllib3), ``reason`` a short phrase, ``url``
    the address that failed."""

    sent: bool = True
    reason: str = ""
    url: str = ""
    # The endpoint came from a cached service catalog (the token cache): it may be
    # one the cloud no longer has.
    cached_catalog: bool = False

    def render(self, words: Words) -> str:
        hint = words.options.get("cached_catalog") if self.cached_catalog else None
        return self.message + (f" ({hint})" if hint else "")


class EndpointNotFound(ConnectionFailure):
    """The catalog has no endpoint for the chosen service, region and interface."""


class TLSVerificationFailed(ConnectionFailure):
    """The server's certificate could not be verified."""

    def __init__(self, detail: str, *, text: str = "") -> None:
        self.detail = detail
        super().__init__(text)  # a text of its own needs no hint (e.g. http on a TLS port)

    def render(self, words: Words) -> str:
        if self.message:
            return self.message
        hint = words.options.get("tls")
        return f"TLS verification failed: {self.detail}" + (f" ({hint})" if hint else "")


class NotKeystone(EndpointNotFound):
    """The auth URL answers, but not as Keystone (a plain web server, a wrong path)."""


class NoProjectScope(EndpointNotFound):
    """Keystone gave a token scoped to no project (a login without a project): its
    service catalog is empty, so no endpoint can be found."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__("")

    def render(self, words: Words) -> str:
        if self.message:
            return self.message
        name = words.name_setting("project_name")
        project_id = words.name_setting("project_id", short=True)
        return (
            f"No compute endpoint found: {self.detail.rstrip('.')}: the token is scoped "
            f"to no project because no project was given (set {name}, or {project_id})"
        )


class WrongEndpoint(EndpointNotFound):
    """The compute endpoint answers, but not as the compute API's versioned root (an
    endpoint without /v2.1 gets nova's 300 and its list of versions)."""


class UnknownOutcome(GcError):
    """A write was sent and its outcome is unknown: it may have been carried out.

    ``action`` is the request (``gc_launch``, ``delete``, ``boot``...), ``server``
    the server it was sent about, ``check`` the query that tells, ``kind`` why:
    ``lost`` (no answer), ``gateway`` (an answer that did not come from Nova's
    API), ``unreadable`` (accepted, body not JSON), ``empty`` (accepted, no server)."""

    _TEXT = {
        "lost": "The {action} request was sent but its answer was lost ({reason}); "
        "it may have been carried out: check {check} before retrying",
        "gateway": "The {action} request was answered by something other than the compute "
        "API ({reason}); it may have been carried out: check {check} before retrying",
        "unreadable": "The {action} request was accepted ({reason}) but its answer could "
        "not be read; it may have been carried out: check {check}",
        "empty": "The {action} request was accepted but the answer did not include the new "
        "server; it may have been carried out: check {check}",
    }

    def __init__(
        self,
        action: str,
        *,
        server: str = "",
        check: Check | None = None,
        kind: str = "lost",
        reason: str = "",
    ) -> None:
        self.action = action
        self.server = server
        self.check = check
        self.kind = kind
        self.reason = reason
        self.sent = True
        super().__init__("")

    def render(self, words: Words) -> str:
        with_check = words.check(self.check)
        return self._TEXT[self.kind].format(
            action=self.action, reason=self.reason, check=with_check
        )


class WaitError(GcError):
    """A wait ended in ERROR or ran out of time."""


class WaitFailed(GcError):
    """A write was carried out; only the wait after it failed.

    ``action`` is the write, ``servers`` the views of the servers it made or acted
    on (as last seen), ``cause`` the error that ended the wait (a
    :class:`WaitError`, a connection error, ...)."""

    def __init__(
        self,
        action: str,
        servers: Sequence[Mapping[str, Any]],
        cause: BaseException,
        *,
        gone: bool = False,
    ) -> None:
        self.action = action
        self.servers = [dict(s) for s in servers]
        self.cause = cause
        self.gone = gone  # the wait was for the servers to be gone
        super().__init__("")

    @property
    def ids(self) -> list[str]:
        return [str(s.get("id")) for s in self.servers]

    def render(self, words: Words) -> str:
        cause = self.cause.render(words) if isinstance(self.cause, GcError) else str(self.cause)
        done = ", ".join(self.ids) or "no server"
        text = f"The {self.action} was carried out ({done}); only the wait failed: {cause}"
        resume = words.resume_gone if self.gone else words.resume
        if resume and self.ids:
            text += f"; resume it with {resume.format(servers=' '.join(self.ids))}"
        return text


class OutputFailed(GcError):
    """A write succeeded but its output could not be written."""

    def __init__(self, reason: str, done: str) -> None:
        self.reason = reason
        self.done = done
        super().__init__(f"The output could not be written ({reason}); {done}")


class ClientException(GcError):
    """The server answered with an error status.

    ``answered`` is True when the cloud itself gave the status (an error answer):
    the text then ends as novaclient's and openstack's do, ``(HTTP 400)
    (Request-ID: req-...)``, what an operator pastes into a ticket. An error gcclient
    makes itself (no server of that name) carries a status for its type only."""

    http_status: int = 0

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = None,
        request_id: str | None = None,
        method: str | None = None,
        url: str | None = None,
        answered: bool = False,
    ) -> None:
        super().__init__(message)
        if http_status is not None:
            self.http_status = http_status
        self.request_id = request_id
        self.method = method
        self.url = url
        self.answered = answered

    def status_suffix(self) -> str:
        """`` (HTTP 400) (Request-ID: req-...)``, or what of it the cloud gave."""
        text = ""
        if self.answered and self.http_status and f"HTTP {self.http_status}" not in self.message:
            text = f" (HTTP {self.http_status})"
        if self.request_id:
            text += f" (Request-ID: {self.request_id})"
        return text

    def render(self, words: Words) -> str:
        # The same in every front-end's words; said once even when a front-end has
        # stored the rendered text as the message.
        suffix = self.status_suffix()
        if suffix and self.message.endswith(suffix):
            return self.message
        return self.message + suffix

    def __str__(self) -> str:
        return self.render(PLAIN)

    @property
    def code(self) -> int:
        return self.http_status


class BadRequest(ClientException):
    http_status = 400


class Unauthorized(ClientException):
    http_status = 401


class Forbidden(ClientException):
    http_status = 403


class NotFound(ClientException):
    http_status = 404


class Conflict(ClientException):
    http_status = 409


class OverLimit(ClientException):
    http_status = 413


class ServerError(ClientException):
    http_status = 500


class ServiceUnavailable(ClientException):
    http_status = 503


class TokenRejected(Unauthorized):
    """Keystone refused the token given to the token method (a real Keystone answers
    404 "Failed to validate token"): it is expired, revoked or malformed. The line
    ends, as every answered error does, with Keystone's status and request ID."""

    def __init__(self, detail: str, status: int, request_id: str | None = None) -> None:
        self.detail = detail
        super().__init__("", http_status=status, request_id=request_id, answered=True)

    def render(self, words: Words) -> str:
        if self.message:
            return self.message
        return (
            f"The token is expired, revoked or invalid; get a new "
            f"{words.name_setting('token')}. Keystone answered '{self.detail}'"
            f"{self.status_suffix()}"
        )


class ExtensionMissing(ClientException):
    """The cloud answered "There is no such action": no Gridcentric extension there."""


_BY_STATUS: dict[int, type[ClientException]] = {
    cls.http_status: cls
    for cls in (
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        Conflict,
        OverLimit,
        ServerError,
        ServiceUnavailable,
    )
}


def for_status(status: int) -> type[ClientException]:
    """The exception class for an HTTP status."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    return ServerError if status >= 500 else ClientException
