"""The core's outcome model: the ledger, its wording by a front-end, the typed launch
request, the transport's sent/not-sent judgement and bulk runs."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from unittest.mock import Mock

import pytest
import requests
import urllib3

from gcclient.api import exceptions, transport
from gcclient.api.gcwire import Wire
from gcclient.cli.base import GC_WORDS
from gcclient.core import ledger as ledger_module
from gcclient.core.launch_request import LaunchRequest
from gcclient.core.ledger import Ledger
from gcclient.core.operations import Operations
from gcclient.nova.nova_manager import NOVA_WORDS

BASE = "http://nova.test/v2/p1"
UUID = "11111111-2222-3333-4444-555555555555"


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


def test_unknown_outcome_is_worded_by_each_front_end():
    exc = exceptions.UnknownOutcome(
        "gc_launch", server=UUID, check=exceptions.Check("list-launched", UUID), reason="x"
    )
    assert f"check with gc list-launched {UUID} before retrying" in exc.render(GC_WORDS)
    assert f"check with nova list-launched {UUID} before retrying" in exc.render(NOVA_WORDS)
    assert f"check the servers launched from {UUID} before retrying" in str(exc)
    assert (exc.action, exc.server, exc.sent) == ("gc_launch", UUID, True)


def test_wait_failed_carries_the_servers_and_the_cause():
    cause = exceptions.WaitError("Timed out after 5 s waiting for x")
    exc = exceptions.WaitFailed("bless", [{"id": "b1", "status": "BUILD"}], cause)
    assert exc.ids == ["b1"] and exc.cause is cause
    assert exc.render(GC_WORDS) == (
        "The bless was carried out (b1); only the wait failed: Timed out after 5 s waiting "
        "for x; resume it with gc wait b1"
    )
    gone = exceptions.WaitFailed("delete", [{"id": "d1"}], cause, gone=True)
    assert gone.render(GC_WORDS).endswith("resume it with gc wait --gone d1")
    assert "gc " not in str(exc)


def test_ledger_describes_an_interruption():
    ledger = Ledger()
    deletions = ledger.plan("delete", ["c1", "c2", "c3"])
    discard = ledger.plan("discard", ["img"])[0]
    ledger.done(deletions[0])
    deletions[1].state = ledger_module.SENDING
    ledger.interrupted_states()
    assert discard.state == ledger_module.NOT_ATTEMPTED
    assert ledger_module.describe(ledger, GC_WORDS, waiting=False) == (
        "2 of 3 deletions were sent (1 done; 1 unknown: c2, check with gc show c2); "
        "the discard of img was not sent"
    )


def test_ledger_describes_a_creation_and_a_lost_answer():
    ledger = Ledger()
    ledger.done(ledger.begin("boot"), [{"id": "s1", "status": "BUILD"}])
    assert ledger_module.describe(ledger, GC_WORDS, waiting=True) == (
        "server s1 (BUILD) was created; the wait was stopped"
    )
    ledger = Ledger()
    ledger.begin("bless", "src")
    ledger.interrupted_states()
    assert ledger_module.describe(ledger, GC_WORDS) == (
        "the bless of src was sent and may have been carried out: check with gc list-blessed src"
    )
    assert ledger_module.describe(Ledger(), GC_WORDS) == "nothing was sent"


def test_accounting_line():
    ledger = Ledger()
    a, b, c, d = ledger.plan("delete", ["a", "b", "c", "d"])
    ledger.done(a)
    ledger.settle(b, exceptions.NotFound("gone", http_status=404))
    ledger.settle(c, exceptions.UnknownOutcome("delete", server="c"))
    assert ledger_module.accounting("delete", [a, b, c, d]) == (
        "4 deletions: 1 done (a), 1 failed (b: gone), 1 not attempted (d), 1 unknown (c)"
    )


def test_launch_request_is_the_same_from_python_and_from_arguments():
    python = LaunchRequest.build(
        target="2G",
        params={"a": 1},
        security_groups="default, web",
        num_instances="2",
        scheduler_hints={"group": ["g1", "g2"]},
        networks=[{"uuid": "n"}],
        user_data="hi",
    )
    arguments = LaunchRequest.from_arguments(
        target="2G",
        params=["a=1"],
        security_groups="default,web",
        num_instances="2",
        hints=["group=g1", "group=g2"],
        nics=["net-id=n"],
        user_data=b"hi",
    )
    assert python == arguments
    assert python.body() == {
        "gc_launch": {
            "target": "2GB",
            "guest": {"a": "1"},
            "security_groups": ["default", "web"],
            "num_instances": 2,
            "scheduler_hints": {"group": ["g1", "g2"]},
            "networks": [{"uuid": "n"}],
            "user_data": "aGk=",
        }
    }
    assert LaunchRequest.build(target="512").warnings == [
        "Memory target '512' has no unit: it is read as 512 bytes"
    ]
    with pytest.raises(exceptions.CommandError):
        LaunchRequest.build(num_instances=0)


def test_bulk_runs_are_parallel_and_keep_the_argument_order():
    running, most = [0], [0]
    lock = threading.Lock()

    def slow_delete(server_id):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        if server_id.startswith("00000003"):
            raise exceptions.NotFound("gone", http_status=404)

    wire = Mock(spec=Wire)
    wire.find.side_effect = lambda server: {"id": server, "metadata": {}}
    wire.delete.side_effect = slow_delete
    ids = [f"{i:08d}-2222-3333-4444-555555555555" for i in range(6)]
    ops = Operations(wire, parallel=3)
    results = ops.delete_many(ids)
    assert [r.item for r in results] == ids
    assert [r.error is not None for r in results] == [False, False, False, True, False, False]
    assert [e.server for e in ops.ledger.of("delete")] == ids
    assert most[0] == 3
    assert sorted(c.args[0] for c in wire.delete.call_args_list) == ids  # each sent once
    serial = Operations(wire, parallel=1)
    most[0] = 0
    serial.delete_many(ids[:2])
    assert most[0] == 1


def test_an_interrupted_bulk_run_starts_no_write_and_waits_for_those_in_flight():
    """Issue 21: after Ctrl-C a worker still resolving a name went on to send its
    DELETE (``pool.shutdown(wait=False)``), after the line saying it was not sent;
    and a DELETE answered a moment later was called unknown."""
    import signal

    resolving = threading.Event()

    def find(server):
        if server == "b":
            resolving.set()
            time.sleep(0.5)  # still resolving when the interruption comes
        return {"id": server, "metadata": {}}

    def delete(server_id):
        if server_id == "a":
            resolving.wait(5)
            # A real signal, to the main thread (as a terminal's Ctrl-C reaches it).
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)
            time.sleep(1.0)  # answered within the grace

    wire = Mock(spec=Wire)
    wire.find.side_effect = find
    wire.delete.side_effect = delete
    ops = Operations(wire, parallel=2)
    with pytest.raises(KeyboardInterrupt):
        ops.delete_many(["a", "b", "c", "d"])
        time.sleep(5)  # where the interruption lands if the run ended first
    time.sleep(0.8)  # b's lookup is over: had it gone on, its DELETE is sent by now
    assert [c.args[0] for c in wire.delete.call_args_list] == ["a"]
    ops.ledger.interrupted_states()
    assert ledger_module.describe(ops.ledger, GC_WORDS) == "1 of 4 deletions were sent (1 done)"


def test_every_unknown_of_an_accounting_line_names_its_check():
    """Issue 21: an unknown deletion of discard --delete-launched (its outcome lost to
    an error without a check, or to an interruption) was listed without the command
    that checks it."""
    ledger = Ledger()
    lost, cut = ledger.plan("delete", ["c1", "c2"])
    ledger.sending(lost)
    ledger.settle(lost, KeyboardInterrupt())
    ledger.sending(cut)
    ledger.interrupted_states()
    assert ledger_module.accounting("delete", [lost, cut], str, GC_WORDS) == (
        "2 deletions: 0 done, 0 failed, 0 not attempted, "
        "2 unknown (c1: check with gc show c1; c2: check with gc show c2)"
    )
