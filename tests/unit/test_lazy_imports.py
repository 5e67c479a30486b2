"""`gc --help`, `gc --version` and `gc help <cmd>` must not import the heavy libraries."""

import subprocess
import sys

import pytest

HEAVY = ("requests", "keystoneauth1", "novaclient", "urllib3")
PROBE = """
import sys
from gcclient.cli.application import main
try:
    main({argv!r})
except SystemExit:
    pass
heavy = sorted(m for m in {heavy!r} if m in sys.modules)
sys.stderr.write("HEAVY=" + ",".join(heavy) + "\\n")
"""


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["--version"], ["help", "launch"], ["help", "bless"], ["launch", "--help"]],
)
def test_no_heavy_import(argv):
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv, heavy=HEAVY)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    line = [x for x in proc.stderr.splitlines() if x.startswith("HEAVY=")]
    assert line == ["HEAVY="], proc.stderr
