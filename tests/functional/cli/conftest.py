"""Fixtures shared by the gc command tests."""

from __future__ import annotations

import pytest

from tests.functional.worlds import WORLDS, World


@pytest.fixture(scope="module")
def worlds():
    made: dict[str, World] = {}

    def get(name: str) -> World:
        if name not in made:
            made[name] = WORLDS[name]()
        return made[name]

    try:
        yield get
    finally:
        for world in made.values():
            world.close()
