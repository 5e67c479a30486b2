"""gcclient.core.operations: bulk runs in parallel, in argument order, each write sent once
and recorded in the ledger."""

from __future__ import annotations

import threading
import time
from unittest.mock import Mock

import pytest

from gcclient.api import exceptions
from gcclient.api.gcwire import Wire
from gcclient.cli.base import GC_WORDS
from gcclient.core import ledger as ledger_module
from gcclient.core.operations import Operations


def test_bulk_runs_are_parallel_and_keep_the_argument_order():
    """Three deletions meet at a barrier (no sleeping, no timing): it opens only when three
    run at once; the serial run never waits at it."""
    running, most = [0], [0]
    lock = threading.Lock()
    together = threading.Barrier(3, timeout=30)
    parallel = [True]

    def slow_delete(server_id):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        if parallel[0]:
            together.wait()
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
    parallel[0] = False
    serial.delete_many(ids[:2])
    assert most[0] == 1


def test_an_interrupted_bulk_run_starts_no_write_and_waits_for_those_in_flight(request):
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
    # Python's own handler, whatever the runner set (an xdist worker may ignore SIGINT).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    request.addfinalizer(lambda: signal.signal(signal.SIGINT, previous))
    with pytest.raises(KeyboardInterrupt):
        ops.delete_many(["a", "b", "c", "d"])
        time.sleep(5)  # where the interruption lands if the run ended first
    time.sleep(0.8)  # b's lookup is over: had it gone on, its DELETE is sent by now
    assert [c.args[0] for c in wire.delete.call_args_list] == ["a"]
    ops.ledger.interrupted_states()
    assert ledger_module.describe(ops.ledger, GC_WORDS) == "1 of 4 deletions were sent (1 done)"
