"""Fixtures of the in-process tier (tests/inprocess/insim.py): a fake clock, simulators
answered in this process, and ``gc`` run in this process against them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

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
    """Simulators in this process (era, build_time, hosts, ``--quota-instances``), each at
    a host name of its own; every keystoneauth session made meanwhile reaches them through
    WireAdapter (and nothing else through it)."""
    from keystoneauth1 import session as ksa_session

    started: list[InProcessSimulator] = []
    by_host: dict[str, InProcessSimulator] = {}
    construct = ksa_session._construct_session

    def construct_session(*args: Any, **kwargs: Any) -> Any:
        made = construct(*args, **kwargs)
        adapter = WireAdapter(by_host)
        for host in by_host:
            made.mount(f"http://{host}/", adapter)
        return made

    monkeypatch.setattr(ksa_session, "_construct_session", construct_session)

    def factory(**kwargs: Any) -> InProcessSimulator:
        kwargs.setdefault("build_time", 0.05)
        url = BASE_URL if not started else BASE_URL.replace(".", f"-{len(started) + 1}.", 1)
        sim = InProcessSimulator(clock=clock, base_url=url, **kwargs).start()
        started.append(sim)
        by_host[urlsplit(url).netloc] = sim
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


@pytest.fixture
def slow_insim(insim_factory: Callable[..., InProcessSimulator]) -> InProcessSimulator:
    """Transitions take 1.5 s of the fake clock: a wait needs several of gc's 1.0 s rounds."""
    return insim_factory(era="cobalt", build_time=1.5)


@pytest.fixture
def cobalt(insim_factory: Callable[..., InProcessSimulator]) -> InProcessSimulator:
    return insim_factory(era="cobalt")


@pytest.fixture
def folsom(insim_factory: Callable[..., InProcessSimulator]) -> InProcessSimulator:
    return insim_factory(era="folsom")


@pytest.fixture
def essex(insim_factory: Callable[..., InProcessSimulator]) -> InProcessSimulator:
    return insim_factory(era="essex")
