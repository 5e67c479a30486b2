"""Fixtures that run gc-simulator in a subprocess."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from gcclient.simulator.testing import Simulator


class SimulatorFactory:
    """Starts gc-simulators (``era``, ``build_time``, ``state``, ``extra_args``, any
    argument of :class:`Simulator`) and stops every one it started, even when a start
    or another stop fails, so that no test leaves a process behind."""

    def __init__(self) -> None:
        self.started: list[Simulator] = []

    def __call__(self, **kwargs: Any) -> Simulator:
        sim = Simulator(**kwargs)
        self.started.append(sim)  # before start(): a failed start still cleans up
        return sim.start()

    def cleanup(self) -> None:
        with contextlib.ExitStack() as stack:
            for sim in self.started:
                stack.callback(sim.cleanup)
        self.started.clear()


def _factory() -> Iterator[SimulatorFactory]:
    factory = SimulatorFactory()
    try:
        yield factory
    finally:
        factory.cleanup()


@pytest.fixture
def simulator_factory() -> Iterator[SimulatorFactory]:
    """Simulators for one test, stopped when it ends."""
    yield from _factory()


@pytest.fixture(scope="module")
def module_simulator_factory() -> Iterator[SimulatorFactory]:
    """The same factory for a module-scoped fixture: its simulators live as long as
    the module's tests run."""
    yield from _factory()


@pytest.fixture(scope="module")
def simulator(module_simulator_factory: SimulatorFactory) -> Simulator:
    """A cobalt-era simulator for the module."""
    return module_simulator_factory(era="cobalt", build_time=0.05)


@pytest.fixture(scope="module")
def cobalt(module_simulator_factory: SimulatorFactory) -> Simulator:
    """A cobalt-era (icehouse, Cobalt 1.5) simulator for the module."""
    return module_simulator_factory(era="cobalt", build_time=0.05)


@pytest.fixture(scope="module")
def folsom(module_simulator_factory: SimulatorFactory) -> Simulator:
    """A folsom-era (Gridcentric) simulator for the module."""
    return module_simulator_factory(era="folsom", build_time=0.05)


@pytest.fixture(scope="module")
def essex(module_simulator_factory: SimulatorFactory) -> Simulator:
    """An essex-era (seed) simulator for the module."""
    return module_simulator_factory(era="essex", build_time=0.05)
