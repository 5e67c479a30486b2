"""sdist and wheel with ``python -m build``; the wheel in an empty virtual environment.

Slow (a build, then an install from the package registry, about 30 s): part of
every full run; ``GC_SKIP_PACKAGING=1`` skips it on a machine without a registry.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest

from gcclient.version import __version__

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.skipif(
    os.environ.get("GC_SKIP_PACKAGING") == "1", reason="GC_SKIP_PACKAGING=1 is set"
)


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    pytest.importorskip("build")
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory) -> Path:
    """An empty virtual environment with only the wheel and its dependencies."""
    (wheel,) = dist.glob("gcclient-*.whl")
    home = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", str(home)], check=True, timeout=120)
    proc = subprocess.run(
        [str(home / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return home


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OS_", "PYTHON", "VIRTUAL"))}
    env["GC_NO_TOKEN_CACHE"] = "1"
    return env


def test_sdist_is_complete(dist):
    (sdist,) = dist.glob("gcclient-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for wanted in (
        "setup.cfg",
        "pyproject.toml",
        "README.rst",
        "CHANGELOG.rst",
        "floor-constraints.txt",
        "tox.ini",
        "gcclient/cli/application.py",
        "gcclient/osc/plugin.py",
        "gcclient/simulator/cli.py",
        "docs/conf.py",
        "docs/index.rst",
        "docs/man/gc.rst",
        "tests/functional/conftest.py",
        "examples/lifecycle.py",
    ):
        assert wanted in names, wanted
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert not [n for n in names if n.startswith(("docs/_build", ".venv", ".tox"))]


def test_wheel_has_the_package_and_its_entry_points(dist):
    (wheel,) = dist.glob("gcclient-*.whl")
    assert wheel.name == f"gcclient-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        entry_points = archive.read(info).decode()
        meta = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "gcclient/osc/v1.py" in names and "gcclient/simulator/testing.py" in names
    assert not [n for n in names if n.startswith(("tests/", "docs/", "examples/"))]
    for line in (
        "gc = gcclient.cli.entry:main",
        # The same program under a name no distro package has (graphviz ships /usr/bin/gc).
        "gcclient = gcclient.cli.entry:main",
        "gc-simulator = gcclient.simulator.cli:main",
        "live_image = gcclient.osc.plugin",
        "gridcentric = gcclient.nova",
    ):
        assert line in entry_points
    assert "Requires-Python: >=3.11" in meta
    assert "Provides-Extra: cloud" in meta and "Provides-Extra: osc" in meta
    assert "License-Expression: Apache-2.0" in meta
    assert "License :: OSI Approved" not in meta  # the deprecated classifier
    assert "Author: gcclient authors" in meta
    assert "Project-URL: Cobalt server source, https://github.com/gridcentric/cobalt" in meta
    assert "gcclient/py.typed" in names
    pages = sorted(n for n in names if "/share/man/man1/" in n)
    data = f"gcclient-{__version__}.data/data/share/man/man1"
    assert pages == [f"{data}/gc.1", f"{data}/gcclient.1"]


@pytest.mark.parametrize("script", ["gc", "gcclient"])
def test_gc_version_from_the_wheel(venv, script):
    proc = subprocess.run(
        [str(venv / "bin" / script), "--version"],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert (proc.stdout + proc.stderr).strip() == f"{script} {__version__}"


def read_exports(proc: subprocess.Popen[bytes], timeout: float = 30) -> dict[str, str]:
    assert proc.stdout is not None
    exports: dict[str, str] = {}
    pending = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(deadline - time.monotonic()):
                break
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            pending += chunk
            for line in pending.decode().splitlines():
                if line.startswith("export "):
                    key, _, value = line[len("export ") :].partition("=")
                    exports[key] = value
                elif line.startswith("# gc-simulator ready"):
                    return exports
    raise AssertionError(f"gc-simulator did not get ready: {pending!r}")


def run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)


def test_gc_simulator_and_gc_from_the_wheel(venv, tmp_path):
    """``pip install`` alone: gc reaches the simulator with OS_* variables, and with a
    clouds.yaml, a clouds.yaml + secure.yaml and OS_CLOUD (openstacksdk is a dependency)."""
    clouds = tmp_path / "clouds.yaml"
    sim = subprocess.Popen(
        [str(venv / "bin" / "gc-simulator"), "--port", "0", "--state", ":memory:", "--quiet",
         "--clouds-yaml", str(clouds), "--cloud-name", "sim"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        env=clean_env(),
    )  # fmt: skip
    try:
        exports = read_exports(sim)
        assert exports["OS_AUTH_URL"].startswith("http://127.0.0.1:")
        env = {**clean_env(), **exports}
        gc = str(venv / "bin" / "gc")
        proc = run([gc, "capabilities", "-f", "value"], env)
        assert proc.returncode == 0, proc.stderr
        assert "import-export" in proc.stdout.split()
        proc = run([gc, "boot", "--image", "cirros-0.3", "--flavor", "1", "src", "--wait",
                    "-f", "value", "-c", "id"], env)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        proc = run([gc, "bless", proc.stdout.strip(), "--wait", "-f", "value", "-c", "id"], env)
        assert proc.returncode == 0, proc.stderr
        blessed = proc.stdout.strip()
        proc = run([gc, "launch", blessed, "--wait", "-f", "value", "-c", "ID"], env)
        assert proc.returncode == 0, proc.stderr
        launched = proc.stdout.strip()
        assert launched

        no_os = {**clean_env(), "OS_CLIENT_CONFIG_FILE": str(clouds)}
        listing = [gc, "list-launched", blessed, "-f", "value", "-c", "ID"]
        proc = run([gc, "--os-cloud", "sim", *listing[1:]], no_os)
        assert (proc.returncode, proc.stdout, proc.stderr) == (0, launched + "\n", "")
        proc = run(listing, {**no_os, "OS_CLOUD": "sim"})
        assert (proc.returncode, proc.stdout, proc.stderr) == (0, launched + "\n", "")

        # The password in secure.yaml beside clouds.yaml, as openstacksdk reads it.
        split = tmp_path / "split"
        split.mkdir()
        kept, secret = [], ""
        for line in clouds.read_text().splitlines():
            if line.strip().startswith("password:"):
                secret = line.split(":", 1)[1].strip()
            else:
                kept.append(line)
        (split / "clouds.yaml").write_text("\n".join(kept) + "\n")
        (split / "secure.yaml").write_text(
            f"clouds:\n  sim:\n    auth:\n      password: {secret}\n"
        )
        files = {
            "OS_CLIENT_CONFIG_FILE": str(split / "clouds.yaml"),
            "OS_CLIENT_SECURE_FILE": str(split / "secure.yaml"),
        }
        proc = run([gc, "--os-cloud", "sim", *listing[1:]], {**clean_env(), **files})
        assert (proc.returncode, proc.stdout, proc.stderr) == (0, launched + "\n", "")
    finally:
        sim.send_signal(signal.SIGTERM)
        try:
            sim.wait(10)
        except subprocess.TimeoutExpired:
            sim.kill()
            sim.wait()
        if sim.stdout is not None:
            sim.stdout.close()
