"""The bad-input catalogue (tests/functional/badinput.py) against simulators alone: gc
run in-process against the simulator's App, each case with the same checks as the
process tier (check_case: exit code, no traceback, empty stdout on failure, the error
text, the requests sent). The worlds are tests/functional/worlds.py's, built from
in-process simulators; builds that last (BUILD, MIGRATING, blessing) last on the fake
clock. Cases that need a fake nova, socket faults or a closed port stay in
tests/functional/cli/test_bad_input.py.
"""

from __future__ import annotations

import pytest

from tests.functional.badinput import CASES, SIMULATOR_WORLDS, Case, check_case
from tests.inprocess.insim import run_gc as gc


@pytest.mark.parametrize("case", [c for c in CASES if c.world in SIMULATOR_WORLDS], ids=str)
def test_bad_input(case: Case, worlds):
    world = worlds(case.world)
    argv = [arg.format(**world.ids) for arg in case.argv]
    mark = world.sim.mark()
    result = gc(world.sim, *argv, env={**world.env, **case.env})
    check_case(case, world, result, world.sim.journal_since(mark))
