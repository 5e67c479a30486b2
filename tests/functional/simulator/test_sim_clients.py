"""Real clients nobody here wrote: python-novaclient and python-openstackclient."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from gcclient.simulator.testing import DEFAULT_IMAGE

OPENSTACK = shutil.which("openstack", path=os.path.dirname(sys.executable)) or shutil.which(
    "openstack"
)


def nova_client(env: dict):
    from keystoneauth1 import loading, session
    from novaclient import client

    auth = loading.get_plugin_loader("password").load_from_options(
        auth_url=env["OS_AUTH_URL"],
        username=env["OS_USERNAME"],
        password=env["OS_PASSWORD"],
        project_name=env["OS_PROJECT_NAME"],
        user_domain_name=env["OS_USER_DOMAIN_NAME"],
        project_domain_name=env["OS_PROJECT_DOMAIN_NAME"],
    )
    return client.Client("2", session=session.Session(auth=auth))


def test_novaclient_list_create_get_delete(simulator):
    nova = nova_client(simulator.env_for("alt"))
    assert nova.servers.list() == []
    created = nova.servers.create("nc-vm", image=DEFAULT_IMAGE, flavor="1")
    assert created.adminPass
    deadline = time.monotonic() + 10
    while nova.servers.get(created.id).status != "ACTIVE":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    server = nova.servers.get(created.id)
    assert server.name == "nc-vm" and server.addresses["private"][0]["version"] == 4
    assert [s.id for s in nova.servers.list()] == [created.id]
    assert [s.id for s in nova.servers.list(search_opts={"name": "^nc-vm$"})] == [created.id]
    nova.servers.delete(created.id)
    simulator.wait_gone(created.id, user="alt")
    assert nova.servers.list() == []


def test_keystoneauth_discovers_compute_and_image_endpoints(simulator):
    from keystoneauth1 import adapter

    nova = nova_client(simulator.env)
    session = nova.client.session
    compute = adapter.Adapter(session, service_type="compute", min_version="2",
                              max_version="2.latest")  # fmt: skip
    assert compute.get_endpoint().startswith(f"{simulator.url}/v2/")
    assert compute.get_api_major_version() == (2, 0)
    image = adapter.Adapter(session, service_type="image", min_version="2", max_version="2.latest")
    assert image.get_endpoint() == f"{simulator.url}/image/v2/"


@pytest.mark.osc
@pytest.mark.skipif(OPENSTACK is None, reason="python-openstackclient is not installed")
def test_openstackclient_server_commands(simulator):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(simulator.env_for("admin"))

    def osc(*args: str) -> str:
        proc = subprocess.run(
            [OPENSTACK, *args], env=env, capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    assert json.loads(osc("server", "list", "-f", "json")) == []
    created = json.loads(
        osc("server", "create", "--image", "cirros-0.3", "--flavor", "m1.tiny", "--wait",
            "osc-vm", "-f", "json")
    )  # fmt: skip
    assert created["status"] == "ACTIVE"
    listed = json.loads(osc("server", "list", "-f", "json"))
    assert [(s["Name"], s["Status"]) for s in listed] == [("osc-vm", "ACTIVE")]
    assert listed[0]["Image"] == "cirros-0.3"
    shown = json.loads(osc("server", "show", "osc-vm", "-f", "json"))
    assert shown["id"] == created["id"] and shown["flavor"].startswith("m1.tiny")
    osc("server", "delete", "--wait", "osc-vm")
    assert json.loads(osc("server", "list", "-f", "json")) == []
