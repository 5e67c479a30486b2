"""CO-1.5 (cobalt era): every state-table row and error text of the spec, over real HTTP."""

from __future__ import annotations

import json
import uuid

import pytest

from gcclient.simulator.eras import FIXED_500, GENERIC_400
from gcclient.simulator.identity import USERS
from gcclient.simulator.testing import Simulator, fault
from tests.functional import gcrun

HTML = "text/html; charset=UTF-8"


def bless(sim: Simulator, server_id: str, body: object = None, user: str = "demo") -> dict:
    status, data = sim.action(server_id, {"co_bless": body if body is not None else {}}, user)
    assert status == 200, data
    return data[0]


def blessed_image(sim: Simulator, name: str = "src") -> tuple[dict, dict]:
    return gcrun.blessed_image(sim, name, action="co_bless")


def launch(sim: Simulator, blessed_id: str, params: dict | None = None) -> dict:
    status, data = sim.action(blessed_id, {"gc_launch": params or {}})
    assert status == 200, data
    assert isinstance(data, list) and len(data) == 1
    return data[0]


def expect(result: tuple[int, object], status: int, message: str) -> None:
    code, body = result
    name = {400: "badRequest", 413: "overLimit", 500: "computeFault"}[status]
    assert (code, fault(body)) == (status, (name, status, message))


@pytest.fixture(scope="module")
def slow(module_simulator_factory):
    return module_simulator_factory(build_time=1.0)


# ---- bless ----------------------------------------------------------------------------


def test_bless_answers_text_html_list_with_build_view(simulator):
    source = simulator.boot("foo")
    status, headers, raw = simulator.request_raw(
        "POST", f"/servers/{source['id']}/action", {"gc_bless": {}}
    )
    assert status == 200
    assert headers["Content-Type"] == HTML
    body = json.loads(raw)
    assert isinstance(body, list) and len(body) == 1
    view = body[0]
    assert view["name"] == "foo-0"
    assert view["status"] == "BUILD"
    assert view["metadata"] == {"blessed_from": source["id"]}
    assert not [key for key in view if key.startswith("OS-EXT")]
    for key in ("id", "tenant_id", "user_id", "hostId", "image", "flavor", "created", "links"):
        assert key in view
    assert simulator.wait_status(view["id"], "BLESSED")["metadata"]["blessed_from"] == source["id"]
    assert simulator.get(source["id"])["metadata"]["last_clone_num"] == "0"


def test_bless_default_names_count_up_and_name_param_and_null_body(simulator):
    source = simulator.boot("bar")
    assert bless(simulator, source["id"])["name"] == "bar-0"
    assert bless(simulator, source["id"], {"name": "golden"})["name"] == "golden"
    status, data = simulator.action(source["id"], {"gc_bless": None})
    assert status == 200 and data[0]["name"] == "bar-2"
    assert simulator.get(source["id"])["metadata"]["last_clone_num"] == "2"
    status, images = simulator.action(source["id"], {"gc_list_blessed": None})
    assert sorted(i["name"] for i in images) == ["bar-0", "bar-2", "golden"]


def test_source_during_bless_is_active_with_task_blessing(slow):
    source = slow.boot("busy")
    image = bless(slow, source["id"])
    assert image["status"] == "BUILD"
    during = slow.get(source["id"])
    assert during["status"] == "ACTIVE"
    assert during["OS-EXT-STS:task_state"] == "blessing"
    expect(
        slow.request("DELETE", f"/servers/{source['id']}"),
        400,
        "Cannot delete while blessing. Please try again later.",
    )
    slow.wait_status(image["id"], "BLESSED")
    assert slow.get(source["id"])["OS-EXT-STS:task_state"] is None


def test_bless_errors(simulator, slow):
    source, image = blessed_image(simulator, "e1")
    expect(
        simulator.action(image["id"], {"gc_bless": {}}),
        400,
        f"Instance {image['id']} is already a live image.",
    )
    building = slow.boot("building", wait=False)
    expect(
        slow.action(building["id"], {"gc_bless": {}}),
        400,
        f"Instance {building['id']} is not active. "
        "Cannot create a live image from a non-active instance.",
    )
    missing = str(uuid.uuid4())
    expect(
        simulator.action(missing, {"gc_bless": {}}),
        400,
        f"Instance {missing} could not be found.",
    )


