"""The Python API's sources of settings against a real gc-simulator: a cloud of
clouds.yaml (openstacksdk's loader), an openstacksdk Connection, and no OS_* unless
asked (a shell's credentials for another cloud are not borrowed)."""

from __future__ import annotations

import pytest

from gcclient import Client
from gcclient.api import exceptions
from gcclient.simulator.clouds import write_clouds_yaml


@pytest.fixture(scope="module")
def web(simulator):
    return simulator.boot("api-source-web")


def test_cloud_from_clouds_yaml(simulator, web, tmp_path, monkeypatch):
    path = tmp_path / "clouds.yaml"
    write_clouds_yaml(str(path), "sim", simulator.env)
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(path))
    client = Client(cloud="sim")
    assert client.gridcentric.find("api-source-web").id == web["id"]


def test_openstacksdk_connection(simulator, web):
    import openstack

    env = simulator.env
    conn = openstack.connect(
        auth_url=env["OS_AUTH_URL"],
        username=env["OS_USERNAME"],
        password=env["OS_PASSWORD"],
        project_name=env["OS_PROJECT_NAME"],
        user_domain_name=env["OS_USER_DOMAIN_NAME"],
        project_domain_name=env["OS_PROJECT_DOMAIN_NAME"],
        region_name=env["OS_REGION_NAME"],
    )
    client = Client(connection=conn)
    assert client.session is conn.session
    assert client.gridcentric.find("api-source-web").id == web["id"]


def test_shell_credentials_only_when_asked(simulator, web, monkeypatch):
    for name, value in simulator.env.items():
        monkeypatch.setenv(name, value)
    env = simulator.env
    with pytest.raises(exceptions.AuthSettingsError) as err:
        Client(auth_url=env["OS_AUTH_URL"], username=env["OS_USERNAME"])
    assert str(err.value) == (
        "Missing setting: password; the OS_* variables are not read unless asked: "
        "use Client.from_environment()"
    )
    client = Client.from_environment()
    assert client.gridcentric.find("api-source-web").id == web["id"]
