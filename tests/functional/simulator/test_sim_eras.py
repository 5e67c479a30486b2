"""The essex (``seed``) and folsom (``GC-Folsom``) eras, where they differ from cobalt."""

from __future__ import annotations

import json
import uuid

from gcclient.simulator.eras import FIXED_500
from gcclient.simulator.testing import Simulator, fault
from tests.functional.gcrun import blessed_image

HTML = "text/html; charset=UTF-8"


def expect(result: tuple[int, object], status: int, message: str) -> None:
    code, body = result
    name = {400: "badRequest", 404: "itemNotFound", 413: "overLimit", 500: "computeFault"}[status]
    assert (code, fault(body)) == (status, (name, status, message))


def unrouted(result: tuple[int, object]) -> None:
    """A path the era does not route: webob's 404 from nova's routes mapper (the shape
    Nova 34 gives, tests/realstack/test_differential.py), not a nova fault."""
    assert result == (
        404,
        {
            "message": "The resource could not be found.<br /><br />\n\n\n",
            "code": "404 Not Found",
            "title": "Not Found",
        },
    )


def launch(sim: Simulator, blessed_id: str, params: dict | None = None) -> dict:
    status, data = sim.action(blessed_id, {"gc_launch": params or {}})
    assert status == 200, data
    return data[0]


# ---- essex (seed) ---------------------------------------------------------------------


def test_essex_ready_line_and_descriptor(essex):
    assert essex.ready_line.startswith("# gc-simulator ready: era essex, state :memory:")
    extensions = essex.request("GET", "/extensions")[1]["extensions"]
    gc = [e for e in extensions if e["alias"] == "GC"]
    assert len(gc) == 1
    assert (gc[0]["name"], gc[0]["namespace"], gc[0]["updated"]) == (
        "Gridcentric",
        "http://www.gridcentric.com",
        "2012-03-14T18:33:34-07:00",
    )
    unrouted(essex.request("GET", "/gcinfo"))
    unrouted(essex.request("POST", "/gcpolicy", {"policy_ini_string": ""}))


def test_essex_full_cycle(essex):
    source, image = blessed_image(essex, "foo", {"name": "ignored"})
    assert image["name"] == "foo-0"
    assert essex.get(source["id"])["OS-EXT-STS:task_state"] is None
    child = launch(essex, image["id"], {"name": "ignored", "num_instances": 3, "target": "0"})
    assert child["name"] == "foo-0-clone"
    essex.wait_status(child["id"], "ACTIVE")
    status, children = essex.action(image["id"], {"gc_list_launched": None})
    assert (status, [c["id"] for c in children]) == (200, [child["id"]])
    expect(essex.action(image["id"], {"gc_discard": None}), 500, FIXED_500)
    assert essex.delete(child["id"]) == 204
    essex.wait_gone(child["id"])
    status, headers, raw = essex.request_raw(
        "POST", f"/servers/{image['id']}/action", {"gc_discard": None}
    )
    assert (status, raw, headers["Content-Type"]) == (200, b"null", HTML)
    essex.wait_gone(image["id"])


def test_essex_state_errors_are_500_with_fixed_message(essex):
    source, image = blessed_image(essex, "e500")
    child = launch(essex, image["id"])
    essex.wait_status(child["id"], "ACTIVE")
    missing = str(uuid.uuid4())
    for target, body in [
        (image["id"], {"gc_bless": {}}),
        (child["id"], {"gc_bless": {}}),
        (source["id"], {"gc_launch": {}}),
        (child["id"], {"gc_launch": {}}),
        (source["id"], {"gc_discard": None}),
        (image["id"], {"gc_launch": None}),
        (source["id"], {"gc_migrate": {"dest": "nowhere"}}),
        (missing, {"gc_bless": {}}),
        (missing, {"gc_launch": {}}),
        (missing, {"gc_discard": None}),
        (missing, {"gc_migrate": {"dest": "compute-1"}}),
    ]:
        expect(essex.action(target, body), 500, FIXED_500)
    assert essex.action(missing, {"gc_list_launched": None}) == (200, [])
    assert essex.action(missing, {"gc_list_blessed": None}) == (200, [])