def test_launched_source_may_be_blessed(simulator):
    _, image = blessed_image(simulator, "lb")
    child = simulator.wait_status(launch(simulator, image["id"])["id"], "ACTIVE")
    assert bless(simulator, child["id"])["name"] == "lb-0-clone-0"


def test_bless_over_quota_is_400(simulator_factory):
    sim = simulator_factory(build_time=0.02, extra_args=["--quota-instances", "1"])
    source = sim.boot("q")
    expect(
        sim.action(source["id"], {"gc_bless": {}}),
        400,
        "Quota exceeded for instances: Requested 1, but already used 1 of 1 instances",
    )


# ---- launch ---------------------------------------------------------------------------


def test_launch_returns_first_child_building_then_active(simulator):
    _, image = blessed_image(simulator, "foo")
    view = launch(simulator, image["id"])
    assert view["status"] == "BUILD"
    assert view["name"] == "foo-0-clone"
    # launch_index is a column, not metadata (cobalt 9989f67 cobalt/nova/api.py:196-198, 239)
    assert view["metadata"] == {"launched_from": image["id"]}
    assert not [key for key in view if key.startswith("OS-EXT")]
    plain = simulator.get(view["id"])
    assert plain["OS-EXT-STS:task_state"] in ("scheduling", None)
    active = simulator.wait_status(view["id"], "ACTIVE")
    assert active["addresses"]["private"][0]["version"] == 4
    assert active["security_groups"] == [{"name": "default"}]


def test_launch_num_instances_creates_n_children(simulator):
    _, image = blessed_image(simulator, "many")
    first = launch(simulator, image["id"], {"num_instances": 3, "name": "web"})
    assert first["metadata"] == {"launched_from": image["id"]}
    status, children = simulator.action(image["id"], {"co_list_launched": None})
    assert status == 200 and len(children) == 3
    assert all(c["metadata"] == {"launched_from": image["id"]} for c in children)
    assert {c["name"] for c in children} == {"web"}
    assert first["id"] in {c["id"] for c in children}


def test_launch_parameters_are_stored(simulator):
    _, image = blessed_image(simulator, "params")
    view = launch(
        simulator,
        image["id"],
        {
            "name": "p1",
            "user_data": "aGVsbG8=",
            "security_groups": ["web"],
            "key_name": "mykey",
            "availability_zone": "nova",
            "scheduler_hints": {"group": ["a", "b"]},
            "guest": {"k": "v"},
            "target": "512MB",
            "networks": [{"uuid": "a8f1c0de-5f4b-4c4e-9f00-000000000001", "fixed_ip": "10.0.9.9"}],
        },
    )
    server = simulator.wait_status(view["id"], "ACTIVE")
    assert server["key_name"] == "mykey"
    assert server["security_groups"] == [{"name": "web"}]
    assert server["addresses"]["private"][0]["addr"] == "10.0.9.9"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"num_instances": "2"}, "num_instances must be an integer"),
        ({"num_instances": 0}, "num_instances must be at least 1"),
        ({"num_instances": -3}, "num_instances must be at least 1"),
        (
            {"security_groups": ["nope"]},
            f"Security group nope not found for project {USERS['demo'].project.id}.",
        ),
        (
            {"key_name": "nokey"},
            f"Keypair nokey not found for user {USERS['demo'].id}",
        ),
        (
            {"networks": []},
            "All networks need to be specified for the new instance. "
            "Expected 1 but only 0 specified.",
        ),
        (
            {
                "networks": [
                    {"uuid": "a8f1c0de-5f4b-4c4e-9f00-000000000001"},
                    {"uuid": "a8f1c0de-5f4b-4c4e-9f00-000000000001"},
                ]
            },
            # nova 2014.1 neutronv2/api.py:638-639 before the count
            "Network a8f1c0de-5f4b-4c4e-9f00-000000000001 is duplicated.",
        ),
        (
            {"availability_zone": "nova:compute-1"},
            "Policy doesn't allow compute:create:forced_host to be performed.",
        ),
    ],
)
def test_launch_parameter_errors(simulator, params, message):
    if not hasattr(test_launch_parameter_errors, "image"):
        test_launch_parameter_errors.image = blessed_image(simulator, "perr")[1]
    image = test_launch_parameter_errors.image
    expect(simulator.action(image["id"], {"gc_launch": params}), 400, message)


