"""The same requests to the real stack and to gc-simulator: every difference a client
can notice is either gone or on the accepted list (``differences.KNOWN``, also in
docs/simulator.rst)."""

from __future__ import annotations

import pytest

from gcclient.simulator.testing import Simulator

from . import differential
from .differences import KNOWN
from .probes import PROBES
from .rest import auth_url


@pytest.fixture(scope="module")
def sides(stack, rest):
    real = differential.Side("real", auth_url(stack), stack["passwords"]["demo"])
    # Servers that stay BUILD, as on the real stack (no conductor there).
    with Simulator(era="cobalt", build_time=3600) as sim:
        simulated = differential.Side("sim", sim.url + "/v3", "demo-password")
        for side in (real, simulated):
            side.login()
            side.prepare()
        yield real, simulated
    rest.purge("demo")


def test_every_difference_is_accepted(sides):
    found = differential.compare(PROBES, *sides)
    new = {k: v for k, v in found.items() if k not in KNOWN or KNOWN[k][:2] != v}
    assert not new, "differences not on the accepted list: " + "; ".join(
        f"{probe} {aspect}: real {real!r}, simulator {sim!r}"
        for (probe, aspect), (real, sim) in sorted(new.items())
    )
    gone = sorted(set(KNOWN) - set(found))
    assert not gone, f"accepted differences that are gone (remove them): {gone}"


def test_probes_cover_the_issue_list():
    names = {probe.name for probe in PROBES}
    for expected in (
        "token: token method, bad token",
        "token: password, no scope",
        "token: project name without domain",
        "compute path without version",
        "unrouted path",
        "POST /servers, 256-character name",
        "action: reboot",
        "action: os-stop",
        "GET /v3/auth/projects",
        "admin API as member",
        "GET /servers?name=(",
        "compute root version document",
    ):
        assert expected in names
