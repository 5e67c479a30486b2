"""The documentation builds without a warning and the gc(1) man page renders."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gcclient.cli import commands

ROOT = Path(__file__).resolve().parents[3]
DOCS = ROOT / "docs"

pytest.importorskip("sphinx")


def sphinx(builder: str, out: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", builder,
         "-d", str(out / "doctrees"), str(DOCS), str(out / builder)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def man_page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    proc = sphinx("man", out)
    assert proc.returncode == 0, proc.stderr
    page = out / "man" / "gc.1"
    assert page.exists()
    return page


def render(page: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != "MAN_KEEP_FORMATTING"}
    env.update({"MANWIDTH": "100", "LC_ALL": "C.UTF-8"})
    if shutil.which("man"):
        command = ["man", "-l", str(page)]
    elif shutil.which("groff"):
        command = ["groff", "-man", "-Tutf8", str(page)]
    else:
        pytest.skip("neither man nor groff is installed")
    proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "warning" not in proc.stderr.lower(), proc.stderr
    return re.sub(".\b", "", proc.stdout)  # overstrike bold and underline, if any


def test_man_page_renders_every_command(man_page):
    text = render(man_page)
    for heading in ("NAME", "SYNOPSIS", "GLOBAL OPTIONS", "COMMANDS", "ALIASES", "ENVIRONMENT"):
        assert heading in text
    for name in commands.COMMANDS:
        assert f"gc {name}" in text, name
    for alias in commands.ALIASES:
        assert alias in text, alias
    assert "--os-cloud" in text and "--num-instances" in text
    # Option names keep their two hyphens (no typographic dashes).
    assert "–wait" not in text


def test_html_builds_without_warning(tmp_path):
    proc = sphinx("html", tmp_path)
    assert proc.returncode == 0, proc.stderr
    reference = re.sub("<[^>]+>", "", (tmp_path / "html" / "man" / "gc.html").read_text())
    assert "gc launch" in reference
    api = (tmp_path / "html" / "api.html").read_text()
    assert "GridcentricManager" in api and "GcError" in api
    # The command reference as built: each command's usage names every option its
    # parser has (--parallel and --wait-timeout were missing when written by hand).
    from tests.references import options_of, parser_of

    cli = html.unescape(re.sub("<[^>]+>", "", (tmp_path / "html" / "cli.html").read_text()))
    # A usage is "gc <name>" then its arguments, on one line or indented lines.
    usages: dict[str, str] = {}
    for name, usage in re.findall(r"\ngc ([a-z-]+)((?: [^\n]*)?\n(?:    [^\n]*\n)*)", cli):
        usages[name] = usages.get(name, "") + usage
    for name in commands.COMMANDS:
        for option in options_of(parser_of(name)):
            assert option in usages.get(name, ""), (name, option)


def significant(page: str) -> list[str]:
    """A man page's lines without the generator's comments and the date in .TH."""
    return [
        line if not line.startswith(".TH") else " ".join(line.split()[:3])
        for line in page.splitlines()
        if not line.startswith('.\\"')
    ]


@pytest.mark.parametrize("name", ["gc", "gcclient"])
def test_installed_man_page_is_the_built_one(man_page, name):
    """docs/man/gc.1 and gcclient.1 (the same page for the second console script) are
    what the wheel installs under share/man/man1; they are made from docs/man/gc.rst
    and the commands' help, so ``tox -e docs`` refreshes them."""
    committed = (DOCS / "man" / f"{name}.1").read_text(encoding="utf-8")
    built = (man_page.parent / f"{name}.1").read_text(encoding="utf-8")
    assert significant(committed) == significant(built), (
        f"docs/man/{name}.1 is out of date: run tox -e docs (or copy sphinx-build -b man's)"
    )
    assert f'.TH "{name.upper()}" ' in built
