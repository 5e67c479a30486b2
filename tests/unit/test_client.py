"""The Python API's constructor: one source of settings at a time, no OS_* unless
asked, a misspelled keyword refused by name, errors in plain words."""

from __future__ import annotations

import pytest

from gcclient import Client
from gcclient.api import exceptions

AUTH = {
    "auth_url": "http://keystone.example:5000/v3",
    "username": "demo",
    "password": "secret-pw",
    "project_name": "demo",
}


@pytest.fixture
def shell_credentials(monkeypatch):
    """An openrc sourced in the shell, for another cloud."""
    monkeypatch.setenv("OS_AUTH_URL", "http://other-cloud:5000/v3")
    monkeypatch.setenv("OS_USERNAME", "shell-user")
    monkeypatch.setenv("OS_PASSWORD", "shell-pw")
    monkeypatch.setenv("OS_PROJECT_NAME", "shell-project")


def test_a_misspelled_keyword_is_a_type_error_naming_it():
    with pytest.raises(TypeError) as err:
        Client(**{**AUTH, "usernme": "demo"})
    assert str(err.value) == (
        "Client() got an unexpected keyword argument 'usernme' (did you mean 'username'?)"
    )


def test_a_misspelled_own_keyword_suggests_it():
    with pytest.raises(TypeError) as err:
        Client(**AUTH, regoin_name="RegionOne")
    assert str(err.value) == (
        "Client() got an unexpected keyword argument 'regoin_name' (did you mean 'region_name'?)"
    )


def test_a_keyword_beside_a_session_is_refused():
    with pytest.raises(TypeError) as err:
        Client(session=object(), password="x")
    assert (
        str(err.value)
        == "Client() got 'password' beside session=: the session already authenticates"
    )
    with pytest.raises(TypeError) as err:
        Client(session=object(), connection=object())
    assert str(err.value) == (
        "Client() takes one of session, connection or cloud, not ['session', 'connection']"
    )


def test_shell_variables_do_not_fill_the_gaps(shell_credentials):
    client = Client(**AUTH)
    plugin = client.connection.plugin
    assert plugin.auth_url == AUTH["auth_url"]
    with pytest.raises(exceptions.AuthSettingsError) as err:
        Client(auth_url=AUTH["auth_url"], username="demo", project_name="demo")
    assert str(err.value) == (
        "Missing setting: password; the OS_* variables are not read unless asked: "
        "use Client.from_environment()"
    )


def test_from_environment_reads_them(shell_credentials):
    client = Client.from_environment()
    assert client.connection.plugin.auth_url == "http://other-cloud:5000/v3"
    # a keyword still wins
    client = Client.from_environment(auth_url="http://mine:5000/v3")
    assert client.connection.plugin.auth_url == "http://mine:5000/v3"


def test_cloud_from_clouds_yaml(tmp_path, monkeypatch, shell_credentials):
    path = tmp_path / "clouds.yaml"
    path.write_text(
        "clouds:\n  lab:\n    auth:\n      auth_url: http://lab:5000/v3\n"
        "      username: labuser\n      password: lab-pw\n      project_name: lab\n"
        "    region_name: LabOne\n"
    )
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(path))
    client = Client(cloud="lab")
    assert client.connection.plugin.auth_url == "http://lab:5000/v3"
    assert client.connection.adapter.region_name == "LabOne"
    with pytest.raises(exceptions.AuthSettingsError) as err:
        Client(cloud="nowhere")
    assert str(err.value) == f"Cloud 'nowhere' is not in {path} (cloud)"
    assert "--os" not in str(err.value) and "gc " not in str(err.value)
