"""Fixtures of the in-process tier (tests/inprocess/insim.py): a fake clock, simulators
answered in this process, and ``gc`` run in this process against them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gcclient.core import waiting
from tests.functional.gcrun import Result
from tests.inprocess.insim import (
    BASE_URL,
    SIMULATOR_MODULES,
    FakeClock,
    InProcessSimulator,
    ShiftedTime,
    WireAdapter,
    run_gc,
)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """One fake clock for the core's Poller (its default sleep and clock) and for the
    simulator (its builds, token expiry and time stamps)."""
    fake = FakeClock()
    defaults = waiting.Poller.__init__.__defaults__
    assert defaults is not None and len(defaults) == 4, defaults
    monkeypatch.setattr(
        waiting.Poller.__init__,
        "__defaults__",
        (defaults[0], defaults[1], fake.sleep, fake.monotonic),
    )
    for module in SIMULATOR_MODULES:
        monkeypatch.setattr(module, "time", ShiftedTime(fake))
    return fake


@pytest.fixture
def insim_factory(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., InProcessSimulator]]:
    """Simulators in this process (era, build_time, hosts, ``--quota-instances``); every
    keystoneauth session made meanwhile reaches the last one started through WireAdapter."""
    from keystoneauth1 import session as ksa_session

    started: list[InProcessSimulator] = []
    construct = ksa_session._construct_session

    def construct_session(*args: Any, **kwargs: Any) -> Any:
        made = construct(*args, **kwargs)
        made.mount(BASE_URL, WireAdapter(started[-1]))
        return made

    monkeypatch.setattr(ksa_session, "_construct_session", construct_session)

    def factory(**kwargs: Any) -> InProcessSimulator:
        kwargs.setdefault("build_time", 0.05)
        sim = InProcessSimulator(clock=clock, **kwargs).start()
        started.append(sim)
        return sim

    try:
        yield factory
    finally:
        for sim in started:
            sim.cleanup()


@pytest.fixture
def insim(insim_factory: Callable[..., InProcessSimulator]) -> InProcessSimulator:
    return insim_factory(era="cobalt")


@pytest.fixture
def gc() -> Callable[..., Result]:
    """``gc(sim, *args, env=..., user=..., stdin=...)`` run in this process."""
    return run_gc
