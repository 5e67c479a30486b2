"""The historical clients against gc-simulator: their exact request bodies, the historical answers.

Sources (GitHub gridcentric/cobalt): S6 = icehouse/1.5 9989f67 (``cobalt/nova/api.py``,
``cobalt/nova/osapi/cobalt_extension.py`` = "ext"), S4 = stable/folsom head c0ceb7a
(``gridcentric/nova/api.py``), S1 = seed c80fb8f (``nova/gridcentric/nova/extension/api.py``,
``nova/gridcentric/nova/osapi/gridcentric_extension.py``). Client bodies (gridcentric/cobaltclient):
the 2013 Cobalt extension 0e09957 ``cobalt_python_novaclient_ext/__init__.py`` and the 2013
Gridcentric extension aa6dec6 ``gridcentric_python_novaclient_ext/__init__.py``; nova's own code
at the tags 2012.1, 2012.2 and 2014.1 of openstack/nova.
"""

from __future__ import annotations

import json
import uuid

import pytest

from gcclient.simulator.eras import FIXED_500
from gcclient.simulator.fixtures import KEYPAIR_NAME, NETWORK_ID
from gcclient.simulator.testing import DEFAULT_IMAGE
from tests.functional.gcrun import gc, requests_since
from tests.functional.simulator.historical import (
    COBALT_LAUNCH,
    DEMO,
    GRIDCENTRIC_LAUNCH,
    HTML,
    JSON,
    SEED_LAUNCH,
    action,
    answer,
    fault_answer,
    live_image,
)

# ---- 1. key_name null inherits the live image's key ------------------------------------


@pytest.mark.parametrize(
    ("era", "params"), [("cobalt", COBALT_LAUNCH), ("folsom", GRIDCENTRIC_LAUNCH)]
)
def test_launch_with_key_name_null_inherits_the_live_image_key(request, era, params):
    """S6 api.py:203-205 (called with key_name=None from api.py:537) and S4 api.py:162-164: no
    key given means the live image's key; the 2013 clients send ``"key_name": null``."""
    sim = request.getfixturevalue(era)
    image = live_image(sim, f"key-{era}")
    status, ctype, data, _ = action(sim, image["id"], {"gc_launch": dict(params)})
    assert (status, ctype) == (200, HTML)
    assert isinstance(data, list) and len(data) == 1
    assert data[0]["key_name"] == KEYPAIR_NAME
    assert sim.wait_status(data[0]["id"], "ACTIVE")["key_name"] == KEYPAIR_NAME
    absent = {k: v for k, v in params.items() if k != "key_name"}
    status, ctype, data, _ = action(sim, image["id"], {"gc_launch": absent})
    assert (status, ctype, data[0]["key_name"]) == (200, HTML, KEYPAIR_NAME)
    named = {**params, "key_name": "nokey"}
    assert action(sim, image["id"], {"gc_launch": named}) == fault_answer(
        400, f"Keypair nokey not found for user {DEMO.id}"
    )


def test_gc_launch_sends_no_key_name_and_the_child_keeps_the_key(cobalt):
    """gc's own body leaves key_name out (never null); the answer is the same inheritance."""
    image = live_image(cobalt, "gc-key")
    mark = cobalt.mark()
    result = gc(cobalt, "launch", image["id"])
    assert result.code == 0, result.err
    sent = [(m, p, b) for m, p, b in requests_since(cobalt, mark) if p.endswith("/action")]
    assert sent == [("POST", f"/servers/{image['id']}/action", {"gc_launch": {}})]
    status, _, children, _ = action(cobalt, image["id"], {"gc_list_launched": None})
    assert status == 200 and [c["key_name"] for c in children] == [KEYPAIR_NAME]


# ---- 2. launch checks in the historical order ------------------------------------------


