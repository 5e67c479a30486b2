"""Retries: idempotent GETs are retried with bounded, jittered backoff; writes never are."""

from __future__ import annotations

import email.utils
import json
import random
import socket
import threading
import time

import pytest
import requests
from keystoneauth1 import adapter, session
from keystoneauth1.identity import v3

from gcclient.api import exceptions
from gcclient.api import gcwire as wire_module
from gcclient.api.gcwire import Wire
from gcclient.cli.base import GC_WORDS

BASE = "http://nova.test/v2/p1"
UUID = "11111111-2222-3333-4444-555555555555"
SERVER = f"{BASE}/servers/{UUID}"
ACTION = f"{SERVER}/action"
SERVER_BODY = {"server": {"id": UUID, "name": "vm", "status": "ACTIVE", "metadata": {}}}
RESET = requests.exceptions.ConnectionError(
    "('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))"
)


def refused() -> requests.exceptions.ConnectionError:
    """What requests raises when the connection is refused: the types say "not sent"."""
    import urllib3

    reason = urllib3.exceptions.NewConnectionError(
        None, "Failed to establish a new connection: [Errno 111] Connection refused"
    )
    return requests.exceptions.ConnectionError(
        urllib3.exceptions.MaxRetryError(None, "/v2/p1/servers", reason)  # type: ignore[arg-type]
    )


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps():
    return Sleeps()


def make_wire(sleeps, **adapter_kwargs):
    compute = adapter.Adapter(session=session.Session(), endpoint_override=BASE, **adapter_kwargs)
    return Wire(compute, sleep=sleeps)


@pytest.fixture
def wire(sleeps):
    return make_wire(sleeps)


# ---- GETs ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [502, 503, 504])
def test_get_is_retried_on_gateway_errors_then_succeeds(wire, sleeps, requests_mock, status):
    requests_mock.get(
        SERVER, [{"status_code": status, "text": "busy"}] * 2 + [{"json": SERVER_BODY}]
    )
    assert wire.get(UUID)["id"] == UUID
    assert requests_mock.call_count == 3
    assert len(sleeps) == 2
    # exponential with jitter: attempt n waits BACKOFF_START * 2**n * [0.5, 1.5]
    assert 0.25 <= sleeps[0] <= 0.75
    assert 0.5 <= sleeps[1] <= 1.5


def test_get_is_retried_on_connection_errors(wire, sleeps, requests_mock):
    requests_mock.get(SERVER, [{"exc": RESET}, {"exc": refused()}, {"json": SERVER_BODY}])
    assert wire.get(UUID)["id"] == UUID
    assert requests_mock.call_count == 3 and len(sleeps) == 2


def test_get_is_retried_on_a_read_timeout(wire, sleeps, requests_mock):
    requests_mock.get(SERVER, [{"exc": requests.exceptions.ReadTimeout}, {"json": SERVER_BODY}])
    assert wire.get(UUID)["id"] == UUID
    assert requests_mock.call_count == 2


def test_get_retries_are_bounded(wire, sleeps, requests_mock):
    requests_mock.get(SERVER, status_code=503, json={"x": {"message": "Try later."}})
    with pytest.raises(exceptions.ServiceUnavailable) as err:
        wire.get(UUID)
    assert str(err.value) == "Try later. (HTTP 503)"
    assert requests_mock.call_count == wire_module.GET_ATTEMPTS
    assert len(sleeps) == wire_module.GET_ATTEMPTS - 1
    assert all(0 < s <= wire_module.transport.BACKOFF_CAP for s in sleeps)


def test_connection_failures_are_bounded_and_say_so(wire, sleeps, requests_mock):
    requests_mock.get(SERVER, exc=refused())
    with pytest.raises(exceptions.ConnectionFailure) as err:
        wire.get(UUID)
    assert str(err.value) == (
        f"Cannot reach {SERVER}: connection refused "
        f"(gave up after {wire_module.GET_ATTEMPTS} attempts)"
    )
    assert requests_mock.call_count == wire_module.GET_ATTEMPTS


def test_backoff_is_jittered_and_capped():
    random.seed(7)
    first = [wire_module.transport.retry_delay(0, None) for _ in range(50)]
    assert len(set(first)) > 40  # jittered: clients do not retry in lockstep
    assert all(0.25 <= d <= 0.75 for d in first)
    late = [wire_module.transport.retry_delay(10, None) for _ in range(50)]
    assert max(late) == wire_module.transport.BACKOFF_CAP


