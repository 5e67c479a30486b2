"""clouds.yaml and secure.yaml through openstacksdk's loader, with real files."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from gcclient.api import exceptions
from gcclient.cli import auth_options
from gcclient.cli.auth_options import in_gc_words
from gcclient.session import cloudconfig
from gcclient.session import settings as auth

# As gc runs them: a missing or unusable setting named as gc's option and variable.
merge = in_gc_words(cloudconfig.merge)
plugin_options = in_gc_words(auth.plugin_options)

pytest.importorskip("openstack.config.loader")

CLOUDS = """\
clouds:
  prod:
    auth:
      auth_url: https://keystone.example.com:5000/v3
      username: alice
      project_name: web
      user_domain_name: Default
      project_domain_name: Default
    regions:
      - RegionTwo
      - RegionOne
    interface: internal
    api_timeout: 12
    cacert: /etc/ssl/example.pem
  lab:
    auth:
      auth_url: http://lab.example.com:5000/v3
      username: bob
      password: in-clouds-yaml
      project_name: lab
    region_name: LabRegion
    verify: false
  appcred:
    auth_type: v3applicationcredential
    auth:
      auth_url: https://keystone.example.com:5000/v3
      application_credential_id: abc
"""
SECURE = """\
clouds:
  prod:
    auth:
      password: from-secure-yaml
  appcred:
    auth:
      application_credential_secret: s3cret
"""


@pytest.fixture
def config_dir(tmp_path, monkeypatch):
    """clouds.yaml and secure.yaml in $XDG_CONFIG_HOME/openstack, no OS_* variable."""
    for name in list(os.environ):
        if name.startswith("OS_"):
            monkeypatch.delenv(name)
    directory = tmp_path / "openstack"
    directory.mkdir()
    (directory / "clouds.yaml").write_text(CLOUDS)
    (directory / "secure.yaml").write_text(SECURE)
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(directory / "clouds.yaml"))
    monkeypatch.setenv("OS_CLIENT_SECURE_FILE", str(directory / "secure.yaml"))
    monkeypatch.chdir(tmp_path)
    return directory


def test_cloud_values_with_the_secure_yaml_password(config_dir):
    merged = merge(auth.Settings(), "prod")
    assert merged.auth["username"] == "alice"
    assert merged.auth["password"] == "from-secure-yaml"
    assert merged.auth["auth_url"] == "https://keystone.example.com:5000/v3"
    assert merged.interface == "internal"
    assert merged.timeout == 12.0
    assert merged.cacert == "/etc/ssl/example.pem"
    assert merged.insecure is False
    assert auth.choose_auth_type(merged) == "v3password"


def test_first_region_by_default(config_dir):
    assert merge(auth.Settings(), "prod").region_name == "RegionTwo"


def test_region_name_picks_one_of_the_cloud_regions(config_dir):
    merged = merge(auth.Settings(region_name="RegionOne"), "prod")
    assert merged.region_name == "RegionOne"


def test_unknown_region_is_one_clear_line(config_dir):
    with pytest.raises(exceptions.AuthSettingsError) as err:
        merge(auth.Settings(region_name="Nowhere"), "prod")
    message = str(err.value)
    assert "\n" not in message
    assert "Nowhere" in message and "RegionTwo" in message


def test_command_line_values_win(config_dir):
    given = auth.Settings(
        auth={"password": "typed", "username": "carol"},
        interface="admin",
        timeout=3.0,
        use_cache=False,
    )
    merged = merge(given, "prod")
    assert merged.auth["password"] == "typed"
    assert merged.auth["username"] == "carol"
    assert merged.auth["project_name"] == "web"
    assert merged.interface == "admin"
    assert merged.timeout == 3.0
    assert merged.use_cache is False


def test_verify_false_means_insecure(config_dir):
    merged = merge(auth.Settings(), "lab")
    assert merged.insecure is True
    assert merged.region_name == "LabRegion"
    assert merged.auth["password"] == "in-clouds-yaml"


def test_auth_type_and_secret_from_secure_yaml(config_dir):
    merged = merge(auth.Settings(), "appcred")
    assert merged.auth_type == "v3applicationcredential"
    assert merged.auth["application_credential_secret"] == "s3cret"
    assert plugin_options(auth.choose_auth_type(merged), merged)[
        "application_credential_secret"
    ] == ("s3cret")


def test_xdg_config_home_is_searched(tmp_path):
    """A fresh process: openstacksdk reads XDG_CONFIG_HOME when it is imported."""
    directory = tmp_path / "openstack"
    directory.mkdir()
    (directory / "clouds.yaml").write_text(CLOUDS)
    (directory / "secure.yaml").write_text(SECURE)
    probe = textwrap.dedent(
        """
        from gcclient.session import settings as auth
        from gcclient.session import cloudconfig
        merged = cloudconfig.merge(auth.Settings(), "prod")
        print(merged.auth["password"], merged.region_name)
        """
    )
    env = {"XDG_CONFIG_HOME": str(tmp_path), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=env,
        cwd=str(tmp_path),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["from-secure-yaml", "RegionTwo"]


def test_unknown_cloud_names_the_file(config_dir):
    with pytest.raises(exceptions.AuthSettingsError) as err:
        merge(auth.Settings(), "nope")
    assert str(err.value) == (
        f"Cloud 'nope' is not in {config_dir / 'clouds.yaml'} (--os-cloud or OS_CLOUD)"
    )


def test_broken_yaml_is_skipped_with_a_warning(config_dir, caplog):
    """openstacksdk skips a file it cannot parse and says so; the missing values are
    then named by the usual message."""
    (config_dir / "clouds.yaml").write_text("clouds:\n  prod: [unclosed\n")
    merged = merge(auth.Settings(), "prod")
    assert "Skipping config file" in caplog.text
    with pytest.raises(exceptions.AuthSettingsError) as err:
        plugin_options(auth.choose_auth_type(merged), merged)
    assert "--os-auth-url or OS_AUTH_URL" in str(err.value)


def test_missing_openstacksdk_is_one_clear_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "openstack", None)
    monkeypatch.setitem(sys.modules, "openstack.config", None)
    with pytest.raises(exceptions.AuthSettingsError) as err:
        merge(auth.Settings(), "prod")
    assert str(err.value) == auth_options.INSTALL_HINT
    assert "pip install openstacksdk" in str(err.value)


PROBE = """
import sys
from gcclient.cli.application import main
try:
    main({argv!r})
except SystemExit:
    pass
sys.stderr.write("SDK=" + str("openstack" in sys.modules) + "\\n")
"""


@pytest.mark.parametrize("argv", [["--help"], ["help", "launch"], ["--version"]])
def test_openstacksdk_is_not_imported_without_a_cloud(argv):
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "SDK=False" in proc.stderr.splitlines(), proc.stderr


@pytest.mark.parametrize("bad", ["0", "-1", "nan", "soon"])
def test_a_cloud_api_timeout_must_be_finite_and_positive(config_dir, bad):
    text = (
        (config_dir / "clouds.yaml").read_text().replace("api_timeout: 12", f"api_timeout: {bad}")
    )
    (config_dir / "clouds.yaml").write_text(text)
    with pytest.raises(exceptions.CommandError, match="^Invalid api_timeout of cloud 'prod' '"):
        merge(auth.Settings(), "prod")
