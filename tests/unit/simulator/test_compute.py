"""compute.py: Nova's own resources (servers with paging and filters, nova actions, metadata,
flavors, images, extensions, keypairs, zones, limits, the glance subset) via ``App.handle``."""

from __future__ import annotations

import pytest

from gcclient.simulator.compute import nova_version
from gcclient.simulator.fixtures import FINGERPRINT, IMAGES, NETWORK_ID
from gcclient.simulator.identity import USERS

BASE = "http://sim.test:1"
IMAGE = next(iter(IMAGES))


def test_nova_version():
    assert nova_version("http://h", "SUPPORTED") == {
        "id": "v2.0",
        "status": "SUPPORTED",
        "version": "",
        "min_version": "",
        "updated": "2011-01-21T11:33:21Z",
        "links": [{"rel": "self", "href": "http://h/v2/"}],
        "media-types": [
            {"base": "application/json", "type": "application/vnd.openstack.compute+json;version=2"}
        ],
    }


@pytest.mark.parametrize(
    ("api_name", "rule"),
    [
        ("os-hypervisors", "os_compute_api:os-hypervisors:list"),
        ("os-services/detail", "os_compute_api:os-services:list"),
        ("os-aggregates", "os_compute_api:os-aggregates:index"),
    ],
)
def test_admin_apis_are_forbidden_to_members(api, api_name, rule):
    assert api.compute("GET", f"/{api_name}").fault == (
        "forbidden",
        403,
        f"Policy doesn't allow {rule} to be performed.",
    )


def test_admin_apis_list_the_configured_hosts(api_factory):
    api = api_factory(hosts=["h1", "h2"])
    hypervisors = api.compute("GET", "/os-hypervisors", user="admin").data["hypervisors"]
    assert [(h["id"], h["hypervisor_hostname"]) for h in hypervisors] == [(1, "h1"), (2, "h2")]
    services = api.compute("GET", "/os-services", user="admin").data["services"]
    assert [(s["host"], s["binary"], s["zone"]) for s in services] == [
        ("h1", "nova-compute", "nova"),
        ("h2", "nova-compute", "nova"),
    ]
    assert api.compute("GET", "/os-aggregates", user="admin").data == {"aggregates": []}


def test_nova_actions_follow_the_vm_state(api):
    sid = api.boot()
    assert api.action(sid, {"os-start": None}).fault == (
        "conflictingRequest",
        409,
        f"Cannot 'os-start' instance {sid} while it is in vm_state active",
    )
    stopped = api.action(sid, {"os-stop": None})
    assert (stopped.status, stopped.response.body) == (202, b"")
    assert api.server(sid)["status"] == "SHUTOFF"
    assert api.action(sid, {"reboot": {"type": "HARD"}}).status == 202
    assert api.action(sid, {"os-start": None}).status == 202
    assert api.server(sid)["status"] == "ACTIVE"
    assert api.action("nope", {"reboot": {}}).fault == (
        "itemNotFound",
        404,
        "Instance nope could not be found.",
    )


def test_list_is_newest_first_and_per_project(api):
    ids = [api.boot(f"vm{n}") for n in range(3)]
    api.boot("theirs", user="alt")
    reply = api.compute("GET", "/servers")
    assert [s["id"] for s in reply.data["servers"]] == ids[::-1]
    assert set(reply.data["servers"][0]) == {"id", "name", "links"}
    assert "servers_links" not in reply.data
    detail = api.compute("GET", "/servers/detail")
    assert detail.data["servers"][0]["OS-EXT-STS:vm_state"] == "active"


def test_paging_with_limit_and_marker(api):
    ids = [api.boot(f"vm{n}") for n in range(3)]
    token, project = api.login()
    first = api.compute("GET", "/servers/detail", query={"limit": ["2"], "status": ["active"]})
    assert [s["id"] for s in first.data["servers"]] == [ids[2], ids[1]]
    assert first.data["servers_links"] == [
        {
            "rel": "next",
            "href": f"{BASE}/v2/{project}/servers/detail?limit=2&status=active&marker={ids[1]}",
        }
    ]
    rest = api.compute("GET", "/servers", query={"limit": ["2"], "marker": [ids[1]]})
    assert [s["id"] for s in rest.data["servers"]] == [ids[0]]
    assert "servers_links" not in rest.data


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"marker": ["nope"]}, "marker [nope] not found"),
        ({"limit": ["x"]}, "limit param must be an integer"),
        ({"limit": ["-1"]}, "limit param must be positive"),
    ],
)
def test_bad_paging_arguments(api, query, message):
    assert api.compute("GET", "/servers", query=query).fault == ("badRequest", 400, message)


