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
# The console scripts' entry (setup.cfg) answers --help and --version before cliff (any
# other command line goes to the application, which ends without the teardown).
ENTRY_PROBE = """
import sys
sys.argv = ["gc"] + {argv!r}
from gcclient.cli.entry import main
try:
    main()
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
    assert_light(PROBE, argv)


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["--version"]])
def test_no_heavy_import_from_the_entry(argv):
    assert_light(ENTRY_PROBE, argv)


def assert_light(probe: str, argv: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", probe.format(argv=argv, heavy=HEAVY)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    line = [x for x in proc.stderr.splitlines() if x.startswith("HEAVY=")]
    assert line == ["HEAVY="], proc.stderr
