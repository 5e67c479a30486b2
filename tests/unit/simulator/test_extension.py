"""extension.py: the Gridcentric/Cobalt actions bless, discard, migrate, list_launched,
list_blessed, export and get_policy, per era (texts per /work/shared/gridcentric-api.md §2-§3,
held in eras.py)."""

from __future__ import annotations

import pytest

from gcclient.simulator.eras import FIXED_500, GENERIC_400
from gcclient.simulator.fixtures import PUBLIC_KEY
from gcclient.simulator.store import get_server, insert_server

HTML = "text/html; charset=UTF-8"
FIXED = ("computeFault", 500, FIXED_500)


def bless(api, sid, value=None, key="gc_bless"):
    return api.action(sid, {key: value})


def test_bless_answers_the_new_live_image_as_html(api_factory):
    api = api_factory(build_time=3600.0)
    sid = api.boot("src")
    reply = bless(api, sid, key="co_bless")
    assert reply.status == 200 and reply.response.content_type == HTML
    (view,) = reply.data
    assert (view["name"], view["status"], view["metadata"]) == (
        "src-0",
        "BUILD",
        {"blessed_from": sid},
    )
    assert api.server(sid)["OS-EXT-STS:task_state"] == "blessing"
    api.settle()
    assert api.server(view["id"])["status"] == "BLESSED"
    assert api.server(sid)["OS-EXT-STS:task_state"] is None
    assert api.server(sid)["metadata"] == {"last_clone_num": "0"}
    assert bless(api, sid, {"name": "named"}).data[0]["name"] == "named"


def test_bless_refusals_per_era(api_factory):
    cobalt = api_factory("cobalt")
    sid = cobalt.boot()
    image = cobalt.bless(sid)
    assert bless(cobalt, image).fault == (
        "badRequest",
        400,
        f"Instance {image} is already a live image.",
    )
    cobalt.action(sid, {"os-stop": None})
    assert bless(cobalt, sid).fault == (
        "badRequest",
        400,
        f"Instance {sid} is not active. Cannot create a live image from a non-active instance.",
    )
    assert bless(cobalt, "nope").fault == ("badRequest", 400, "Instance nope could not be found.")
    essex = api_factory("essex")
    src = essex.boot()
    assert bless(essex, essex.bless(src)).fault == FIXED  # the seed's 500 for every refusal
    assert bless(essex, "nope").fault == FIXED


def test_the_seed_refuses_to_bless_a_launched_server(api_factory):
    for era, expected in (("essex", FIXED), ("folsom", None)):
        api = api_factory(era)
        image = api.bless(api.boot())
        child = api.launch(image, {"target": "0"} if era == "essex" else {}).data[0]["id"]
        api.settle()
        reply = bless(api, child)
        assert reply.fault == expected if expected else reply.status == 200


def test_every_attempt_uses_up_a_clone_number(api):
    sid = api.boot("src")
    assert bless(api, sid, "not an object").fault == FIXED
    assert bless(api, sid, {"name": 5}).fault == ("badRequest", 400, GENERIC_400)
    assert bless(api, sid).data[0]["name"] == "src-2"


def test_the_seed_ignores_the_bless_body(api_factory):
    api = api_factory("essex")
    sid = api.boot("src")
    assert bless(api, sid, "anything").data[0]["name"] == "src-0"


def test_bless_reserves_quota_except_in_the_seed(api_factory):
    api = api_factory("folsom", quota_instances=1)
    sid = api.boot()
    assert bless(api, sid).fault == (
        "badRequest",
        400,
        "Quota exceeded for instances: Requested 1, but already used 1 of 1 instances",
    )
    seed = api_factory("essex", quota_instances=1)
    assert bless(seed, seed.boot()).status == 200


def test_lineage_in_system_metadata_and_user_data_per_era(api_factory):
    for era in ("cobalt", "essex"):
        api = api_factory(era)
        sid = api.boot()
        image = api.bless(sid)
        with api.app.store.tx() as conn:
            row = get_server(conn, image)
        system = {"blessed_from": sid} if era == "cobalt" else {}
        assert row["system_metadata"] == system
        assert row["user_data"] == (None if era == "essex" else "")


