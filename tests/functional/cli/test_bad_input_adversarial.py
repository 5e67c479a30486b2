"""The adversarial bad-input catalogue (tests/functional/adversarial.py) where a real
process is needed: stdin given or closed, stdout or stderr closed, URLs to the
simulator's port, a plain web server, ports that never answer, a setup that runs gc
first. The other cases run in-process: tests/inprocess/test_bad_input_adversarial.py.
"""

from __future__ import annotations

import subprocess

import pytest

from tests.functional import catalogue
from tests.functional.adversarial import CASES, Case, case_ids, check_case, in_process, run
from tests.functional.gcrun import GC


@pytest.mark.parametrize("case", [c for c in CASES if not in_process(c)], ids=str)
def test_bad_input_adversarial(case: Case, worlds):
    world = worlds(case.world)
    ids = case_ids(case, world)
    argv = [arg.format(**ids) for arg in case.argv]
    env = {key: value.format(**ids) for key, value in case.env.items()}
    if getattr(world, "web", None) is not None:
        world.web.requests.clear()  # type: ignore[attr-defined]
    mark = world.sim.mark()
    result = run(world, argv, env, case.stdin, case.closed)
    check_case(case, world, ids, result, world.sim.journal_since(mark))


def test_the_second_catalogue_is_complete():
    assert len(CASES) >= 45
    assert len({case.id for case in CASES}) == len(CASES)


def test_help_launch_tells_what_params_without_equals_means():
    proc = subprocess.run([GC, "help", "launch"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    assert "'key' without '=' sends the key with an empty value, a flag for the agent" in text


def test_docs_tables_are_the_case_tables():
    """docs/reliability.rst holds exactly the generated tables
    (regenerate with: python -m tests.functional.catalogue)."""
    with open(catalogue.DOC, encoding="utf-8") as handle:
        doc = handle.read()
    assert doc == catalogue.rewrite(doc, catalogue.tables())