def test_essex_migrate_without_dest_is_plain_401(essex):
    """A bare webob.Response (cobalt c80fb8f gridcentric_extension.py:80-83): webob's type."""
    server = essex.boot("m401")
    status, headers, raw = essex.request_raw(
        "POST", f"/servers/{server['id']}/action", {"gc_migrate": {}}
    )
    assert (status, raw) == (401, b"Invalid destination")
    assert headers["Content-Type"] == "text/html; charset=UTF-8"


def test_essex_migrate_moves_with_vm_state_migrating(essex):
    server = essex.boot("mv", user="admin")
    host = server["OS-EXT-SRV-ATTR:host"]
    dest = "compute-2" if host != "compute-2" else "compute-3"
    expect(essex.action(server["id"], {"gc_migrate": {"dest": host}}, "admin"), 500, FIXED_500)
    assert essex.action(server["id"], {"gc_migrate": {"dest": dest}}, "admin") == (200, "")
    assert essex.wait_status(server["id"], "ACTIVE", user="admin")["OS-EXT-SRV-ATTR:host"] == dest


def test_essex_unknown_actions(essex):
    server = essex.boot("keys")
    for key in ("co_bless", "gc_export", "co_get_policy", "co_list_launched"):
        expect(essex.action(server["id"], {key: None}), 400, f"There is no such action: {key}")


def test_essex_delete_of_blessed_allowed(essex):
    _, image = blessed_image(essex, "delok")
    assert essex.delete(image["id"]) == 204
    essex.wait_gone(image["id"])


def test_essex_launch_quota_413(simulator_factory):
    sim = simulator_factory(era="essex", build_time=0.02, extra_args=["--quota-instances", "2"])
    _, image = blessed_image(sim, "q")
    status, headers, raw = sim.request_raw(
        "POST", f"/servers/{image['id']}/action", {"gc_launch": {}}
    )
    assert status == 413 and headers["Retry-After"] == "0"
    assert fault(json.loads(raw)) == (
        "overLimit",
        413,
        "Quota exceeded: code=InstanceLimitExceeded",
    )
    regular = sim.request("GET", "/servers")[1]["servers"]
    source_id = next(s["id"] for s in regular if s["name"] == "q")
    status, body = sim.action(source_id, {"gc_launch": {}})
    assert status == 413, "essex checks quota before the blessed check"


def test_essex_bless_of_building_server_is_500(simulator_factory):
    sim = simulator_factory(era="essex", build_time=5)
    server = sim.boot("building", wait=False)
    expect(sim.action(server["id"], {"gc_bless": {}}), 500, FIXED_500)


# ---- folsom (GC-Folsom) ----------------------------------------------------------------


def test_folsom_capabilities_and_descriptor(folsom):
    caps = folsom.request("GET", "/gcinfo")[1]["capabilities"]
    assert sorted(caps) == sorted(
        [
            "user-data", "launch-name", "security-groups", "num-instances", "bless-name",
            "launch-key", "availability-zone", "import-export", "install-policy",
            "supports-volumes",
        ]
    )  # fmt: skip
    unrouted(folsom.request("GET", "/cobaltinfo"))
    ext = [e for e in folsom.request("GET", "/extensions")[1]["extensions"] if e["alias"] == "GC"]
    assert ext[0]["namespace"] == "http://docs.gridcentric.com/openstack/ext/api/v1"
    assert ext[0]["updated"] == "2012-07-17T13:52:50-07:00"


