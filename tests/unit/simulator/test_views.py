"""views.py: nova's server, flavor and image documents built from a stored row."""

from __future__ import annotations

import hashlib

import pytest

from gcclient.simulator.fixtures import FLAVORS, IMAGES
from gcclient.simulator.identity import USERS
from gcclient.simulator.views import (
    compute_image_view,
    flavor_view,
    glance_image_view,
    host_id,
    plain_view,
    power_state,
    server_status,
    server_view,
)

BASE = "http://sim.test:1"
IMAGE = next(iter(IMAGES.values()))


def row(**changes):
    server = {
        "id": "s1",
        "name": "vm",
        "project_id": "p",
        "user_id": "u",
        "vm_state": "active",
        "task_state": None,
        "host": "compute-1",
        "az": "nova",
        "image_id": IMAGE.id,
        "flavor_id": "1",
        "key_name": None,
        "security_groups": ["default"],
        "metadata": None,
        "ip": "10.0.0.2",
        "created": "c",
        "updated": "u",
        "fault": None,
        "seq": 26,
    }
    server.update(changes)
    return server


@pytest.fixture
def req(make_request):
    made = make_request("GET", "/v2/p/servers")
    made.user, made.project_id = USERS["demo"], "p"
    return made


@pytest.mark.parametrize(
    ("vm_state", "task_state", "status"),
    [
        ("building", None, "BUILD"),
        ("active", None, "ACTIVE"),
        ("active", "migrating", "MIGRATING"),
        ("blessed", None, "BLESSED"),
        ("error", None, "ERROR"),
        ("migrating", None, "MIGRATING"),
        ("stopped", None, "SHUTOFF"),
        ("weird", None, "UNKNOWN"),
    ],
)
def test_status(vm_state, task_state, status):
    assert server_status(row(vm_state=vm_state, task_state=task_state)) == status


def test_power_state_is_running_only_while_active():
    assert [power_state(row(vm_state=s)) for s in ("active", "blessed", "building")] == [1, 0, 0]


def test_host_id_is_hidden_without_a_host_and_per_project():
    assert host_id(row(host=None)) == ""
    assert host_id(row()) == hashlib.sha224(b"pcompute-1").hexdigest()
    assert host_id(row(project_id="q")) != host_id(row())


def test_server_view(req):
    view = server_view(req, row())
    assert view == {
        "id": "s1",
        "name": "vm",
        "status": "ACTIVE",
        "tenant_id": "p",
        "user_id": "u",
        "metadata": {},
        "hostId": hashlib.sha224(b"pcompute-1").hexdigest(),
        "image": {
            "id": IMAGE.id,
            "links": [{"rel": "bookmark", "href": f"{BASE}/p/images/{IMAGE.id}"}],
        },
        "flavor": {"id": "1", "links": [{"rel": "bookmark", "href": f"{BASE}/p/flavors/1"}]},
        "created": "c",
        "updated": "u",
        "addresses": {"private": [{"addr": "10.0.0.2", "version": 4}]},
        "accessIPv4": "",
        "accessIPv6": "",
        "key_name": None,
        "config_drive": "",
        "links": [
            {"rel": "self", "href": f"{BASE}/v2/p/servers/s1"},
            {"rel": "bookmark", "href": f"{BASE}/p/servers/s1"},
        ],
        "progress": 100,
    }


def test_progress_and_fault_by_status(req):
    assert server_view(req, row(vm_state="building"))["progress"] == 0
    assert "progress" not in server_view(req, row(vm_state="blessed"))
    fault = {"code": 500, "message": "No valid host was found. "}
    assert server_view(req, row(vm_state="error", fault=fault))["fault"] == fault
    assert "fault" not in server_view(req, row(vm_state="active", fault=fault))
    assert server_view(req, row(ip=None))["addresses"] == {}


def test_plain_view_adds_extension_attributes_and_admin_only_host(req):
    view = plain_view(req, row(security_groups=["default", "web"]))
    assert view["security_groups"] == [{"name": "default"}, {"name": "web"}]
    assert (view["OS-EXT-STS:vm_state"], view["OS-EXT-STS:task_state"]) == ("active", None)
    assert view["OS-EXT-STS:power_state"] == 1
    assert view["OS-EXT-AZ:availability_zone"] == "nova"
    assert view["OS-DCF:diskConfig"] == "MANUAL"
    assert not any(key.startswith("OS-EXT-SRV-ATTR") for key in view)
    req.user = USERS["admin"]
    view = plain_view(req, row())
    assert view["OS-EXT-SRV-ATTR:host"] == "compute-1"
    assert view["OS-EXT-SRV-ATTR:hypervisor_hostname"] == "compute-1"
    assert view["OS-EXT-SRV-ATTR:instance_name"] == "instance-0000001a"


def test_flavor_view(req):
    brief = flavor_view(req, FLAVORS["2"], detail=False)
    assert brief == {
        "id": "2",
        "name": "m1.small",
        "links": [
            {"rel": "self", "href": f"{BASE}/v2/p/flavors/2"},
            {"rel": "bookmark", "href": f"{BASE}/p/flavors/2"},
        ],
    }
    full = flavor_view(req, FLAVORS["2"])
    assert {k: full[k] for k in ("ram", "vcpus", "disk", "swap")} == {
        "ram": 2048,
        "vcpus": 1,
        "disk": 20,
        "swap": "",
    }
    assert full["os-flavor-access:is_public"] is True


def test_image_views(req):
    assert compute_image_view(req, IMAGE, detail=False)["links"][0]["href"] == (
        f"{BASE}/v2/p/images/{IMAGE.id}"
    )
    full = compute_image_view(req, IMAGE)
    assert (full["status"], full["OS-EXT-IMG-SIZE:size"]) == ("ACTIVE", IMAGE.size)
    public = glance_image_view(BASE, IMAGE)
    assert (public["visibility"], public["owner"], public["self"]) == (
        "public",
        None,
        f"/v2/images/{IMAGE.id}",
    )
    assert glance_image_view(BASE, IMAGE, owner="p")["visibility"] == "private"