def test_retry_after_seconds_is_honoured(wire, sleeps, requests_mock):
    requests_mock.get(
        SERVER,
        [{"status_code": 503, "headers": {"Retry-After": "2"}}, {"json": SERVER_BODY}],
    )
    wire.get(UUID)
    assert sleeps == [2.0]


def test_retry_after_is_capped(wire, sleeps, requests_mock):
    requests_mock.get(
        SERVER,
        [{"status_code": 503, "headers": {"Retry-After": "86400"}}, {"json": SERVER_BODY}],
    )
    wire.get(UUID)
    assert sleeps == [wire_module.transport.RETRY_AFTER_CAP]


def test_retry_after_as_an_http_date(wire, sleeps, requests_mock):
    when = email.utils.formatdate(time.time() + 5, usegmt=True)
    requests_mock.get(
        SERVER,
        [{"status_code": 503, "headers": {"Retry-After": when}}, {"json": SERVER_BODY}],
    )
    wire.get(UUID)
    assert 3.0 <= sleeps[0] <= 5.0


@pytest.mark.parametrize("value", ["soon", "-5", "nan", ""])
def test_unreadable_or_negative_retry_after_falls_back_or_clamps(
    wire, sleeps, requests_mock, value
):
    requests_mock.get(
        SERVER,
        [{"status_code": 503, "headers": {"Retry-After": value}}, {"json": SERVER_BODY}],
    )
    wire.get(UUID)
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= 0.75


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413, 500])
def test_other_errors_are_not_retried(wire, sleeps, requests_mock, status):
    requests_mock.get(SERVER, status_code=status, json={"f": {"message": "no"}})
    with pytest.raises(exceptions.ClientException):
        wire.get(UUID)
    assert requests_mock.call_count == 1
    assert sleeps == []


def test_tls_errors_are_not_retried(wire, sleeps, requests_mock):
    requests_mock.get(SERVER, exc=requests.exceptions.SSLError("certificate verify failed"))
    with pytest.raises(exceptions.ConnectionFailure) as err:
        wire.get(UUID)
    assert str(err.value).startswith("TLS verification failed")
    assert requests_mock.call_count == 1 and sleeps == []


# ---- writes ---------------------------------------------------------------------------------

LAUNCH_LOST = (
    "The gc_launch request was sent but its answer was lost ({why}); it may have been "
    f"carried out: check with gc list-launched {UUID} before retrying"
)


@pytest.mark.parametrize(
    "exc, why",
    [
        (RESET, "the connection was reset"),
        (
            requests.exceptions.ReadTimeout("Read timed out. (read timeout=5)"),
            "no answer within the timeout",
        ),
        (
            requests.exceptions.ConnectionError(
                "RemoteDisconnected('Remote end closed connection without response')"
            ),
            "the server closed the connection without answering",
        ),
        (
            requests.exceptions.ChunkedEncodingError("IncompleteRead(10 bytes read)"),
            "the answer was cut short",
        ),
    ],
)
def test_launch_is_never_resent_and_the_outcome_is_unknown(wire, sleeps, requests_mock, exc, why):
    requests_mock.post(ACTION, exc=exc)
    with pytest.raises(exceptions.UnknownOutcome) as err:
        wire.launch(UUID)
    assert err.value.render(GC_WORDS) == LAUNCH_LOST.format(why=why)
    assert (err.value.action, err.value.server, err.value.kind) == ("gc_launch", UUID, "lost")
    assert requests_mock.call_count == 1 and sleeps == []


@pytest.mark.parametrize("status", [502, 503, 504])
def test_launch_is_not_resent_on_gateway_errors(wire, sleeps, requests_mock, status):
    """A gateway's answer to a write is an unknown outcome, and the write is not resent."""
    requests_mock.post(
        ACTION, status_code=status, headers={"Retry-After": "0"}, text="<html>gateway</html>"
    )
    with pytest.raises(exceptions.UnknownOutcome) as err:
        wire.launch(UUID)
    assert err.value.kind == "gateway" and f"HTTP {status}" in str(err.value)
    assert requests_mock.call_count == 1 and sleeps == []


def test_connection_refused_before_sending_says_not_sent(wire, sleeps, requests_mock):
    requests_mock.post(ACTION, exc=refused())
    with pytest.raises(exceptions.ConnectionFailure) as err:
        wire.launch(UUID)
    assert not isinstance(err.value, exceptions.UnknownOutcome)
    assert str(err.value) == (
        f"Cannot reach {ACTION}: connection refused; the gc_launch request was not sent"
    )
    assert requests_mock.call_count == 1


