"""Fixtures of the in-process tier (tests/inprocess/insim.py): simulators answered in this
process, ``gc`` run in this process against them, and one fake clock for both.

The fixtures are named as tests/functional/conftest.py's (``simulator``,
``simulator_factory``), so a module moved here keeps its tests as they were."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gcclient.core import waiting
from gcclient.simulator.testing import Simulator
from tests.functional.gcrun import Result
from tests.inprocess.insim import (
    CLOCK,
    LIVE,
    SIMULATOR_MODULES,
    FakeClock,
    InProcessSimulator,
    ShiftedTime,
    WireAdapter,
    run_gc,
)


@pytest.fixture(scope="module", autouse=True)
def tier() -> Iterator[FakeClock]:
    """For each module of this tier (before its module-scoped simulators are made): the
    core's Poller sleeps on the fake clock, the simulator's builds, token expiry and time
    stamps follow it, and every keystoneauth session made reaches the live in-process
    simulators through WireAdapter (by host name; nothing else goes through it)."""
    from keystoneauth1 import session as ksa_session

    construct = ksa_session._construct_session

    def construct_session(*args: Any, **kwargs: Any) -> Any:
        made = construct(*args, **kwargs)
        adapter = WireAdapter(LIVE)
        for host in LIVE:
            made.mount(f"http://{host}/", adapter)
        return made

    defaults = waiting.Poller.__init__.__defaults__
    assert defaults is not None and len(defaults) == 4, defaults
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            waiting.Poller.__init__,
            "__defaults__",
            (defaults[0], defaults[1], CLOCK.sleep, CLOCK.monotonic),
        )
        for module in SIMULATOR_MODULES:
            patch.setattr(module, "time", ShiftedTime(CLOCK))
        patch.setattr(ksa_session, "_construct_session", construct_session)
        yield CLOCK


@pytest.fixture
def clock() -> FakeClock:
    return CLOCK


@pytest.fixture
def simulator_factory() -> Iterator[Callable[..., InProcessSimulator]]:
    """In-process simulators (era, build_time, hosts, state, ``--quota-instances``)."""
    started: list[InProcessSimulator] = []

    def factory(**kwargs: Any) -> InProcessSimulator:
        sim = InProcessSimulator(**kwargs).start()
        started.append(sim)
        return sim

    try:
        yield factory
    finally:
        for sim in started:
            sim.cleanup()


@pytest.fixture(scope="module")
def simulator() -> Iterator[Simulator]:
    """As tests/functional/conftest.py's: one cobalt simulator per module."""
    sim = InProcessSimulator(era="cobalt", build_time=0.05).start()
    try:
        yield sim
    finally:
        sim.cleanup()


@pytest.fixture
def insim_factory(
    simulator_factory: Callable[..., InProcessSimulator],
) -> Callable[..., InProcessSimulator]:
    return simulator_factory


@pytest.fixture
def insim(simulator_factory: Callable[..., InProcessSimulator]) -> InProcessSimulator:
    return simulator_factory(era="cobalt")


@pytest.fixture
def slow_insim(simulator_factory: Callable[..., InProcessSimulator]) -> InProcessSimulator:
    """Transitions take 1.5 s of the fake clock: a wait needs several of gc's 1.0 s rounds."""
    return simulator_factory(era="cobalt", build_time=1.5)


@pytest.fixture
def cobalt(simulator_factory: Callable[..., InProcessSimulator]) -> InProcessSimulator:
    return simulator_factory(era="cobalt")


@pytest.fixture
def folsom(simulator_factory: Callable[..., InProcessSimulator]) -> InProcessSimulator:
    return simulator_factory(era="folsom")


@pytest.fixture
def essex(simulator_factory: Callable[..., InProcessSimulator]) -> InProcessSimulator:
    return simulator_factory(era="essex")


@pytest.fixture
def gc() -> Callable[..., Result]:
    """``gc(sim, *args, env=..., user=..., stdin=...)`` run in this process."""
    return run_gc


@pytest.fixture(scope="module")
def worlds() -> Iterator[Callable[[str], Any]]:
    """tests/functional/worlds.py's worlds of simulators alone, in-process, built lazily
    once per module (as tests/functional/cli/conftest.py's)."""
    from tests.functional.worlds import World, named_world, simulator_worlds

    builders = simulator_worlds(InProcessSimulator)
    builders["named"] = lambda: named_world(InProcessSimulator)
    made: dict[str, World] = {}

    def get(name: str) -> World:
        if name not in made:
            made[name] = builders[name]()
        return made[name]

    try:
        yield get
    finally:
        for world in made.values():
            world.close()