def test_discard(api_factory):
    api = api_factory(build_time=3600.0)
    sid = api.boot()
    assert api.action(sid, {"gc_discard": None}).fault == (
        "badRequest",
        400,
        f"Instance {sid} is not a live image. Cannot discard a regular instance.",
    )
    image = api.bless(sid)
    child = api.launch(image).data[0]["id"]
    assert api.action(image, {"gc_discard": None}).fault == (
        "badRequest",
        400,
        f"Instance {image} still has launched instances. "
        "Cannot discard an instance with remaining launched ones.",
    )
    api.compute("DELETE", f"/servers/{child}")
    api.settle()
    reply = api.action(image, {"gc_discard": None})
    assert (reply.status, reply.response.body, reply.response.content_type) == (200, b"null", HTML)
    assert api.server(image)["OS-EXT-STS:task_state"] == "deleting"
    assert api.action(image, {"gc_discard": None}).status == 200  # already going: once
    api.settle()
    assert api.compute("GET", f"/servers/{image}").status == 404


def test_a_child_of_another_project_does_not_block_discard(api):
    image = api.bless(api.boot())
    with api.app.store.tx() as conn:
        insert_server(
            conn,
            {
                "id": "x",
                "project_id": "other",
                "user_id": "u",
                "vm_state": "active",
                "created": "c",
                "updated": "c",
                "metadata": {"launched_from": image},
            },
        )
    assert api.action(image, {"gc_discard": None}).status == 200


def test_migrate(api_factory):
    api = api_factory(hosts=["h1", "h2"], build_time=3600.0)
    sid = api.boot()
    host = api.server(sid, user="admin")["OS-EXT-SRV-ATTR:host"]
    other = "h2" if host == "h1" else "h1"
    assert api.action(sid, {"gc_migrate": None}).fault == FIXED
    assert api.action(sid, {"gc_migrate": {"dest": "h9"}}).fault == (
        "badRequest",
        400,
        "Cannot migrate to host h9 because it is not running the cobalt service.",
    )
    assert api.action(sid, {"gc_migrate": {"dest": host}}).fault == (
        "badRequest",
        400,
        "Unable to migrate to the same host.",
    )
    reply = api.action(sid, {"gc_migrate": {}})
    assert (reply.status, reply.response.body, reply.response.content_type) == (200, b"", HTML)
    assert api.server(sid)["status"] == "MIGRATING"
    assert api.action(sid, {"gc_migrate": {}}).fault == (
        "badRequest",
        400,
        f"Unable to migrate instance {sid} because it is already migrating.",
    )
    api.settle()
    assert api.server(sid, user="admin")["OS-EXT-SRV-ATTR:host"] == other
    assert api.server(sid)["status"] == "ACTIVE"


def test_migrate_needs_an_active_server_and_another_host(api_factory):
    api = api_factory(hosts=["h1"])
    sid = api.boot()
    assert api.action(sid, {"gc_migrate": {}}).fault == (
        "badRequest",
        400,
        "There are no available hosts for the migration target.",
    )
    api.action(sid, {"os-stop": None})
    assert api.action(sid, {"gc_migrate": {}}).fault == (
        "badRequest",
        400,
        f"Unable to migrate instance {sid} because it is not active",
    )


def test_the_seeds_migrate(api_factory):
    api = api_factory("essex", hosts=["h1", "h2"], build_time=3600.0)
    sid = api.boot()
    host = api.server(sid, user="admin")["OS-EXT-SRV-ATTR:host"]
    missing = api.action(sid, {"gc_migrate": {}})
    assert (missing.status, missing.response.body, missing.response.content_type) == (
        401,
        b"Invalid destination",
        HTML,
    )
    assert api.action(sid, {"gc_migrate": {"dest": host}}).fault == FIXED
    other = "h2" if host == "h1" else "h1"
    assert api.action(sid, {"gc_migrate": {"dest": other}}).status == 200
    assert api.server(sid)["status"] == "MIGRATING"  # a vm state in the seed
    api.settle()
    assert api.server(sid, user="admin")["OS-EXT-SRV-ATTR:host"] == other


