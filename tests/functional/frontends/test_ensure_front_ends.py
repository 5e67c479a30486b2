"""``ensure`` from the other front-ends against gc-simulator (issue 27): the Python API's
``ensure_launched``, novaclient's ``nova.gridcentric.ensure_launched`` and
``openstack live image server create --ensure``, each counted in the journal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.functional.gcrun import make_blessed, requests_since

LIST = {"gc_list_launched": {}}


def launches(sim, mark: int) -> list[object]:
    return [body for _, _, body in requests_since(sim, mark) if body and "gc_launch" in body]


def credentials(sim) -> dict[str, str]:
    env = sim.env
    return {
        "auth_url": env["OS_AUTH_URL"],
        "username": env["OS_USERNAME"],
        "password": env["OS_PASSWORD"],
        "project_name": env["OS_PROJECT_NAME"],
        "user_domain_name": env["OS_USER_DOMAIN_NAME"],
        "project_domain_name": env["OS_PROJECT_DOMAIN_NAME"],
    }


def test_python_api_ensure_launched(simulator):
    from gcclient import Client
    from gcclient.client import Server

    image = make_blessed(simulator, "ens-api")
    gc = Client(**credentials(simulator))
    mark = simulator.mark()
    first = gc.gridcentric.ensure_launched(image["id"], 2, name="api", wait=True, timeout=30)
    assert launches(simulator, mark) == [{"gc_launch": {"name": "api", "num_instances": 2}}]
    assert first.existing == [] and len(first.launched) == 2 and not first.surplus
    assert all(isinstance(s, Server) and s.status == "ACTIVE" for s in first.launched)
    blessed = gc.gridcentric.get(image["id"])
    mark = simulator.mark()
    again = gc.gridcentric.ensure_launched(blessed, 2, name="api")
    assert requests_since(simulator, mark) == [("POST", f"/servers/{image['id']}/action", LIST)]
    assert sorted(s.id for s in again.existing) == sorted(s.id for s in first.launched)
    assert again.launched == [] and again.requested == 0
    with pytest.raises(TypeError):
        gc.gridcentric.ensure_launched(image["id"], 3, num_instances=1)


def test_novaclient_manager_has_ensure_launched(simulator):
    from keystoneauth1 import loading, session
    from novaclient import client

    image = make_blessed(simulator, "ens-nova")
    auth = loading.get_plugin_loader("password").load_from_options(**credentials(simulator))
    nova = client.Client(
        "2", session=session.Session(auth=auth), extensions=client.discover_extensions("2")
    )
    mark = simulator.mark()
    result = nova.gridcentric.ensure_launched(image["id"], 1)
    assert launches(simulator, mark) == [{"gc_launch": {}}]
    assert [s.id for s in result.launched] == [s.id for s in result.answer]
    from novaclient.v2.servers import Server

    assert isinstance(result.launched[0], Server)  # novaclient's objects


OPENSTACK = os.path.join(os.path.dirname(sys.executable), "openstack")
if not os.path.exists(OPENSTACK):
    OPENSTACK = shutil.which("openstack") or ""


@pytest.mark.skipif(not OPENSTACK, reason="python-openstackclient is not installed")
def test_openstack_live_image_server_create_ensure(simulator):
    image = make_blessed(simulator, "ens-osc")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(simulator.env)

    def start(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [OPENSTACK, "live", "image", "server", "create", "--live-image", image["id"], *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )

    mark = simulator.mark()
    first = start("--ensure", "2", "--wait", "-f", "value", "-c", "ID")
    assert first.returncode == 0, first.stderr
    assert launches(simulator, mark) == [{"gc_launch": {"num_instances": 2}}]
    assert len(first.stdout.split()) == 2
    mark = simulator.mark()
    again = start("--ensure", "2", "-f", "value", "-c", "ID")
    assert again.returncode == 0, again.stderr
    assert launches(simulator, mark) == []
    assert sorted(again.stdout.split()) == sorted(first.stdout.split())
    assert "2 existed (" in again.stderr and "none launched" in again.stderr
    refused = start("--ensure", "2", "--num-instances", "2")
    assert refused.returncode == 2
    assert "argument --num-instances: not allowed with argument --ensure" in refused.stderr
