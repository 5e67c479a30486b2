"""The real gc with --os-cloud / OS_CLOUD against gc-simulator, with real files."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.functional.gcrun import GC, Result

pytest.importorskip("openstack.config.loader")


@pytest.fixture(scope="module")
def cloud_sim(tmp_path_factory, module_simulator_factory):
    """A simulator that wrote its own clouds.yaml entry ('sim')."""
    directory = tmp_path_factory.mktemp("clouds")
    path = directory / "clouds.yaml"
    sim = module_simulator_factory(extra_args=["--clouds-yaml", str(path), "--cloud-name", "sim"])
    return sim, path


def run_gc(*args: str, env: dict[str, str], cwd: str | None = None) -> Result:
    """gc with no OS_* variable but the ones given."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    full["GC_NO_TOKEN_CACHE"] = "1"
    full.update(env)
    proc = subprocess.run(
        [GC, *args],
        capture_output=True,
        text=True,
        env=full,
        cwd=cwd,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def split_password(clouds_yaml: str, tmp_path) -> tuple[str, str]:
    """The simulator's entry with the password moved to secure.yaml and two regions."""
    kept, password = [], None
    for line in clouds_yaml.splitlines():
        if line.strip().startswith("password:"):
            password = line.split(":", 1)[1].strip()
        elif line.strip().startswith("region_name:"):
            kept += ["    regions:", "      - RegionTwo", "      - RegionOne"]
        else:
            kept.append(line)
    assert password
    clouds = tmp_path / "clouds.yaml"
    secure = tmp_path / "secure.yaml"
    clouds.write_text("\n".join(kept) + "\n")
    secure.write_text(f"clouds:\n  sim:\n    auth:\n      password: {password}\n")
    return str(clouds), str(secure)


def test_simulator_entry_with_os_cloud(cloud_sim):
    sim, path = cloud_sim
    server = sim.boot("cloudy")
    result = run_gc(
        "--os-cloud", "sim", "show", server["id"], "-f", "value", "-c", "name",
        env={"OS_CLIENT_CONFIG_FILE": str(path)},
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.strip() == "cloudy"


def test_os_cloud_variable_and_xdg_config_home(cloud_sim, tmp_path):
    sim, path = cloud_sim
    (tmp_path / "openstack").mkdir()
    (tmp_path / "openstack" / "clouds.yaml").write_text(path.read_text())
    result = run_gc(
        "capabilities", "-f", "value",
        env={"OS_CLOUD": "sim", "XDG_CONFIG_HOME": str(tmp_path)},
        cwd=str(tmp_path),
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "import-export" in result.out.split()


def test_secure_yaml_password_and_region_choice(cloud_sim, tmp_path):
    sim, path = cloud_sim
    clouds, secure = split_password(path.read_text(), tmp_path)
    env = {"OS_CLIENT_CONFIG_FILE": clouds, "OS_CLIENT_SECURE_FILE": secure}
    # The first region (RegionTwo) has no compute endpoint in the simulator's catalog.
    first = run_gc("--os-cloud", "sim", "capabilities", env=env)
    assert first.code == 1
    assert "RegionTwo" in first.err or "endpoint" in first.err.lower(), first.err
    chosen = run_gc(
        "--os-cloud", "sim", "--os-region-name", "RegionOne", "capabilities", "-f", "value",
        env=env,
    )  # fmt: skip
    assert chosen.code == 0, chosen.err
    assert "import-export" in chosen.out.split()
    unknown = run_gc("--os-cloud", "sim", "--os-region-name", "Mars", "capabilities", env=env)
    assert unknown.code == 1
    assert unknown.err.count("\n") == 1 and "Mars" in unknown.err


def test_command_line_overrides_the_cloud(cloud_sim):
    sim, path = cloud_sim
    env = {"OS_CLIENT_CONFIG_FILE": str(path)}
    wrong = run_gc("--os-cloud", "sim", "--os-password", "wrong", "capabilities", env=env)
    assert wrong.code == 1
    assert "401" in wrong.err or "auth" in wrong.err.lower(), wrong.err
    by_variable = run_gc("--os-cloud", "sim", "capabilities", env={**env, "OS_PASSWORD": "nope"})
    assert by_variable.code == 1


def test_unknown_cloud_is_one_line(cloud_sim):
    sim, path = cloud_sim
    result = run_gc("--os-cloud", "nope", "capabilities", env={"OS_CLIENT_CONFIG_FILE": str(path)})
    assert result.code == 1
    assert result.err == f"ERROR: Cloud 'nope' is not in {path} (--os-cloud or OS_CLOUD)\n"


def test_missing_openstacksdk_message(cloud_sim, tmp_path):
    """A Python that cannot import openstack: one line that says what to install."""
    sim, path = cloud_sim
    (tmp_path / "openstack").mkdir()
    (tmp_path / "openstack" / "__init__.py").write_text("raise ImportError('hidden')\n")
    probe = "import sys; from gcclient.cli.application import main; sys.exit(main(sys.argv[1:]))"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env["PYTHONPATH"] = str(tmp_path)
    env["OS_CLIENT_CONFIG_FILE"] = str(path)
    proc = subprocess.run(
        [sys.executable, "-c", probe, "--os-cloud", "sim", "capabilities"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("ERROR: --os-cloud needs openstacksdk")
    assert proc.stderr.count("\n") == 1