def test_launch_refused_on_regular_and_launched_targets(simulator):
    regular = simulator.boot("plain")
    message = "Instance {} is not a live image. Please create a live image to launch from it."
    expect(simulator.action(regular["id"], {"gc_launch": {}}), 400, message.format(regular["id"]))
    _, image = blessed_image(simulator, "lnch")
    child = launch(simulator, image["id"])
    expect(simulator.action(child["id"], {"gc_launch": {}}), 400, message.format(child["id"]))


def test_launch_null_body_is_500(simulator):
    _, image = blessed_image(simulator, "nul")
    expect(simulator.action(image["id"], {"gc_launch": None}), 500, FIXED_500)
    # sanitize_hostname(None) is a TypeError (S6 api.py:228): nova's generic 400
    expect(simulator.action(image["id"], {"gc_launch": {"name": None}}), 400, GENERIC_400)


def test_launch_over_quota_is_413_with_retry_after(simulator_factory):
    sim = simulator_factory(build_time=0.02, extra_args=["--quota-instances", "3"])
    _, image = blessed_image(sim, "q")
    status, headers, raw = sim.request_raw(
        "POST", f"/servers/{image['id']}/action", {"gc_launch": {"num_instances": 2}}
    )
    assert status == 413
    assert headers["Retry-After"] == "0"
    assert fault(json.loads(raw)) == (
        "overLimit",
        413,
        "Quota exceeded for instances: Requested 2, but already used 2 of 3 instances",
    )


def test_launch_from_blessed_still_building_fails_children(simulator_factory):
    sim = simulator_factory(build_time=0.5)
    source = sim.boot("early")
    image = bless(sim, source["id"])
    child = launch(sim, image["id"])
    failed = sim.wait_status(child["id"], "ERROR")
    assert failed["fault"]["code"] == 500


def test_launch_unknown_zone_is_refused_before_any_child(simulator):
    """S6 schedules synchronously (cobalt 9989f67 cobalt/nova/api.py:545): no host, 400."""
    _, image = blessed_image(simulator, "az")
    before = simulator.request("GET", "/servers")[1]["servers"]
    expect(
        simulator.action(image["id"], {"gc_launch": {"availability_zone": "elsewhere"}}),
        400,
        "No valid host was found. ",
    )
    assert simulator.request("GET", "/servers")[1]["servers"] == before


def test_admin_may_force_a_host(simulator):
    source = simulator.boot("forced", user="admin")
    image = bless(simulator, source["id"], user="admin")
    simulator.wait_status(image["id"], "BLESSED", user="admin")
    status, data = simulator.action(
        image["id"], {"gc_launch": {"availability_zone": "nova:compute-3"}}, "admin"
    )
    assert status == 200
    child = simulator.wait_status(data[0]["id"], "ACTIVE", user="admin")
    assert child["OS-EXT-SRV-ATTR:host"] == "compute-3"


# ---- discard --------------------------------------------------------------------------


def test_discard_answers_null_then_server_is_gone(simulator, slow):
    _, image = blessed_image(slow, "disc")
    status, headers, raw = slow.request_raw(
        "POST", f"/servers/{image['id']}/action", {"gc_discard": None}
    )
    assert (status, raw, headers["Content-Type"]) == (200, b"null", HTML)
    during = slow.get(image["id"])
    assert during["status"] == "BLESSED"
    assert during["OS-EXT-STS:task_state"] == "deleting"
    assert slow.action(image["id"], {"co_discard": None}) == (200, None)
    slow.wait_gone(image["id"])
    status, body = slow.request("GET", f"/servers/{image['id']}")
    # nova 2014.1 servers.py show(): "Instance could not be found", no ID, no period
    assert (status, fault(body)) == (404, ("itemNotFound", 404, "Instance could not be found"))