def test_cobalt_launch_errors_come_in_the_historical_order(cobalt):
    """S6: network format (ext:128-131), lookup and live-image check (api.py:471-476), security
    groups (api.py:479-482), num_instances (484-485), network existence and count (499-502),
    forced-host policy (nova 2014.1 compute/api.py:532-533, through api.py:510-513), the keypair
    (api.py:537 -> 207), scheduling (545)."""
    image = live_image(cobalt, "order")
    iid = image["id"]
    unknown_net = str(uuid.uuid4())
    params = {
        **COBALT_LAUNCH,
        "networks": [{"uuid": "not-a-uuid"}],
        "security_groups": ["ghost"],
        "num_instances": 0,
        "availability_zone": "nova:compute-1",
        "key_name": "nokey",
    }
    missing = str(uuid.uuid4())
    # the network format is checked by the extension, before the instance is even looked up
    assert action(cobalt, missing, {"gc_launch": params}) == fault_answer(
        400, "Bad networks format: network uuid is not in proper format (not-a-uuid)"
    )
    steps = [
        (
            {"networks": [{"uuid": unknown_net}]},
            f"Security group ghost not found for project {DEMO.project.id}.",
        ),
        ({"security_groups": None}, "num_instances must be at least 1"),
        ({"num_instances": 2}, f"Network {unknown_net} could not be found."),
        (
            {"networks": [{"uuid": NETWORK_ID}]},
            "Policy doesn't allow compute:create:forced_host to be performed.",
        ),
        ({"availability_zone": None}, f"Keypair nokey not found for user {DEMO.id}"),
        ({"key_name": None, "availability_zone": "elsewhere"}, "No valid host was found. "),
    ]
    for change, message in steps:
        params.update(change)
        assert action(cobalt, iid, {"gc_launch": params}) == fault_answer(400, message), change


def test_folsom_launch_errors_come_in_the_historical_order(folsom):
    """S4 api.py: live-image check (361-365), security groups (368-371), num_instances (375-382),
    quota (383), the keypair in the first copy (398 -> 162-167), then the zone's hosts (407-419)."""
    image = live_image(folsom, "forder")
    params = {
        **GRIDCENTRIC_LAUNCH,
        "security_groups": ["ghost"],
        "num_instances": "2",
        "availability_zone": "elsewhere",
        "key_name": "nokey",
    }
    steps = [
        ({}, f"Security group ghost not found for project {DEMO.project.id}."),
        ({"security_groups": None}, "num_instances must be an integer"),
        ({"num_instances": 1}, f"Keypair nokey not found for user {DEMO.id}"),
        ({"key_name": None}, "No hosts found"),
    ]
    for change, message in steps:
        params.update(change)
        assert action(folsom, image["id"], {"gc_launch": params}) == fault_answer(400, message)


@pytest.mark.parametrize("era", ["cobalt", "folsom"])
def test_num_instances_is_checked_by_python2_range(request, era):
    """S6 api.py:456-465 and S4 api.py:375-382 call ``range(num_instances)``: null is not an
    integer (the key is present, so the default 1 does not apply), False is zero."""
    sim = request.getfixturevalue(era)
    image = live_image(sim, f"num-{era}")
    for value, message in (
        (None, "num_instances must be an integer"),
        (False, "num_instances must be at least 1"),
    ):
        body = {"gc_launch": {"num_instances": value}}
        assert action(sim, image["id"], body) == fault_answer(400, message)
    status, _, data, _ = action(sim, image["id"], {"gc_launch": {"num_instances": True}})
    assert status == 200 and len(data) == 1


# ---- 3. gcinfo is a hand-built webob.Response ------------------------------------------


@pytest.mark.parametrize(
    ("era", "path"), [("cobalt", "/gcinfo"), ("cobalt", "/cobaltinfo"), ("folsom", "/gcinfo")]
)
def test_gcinfo_answers_with_webob_default_content_type(request, era, path):
    """S6 ext:64-67 and S4 gridcentric_extension.py:64-67 build ``webob.Response(body=...)``;
    the client asks ``GET /gcinfo`` (cobaltclient 0e09957 __init__.py:530-532)."""
    sim = request.getfixturevalue(era)
    status, ctype, data, _ = answer(sim, "GET", path)
    assert (status, ctype) == (200, HTML)
    assert set(data) == {"capabilities"} and "launch-key" in data["capabilities"]


# ---- 4. no launch_index in metadata ----------------------------------------------------


@pytest.mark.parametrize(
    ("era", "params"),
    [
        ("cobalt", {**COBALT_LAUNCH, "num_instances": 2}),
        ("folsom", GRIDCENTRIC_LAUNCH),
        ("essex", SEED_LAUNCH),
    ],
)
def test_launched_metadata_is_only_launched_from(request, era, params):
    """launch_index is a column (S6 api.py:239, S4 api.py:193); the metadata holds launched_from
    only (S6 api.py:196-198, S4 api.py:157-158, S1 api.py:111-112)."""
    sim = request.getfixturevalue(era)
    source = sim.boot(f"idx-{era}")
    status, _, data, _ = action(sim, source["id"], {"gc_bless": None})
    image = sim.wait_status(data[0]["id"], "BLESSED")
    status, ctype, data, _ = action(sim, image["id"], {"gc_launch": params})
    assert (status, ctype, data[0]["metadata"]) == (200, HTML, {"launched_from": image["id"]})
    status, ctype, children, _ = action(sim, image["id"], {"gc_list_launched": None})
    assert (status, ctype) == (200, HTML)
    assert [c["metadata"] for c in children] == [{"launched_from": image["id"]}] * len(children)
    assert len(children) == params.get("num_instances", 1)