def test_list_blessed_and_launched(api):
    sid = api.boot()
    image = api.bless(sid)
    child = api.launch(image).data[0]["id"]
    blessed = api.action(sid, {"gc_list_blessed": None})
    assert blessed.response.content_type == HTML
    assert [s["id"] for s in blessed.data] == [image]
    assert [s["id"] for s in api.action(image, {"co_list_launched": None}).data] == [child]
    assert api.action(child, {"gc_list_launched": None}).data == []
    assert api.action("nope", {"gc_list_blessed": None}).fault == (
        "badRequest",
        400,
        "Instance nope could not be found.",
    )


def test_lineage_lists_are_per_project_except_for_an_admin(api):
    image = api.bless(api.boot())
    with api.app.store.tx() as conn:
        insert_server(
            conn,
            {
                "id": "x",
                "project_id": "other",
                "user_id": "u",
                "vm_state": "active",
                "created": "c",
                "updated": "c",
                "metadata": {"launched_from": image},
            },
        )
    assert api.action(image, {"gc_list_launched": None}).data == []
    admin = api.action(image, {"gc_list_launched": None}, user="admin")
    assert [s["id"] for s in admin.data] == ["x"]


def test_the_seed_lists_nothing_for_an_unknown_server(api_factory):
    api = api_factory("essex")
    assert api.action("nope", {"gc_list_launched": None}).data == []


def test_export(api_factory):
    for era in ("cobalt", "folsom"):
        api = api_factory(era)
        sid = api.boot()
        assert api.action(sid, {"gc_export": None}).fault == (
            "badRequest",
            400,
            f"Instance {sid} is not a live image. Only live images can be exported.",
        )
        image = api.bless(sid)
        data = api.action(image, {"gc_export": None}).data
        _, project = api.login()
        assert data["flavor_name"] == "m1.tiny" and data["metadata"] == {"blessed_from": sid}
        fields = data["fields"]
        assert (fields["display_name"], fields["memory_mb"], fields["project_id"]) == (
            "vm-0",
            512,
            project,
        )
        assert (fields["key_data"], fields["power_state"], fields["vm_state"]) == (
            None,
            0,
            "blessed",
        )
        if era == "cobalt":
            assert data["system_metadata"] == {
                "blessed_from": sid,
                "instance_type_name": "m1.tiny",
                "instance_type_flavorid": "1",
            }
            assert "security_group_names" not in data
        else:
            assert data["security_group_names"] == ["default"] and "system_metadata" not in data


def test_export_carries_the_public_key_of_a_keyed_image(api):
    body = {
        "server": {
            "name": "k",
            "imageRef": "6f3c6e1a-3c0e-4a43-9d1b-6d1f0c0b0a01",
            "flavorRef": "1",
            "key_name": "mykey",
        }
    }
    sid = api.compute("POST", "/servers", body).data["server"]["id"]
    api.settle()
    data = api.action(api.bless(sid), {"gc_export": None}).data
    assert (data["fields"]["key_name"], data["fields"]["key_data"]) == ("mykey", PUBLIC_KEY)


def test_get_policy(api):
    image = api.bless(api.boot())
    assert api.action(image, {"co_get_policy": None}).fault == (
        "badRequest",
        400,
        f"Instance {image} is not a launched instance. Only launched instances support policies.",
    )
    child = api.launch(image).data[0]["id"]
    empty = api.action(child, {"co_get_policy": None})
    assert (empty.status, empty.data, empty.response.content_type) == (200, [], HTML)
    api.compute("POST", "/copolicy", {"policy_ini_string": "[a]\nb = c\n"})
    assert api.action(child, {"co_get_policy": None}).data == ["[a]", "b = c"]


@pytest.mark.parametrize("key", ["gc_get_policy", "co_export"])
def test_action_keys_outside_the_era_are_unknown(api_factory, key):
    api = api_factory("folsom")
    sid = api.boot()
    assert api.action(sid, {key: None}).fault == (
        "badRequest",
        400,
        f"There is no such action: {key}",
    )
