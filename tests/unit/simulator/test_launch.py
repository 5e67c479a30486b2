"""launch.py: the launch action's checks in the historical order and with the historical
answers per era (module docstring: cobalt icehouse/1.5, gridcentric stable/folsom, the seed),
through ``App.handle``."""

from __future__ import annotations

import pytest

from gcclient.simulator.eras import FIXED_500, GENERIC_400
from gcclient.simulator.fixtures import NETWORK_ID
from gcclient.simulator.identity import USERS
from gcclient.simulator.launch import uuid_like, valid_ip
from gcclient.simulator.store import get_server

HTML = "text/html; charset=UTF-8"
FIXED = ("computeFault", 500, FIXED_500)
GENERIC = ("badRequest", 400, GENERIC_400)
UUID = "0b5a4c3e-1d2f-4a6b-8c7d-9e0f1a2b3c4d"


def bad(message: str) -> tuple[str, int, str]:
    return ("badRequest", 400, message)


def test_uuid_like_is_the_canonical_form_only():
    assert uuid_like(UUID)
    assert not uuid_like(UUID.upper()) and not uuid_like(UUID.replace("-", ""))
    assert not uuid_like("x") and not uuid_like(5) and not uuid_like(None)


@pytest.mark.parametrize("value", ["10.0.0.5", "10.1", "::1", "fe80::1"])
def test_valid_ip(value):
    assert valid_ip(value)


@pytest.mark.parametrize("value", ["", "10.0.0.256", "x", "1.2.3.4\x00", 5, None, ["1.2.3.4"]])
def test_invalid_ip(value):
    assert not valid_ip(value)


@pytest.fixture
def image(api):
    return api.bless(api.boot("src"))


def children(api, user="demo"):
    return [
        s
        for s in api.compute("GET", "/servers/detail", user=user).data["servers"]
        if (s["metadata"] or {}).get("launched_from")
    ]


def test_launch_answers_the_first_copy_as_html(api_factory):
    api = api_factory(build_time=3600.0)
    image = api.bless(api.boot("src"))
    reply = api.launch(image, {"num_instances": 2})
    assert reply.status == 200 and reply.response.content_type == HTML
    (view,) = reply.data
    assert (view["name"], view["metadata"], view["status"]) == (
        "src-0-clone",
        {"launched_from": image},
        "BUILD",
    )
    made = children(api)
    assert len(made) == 2 and made[1]["OS-EXT-STS:task_state"] == "scheduling"
    api.settle()
    assert {s["status"] for s in children(api)} == {"ACTIVE"}


def test_launch_from_what_is_not_a_live_image(api):
    sid = api.boot()
    assert api.launch(sid).fault == bad(
        f"Instance {sid} is not a live image. Please create a live image to launch from it."
    )
    assert api.launch("nope").fault == bad("Instance nope could not be found.")


def test_launch_from_an_image_being_discarded(api_factory):
    api = api_factory(build_time=3600.0)
    sid = api.boot()
    api.settle()
    image = api.bless(sid)
    api.action(image, {"gc_discard": None})
    assert api.launch(image).fault[2].startswith(f"Instance {image} is not a live image.")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (None, FIXED),  # cobalt reads value.get('networks') first
        ("x", FIXED),
        ({"networks": 5}, GENERIC),
        ({"networks": ["x"]}, FIXED),
        (
            {"networks": [{"port": "p"}]},
            bad("Bad port format: port uuid is not in proper format (p)"),
        ),
        ({"networks": [{}]}, bad("Bad network format: missing 'uuid'")),
        ({"networks": [{"uuid": 5}]}, FIXED),
        (
            {"networks": [{"uuid": "n"}]},
            bad("Bad networks format: network uuid is not in proper format (n)"),
        ),
        (
            {"networks": [{"uuid": NETWORK_ID, "fixed_ip": "1.2.3.999"}]},
            bad("Invalid fixed IP address (1.2.3.999)"),
        ),
        ({"networks": None}, GENERIC),  # len(None) in validate_networks
        ({"networks": [{"port": UUID}]}, bad(f"Port id {UUID} could not be found.")),
        (
            {"networks": [{"uuid": NETWORK_ID}, {"uuid": NETWORK_ID}]},
            bad(f"Network {NETWORK_ID} is duplicated."),
        ),
        ({"networks": [{"uuid": UUID}]}, bad(f"Network {UUID} could not be found.")),
        (
            {"networks": []},
            bad(
                "All networks need to be specified for the new instance. "
                "Expected 1 but only 0 specified."
            ),
        ),
    ],
)
def test_cobalt_network_checks(api, image, params, expected):
    reply = api.action(image, {"gc_launch": params})
    assert reply.fault == expected
    assert children(api) == []