def test_keystoneauth_does_not_retry_writes_even_when_the_adapter_asks(sleeps, requests_mock):
    wire = make_wire(sleeps, connect_retries=5, status_code_retries=5, retriable_status_codes=[503])
    requests_mock.post(ACTION, exc=requests.exceptions.ConnectTimeout("connect timed out"))
    with pytest.raises(exceptions.ConnectionFailure):
        wire.launch(UUID)
    assert requests_mock.call_count == 1
    requests_mock.post(ACTION, status_code=503, text="")
    with pytest.raises(exceptions.UnknownOutcome):
        wire.bless(UUID)
    assert requests_mock.call_count == 2


@pytest.mark.parametrize("action", ["bless", "discard", "migrate"])
def test_other_actions_are_not_resent_either(wire, requests_mock, action):
    requests_mock.post(ACTION, exc=RESET)
    with pytest.raises(exceptions.UnknownOutcome) as err:
        getattr(wire, action)(UUID)
    check = f"gc list-blessed {UUID}" if action == "bless" else f"gc show {UUID}"
    assert f"check with {check}" in err.value.render(GC_WORDS)
    assert requests_mock.call_count == 1


def test_delete_is_sent_once(wire, requests_mock):
    requests_mock.delete(SERVER, exc=RESET)
    with pytest.raises(exceptions.UnknownOutcome) as err:
        wire.delete(UUID)
    assert err.value.render(GC_WORDS) == (
        f"The delete request was sent but its answer was lost (the connection was reset); "
        f"it may have been carried out: check with gc show {UUID} before retrying"
    )
    assert requests_mock.call_count == 1


def test_read_only_actions_are_retried_like_gets(wire, sleeps, requests_mock):
    """gc_list_launched, gc_list_blessed and co_get_policy change nothing: retried like
    GETs, and never described as writes."""
    requests_mock.post(ACTION, [{"exc": RESET}, {"status_code": 503, "text": ""}, {"json": []}])
    assert wire.list_launched(UUID) == []
    assert requests_mock.call_count == 3 and len(sleeps) == 2
    requests_mock.post(ACTION, exc=RESET)
    with pytest.raises(exceptions.ConnectionFailure) as err:
        wire.list_blessed(UUID)
    assert not isinstance(err.value, exceptions.UnknownOutcome)
    assert str(err.value).endswith("(gave up after 4 attempts)")
    assert "safe to try again" not in str(err.value) and "carried out" not in str(err.value)


def test_a_lost_token_request_means_the_action_was_not_sent(sleeps, requests_mock):
    auth = v3.Password(
        auth_url="http://keystone.test/v3",
        username="u",
        password="p",
        project_name="p",
        user_domain_name="Default",
        project_domain_name="Default",
    )
    compute = adapter.Adapter(session=session.Session(auth=auth), endpoint_override=BASE)
    wire = Wire(compute, sleep=sleeps)
    requests_mock.post("http://keystone.test/v3/auth/tokens", exc=RESET)
    launch = requests_mock.post(ACTION, json=[{"id": UUID}])
    with pytest.raises(exceptions.ConnectionFailure) as err:
        wire.launch(UUID)
    assert not isinstance(err.value, exceptions.UnknownOutcome)
    assert str(err.value) == (
        "Cannot reach http://keystone.test/v3/auth/tokens: the connection was reset; "
        "the gc_launch request was not sent"
    )
    assert launch.call_count == 0


def test_no_retry_below_keystoneauth_either():
    """A real socket that reads the request and resets: urllib3 must not resend it."""
    seen: list[bytes] = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]

    def serve() -> None:
        listener.settimeout(5)
        try:
            while True:
                conn, _ = listener.accept()
                conn.settimeout(2)
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                seen.append(data.split(b"\r\n", 1)[0])
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00" * 2)
                conn.close()
        except OSError:
            return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}/v2/p1"
    wire = Wire(
        adapter.Adapter(session=session.Session(), endpoint_override=base), sleep=lambda s: None
    )
    try:
        with pytest.raises(exceptions.UnknownOutcome):
            wire.launch(UUID, name=None)
        time.sleep(0.2)
        assert seen == [f"POST /v2/p1/servers/{UUID}/action HTTP/1.1".encode()]
    finally:
        listener.close()


def test_bodies_are_json_objects(wire, requests_mock):
    requests_mock.post(ACTION, text=json.dumps([{"id": "x"}]))
    wire.launch(UUID)
    assert requests_mock.last_request.json() == {"gc_launch": {}}
