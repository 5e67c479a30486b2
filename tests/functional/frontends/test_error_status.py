"""An error the cloud answered ends as novaclient's and openstack's do,
``(HTTP <status>) (Request-ID: req-...)``, in gc, the ``openstack`` plugin, the
``nova`` extension and the Python API's exceptions: what an operator pastes into a
ticket. The message and the ID are the simulator's own answer (its request ID is
read back from ``--debug``'s ``RESP:`` line)."""

from __future__ import annotations

import re

import pytest

from gcclient.api import exceptions
from tests.functional.gcrun import gc, python_client, tool

REQUEST_ID = r"req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def refusal(server_id: str) -> str:
    """The simulator's message for discarding a server that is no live image."""
    return f"Instance {server_id} is not a live image. Cannot discard a regular instance."


@pytest.fixture(scope="module")
def regular(simulator):
    return simulator.boot("status-plain")


def test_simulator_answers_with_the_message_and_a_request_id(simulator, regular):
    status, headers, _ = simulator.request_raw(
        "POST", f"/servers/{regular['id']}/action", {"gc_discard": {}}
    )
    assert status == 400
    assert re.fullmatch(REQUEST_ID, headers["X-Openstack-Request-Id"])
    code, body = simulator.action(regular["id"], {"gc_discard": {}})
    assert body == {"badRequest": {"code": 400, "message": refusal(regular["id"])}}


def test_gc_error_line_ends_with_status_and_request_id(simulator, regular):
    result = gc(simulator, "discard", regular["id"])
    assert result.code == 1
    line = re.escape(f"ERROR: {refusal(regular['id'])} (HTTP 400) (Request-ID: ")
    assert re.fullmatch(line + REQUEST_ID + r"\)\n", result.err), result.err


def test_gc_request_id_is_the_one_the_cloud_sent(simulator, regular):
    result = gc(simulator, "--debug", "discard", regular["id"])
    sent = re.findall(r"^RESP: \[400\] .*X-Openstack-Request-Id: (req-\S+)", result.err, re.M)
    assert len(sent) == 1, result.err
    assert f"{refusal(regular['id'])} (HTTP 400) (Request-ID: {sent[0]})" in result.err


def test_python_api_str_ends_with_status_and_request_id(simulator, regular):
    client = python_client(simulator)
    with pytest.raises(exceptions.BadRequest) as err:
        client.gridcentric.discard(regular["id"])
    assert re.fullmatch(REQUEST_ID, err.value.request_id)
    assert err.value.message == refusal(regular["id"])
    assert str(err.value) == (
        f"{refusal(regular['id'])} (HTTP 400) (Request-ID: {err.value.request_id})"
    )


def test_nova_extension_says_it_once(simulator, regular):
    result = tool(simulator, "nova", "discard", regular["id"])
    assert result.code == 1
    last = result.err.splitlines()[-1]  # after novaclient's deprecation notice
    line = re.escape(f"ERROR (BadRequest): {refusal(regular['id'])} (HTTP 400) (Request-ID: ")
    assert re.fullmatch(line + REQUEST_ID + r"\)", last), result.err


def test_openstack_plugin_error_line(simulator, regular):
    # "live image delete" discards (docs/openstack.rst's table)
    result = tool(simulator, "openstack", "live", "image", "delete", regular["id"])
    assert result.code == 1
    line = re.escape(f"{refusal(regular['id'])} (HTTP 400) (Request-ID: ")
    assert re.fullmatch(line + REQUEST_ID + r"\)\n", result.err), result.err