# ---- 5. unknown security group ---------------------------------------------------------


@pytest.mark.parametrize(
    ("era", "params"), [("cobalt", COBALT_LAUNCH), ("folsom", GRIDCENTRIC_LAUNCH)]
)
def test_unknown_security_group_is_nova_not_found_for_project(request, era, params):
    """nova's SecurityGroupNotFoundForProject (nova 2014.1 exception.py:844-846), raised by
    S6 api.py:482 and S4 api.py:369-371; core nova boot answers the same text."""
    sim = request.getfixturevalue(era)
    image = live_image(sim, f"sg-{era}")
    message = f"Security group ghost not found for project {DEMO.project.id}."
    body = {"gc_launch": {**params, "security_groups": ["ghost"]}}
    assert action(sim, image["id"], body) == fault_answer(400, message)
    boot = {"server": {"name": "sg", "imageRef": DEFAULT_IMAGE, "flavorRef": "1",
                       "security_groups": [{"name": "ghost"}]}}  # fmt: skip
    assert answer(sim, "POST", "/servers", boot) == fault_answer(400, message)


# ---- 6. /gcservers ---------------------------------------------------------------------


def gcservers_body(host: str) -> dict:
    """What python-novaclient's _boot sends to the Gridcentric client's resource_url
    (cobaltclient aa6dec6 gridcentric_python_novaclient_ext/__init__.py:458)."""
    return {
        "server": {
            "name": "pinned",
            "imageRef": DEFAULT_IMAGE,
            "flavorRef": "1",
            "min_count": 1,
            "max_count": 1,
            "metadata": {"gc:target_host": host},
        }
    }


@pytest.mark.parametrize(("era", "service"), [("cobalt", "cobalt"), ("folsom", "gridcentric")])
def test_gcservers_unknown_host_and_answer(request, era, service):
    """S6 api.py:819-821 / S4 api.py:649-651 name their own service; the handler returns nova's
    servers controller create() directly (S6 ext:251-259): 200 (the 202 decorator is not on this
    controller), ``{"server": {id, links, adminPass}}`` and a Location header (nova 2014.1
    servers.py:1008-1015, 489-497), none of the servers resource's extension attributes."""
    sim = request.getfixturevalue(era)
    assert answer(sim, "POST", "/gcservers", gcservers_body("compute-9"), "admin") == fault_answer(
        400, f"Only able to launch on hosts running the {service} service."
    )
    status, headers, raw = sim.request_raw(
        "POST", "/gcservers", gcservers_body("compute-2"), user="admin"
    )
    server = json.loads(raw)["server"]
    assert (status, headers["Content-Type"]) == (200, JSON)
    assert set(server) == {"id", "links", "adminPass"}
    assert headers["Location"] == server["links"][0]["href"]
    assert headers["Location"].endswith(f"/servers/{server['id']}")


# ---- 7. export and import --------------------------------------------------------------


@pytest.mark.parametrize("era", ["cobalt", "folsom"])
def test_export_fields_and_import_image_ref(request, era):
    """The live image is created with ``user_data = new_user_data or ''`` and power state NOSTATE
    (S6 api.py:230, 241; S4 api.py:185, 195), bless passes no user data (S6 api.py:382-383) and
    export copies the instance's own fields (S6 api.py:702-724); import creates the instance from
    the exported fields, image_ref included (S6 api.py:760, S4 api.py:594)."""
    sim = request.getfixturevalue(era)
    image = live_image(sim, f"exp-{era}", user_data="aGk=")
    status, ctype, data, _ = action(sim, image["id"], {"gc_export": None})
    assert (status, ctype) == (200, JSON)
    fields = data["fields"]
    assert fields["user_data"] == ""
    assert fields["power_state"] == sim.get(image["id"])["OS-EXT-STS:power_state"] == 0
    assert fields["image_ref"] == image["image"]["id"] == DEFAULT_IMAGE
    assert data["export_image_id"] != fields["image_ref"]
    status, ctype, created, _ = answer(sim, "POST", "/gc-import-server", {"data": data})
    assert (status, ctype) == (200, JSON)
    imported = sim.wait_status(created["server"]["id"], "BLESSED")
    assert imported["image"]["id"] == DEFAULT_IMAGE


# ---- 8. folsom: one snapshot's texts ---------------------------------------------------