def test_a_fixed_ip_goes_to_the_first_copy(api, image):
    params = {"networks": [{"uuid": NETWORK_ID, "fixed_ip": "10.9.9.9"}], "num_instances": 2}
    assert api.launch(image, params).status == 200
    api.settle()
    ips = sorted(s["addresses"]["private"][0]["addr"] for s in children(api))
    assert ips[1] == "10.9.9.9" and ips[0] != "10.9.9.9"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"security_groups": 5}, GENERIC),
        ({"security_groups": "web"}, bad("Security group w not found for project {p}.")),
        ({"security_groups": [["web"]]}, FIXED),
        ({"security_groups": ["db"]}, bad("Security group db not found for project {p}.")),
        ({"num_instances": "2"}, bad("num_instances must be an integer")),
        ({"num_instances": 1.0}, bad("num_instances must be an integer")),
        ({"num_instances": 0}, bad("num_instances must be at least 1")),
        ({"num_instances": False}, bad("num_instances must be at least 1")),
        ({"availability_zone": 5}, GENERIC),
        ({"availability_zone": ["a:b"]}, FIXED),
        ({"availability_zone": ["nova"]}, FIXED),  # raised once the first copy is built
        (
            {"availability_zone": "nova:compute-1"},
            bad("Policy doesn't allow compute:create:forced_host to be performed."),
        ),
        (
            {"availability_zone": "a:b:c:d"},
            bad("Invalid input received: Unable to parse availability_zone"),
        ),
        ({"availability_zone": "other"}, bad("No valid host was found. ")),
        ({"key_name": "other"}, bad("Keypair other not found for user {u}")),
        ({"key_name": ["mykey"]}, FIXED),
        ({"name": None}, GENERIC),
        ({"user_data": {"a": 1}}, FIXED),
        ({"scheduler_hints": "x"}, FIXED),
    ],
)
def test_cobalt_parameter_checks(api, image, params, expected):
    _, project = api.login()
    name, code, message = expected
    expected = (name, code, message.format(p=project, u=USERS["demo"].id))
    assert api.launch(image, params).fault == expected
    assert children(api) == []


def test_cobalt_defaults_and_accepted_values(api, image):
    params = {
        "security_groups": ["default", "web"],
        "num_instances": True,
        "name": "n",
        "key_name": "mykey",
        "user_data": "ud",
        "scheduler_hints": {"a": "b"},
        "availability_zone": "nova",
    }
    assert api.launch(image, params).status == 200
    (child,) = children(api)
    assert (child["name"], child["key_name"]) == ("n", "mykey")
    assert child["security_groups"] == [{"name": "default"}, {"name": "web"}]
    assert api.launch(image, {"security_groups": []}).status == 200
    assert children(api)[0]["security_groups"] == [{"name": "default"}]


def test_an_admin_may_force_a_host(api_factory):
    api = api_factory(hosts=["h1", "h2"])
    image = api.bless(api.boot(user="admin"), user="admin")
    assert (
        api.launch(image, {"availability_zone": "nova:h2", "num_instances": 2}, user="admin").status
        == 200
    )
    hosts = {s["OS-EXT-SRV-ATTR:host"] for s in children(api, user="admin")}
    assert hosts == {"h2"}  # cobalt: every copy in the zone, not only the first
    assert api.launch(image, {"availability_zone": "nova:h9"}, user="admin").fault == bad(
        "No valid host was found. "
    )


