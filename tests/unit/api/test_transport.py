"""gcclient.api.transport: whether a failed request may have left, decided by the
exception types of requests, urllib3 and the socket layer (never by text)."""

from __future__ import annotations

import http.client
import socket

import pytest
import requests
import urllib3

from gcclient.api import transport


def _refused() -> BaseException:
    reason = urllib3.exceptions.NewConnectionError(None, "Connection refused")  # type: ignore[arg-type]
    return requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", reason))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "exc, left",
    [
        (_refused(), False),
        (requests.exceptions.ConnectTimeout("connect"), False),
        (requests.exceptions.SSLError("bad cert"), False),
        (
            requests.exceptions.ConnectionError(
                urllib3.exceptions.MaxRetryError(
                    None,  # type: ignore[arg-type]
                    "/",
                    urllib3.exceptions.NameResolutionError("h", None, socket.gaierror()),  # type: ignore[arg-type]
                )
            ),
            False,
        ),
        (requests.exceptions.ReadTimeout("read"), True),
        (requests.exceptions.ChunkedEncodingError("cut"), True),
        (
            requests.exceptions.ConnectionError(
                urllib3.exceptions.ProtocolError("aborted", ConnectionResetError(104, "reset"))
            ),
            True,
        ),
        (
            requests.exceptions.ConnectionError(
                urllib3.exceptions.ProtocolError("aborted", http.client.RemoteDisconnected("x"))
            ),
            True,
        ),
        # No types to tell (e.g. a bare message): it may have left.
        (requests.exceptions.ConnectionError("Connection refused"), True),
    ],
)
def test_request_left_is_decided_by_types(exc, left):
    assert transport.request_left(exc) is left


def test_a_keystoneauth_error_is_judged_by_the_requests_error_it_wraps():
    from keystoneauth1 import exceptions as ks_exc

    for inner, left in ((requests.exceptions.ReadTimeout("r"), True), (_refused(), False)):
        try:
            try:
                raise inner
            except requests.exceptions.RequestException:
                raise ks_exc.ConnectFailure("Unable to establish connection") from None
        except ks_exc.ConnectFailure as outer:
            outer.__context__ = inner  # what keystoneauth's raise inside except leaves
            assert transport.request_left(outer) is left