def test_discard_refused_while_children_remain_no_cascade(simulator):
    _, image = blessed_image(simulator, "kids")
    child = launch(simulator, image["id"])
    message = (
        f"Instance {image['id']} still has launched instances. "
        "Cannot discard an instance with remaining launched ones."
    )
    expect(simulator.action(image["id"], {"gc_discard": None}), 400, message)
    simulator.wait_status(child["id"], "ACTIVE")
    assert simulator.delete(child["id"]) == 204
    simulator.wait_gone(child["id"])
    assert simulator.action(image["id"], {"gc_list_launched": None}) == (200, [])
    assert simulator.action(image["id"], {"gc_discard": None}) == (200, None)
    simulator.wait_gone(image["id"])


def test_discard_of_error_children_still_refused(simulator_factory):
    sim = simulator_factory(build_time=0.3)
    source = sim.boot("errkids")
    image = bless(sim, source["id"])
    child = launch(sim, image["id"])
    sim.wait_status(child["id"], "ERROR")
    assert sim.action(image["id"], {"gc_discard": None})[0] == 400


def test_discard_refused_on_regular_instance(simulator):
    regular = simulator.boot("notimg")
    expect(
        simulator.action(regular["id"], {"gc_discard": None}),
        400,
        f"Instance {regular['id']} is not a live image. Cannot discard a regular instance.",
    )


# ---- migrate --------------------------------------------------------------------------


def test_migrate_empty_body_then_active_on_destination(simulator):
    server = simulator.boot("mover", user="admin")
    source_host = server["OS-EXT-SRV-ATTR:host"]
    dest = next(h for h in ("compute-1", "compute-2") if h != source_host)
    status, headers, raw = simulator.request_raw(
        "POST",
        f"/servers/{server['id']}/action",
        {"gc_migrate": {"dest": dest}},
        user="admin",
    )
    assert (status, raw, headers["Content-Type"]) == (200, b"", HTML)
    assert simulator.get(server["id"], user="admin")["status"] in ("MIGRATING", "ACTIVE")
    moved = simulator.wait_status(server["id"], "ACTIVE", user="admin")
    assert moved["OS-EXT-SRV-ATTR:host"] == dest
    assert moved["hostId"] != server["hostId"]


def test_migrate_without_dest_picks_another_host(simulator):
    server = simulator.boot("randommove", user="admin")
    assert simulator.action(server["id"], {"co_migrate": {}}, "admin") == (200, "")
    moved = simulator.wait_status(server["id"], "ACTIVE", user="admin")
    assert moved["OS-EXT-SRV-ATTR:host"] != server["OS-EXT-SRV-ATTR:host"]


def test_migrate_errors(simulator, slow):
    server = simulator.boot("merr", user="admin")
    sid, host = server["id"], server["OS-EXT-SRV-ATTR:host"]
    expect(
        simulator.action(sid, {"gc_migrate": {"dest": host}}, "admin"),
        400,
        "Unable to migrate to the same host.",
    )
    expect(
        simulator.action(sid, {"gc_migrate": {"dest": "nova-only"}}, "admin"),
        400,
        "Cannot migrate to host nova-only because it is not running the cobalt service.",
    )
    expect(simulator.action(sid, {"gc_migrate": None}, "admin"), 500, FIXED_500)
    _, image = blessed_image(simulator, "mimg")
    expect(
        simulator.action(image["id"], {"gc_migrate": {}}),
        400,
        f"Unable to migrate instance {image['id']} because it is not active",
    )
    moving = slow.boot("slowmove")
    assert slow.action(moving["id"], {"gc_migrate": {}})[0] == 200
    assert slow.get(moving["id"])["status"] == "MIGRATING"
    expect(
        slow.action(moving["id"], {"gc_migrate": {}}),
        400,
        f"Unable to migrate instance {moving['id']} because it is already migrating.",
    )
    building = slow.boot("slowbuild", wait=False)
    expect(
        slow.action(building["id"], {"gc_migrate": {}}),
        400,
        f"Unable to migrate instance {building['id']} because it is not active",
    )


def test_migrate_with_no_other_host(simulator_factory):
    sim = simulator_factory(build_time=0.02, hosts=["only-1"])
    server = sim.boot("alone")
    expect(
        sim.action(server["id"], {"gc_migrate": {}}),
        400,
        "There are no available hosts for the migration target.",
    )


# ---- lists ----------------------------------------------------------------------------