def test_launch_over_quota_is_413(api_factory):
    api = api_factory(quota_instances=3)
    image = api.bless(api.boot())
    reply = api.launch(image, {"num_instances": 2})
    assert reply.fault == (
        "overLimit",
        413,
        "Quota exceeded for instances: Requested 2, but already used 2 of 3 instances",
    )
    assert reply.response.headers == {"Retry-After": "0"}


def test_copies_of_an_unready_image_fail(api_factory):
    api = api_factory(build_time=3600.0)
    sid = api.boot()
    image = api.bless(sid, settle=False)
    assert api.launch(image).status == 200
    api.settle()
    (child,) = children(api)
    assert child["status"] == "ERROR"
    assert (child["fault"]["code"], child["fault"]["message"]) == (500, "Live image is not ready.")


# ---- GC-Folsom ---------------------------------------------------------------------------


@pytest.fixture
def folsom(api_factory):
    api = api_factory("folsom")
    return api, api.bless(api.boot("src"))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ([1], GENERIC),
        ("x", FIXED),
        (None, FIXED),
        ({"availability_zone": "other"}, bad("No hosts found")),
        ({"availability_zone": ["nova"]}, bad("No hosts found")),
        ({"availability_zone": 5}, GENERIC),
        ({"availability_zone": "a:b:c"}, bad("Invalid availability zone")),
        ({"availability_zone": "nova:h9"}, bad("No hosts found")),
        ({"key_name": "other"}, bad("Keypair other not found for user {u}")),
    ],
)
def test_folsom_checks(folsom, params, expected):
    api, image = folsom
    name, code, message = expected
    assert api.action(image, {"gc_launch": params}).fault == (
        name,
        code,
        message.format(u=USERS["demo"].id),
    )


def test_folsom_inherits_groups_and_zone_only_for_the_first(api_factory):
    api = api_factory("folsom", hosts=["h1", "h2"])
    body = {
        "server": {
            "name": "s",
            "imageRef": "6f3c6e1a-3c0e-4a43-9d1b-6d1f0c0b0a01",
            "flavorRef": "1",
            "security_groups": [{"name": "web"}],
        }
    }
    sid = api.compute("POST", "/servers", body, user="admin").data["server"]["id"]
    api.settle()
    image = api.bless(sid, user="admin")
    params = {"availability_zone": "nova:h2", "num_instances": 3}
    assert api.launch(image, params, user="admin").status == 200
    made = children(api, user="admin")
    assert {g["name"] for s in made for g in s["security_groups"]} == {"web"}
    # Placement is round robin: the source took h1; the first copy (listed last) its forced
    # h2, the next ones any host of the zone in turn (h1, h2), not the forced one.
    assert [s["OS-EXT-SRV-ATTR:host"] for s in made[::-1]] == ["h2", "h1", "h2"]


# ---- the seed ----------------------------------------------------------------------------


def test_the_seed_reads_only_target_and_guest(api_factory):
    api = api_factory("essex")
    image = api.bless(api.boot("src"))
    params = {
        "target": 5,
        "guest": {"g": 1},
        "name": None,
        "num_instances": "x",
        "key_name": "other",
    }
    reply = api.launch(image, params)
    assert reply.status == 200 and reply.data[0]["name"] == "src-0-clone"
    with api.app.store.tx() as conn:
        row = get_server(conn, reply.data[0]["id"])
    assert (row["target"], row["guest"]) == ("5", {"g": 1})
    assert api.launch(image, "x").fault == FIXED
    assert api.launch("nope").fault == FIXED


def test_the_seed_checks_quota_before_the_live_image(api_factory):
    api = api_factory("essex", quota_instances=1)
    sid = api.boot()
    assert api.launch(sid).fault == (
        "overLimit",
        413,
        "Quota exceeded: code=InstanceLimitExceeded",
    )


def test_the_seed_without_hosts_answers_and_the_copy_fails(api_factory):
    api = api_factory("essex", hosts=[])
    image = api.bless(api.boot())
    assert api.launch(image).status == 200
    api.settle()
    (child,) = children(api)
    assert (child["status"], child["fault"]["message"]) == ("ERROR", "No valid host was found. ")
