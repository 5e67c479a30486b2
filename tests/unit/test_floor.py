"""The floor environment pins what setup.cfg allows: each direct dependency's lower
bound in setup.cfg equals its pin in floor-constraints.txt, and CI runs it."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def floors_in_setup_cfg() -> dict[str, str]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    floors = {}
    for line in config["options"]["install_requires"].split("\n"):
        if line.strip():
            name, version = re.fullmatch(r"\s*([\w.-]+)>=([\w.]+)\s*", line).groups()
            floors[name.lower()] = version
    return floors


def pins_in_constraints() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "floor-constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[name.lower()] = version
    return pins


def test_every_dependency_is_pinned_at_its_floor():
    assert floors_in_setup_cfg() == pins_in_constraints()


def test_requirements_txt_says_the_same():
    lines = (ROOT / "requirements.txt").read_text().split()
    assert {n.lower(): v for n, v in (x.split(">=") for x in lines)} == floors_in_setup_cfg()


def test_ci_and_tox_run_the_floor_tests():
    ci = (ROOT / ".ci" / "run").read_text()
    tox = (ROOT / "tox.ini").read_text()
    assert "-c floor-constraints.txt" in ci and "@tests/floor.txt" in ci
    assert "[testenv:floor]" in tox and "@tests/floor.txt" in tox
    for path in (ROOT / "tests" / "floor.txt").read_text().split():
        assert (ROOT / path).is_file(), path