def test_lists_are_bare_arrays_scoped_to_project(simulator):
    source, image = blessed_image(simulator, "lists")
    status, headers, raw = simulator.request_raw(
        "POST", f"/servers/{source['id']}/action", {"gc_list_blessed": None}
    )
    assert status == 200 and headers["Content-Type"] == HTML
    assert raw.startswith(b"[")
    assert simulator.action(image["id"], {"gc_list_launched": None}) == (200, [])
    assert simulator.action(source["id"], {"gc_list_launched": {}}) == (200, [])
    blessed = simulator.action(source["id"], {"co_list_blessed": {}})[1]
    assert [b["id"] for b in blessed] == [image["id"]]
    expect(
        simulator.action(image["id"], {"gc_list_launched": None}, "alt"),
        400,
        f"Instance {image['id']} could not be found.",
    )
    missing = str(uuid.uuid4())
    expect(
        simulator.action(missing, {"gc_list_blessed": None}),
        400,
        f"Instance {missing} could not be found.",
    )


# ---- plain nova calls -----------------------------------------------------------------


def test_delete_of_blessed_refused_and_children_survive_source(simulator):
    source, image = blessed_image(simulator, "del")
    expect(
        simulator.request("DELETE", f"/servers/{image['id']}"),
        400,
        f"Cannot delete a live image {image['id']}. Please discard it instead.",
    )
    child = launch(simulator, image["id"])
    assert simulator.delete(source["id"]) == 204
    simulator.wait_gone(source["id"])
    assert simulator.get(image["id"])["status"] == "BLESSED"
    assert simulator.wait_status(child["id"], "ACTIVE")["metadata"]["launched_from"] == image["id"]


def test_blessed_visible_in_detail_list_with_status_blessed(simulator):
    _, image = blessed_image(simulator, "detail-visible")
    status, body = simulator.request("GET", "/servers/detail?name=^detail-visible-0$")
    assert status == 200
    assert [(s["id"], s["status"]) for s in body["servers"]] == [(image["id"], "BLESSED")]


# ---- export / import ------------------------------------------------------------------


def test_export_and_import(simulator):
    _, image = blessed_image(simulator, "exp")
    status, headers, raw = simulator.request_raw(
        "POST", f"/servers/{image['id']}/action", {"gc_export": None}
    )
    assert status == 200 and headers["Content-Type"] == "application/json"
    data = json.loads(raw)
    assert set(data) == {"fields", "metadata", "system_metadata", "flavor_name", "export_image_id"}
    assert data["fields"]["display_name"] == "exp-0"
    assert data["metadata"]["blessed_from"]
    for key in ("image_ref", "memory_mb", "vcpus", "root_gb", "project_id", "power_state"):
        assert key in data["fields"]
    images = simulator.request("GET", "/images")[1]["images"]
    assert data["export_image_id"] in {i["id"] for i in images}
    assert "exp-0-export" in {i["name"] for i in images}

    data["fields"]["display_name"] = "imported"
    status, body = simulator.request("POST", "/co-import-server", {"data": data}, user="alt")
    assert status == 200
    assert set(body["server"]) == {"id", "links"}
    new_id = body["server"]["id"]
    imported = simulator.wait_status(new_id, "BLESSED", user="alt")
    assert imported["name"] == "imported"
    assert imported["tenant_id"] == USERS["alt"].project.id
    assert simulator.request("DELETE", f"/servers/{new_id}", user="alt")[0] == 400


def test_export_of_regular_instance_refused(simulator):
    regular = simulator.boot("noexp")
    expect(
        simulator.action(regular["id"], {"co_export": None}),
        400,
        f"Instance {regular['id']} is not a live image. Only live images can be exported.",
    )


# ---- policies -------------------------------------------------------------------------


def test_install_policy_and_get_policy(simulator):
    policy = "[policy]\nmemory = 512MB\n"
    status, headers, raw = simulator.request_raw(
        "POST", "/gcpolicy", {"policy_ini_string": policy, "wait": False}
    )
    assert (status, raw) == (200, b"")
    assert headers["Content-Type"] == "application/json"
    assert simulator.request("POST", "/copolicy", {"policy_ini_string": policy, "wait": True}) == (
        200,
        "",
    )
    _, image = blessed_image(simulator, "pol")
    child = launch(simulator, image["id"])
    assert simulator.action(child["id"], {"co_get_policy": None}) == (
        200,
        ["[policy]", "memory = 512MB"],
    )
    expect(
        simulator.action(image["id"], {"co_get_policy": None}),
        400,
        f"Instance {image['id']} is not a launched instance. "
        "Only launched instances support policies.",
    )
    expect(
        simulator.action(child["id"], {"gc_get_policy": None}),
        400,
        "There is no such action: gc_get_policy",
    )


