"""``gc --help`` and ``gc --version`` answered by gcclient/cli/entry.py without cliff's
application are the full application's answers, byte for byte."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

from gcclient.cli import commands
from gcclient.version import __version__

FULL = """
import sys
sys.argv[0] = {name!r}
from gcclient.cli.application import main
sys.exit(main({argv!r}))
"""
QUICK = """
import sys
sys.argv = [{name!r}] + {argv!r}
from gcclient.cli.entry import main
sys.exit(main())
"""


def run(
    script: str, argv: list[str], columns: int, name: str = "gc", **env: str
) -> subprocess.CompletedProcess:
    environ = {"COLUMNS": str(columns), "PATH": "/usr/bin:/bin", **env}
    return subprocess.run(
        [sys.executable, "-c", script.format(argv=argv, name=name)],
        capture_output=True,
        text=True,
        timeout=60,
        env=environ,
    )


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["--version"]])
@pytest.mark.parametrize("columns", [60, 100, 200])
def test_quick_answer_is_the_applications(argv, columns):
    full = run(FULL, argv, columns)
    quick = run(QUICK, argv, columns)
    assert (quick.returncode, quick.stdout, quick.stderr) == (
        full.returncode,
        full.stdout,
        full.stderr,
    )
    assert full.returncode == 0 and full.stdout


@pytest.mark.parametrize("argv", [["--help"], ["--version"]])
def test_quick_answer_under_the_gcclient_name(argv):
    """The ``gcclient`` console script (setup.cfg) names itself as the application does."""
    full = run(FULL, argv, 100, name="/usr/bin/gcclient")
    quick = run(QUICK, argv, 100, name="/usr/bin/gcclient")
    assert (quick.returncode, quick.stdout, quick.stderr) == (
        full.returncode,
        full.stdout,
        full.stderr,
    )
    assert full.returncode == 0 and full.stdout


def test_version_text():
    assert run(QUICK, ["--version"], 80).stdout == f"gc {__version__}\n"
    assert run(QUICK, ["--version"], 80, name="gcclient").stdout == f"gcclient {__version__}\n"


def test_another_auth_type_takes_the_full_path():
    """OS_AUTH_TYPE=v3totp adds its plugin's options (--os-passcode): keystoneauth's."""
    quick = run(QUICK, ["--help"], 100, OS_AUTH_TYPE="v3totp")
    assert "--os-passcode" in quick.stdout
    assert quick.stdout == run(FULL, ["--help"], 100, OS_AUTH_TYPE="v3totp").stdout


def test_summaries_are_the_command_classes_first_doc_lines():
    from gcclient.cli.application import GcApp

    app = GcApp()
    found = {}
    for name, entry in app.command_manager:
        cls = entry.load() if hasattr(entry, "load") else entry
        found[name] = (inspect.getdoc(cls) or "").split("\n")[0].rstrip(".")
    assert commands.all_summaries() == found
