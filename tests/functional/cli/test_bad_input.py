"""The bad-input catalogue (tests/functional/badinput.py) where a real process is needed:
the real ``gc`` against a tiny fake nova (answers the simulator never gives), a
simulator whose faults cut or spoil the answers, and a closed port. The cases against
simulators alone run in-process: tests/inprocess/test_bad_input.py.
"""

from __future__ import annotations

import pytest

from tests.functional.badinput import CASES, SIMULATOR_WORLDS, Case, check_case
from tests.functional.gcrun import gc


def test_the_catalogue_has_at_least_40_cases():
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", [c for c in CASES if c.world not in SIMULATOR_WORLDS], ids=str)
def test_bad_input(case: Case, worlds):
    world = worlds(case.world)
    argv = [arg.format(**world.ids) for arg in case.argv]
    mark = world.sim.mark()
    if world.fake is not None:
        world.fake.requests.clear()
    result = gc(world.sim, *argv, env={**world.env, **case.env}, timeout=60)
    check_case(case, world, result, world.sim.journal_since(mark))