def test_a_marker_of_another_project_is_not_found(api):
    theirs = api.boot(user="alt")
    reply = api.compute("GET", "/servers", query={"marker": [theirs]})
    assert reply.fault == ("badRequest", 400, f"marker [{theirs}] not found")


def test_status_filter(api):
    active = api.boot("a")
    stopped = api.boot("s")
    api.action(stopped, {"os-stop": None})
    listed = lambda status: [  # noqa: E731
        s["id"] for s in api.compute("GET", "/servers", query={"status": [status]}).data["servers"]
    ]
    assert listed("SHUTOFF") == [stopped]
    assert listed("active") == [active]
    assert listed("MIGRATING") == [] and listed("NOPE") == []


def test_all_tenants_is_for_admins(api):
    api.boot("mine")
    api.boot("theirs", user="alt")
    assert api.compute("GET", "/servers", query={"all_tenants": ["1"]}).fault == (
        "forbidden",
        403,
        "Policy doesn't allow os_compute_api:servers:index:get_all_tenants to be performed.",
    )
    assert api.compute("GET", "/servers", query={"all_tenants": ["0"]}).status == 200
    every = api.compute("GET", "/servers", user="admin", query={"all_tenants": ["True"]})
    assert sorted(s["name"] for s in every.data["servers"]) == ["mine", "theirs"]
    own = api.compute("GET", "/servers", user="admin")
    assert own.data["servers"] == []


@pytest.mark.parametrize(
    ("era", "message"),
    [("cobalt", "Instance could not be found"), ("folsom", "The resource could not be found.")],
)
def test_show_and_delete_unknown(api_factory, era, message):
    api = api_factory(era)
    assert api.compute("GET", "/servers/nope").fault == ("itemNotFound", 404, message)
    assert api.compute("DELETE", "/servers/nope").fault == ("itemNotFound", 404, message)


def test_another_projects_server_is_hidden_but_not_from_admin(api):
    theirs = api.boot(user="alt")
    assert api.compute("GET", f"/servers/{theirs}").status == 404
    shown = api.compute("GET", f"/servers/{theirs}", user="admin")
    assert shown.data["server"]["OS-EXT-SRV-ATTR:host"] in ("compute-1", "compute-2", "compute-3")


def test_delete_is_lazy_and_once(api_factory):
    api = api_factory(build_time=3600.0)
    sid = api.boot()
    deleted = api.compute("DELETE", f"/servers/{sid}")
    assert (deleted.status, deleted.response.body, deleted.response.content_type) == (
        204,
        b"",
        None,
    )
    assert api.server(sid)["OS-EXT-STS:task_state"] == "deleting"
    assert api.compute("DELETE", f"/servers/{sid}").status == 204
    api.settle()
    assert api.compute("GET", f"/servers/{sid}").status == 404


@pytest.mark.parametrize(
    ("era", "guarded"),
    [
        ("cobalt", "Cannot delete a live image {uuid}. Please discard it instead."),
        ("folsom", "Cannot delete a live image. Please discard it instead."),
        ("essex", None),
    ],
)
def test_delete_guards_live_images_and_blessing_sources(api_factory, era, guarded):
    api = api_factory(era, build_time=3600.0)
    sid = api.boot()
    image = api.bless(sid, settle=False)
    source = api.compute("DELETE", f"/servers/{sid}")
    blessed = api.compute("DELETE", f"/servers/{image}")
    if guarded is None:
        assert (source.status, blessed.status) == (204, 204)
    else:
        assert source.fault == (
            "badRequest",
            400,
            "Cannot delete while blessing. Please try again later.",
        )
        assert blessed.fault == ("badRequest", 400, guarded.format(uuid=image))


def test_server_metadata(api):
    sid = api.boot()
    path = f"/servers/{sid}/metadata"
    assert api.compute("GET", path).data == {"metadata": {}}
    assert api.compute("POST", path, {"metadata": {"a": "1"}}).data == {"metadata": {"a": "1"}}
    merged = api.compute("POST", path, {"metadata": {"b": "2"}})
    assert merged.data == {"metadata": {"a": "1", "b": "2"}}
    assert api.compute("PUT", path, {"metadata": {"c": "3"}}).data == {"metadata": {"c": "3"}}
    assert api.server(sid)["metadata"] == {"c": "3"}
    for bad in ({"metadata": {"a": 1}}, {"metadata": []}, {}):
        assert api.compute("POST", path, bad).fault == ("badRequest", 400, "Malformed request body")
    assert api.compute("PUT", path, raw=b"[").fault == ("badRequest", 400, "Malformed request body")
    assert api.compute("GET", "/servers/nope/metadata").fault == (
        "itemNotFound",
        404,
        "Server does not exist",
    )


