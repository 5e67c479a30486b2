"""servers.py: server logic shared by nova's API and the extension: quota, placement, IPs,
creation, visibility, the boot body's checks and the server name's rules per era."""

from __future__ import annotations

import time

import pytest

from gcclient.simulator.config import Config
from gcclient.simulator.eras import COBALT, ESSEX, FIXED_500, FOLSOM
from gcclient.simulator.fixtures import IMAGES
from gcclient.simulator.identity import USERS
from gcclient.simulator.responses import ApiError
from gcclient.simulator.servers import NewServer, Servers
from gcclient.simulator.store import Store, insert_image

IMAGE = next(iter(IMAGES))


@pytest.fixture
def conn():
    store = Store(":memory:")
    with store.tx() as connection:
        yield connection
    store.close()


def spec(**changes) -> NewServer:
    fields = {
        "project_id": "p",
        "user_id": "u",
        "name": "vm",
        "image_id": IMAGE,
        "flavor_id": "1",
        "host": "h1",
        **changes,
    }
    return NewServer(**fields)


def error(call, *args, **kwargs) -> tuple[int, str, dict]:
    with pytest.raises(ApiError) as caught:
        call(*args, **kwargs)
    return caught.value.status, caught.value.message, caught.value.headers


def test_quota_errors_per_era_and_status():
    cobalt = Servers(Config(quota_instances=2), COBALT)
    text = "Quota exceeded for instances: Requested 3, but already used 1 of 2 instances"
    assert (cobalt.quota_error(3, 1).status, cobalt.quota_error(3, 1).message) == (413, text)
    assert cobalt.quota_error(3, 1).headers == {"Retry-After": "0"}
    assert cobalt.quota_error(3, 1, 400).headers == {}
    essex = Servers(Config(quota_instances=2), ESSEX)
    assert essex.quota_error(3, 1).message == "Quota exceeded: code=InstanceLimitExceeded"
    assert essex.quota_error(3, 1, 400).message == text


def test_check_quota_counts_live_servers(conn):
    essex = Servers(Config(quota_instances=2), ESSEX)
    essex.create(conn, spec())
    essex.check_quota(conn, "p", 1)
    essex.check_quota(conn, "other", 2)
    assert error(essex.check_quota, conn, "p", 2)[:2] == (
        413,
        "Quota exceeded: code=InstanceLimitExceeded",
    )
    assert error(essex.check_quota, conn, "p", 2, core=True) == (
        413,
        "Quota exceeded for instances: Requested 2, but already used 1 of 2 instances",
        {"Retry-After": "0"},
    )


def test_fail_and_lookup_use_the_eras_status(conn, make_request):
    req_project = "p"
    for era, expected in (
        (COBALT, (400, "Instance x could not be found.")),
        (ESSEX, (500, FIXED_500)),
    ):
        servers = Servers(Config(), era)
        assert (servers.fail("m").status, servers.fail("m", 409).status) == (era.state_status, 409)
        req = make_request()
        req.user, req.project_id = USERS["demo"], req_project
        assert error(servers.lookup, conn, req, "x")[:2] == expected


def test_visibility(conn, make_request):
    servers = Servers(Config(), COBALT)
    made = servers.create(conn, spec(project_id="p"))
    req = make_request()
    req.user, req.project_id = USERS["demo"], "p"
    assert servers.visible(conn, req, made["id"])["id"] == made["id"]
    req.project_id = "q"
    assert servers.visible(conn, req, made["id"]) is None
    req.user = USERS["admin"]
    assert servers.visible(conn, req, made["id"]) is not None
    assert servers.visible(conn, req, "nope") is None


def test_hosts_are_picked_round_robin(conn):
    servers = Servers(Config(hosts=["a", "b"]), COBALT)
    assert [servers.pick_host(conn) for _ in range(3)] == ["a", "b", "a"]
    assert servers.pick_host(conn, ["c"]) == "c"
    assert servers.pick_host(conn, []) is None
    assert Servers(Config(hosts=[]), COBALT).pick_host(conn) is None


def test_ips_are_allocated_in_order_from_10_0_0_2_and_never_twice(conn):
    servers = Servers(Config(), COBALT)
    ips = [servers.allocate_ip(conn) for _ in range(600)]
    assert ips[:3] == ["10.0.0.2", "10.0.0.3", "10.0.0.4"]
    assert len(set(ips)) == 600
    assert not any(ip.endswith((".254", ".255")) for ip in ips)