def test_folsom_uses_the_branch_head_texts_for_all_six(folsom, simulator_factory):
    """stable/folsom 3b8c8fd changed the six texts at once; its head c0ceb7a has them all:
    gridcentric/nova/api.py:301 (bless), 304-305 (not active), 333-334 (discard), 364-365
    (launch), 492 (delete), 514-515 (export). Bodies of the 2013 Gridcentric client
    (aa6dec6 __init__.py:414-419)."""
    image = live_image(folsom, "six")
    plain = folsom.boot("six-plain")
    bid, pid = image["id"], plain["id"]
    assert action(folsom, bid, {"gc_bless": {"name": None}}) == fault_answer(
        400, f"Instance {bid} is already a live image."
    )
    assert action(folsom, pid, {"gc_discard": None}) == fault_answer(
        400, f"Instance {pid} is not a live image. Cannot discard a regular instance."
    )
    assert action(folsom, pid, {"gc_launch": GRIDCENTRIC_LAUNCH}) == fault_answer(
        400, f"Instance {pid} is not a live image. Please create a live image to launch from it."
    )
    assert answer(folsom, "DELETE", f"/servers/{bid}") == fault_answer(
        400, "Cannot delete a live image. Please discard it instead."
    )
    assert action(folsom, pid, {"gc_export": None}) == fault_answer(
        400, f"Instance {pid} is not a live image. Only live images can be exported."
    )
    slow = simulator_factory(era="folsom", build_time=60)
    building = slow.boot("six-building", wait=False)["id"]
    assert action(slow, building, {"gc_bless": {"name": None}}) == fault_answer(
        400,
        f"Instance {building} is not active. "
        "Cannot create a live image from a non-active instance.",
    )


# ---- 9. essex gc_migrate ---------------------------------------------------------------


def test_essex_migrate_without_dest_is_401_before_any_lookup(essex):
    """S1 ext:80-83: ``body['gc_migrate']['dest']`` fails for ``{}`` and ``null`` and answers a
    bare ``webob.Response(status_int=401)``: webob's default content type, even for an unknown
    instance (the lookup comes later, S1 api.py:272)."""
    server = essex.boot("m401")
    for sid in (server["id"], str(uuid.uuid4())):
        for value in ({}, None):
            status, ctype, _, text = action(essex, sid, {"gc_migrate": value})
            assert (status, ctype, text) == (401, HTML, "Invalid destination")


def test_essex_migrate_with_null_dest_is_an_unknown_host(essex):
    """``{"dest": null}`` passes S1 ext:81, so the instance lookup (api.py:272) and the host check
    (api.py:274-277) run: exception.Error, the fixed 500. The seed client sends {"dest": dest}
    (c80fb8f nova/novaclient/v1_1/gridcentric.py:134-135)."""
    server = essex.boot("mnull")
    for sid in (server["id"], str(uuid.uuid4())):
        assert action(essex, sid, {"gc_migrate": {"dest": None}}) == fault_answer(500, FIXED_500)


# ---- 10. core nova GET /servers/<unknown> ----------------------------------------------


@pytest.mark.parametrize(
    ("era", "message"),
    [
        ("cobalt", "Instance could not be found"),  # nova 2014.1 servers.py:772-774
        ("folsom", "The resource could not be found."),  # nova 2012.2 servers.py:706-707
        ("essex", "The resource could not be found."),  # nova 2012.1 servers.py:612-613
    ],
)
def test_show_unknown_server_answers_as_that_era_nova(request, era, message):
    """python-novaclient's servers.get() is ``GET /servers/<id>``."""
    sim = request.getfixturevalue(era)
    assert answer(sim, "GET", f"/servers/{uuid.uuid4()}") == fault_answer(404, message)


# ---- 11. cobalt: unknown availability zone ---------------------------------------------


def test_cobalt_unknown_zone_is_no_valid_host_before_any_launch(cobalt):
    """S6 api.py:545 asks the scheduler synchronously; the AvailabilityZoneFilter (or a forced
    host that does not exist) leaves no host, NoValidHost(reason='') (nova 2014.1
    filter_scheduler.py:139-140) becomes 400 through convert_exception (ext:37-43). Nothing is
    launched."""
    for zone, user in (("elsewhere", "demo"), ("nova:compute-9", "admin")):
        image = live_image(cobalt, f"noaz-{user}", user=user)
        body = {"gc_launch": {**COBALT_LAUNCH, "availability_zone": zone}}
        expected = fault_answer(400, "No valid host was found. ")
        assert action(cobalt, image["id"], body, user) == expected
        status, _, children, _ = action(cobalt, image["id"], {"gc_list_launched": None}, user)
        assert (status, children) == (200, [])
