"""Fixtures that run gc-simulator in a subprocess."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from gcclient.simulator.testing import Simulator


@pytest.fixture(scope="module")
def simulator() -> Iterator[Simulator]:
    sim = Simulator(era="cobalt", build_time=0.05)
    sim.start()
    try:
        yield sim
    finally:
        sim.cleanup()


@pytest.fixture
def simulator_factory() -> Iterator[Callable[..., Simulator]]:
    started: list[Simulator] = []

    def factory(**kwargs: object) -> Simulator:
        sim = Simulator(**kwargs)  # type: ignore[arg-type]
        started.append(sim)
        return sim.start()

    try:
        yield factory
    finally:
        for sim in started:
            sim.cleanup()


def _era(era: str) -> Iterator[Simulator]:
    sim = Simulator(era=era, build_time=0.05)
    sim.start()
    try:
        yield sim
    finally:
        sim.cleanup()


@pytest.fixture(scope="module")
def cobalt() -> Iterator[Simulator]:
    """A cobalt-era (icehouse, Cobalt 1.5) simulator for the module."""
    yield from _era("cobalt")


@pytest.fixture(scope="module")
def folsom() -> Iterator[Simulator]:
    """A folsom-era (Gridcentric) simulator for the module."""
    yield from _era("folsom")


@pytest.fixture(scope="module")
def essex() -> Iterator[Simulator]:
    """An essex-era (seed) simulator for the module."""
    yield from _era("essex")
