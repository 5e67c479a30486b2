"""faults.py: deterministic fault injection (which requests, which kinds, how many)."""

from __future__ import annotations

import pytest

from gcclient.simulator.faults import KINDS, FaultPlan, parse_kinds

COMPUTE = ("GET", "/v2/p/servers")


def test_the_same_seed_picks_the_same_faults():
    picks = []
    for _ in range(2):
        plan = FaultPlan(rate=0.5, kinds=("500", "slow"), seed=7)
        picks.append([plan.pick(*COMPUTE) for _ in range(50)])
    assert picks[0] == picks[1]
    assert set(picks[0]) == {None, "500", "slow"}


def test_rate_zero_and_one():
    assert [FaultPlan(rate=0.0, seed=1).pick(*COMPUTE) for _ in range(20)] == [None] * 20
    plan = FaultPlan(rate=1.0, seed=1)
    assert all(plan.pick(*COMPUTE) in KINDS for _ in range(20))


def test_default_match_is_the_compute_api_only():
    plan = FaultPlan(rate=1.0, seed=1)
    assert plan.pick("POST", "/v3/auth/tokens") is None
    assert plan.pick("GET", "/v2") is None
    assert plan.pick("GET", "/v1.1/p/servers") is not None
    assert plan.pick("POST", "/v2/p/servers/x/action") is not None


def test_match_is_on_method_and_path():
    plan = FaultPlan(rate=1.0, seed=1, match="^POST .*/action$")
    assert plan.pick("GET", "/v2/p/servers/x/action") is None
    assert plan.pick("POST", "/v2/p/servers/x/action") is not None


def test_skip_and_limit_count_eligible_requests_only():
    plan = FaultPlan(rate=1.0, kinds=("503",), seed=1, skip=2, limit=2)
    picks = [plan.pick("POST", "/v3/auth/tokens")]  # not eligible: not counted
    picks += [plan.pick(*COMPUTE) for _ in range(6)]
    assert picks == [None, None, None, "503", "503", None, None]


def test_empty_kinds_mean_every_default_kind():
    assert FaultPlan(kinds=()).kinds == KINDS


def test_parse_kinds():
    assert parse_kinds("500, slow,,429") == ("500", "slow", "429")
    assert parse_kinds("") == ()
    with pytest.raises(ValueError) as caught:
        parse_kinds("500,boom,bang")
    assert str(caught.value) == "unknown fault kind(s): boom, bang"