def test_folsom_gc_wordings(folsom):
    """stable/folsom head c0ceb7a gridcentric/nova/api.py:301, 333-334, 364-365, 492, 442-443."""
    source, image = blessed_image(folsom, "gcw")
    sid, bid = source["id"], image["id"]
    expect(
        folsom.action(bid, {"gc_bless": {}}),
        400,
        f"Instance {bid} is already a live image.",
    )
    expect(
        folsom.action(sid, {"gc_launch": {}}),
        400,
        f"Instance {sid} is not a live image. Please create a live image to launch from it.",
    )
    expect(
        folsom.action(sid, {"gc_discard": None}),
        400,
        f"Instance {sid} is not a live image. Cannot discard a regular instance.",
    )
    expect(
        folsom.request("DELETE", f"/servers/{bid}"),
        400,
        "Cannot delete a live image. Please discard it instead.",
    )
    expect(
        folsom.action(sid, {"gc_migrate": {"dest": "other"}}),
        400,
        "Cannot migrate to host other because it is not running the gridcentric service.",
    )
    missing = str(uuid.uuid4())
    expect(folsom.action(missing, {"gc_bless": {}}), 400, f"Instance {missing} could not be found.")
    expect(folsom.action(sid, {"co_bless": {}}), 400, "There is no such action: co_bless")


def test_folsom_bless_not_active_wording(simulator_factory):
    sim = simulator_factory(era="folsom", build_time=5)
    server = sim.boot("b", wait=False)
    expect(
        sim.action(server["id"], {"gc_bless": {}}),
        400,
        # stable/folsom head c0ceb7a gridcentric/nova/api.py:304-305
        f"Instance {server['id']} is not active. "
        "Cannot create a live image from a non-active instance.",
    )


def test_folsom_security_groups_inherit(folsom):
    body = {
        "server": {
            "name": "webby",
            "imageRef": "6f3c6e1a-3c0e-4a43-9d1b-6d1f0c0b0a01",
            "flavorRef": "1",
            "security_groups": [{"name": "web"}],
        }
    }
    status, data = folsom.request("POST", "/servers", body)
    assert status == 202
    folsom.wait_status(data["server"]["id"], "ACTIVE")
    status, images = folsom.action(data["server"]["id"], {"gc_bless": {}})
    image = folsom.wait_status(images[0]["id"], "BLESSED")
    inherited = folsom.wait_status(launch(folsom, image["id"])["id"], "ACTIVE")
    assert inherited["security_groups"] == [{"name": "web"}]
    none = folsom.wait_status(launch(folsom, image["id"], {"security_groups": []})["id"], "ACTIVE")
    assert none["security_groups"] == []


def test_folsom_availability_zone_without_hosts(folsom):
    _, image = blessed_image(folsom, "azf")
    expect(
        folsom.action(image["id"], {"gc_launch": {"availability_zone": "mars"}}),
        400,
        "No hosts found",
    )


def test_folsom_export_and_import_errors(folsom):
    _, image = blessed_image(folsom, "fexp")
    status, data = folsom.action(image["id"], {"gc_export": None})
    assert status == 200
    assert set(data) == {
        "fields", "metadata", "security_group_names", "flavor_name", "export_image_id",
    }  # fmt: skip
    bad_flavor = {**data, "flavor_name": "m1.huge"}
    expect(
        folsom.request("POST", "/gc-import-server", {"data": bad_flavor}),
        400,
        "Flavor could not be found: m1.huge",
    )
    bad_group = {**data, "security_group_names": ["ghost"]}
    expect(
        folsom.request("POST", "/gc-import-server", {"data": bad_group}),
        400,
        "Security group could not be found: ghost",
    )
    status, body = folsom.request("POST", "/gc-import-server", {"data": data})
    assert status == 200
    folsom.wait_status(body["server"]["id"], "BLESSED")
    unrouted(folsom.request("POST", "/co-import-server", {"data": data}))


def test_folsom_bless_over_quota(simulator_factory):
    sim = simulator_factory(era="folsom", build_time=0.02, extra_args=["--quota-instances", "1"])
    server = sim.boot("q")
    expect(
        sim.action(server["id"], {"gc_bless": {}}),
        400,
        "Quota exceeded for instances: Requested 1, but already used 1 of 1 instances",
    )
