"""The other front-ends on the real stack: the openstack plugin, the Python API and
novaclient's extension, each logging in its own way (osc-lib, gcclient's session,
novaclient over a keystoneauth session) and each saying in its own form (an error
line, an exception of gcclient's or of novaclient's) that the cloud does not offer
the Gridcentric extension, with the one core wording.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from gcclient.api import exceptions

from .checks import same_request_ids
from .rest import WHO, Result, auth_url, env_for

pytestmark = pytest.mark.usefixtures("rest")

OPENSTACK = os.path.join(os.path.dirname(sys.executable), "openstack")
MISSING = (
    "This cloud does not offer the Gridcentric extension "
    "(it answered: There is no such action: gc_bless)"
)


@pytest.fixture(scope="module")
def server(rest):
    made = rest.boot("fe-1")
    yield made
    rest.delete(made["id"])


def openstack(record: dict[str, Any], *args: str) -> Result:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("OS_", "GC_"))}
    full.update(env_for(record, "demo"))
    proc = subprocess.run(
        [OPENSTACK, *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def _password(record: dict[str, Any]) -> dict[str, str]:
    user, domain, project, key = WHO["demo"]
    return {
        "auth_url": auth_url(record),
        "username": user,
        "password": record["passwords"][key],
        "project_name": project,
        "user_domain_name": domain,
        "project_domain_name": domain,
    }


@pytest.mark.skipif(not os.path.exists(OPENSTACK), reason="python-openstackclient missing")
def test_openstack_live_image_list(stack, server):
    result = openstack(stack, "live", "image", "list", "-f", "json")
    assert result.code == 0, result.err
    assert result.json() == []


@pytest.mark.skipif(not os.path.exists(OPENSTACK), reason="python-openstackclient missing")
def test_openstack_live_image_create_says_the_extension_is_missing(stack, server):
    result = openstack(stack, "live", "image", "create", "--server", "fe-1")
    assert (result.code, result.out) == (1, "")
    # as every error the cloud answered: its status and request ID at the end
    assert [same_request_ids(line) for line in result.err.splitlines()] == [
        f"{MISSING} (HTTP 400) (Request-ID: req-...)"
    ]


def test_python_api_says_the_extension_is_missing(stack, server):
    from gcclient import Client

    client = Client(region_name="RegionOne", **_password(stack))
    with pytest.raises(exceptions.ExtensionMissing) as caught:
        client.gridcentric.bless(server["id"])
    assert caught.value.message == MISSING
    assert str(caught.value) == f"{MISSING} (HTTP 400) (Request-ID: {caught.value.request_id})"
    assert caught.value.request_id.startswith("req-")


def test_novaclient_extension_says_the_extension_is_missing(stack, server):
    """In novaclient's words: its exception for nova's 400, with the core's message."""
    from keystoneauth1 import loading, session
    from novaclient import client
    from novaclient import exceptions as nova_exc

    auth = loading.get_plugin_loader("password").load_from_options(**_password(stack))
    nova = client.Client(
        "2",
        session=session.Session(auth=auth),
        region_name="RegionOne",
        extensions=client.discover_extensions("2"),
    )
    with pytest.raises(nova_exc.BadRequest) as caught:
        nova.gridcentric.bless(server["id"])
    assert caught.value.message == MISSING
    assert caught.value.request_id.startswith("req-")
