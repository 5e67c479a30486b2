"""The real stack's own failures (tests/realstack): a service that does not come up
stops ``python -m tests.realstack up`` with one line naming the service and its log
(issue 20), so that a CI run that cannot start the stack says why in one place.

These need no stack: a stand-in process exits, or never answers, on a free port.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.realstack import __main__ as realstack_cli
from tests.realstack import services
from tests.realstack.stack import Layout, StackError, free_port


def test_a_service_that_exits_is_named_with_its_log(tmp_path):
    lay = Layout(tmp_path)
    record = {"ports": {"glance": free_port()}}
    proc = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    proc.wait()
    with pytest.raises(StackError) as caught:
        services.wait_ready(lay, record, {"glance": proc})
    assert str(caught.value) == (
        f"glance did not come up: it exited with status 3 (see {lay.log('glance')})"
    )


def test_a_service_that_never_answers_is_named_with_its_url(tmp_path, monkeypatch):
    monkeypatch.setattr(services, "READY_TIMEOUT", 1.0)
    lay = Layout(tmp_path)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        with pytest.raises(StackError) as caught:
            services.wait_ready(lay, {"ports": {"nova": port}}, {"nova": proc})
    finally:
        proc.kill()
        proc.wait()
    assert str(caught.value) == (
        f"nova did not come up: no answer at http://127.0.0.1:{port}/ within 1 s "
        f"(see {lay.log('nova')})"
    )


def test_up_says_it_in_one_line_and_exits_1(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GC_REALSTACK_HOME", str(tmp_path))

    def failing(lay):
        raise StackError("keystone did not come up: it exited with status 1 (see k.log)")

    monkeypatch.setattr(realstack_cli, "up", failing)
    assert realstack_cli.main(["up"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "realstack: keystone did not come up: it exited with status 1 (see k.log)\n"