def test_install_invalid_policy(simulator):
    error = "File contains no section headers."
    status, body = simulator.request("POST", "/gcpolicy", {"policy_ini_string": "junk"})
    assert status == 400
    assert fault(body)[2] == f"Failed to install policy on host compute-1: {error}"
    status, body = simulator.request(
        "POST", "/gcpolicy", {"policy_ini_string": "junk", "wait": True}
    )
    lines = "\n".join(f"compute-{i}: {error}" for i in (1, 2, 3))
    assert fault(body)[2] == f"Failed to install policy on 3 hosts, faults:\n{lines}"


# ---- gcservers, gcinfo, extensions ------------------------------------------------------


def test_gcservers_boot_on_host(simulator):
    body = {
        "server": {
            "name": "pinned",
            "imageRef": "6f3c6e1a-3c0e-4a43-9d1b-6d1f0c0b0a01",
            "flavorRef": "1",
            "metadata": {"gc:target_host": "compute-2"},
        }
    }
    status, data = simulator.request("POST", "/gcservers", body, user="admin")
    assert status == 200 and {"id", "links", "adminPass"} <= set(data["server"])
    server = simulator.wait_status(data["server"]["id"], "ACTIVE", user="admin")
    assert server["OS-EXT-SRV-ATTR:host"] == "compute-2"
    expect(
        simulator.request("POST", "/coservers", body),
        400,
        "This feature is restricted to only admin users.",
    )
    body["server"]["metadata"] = {"gc:target_host": "elsewhere"}
    expect(
        simulator.request("POST", "/gcservers", body, user="admin"),
        400,
        "Only able to launch on hosts running the cobalt service.",  # S6 api.py:821
    )


def test_capabilities_and_descriptor(simulator):
    expected = [
        "user-data", "launch-name", "availability-zone", "num-instances", "bless-name",
        "launch-key", "import-export", "scheduler-hints", "install-policy", "supports-volumes",
        "get-policy", "launch-nics",
    ]  # fmt: skip
    for path in ("/gcinfo", "/cobaltinfo"):
        status, headers, raw = simulator.request_raw("GET", path)
        # a hand-built webob.Response (cobalt 9989f67 cobalt_extension.py:64-67)
        assert status == 200 and headers["Content-Type"] == HTML
        assert sorted(json.loads(raw)["capabilities"]) == sorted(expected)
    extensions = simulator.request("GET", "/extensions")[1]["extensions"]
    cobalt = [e for e in extensions if e["alias"] == "CO"]
    assert len(cobalt) == 1
    assert cobalt[0]["name"] == "Cobalt"
    assert cobalt[0]["namespace"] == "http://docs.gridcentric.com/openstack/ext/api/v1"
    assert cobalt[0]["updated"] == "2013-04-10T13:52:50-07:00"
    assert not [e for e in extensions if e["alias"] == "GC"]


# ---- nova's own action errors ------------------------------------------------------------


def test_nova_action_errors(simulator):
    server = simulator.boot("nova-errors")
    path = f"/servers/{server['id']}/action"
    status, _, raw = simulator.request_raw(
        "POST", path, data=b'{"gc_bless": {}}', headers={"Content-Type": ""}
    )
    assert (status, fault(json.loads(raw))[2]) == (400, "There is no such action: None")
    expect(
        simulator.request("POST", path, {"gc_bless": {}, "gc_discard": None}),
        400,
        "Malformed request body",
    )
    expect(simulator.request("POST", path, {"bogus": None}), 400, "There is no such action: bogus")
    expect(simulator.request("POST", path, data=b"{not json"), 400, "Malformed request body")
    expect(simulator.request("POST", path, {}), 400, "Malformed request body")
    expect(simulator.request("POST", path, [1, 2]), 400, "Malformed request body")