def test_metadata_may_not_name_another_projects_server(api):
    sid = api.boot()
    theirs = api.boot(user="alt")
    reply = api.compute("POST", f"/servers/{sid}/metadata", {"metadata": {"launched_from": theirs}})
    assert reply.fault == ("badRequest", 400, f"Instance {theirs} could not be found.")


def test_flavors(api):
    brief = api.compute("GET", "/flavors").data["flavors"]
    assert [(f["id"], f["name"]) for f in brief][:2] == [("1", "m1.tiny"), ("2", "m1.small")]
    assert (
        "ram" not in brief[0]
        and api.compute("GET", "/flavors/detail").data["flavors"][4]["ram"] == 16384
    )
    assert api.compute("GET", "/flavors/3").data["flavor"]["vcpus"] == 2
    assert api.compute("GET", "/flavors/9").fault == (
        "itemNotFound",
        404,
        "Flavor 9 could not be found.",
    )
    assert api.compute("GET", "/flavors/1/os-extra_specs").data == {"extra_specs": {}}
    assert api.compute("GET", "/flavors/9/os-extra_specs").status == 404


def test_images_include_the_projects_exports_only(api):
    sid = api.boot()
    image = api.bless(sid)
    export = api.action(image, {"gc_export": None}).data["export_image_id"]
    names = [i["name"] for i in api.compute("GET", "/images").data["images"]]
    assert names == ["cirros-0.3", "ubuntu-12.04", "centos-6", "vm-0-export"]
    assert api.compute("GET", f"/images/{export}").data["image"]["name"] == "vm-0-export"
    assert api.compute("GET", f"/images/{export}", user="alt").fault == (
        "itemNotFound",
        404,
        "Image not found.",
    )
    assert len(api.compute("GET", "/images/detail", user="alt").data["images"]) == 3


def test_extensions_end_with_the_eras_own(api_factory):
    api = api_factory("folsom")
    extensions = api.compute("GET", "/extensions").data["extensions"]
    assert extensions[-1]["alias"] == "GC" and extensions[0]["alias"] == "os-keypairs"
    assert api.compute("GET", "/extensions/GC").data["extension"]["name"] == "Gridcentric"
    assert api.compute("GET", "/extensions/CO").status == 404


def test_keypairs(api):
    assert api.compute("GET", "/os-keypairs").data["keypairs"][0]["keypair"]["fingerprint"] == (
        FINGERPRINT
    )
    assert api.compute("GET", "/os-keypairs/mykey").data["keypair"]["user_id"] == (USERS["demo"].id)
    assert api.compute("GET", "/os-keypairs/other").fault == (
        "itemNotFound",
        404,
        f"Keypair other not found for user {USERS['demo'].id}",
    )


def test_security_groups_zones_networks_and_limits(api):
    _, project = api.login()
    groups = api.compute("GET", "/os-security-groups").data["security_groups"]
    assert [(g["name"], g["tenant_id"]) for g in groups] == [("default", project), ("web", project)]
    zone = api.compute("GET", "/os-availability-zone").data["availabilityZoneInfo"][0]
    assert (zone["zoneName"], zone["hosts"]) == ("nova", None)
    admin_zone = api.compute("GET", "/os-availability-zone/detail", user="admin").data
    assert sorted(admin_zone["availabilityZoneInfo"][0]["hosts"]) == [
        "compute-1",
        "compute-2",
        "compute-3",
    ]
    assert api.compute("GET", "/os-networks").data == {
        "networks": [{"id": NETWORK_ID, "label": "private"}]
    }
    api.boot()
    absolute = api.compute("GET", "/limits").data["limits"]["absolute"]
    assert (absolute["maxTotalInstances"], absolute["totalInstancesUsed"]) == (100000, 1)


def test_glance_list_filters_and_marker(api):
    token, _ = api.login()
    ids = list(IMAGES)

    def listed(**query):
        reply = api.call(
            "GET", "/image/v2/images", token=token, query={k: [v] for k, v in query.items()}
        )
        return [i["id"] for i in reply.data["images"]]

    assert listed() == ids
    assert listed(name="centos-6") == [ids[2]]
    assert listed(id=f"in:{ids[0]},{ids[2]}") == [ids[0], ids[2]]
    assert listed(marker=ids[0]) == ids[1:]
    assert listed(marker="unknown") == []
    missing = api.call("GET", "/image/v2/images/nope", token=token)
    assert missing.fault == ("itemNotFound", 404, "No image found with ID nope")