def test_create_writes_a_building_server_due_after_the_build_time(conn):
    servers = Servers(Config(build_time=5.0), COBALT)
    before = time.time()
    made = servers.create(
        conn, spec(name="n" * 300, allocate_ip=False, due_action="bless", extra={"target": "t"})
    )
    assert made["name"] == "n" * 255
    assert (made["vm_state"], made["ip"], made["due_action"], made["target"]) == (
        "building",
        None,
        "bless",
        "t",
    )
    assert before + 5.0 <= made["due_at"] <= time.time() + 5.0
    assert made["security_groups"] == ["default"] and made["networks"] == ["private"]
    unnamed = servers.create(conn, spec(name=None))
    assert (unnamed["name"], unnamed["ip"]) == (None, "10.0.0.2")


def test_image_is_a_fixture_or_the_projects_export(conn):
    servers = Servers(Config(), COBALT)
    assert servers.image(conn, IMAGE, "p").name == "cirros-0.3"
    insert_image(conn, "exp", "vm-export", "p")
    assert servers.image(conn, "exp", "p").name == "vm-export"
    assert servers.image(conn, "exp", "q") is None


@pytest.mark.parametrize(
    ("era", "name", "message"),
    [
        (COBALT, 5, "Server name is not a string or unicode"),
        (COBALT, "  ", "Server name has a minimum character requirement of 1."),
        (COBALT, "a" * 256, "Server name has more than 255 characters."),
        (FOLSOM, "  ", "Server name is an empty string"),
        (FOLSOM, " " + "a" * 255, "Server name must be less than 256 characters."),
        (ESSEX, None, "Server name is not a string or unicode"),
    ],
)
def test_server_name_rules(era, name, message):
    assert error(Servers(Config(), era).server_name, name)[:2] == (400, message)


def test_server_name_is_stripped():
    assert Servers(Config(), COBALT).server_name(" " + "a" * 255 + " ") == "a" * 255
    assert Servers(Config(), FOLSOM).server_name(" vm ") == "vm"


def boot_body(**server):
    return {"server": {"name": "vm", "imageRef": IMAGE, "flavorRef": "1", **server}}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"server": []}, "Malformed request body"),
        ({"server": {"imageRef": IMAGE, "flavorRef": "1"}}, "Server name is not defined"),
        (boot_body(imageRef=""), "Missing imageRef attribute"),
        (boot_body(imageRef=5), "Invalid imageRef provided."),
        (boot_body(imageRef="nope"), "Can not find requested image"),
        (boot_body(flavorRef=""), "Missing flavorRef attribute"),
        (boot_body(flavorRef="99"), "Invalid flavorRef provided."),
        (boot_body(key_name="other"), "Invalid key_name provided."),
        (boot_body(security_groups="web"), "Malformed request body"),
        (boot_body(security_groups=[{"name": "x"}]), "Security group x not found for project {p}."),
        (boot_body(metadata={"a": 1}), "Invalid metadata"),
        (boot_body(availability_zone="other"), "The requested availability zone is not available"),
        (boot_body(min_count="x"), "Invalid min_count value"),
    ],
)
def test_boot_body_checks(api, body, message):
    _, project = api.login()
    reply = api.compute("POST", "/servers", body)
    assert reply.fault == ("badRequest", 400, message.format(p=project))
    assert api.compute("GET", "/servers").data["servers"] == []


def test_boot_answer_and_count(api):
    _, project = api.login()
    body = boot_body(
        max_count=3,
        min_count="2",
        security_groups=[{"name": "web"}],
        imageRef=f"http://x/images/{IMAGE}/",
        flavorRef="m1.tiny",
        availability_zone="nova:compute-1",
        key_name="mykey",
    )
    reply = api.compute("POST", "/servers", body)
    assert reply.status == 202
    server = reply.data["server"]
    assert set(server) == {"id", "links", "adminPass", "OS-DCF:diskConfig", "security_groups"}
    assert server["security_groups"] == [{"name": "web"}] and len(server["adminPass"]) == 12
    assert reply.response.headers == {
        "Location": f"http://sim.test:1/v2/{project}/servers/{server['id']}"
    }
    listed = api.compute("GET", "/servers/detail").data["servers"]
    assert len(listed) == 3 and {s["key_name"] for s in listed} == {"mykey"}


def test_boot_over_quota_is_413_in_every_era(api_factory):
    api = api_factory("essex", quota_instances=1)
    api.boot()
    reply = api.compute("POST", "/servers", boot_body())
    assert reply.fault == (
        "overLimit",
        413,
        "Quota exceeded for instances: Requested 1, but already used 1 of 1 instances",
    )
    assert reply.response.headers == {"Retry-After": "0"}


def test_boot_refuses_another_projects_lineage(api):
    theirs = api.boot(user="alt")
    reply = api.compute("POST", "/servers", boot_body(metadata={"blessed_from": theirs}))
    assert reply.fault == ("badRequest", 400, f"Instance {theirs} could not be found.")
