"""``gc --debug`` as osc-lib does it: full debug logging, with keystoneauth's
``REQ: curl`` and ``RESP:`` lines (X-Auth-Token hashed, no password), and the
traceback on error; without it, neither."""

from __future__ import annotations

import re
import sqlite3

import pytest

from gcclient.simulator.identity import USERS
from tests.functional.gcrun import gc


@pytest.fixture(scope="module")
def sim(tmp_path_factory, module_simulator_factory):
    state = str(tmp_path_factory.mktemp("debug") / "state.db")
    simulator = module_simulator_factory(era="cobalt", build_time=0.02, state=state)
    simulator.state_path = state
    return simulator


def issued_tokens(sim) -> list[str]:
    with sqlite3.connect(sim.state_path) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM tokens")]


def test_debug_shows_the_http_exchange_without_secrets(sim):
    server = sim.boot("debugweb")
    result = gc(sim, "--debug", "show", "debugweb")
    assert result.code == 0, result.err
    compute = sim.token()[1]
    # keystoneauth's own lines, as `openstack --debug` and `nova --debug` print them
    request = re.search(
        r'^REQ: curl -g -i -X GET "(?P<url>[^"]+)" -H "Accept: application/json" '
        r'-H "User-Agent: gcclient/[^"]+" -H "X-Auth-Token: \{SHA256\}[0-9a-f]{64}"$',
        result.err,
        re.MULTILINE,
    )
    assert request is not None, result.err
    assert request["url"] == f"{compute}/servers/detail?name=%5Edebugweb%24&limit=1000"
    assert re.search(r"^RESP: \[200\] .*X-Openstack-Request-Id: req-", result.err, re.MULTILINE)
    assert f'"id": "{server["id"]}"' in result.err  # RESP BODY
    tokens = issued_tokens(sim)
    assert tokens
    for secret in [USERS["demo"].password, *tokens]:
        assert secret not in result.err + result.out


def test_debug_error_ends_with_the_traceback(sim):
    result = gc(sim, "--debug", "show", "debug-no-such")
    assert result.code == 1
    assert "REQ: curl -g -i -X GET" in result.err
    assert "Traceback (most recent call last):" in result.err
    assert result.err.rstrip().splitlines()[-1] == (
        "gcclient.api.exceptions.NotFound: No server with a name or ID of 'debug-no-such' exists."
    )


def test_without_debug_no_http_exchange_and_no_traceback(sim):
    result = gc(sim, "show", "debug-no-such")
    assert result.code == 1
    assert result.err == "ERROR: No server with a name or ID of 'debug-no-such' exists.\n"
