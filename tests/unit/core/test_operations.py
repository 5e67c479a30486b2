"""gcclient.core.operations: bulk runs in parallel, in argument order, each write sent once
and recorded in the ledger."""

from __future__ import annotations

import threading
from unittest.mock import Mock

from gcclient.api import exceptions
from gcclient.api.gcwire import Wire
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
