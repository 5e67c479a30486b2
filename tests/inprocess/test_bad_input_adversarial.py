"""The adversarial bad-input catalogue (tests/functional/adversarial.py), the cases that
need no process (adversarial.in_process): gc run in-process against the "named" world
built from an in-process simulator, with the same checks as the process tier
(check_case). The others stay in tests/functional/cli/test_bad_input_adversarial.py.
"""

from __future__ import annotations

import subprocess

import pytest

from tests.functional.adversarial import CASES, Case, case_ids, check_case, in_process
from tests.inprocess.insim import run_gc as gc


@pytest.mark.parametrize("case", [c for c in CASES if in_process(c)], ids=str)
def test_bad_input_adversarial(case: Case, worlds):
    world = worlds(case.world)
    ids = case_ids(case, world)
    argv = [arg.format(**ids) for arg in case.argv]
    env = {key: value.format(**ids) for key, value in case.env.items()}
    mark = world.sim.mark()
    ran = gc(world.sim, *argv, env={**world.env, **env})
    result = subprocess.CompletedProcess(["gc", *argv], ran.code, ran.out, ran.err)
    check_case(case, world, ids, result, world.sim.journal_since(mark))
