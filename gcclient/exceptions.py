"""Errors raised by gcclient.

Every error a user can cause or meet is a :class:`GcError`; the CLI prints its
message on one line and exits 1.
"""

from __future__ import annotations


class GcError(Exception):
    """Base class of every gcclient error."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class CommandError(GcError):
    """Bad input caught before anything was sent."""


class CapabilityError(CommandError):
    """The cloud does not advertise a capability that an option needs."""


class AuthSettingsError(CommandError):
    """A required authentication setting is missing."""


class NoUniqueMatch(GcError):
    """A name matched several servers (``name``: the name, when a server name)."""

    def __init__(self, message: str, *, name: str | None = None) -> None:
        super().__init__(message)
        self.name = name


class ConnectionFailure(GcError):
    """The endpoint could not be reached or did not answer."""


class EndpointNotFound(ConnectionFailure):
    """The catalog has no endpoint for the chosen service, region and interface."""


class TLSVerificationFailed(ConnectionFailure):
    """The server's certificate could not be verified."""


class NotKeystone(EndpointNotFound):
    """The auth URL answers, but not as Keystone (a plain web server, a wrong path)."""


class UnknownOutcome(GcError):
    """An action was sent but its answer was lost: it may or may not have happened."""


class WaitError(GcError):
    """A wait ended in ERROR or ran out of time."""


class ClientException(GcError):
    """The server answered with an error status."""

    http_status: int = 0

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = None,
        request_id: str | None = None,
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message)
        if http_status is not None:
            self.http_status = http_status
        self.request_id = request_id
        self.method = method
        self.url = url

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
