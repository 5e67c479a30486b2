"""Every launch option, the capability gate and name-or-ID, with gc and the Python API run
in this process against the simulator's App (tests/inprocess/insim.py): the requests and
answers are the real wire format, only the socket and the process are left out.

Moved from tests/functional/cli with the same assertions; the era simulators are the
in-process tier's fixtures (tests/inprocess/conftest.py), one per test."""

from __future__ import annotations

import base64
import urllib.parse

import pytest

from gcclient.simulator.fixtures import NETWORK_ID
from tests.functional.gcrun import actions, make_blessed
from tests.inprocess.insim import run_gc as gc

UNKNOWN = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def blessed(cobalt):
    return make_blessed(cobalt, "launch-src")


LISTING = {"gc_list_launched": {}}


def launch_bodies(sim, mark) -> list[object]:
    return [
        body
        for method, path, body in actions(sim.journal_since(mark))
        if method == "POST" and path.endswith("/action")
    ]


def compute_requests(sim, mark) -> list[tuple[str, str, str]]:
    """(method, compute path, query) since the mark."""
    found = []
    for entry in sim.journal_since(mark):
        parts = entry["path"].split("/")
        if len(parts) > 3 and parts[1] in ("v2", "v1.1"):
            found.append((entry["method"], "/" + "/".join(parts[3:]), entry.get("query") or ""))
    return found


# -- every launch option, one at a time, then all together ---------------------------


OPTIONS = [
    (["--name", "web-a"], {"name": "web-a"}),
    (["--num-instances", "2"], {"num_instances": 2}),
    (["--availability-zone", "nova"], {"availability_zone": "nova"}),
    (["--key-name", "mykey"], {"key_name": "mykey"}),
    (
        ["--hint", "group=a", "--hint", "group=b", "--hint", "near=x=y"],
        {"scheduler_hints": {"group": ["a", "b"], "near": "x=y"}},
    ),
    (
        ["--nic", f"net-id={NETWORK_ID},v4-fixed-ip=10.0.0.250"],
        {"networks": [{"uuid": NETWORK_ID, "fixed_ip": "10.0.0.250"}]},
    ),
    (["--nic", f"net-id={NETWORK_ID},v4-fixed-ip="], {"networks": [{"uuid": NETWORK_ID}]}),
    (
        ["--target", "2G", "--params", "a=1", "--params", "a=2", "--params", "flag"],
        {"target": "2GB", "guest": {"a": "2", "flag": ""}},
    ),
]


@pytest.mark.parametrize(("argv", "sent"), OPTIONS, ids=[" ".join(o[0]) for o in OPTIONS])
def test_each_launch_option_is_sent_exactly(cobalt, blessed, argv, sent):
    mark = cobalt.mark()
    result = gc(cobalt, "launch", *argv, blessed["id"], "-f", "json")
    assert result.code == 0, result.err
    expected: list[object] = [{"gc_launch": sent}]
    if sent.get("num_instances", 1) > 1:  # the answer names one: listed before and after
        expected = [LISTING, *expected, LISTING]
    assert launch_bodies(cobalt, mark) == expected
    rows = result.json()
    assert len(rows) == sent.get("num_instances", 1)  # every server the launch made
    assert rows[0]["Name"] == sent.get("name", f"{blessed['name']}-clone")
    launched = cobalt.get(rows[0]["ID"])
    assert launched["metadata"]["launched_from"] == blessed["id"]


def test_user_data_file_is_sent_as_base64(cobalt, blessed, tmp_path):
    data = b"#cloud-config\n\x00\xffbinary"
    path = tmp_path / "user-data"
    path.write_bytes(data)
    mark = cobalt.mark()
    result = gc(cobalt, "launch", "--user-data", str(path), blessed["id"], "-f", "value")
    assert result.code == 0, result.err
    assert launch_bodies(cobalt, mark) == [
        {"gc_launch": {"user_data": base64.b64encode(data).decode()}}
    ]


def test_unreadable_user_data_file_fails_before_sending(cobalt, blessed, tmp_path):
    mark = cobalt.mark()
    missing = str(tmp_path / "nope")
    result = gc(cobalt, "launch", "--user-data", missing, blessed["id"])
    assert result.code == 1
    assert f"Cannot read user data file '{missing}'" in result.err
    assert compute_requests(cobalt, mark) == []


def test_security_groups_warn_on_cobalt_and_are_sent(cobalt, blessed):
    mark = cobalt.mark()
    result = gc(cobalt, "launch", "--security-groups", "default,web", blessed["id"], "-f", "value")
    assert result.code == 0, result.err
    assert "no longer advertises 'security-groups'" in result.err
    assert result.err.startswith("WARNING: ")
    assert launch_bodies(cobalt, mark) == [{"gc_launch": {"security_groups": ["default", "web"]}}]
    assert "WARNING" not in result.out


def test_every_option_at_once(cobalt, blessed, tmp_path):
    path = tmp_path / "ud"
    path.write_text("hello")
    mark = cobalt.mark()
    result = gc(
        cobalt,
        "launch",
        "--target", "512MB",
        "--params", "k=v",
        "--name", "all-options",
        "--num-instances", "1",
        "--user-data", str(path),
        "--security-groups", "default",
        "--availability-zone", "nova",
        "--key-name", "mykey",
        "--hint", "h=1",
        "--nic", f"net-id={NETWORK_ID}",
        blessed["id"],
        "-f", "value", "-c", "Name",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.out == "all-options\n"
    assert launch_bodies(cobalt, mark) == [
        {
            "gc_launch": {
                "target": "512MB",
                "guest": {"k": "v"},
                "name": "all-options",
                "num_instances": 1,
                "user_data": base64.b64encode(b"hello").decode(),
                "security_groups": ["default"],
                "availability_zone": "nova",
                "key_name": "mykey",
                "scheduler_hints": {"h": "1"},
                "networks": [{"uuid": NETWORK_ID}],
            }
        }
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--nic", "v4-fixed-ip=10.0.0.1"], "Invalid nic argument 'v4-fixed-ip=10.0.0.1'"),
        (["--nic", "foo=bar"], "Invalid nic argument 'foo=bar'"),
        (["--hint", "novalue"], "Invalid --hint 'novalue'"),
        (["--num-instances", "0"], "it must be at least 1"),
        (["--security-groups", "a,,b"], "empty group name"),
    ],
)
def test_bad_option_values_fail_before_sending(cobalt, blessed, argv, message):
    mark = cobalt.mark()
    result = gc(cobalt, "launch", *argv, blessed["id"])
    assert result.code == 1
    assert message in result.err
    assert compute_requests(cobalt, mark) == []


def test_server_side_error_is_shown(cobalt, blessed):
    result = gc(cobalt, "launch", "--key-name", "nokey", blessed["id"])
    assert result.code == 1
    assert "Keypair nokey not found for user" in result.err


# -- the Python API ---------------------------------------------------------------------


def api_client(sim):
    from gcclient import Client

    env = sim.env
    return Client(
        auth_url=env["OS_AUTH_URL"],
        username=env["OS_USERNAME"],
        password=env["OS_PASSWORD"],
        project_name=env["OS_PROJECT_NAME"],
        user_domain_name=env["OS_USER_DOMAIN_NAME"],
        project_domain_name=env["OS_PROJECT_DOMAIN_NAME"],
    )


def test_python_api_launch_with_every_option(cobalt, blessed):
    client = api_client(cobalt)
    mark = cobalt.mark()
    servers = client.gridcentric.launch(
        blessed["id"],
        target="1G",
        params={"a": "b"},
        name="api-launch",
        num_instances=2,
        user_data=b"ud",
        security_groups="default,web",
        availability_zone="nova",
        key_name="mykey",
        scheduler_hints={"group": ["x", "y"]},
        networks=[{"uuid": NETWORK_ID, "fixed_ip": "10.0.0.240"}],
    )
    assert [s.name for s in servers] == ["api-launch", "api-launch"]  # both servers made
    assert launch_bodies(cobalt, mark) == [
        LISTING,
        {
            "gc_launch": {
                "target": "1GB",
                "guest": {"a": "b"},
                "name": "api-launch",
                "num_instances": 2,
                "user_data": base64.b64encode(b"ud").decode(),
                "security_groups": ["default", "web"],
                "availability_zone": "nova",
                "key_name": "mykey",
                "scheduler_hints": {"group": ["x", "y"]},
                "networks": [{"uuid": NETWORK_ID, "fixed_ip": "10.0.0.240"}],
            }
        },
        LISTING,
    ]
    assert servers[0].metadata["launched_from"] == blessed["id"]


def test_python_api_launch_by_name_and_from_a_server_object(cobalt, blessed):
    client = api_client(cobalt)
    image = client.gridcentric.get(blessed["name"])
    mark = cobalt.mark()
    (child,) = image.launch(name="api-child")
    assert child.name == "api-child"
    assert launch_bodies(cobalt, mark) == [{"gc_launch": {"name": "api-child"}}]


def test_python_api_capability_gate_on_essex(essex):
    from gcclient.api.exceptions import CapabilityError

    image = make_blessed(essex, "api-essex")
    client = api_client(essex)
    mark = essex.mark()
    with pytest.raises(CapabilityError, match="'launch-name'"):
        client.gridcentric.launch(image["id"], name="x")
    assert [r[:2] for r in compute_requests(essex, mark)] == [("GET", "/gcinfo")]


# -- the capability gate ------------------------------------------------------------------


def test_essex_refuses_launch_name_without_sending(essex):
    image = make_blessed(essex, "essex-src")
    mark = essex.mark()
    result = gc(essex, "launch", "--name", "x", image["id"])
    assert result.code == 1
    assert result.err.strip().endswith(
        "This cloud does not support --name: it does not advertise the 'launch-name' "
        "capability (see 'gc capabilities')"
    )
    requests = compute_requests(essex, mark)
    assert [(m, p) for m, p, _ in requests] == [("GET", "/gcinfo")]
    assert not [r for r in requests if r[0] == "POST"]


@pytest.mark.parametrize(
    ("argv", "option", "capability"),
    [
        (["--num-instances", "2"], "--num-instances", "num-instances"),
        (["--security-groups", "default"], "--security-groups", "security-groups"),
        (["--hint", "a=b"], "--hint", "scheduler-hints"),
        (["--nic", f"net-id={NETWORK_ID}"], "--nic", "launch-nics"),
        (["--availability-zone", "nova"], "--availability-zone", "availability-zone"),
        (["--key-name", "mykey"], "--key-name", "launch-key"),
        (["--user-data", "/dev/null"], "--user-data", "user-data"),
    ],
)
def test_essex_refuses_other_gated_options(essex, argv, option, capability):
    image = make_blessed(essex, "essex-gated")
    mark = essex.mark()
    result = gc(essex, "launch", *argv, image["id"])
    assert result.code == 1
    assert f"does not support {option}: it does not advertise the '{capability}'" in result.err
    assert not [r for r in compute_requests(essex, mark) if r[0] == "POST"]


def test_essex_launch_without_gated_options_is_sent(essex):
    image = make_blessed(essex, "essex-plain")
    mark = essex.mark()
    result = gc(essex, "launch", "--target", "1GB", image["id"], "-f", "value", "-c", "Name")
    assert result.code == 0, result.err
    assert launch_bodies(essex, mark) == [{"gc_launch": {"target": "1GB"}}]
    assert "/gcinfo" not in [p for _, p, _ in compute_requests(essex, mark)]


def test_essex_bless_name_is_refused(essex):
    source = essex.boot("essex-bless")
    mark = essex.mark()
    result = gc(essex, "bless", "--name", "x", source["id"])
    assert result.code == 1
    assert "does not advertise the 'bless-name' capability" in result.err
    assert not [r for r in compute_requests(essex, mark) if r[0] == "POST"]


def test_cobalt_sends_launch_name_after_one_gcinfo(cobalt, blessed):
    mark = cobalt.mark()
    result = gc(cobalt, "launch", "--name", "gated-ok", blessed["id"], "-f", "value", "-c", "Name")
    assert result.code == 0, result.err
    assert result.out == "gated-ok\n"
    requests = compute_requests(cobalt, mark)
    assert [(m, p) for m, p, _ in requests] == [
        ("GET", "/gcinfo"),
        ("POST", f"/servers/{blessed['id']}/action"),
    ]


# -- name or ID -----------------------------------------------------------------------------


def test_a_uuid_is_used_as_it_is(cobalt, blessed):
    mark = cobalt.mark()
    result = gc(cobalt, "launch", blessed["id"], "-f", "value")
    assert result.code == 0, result.err
    assert [(m, p) for m, p, _ in compute_requests(cobalt, mark)] == [
        ("POST", f"/servers/{blessed['id']}/action")
    ]


def test_a_name_costs_one_filtered_query(cobalt):
    image = make_blessed(cobalt, "named source")
    mark = cobalt.mark()
    result = gc(cobalt, "launch", image["name"], "-f", "value", "-c", "Name")
    assert result.code == 0, result.err
    requests = compute_requests(cobalt, mark)
    assert [(m, p) for m, p, _ in requests] == [
        ("GET", "/servers/detail"),
        ("POST", f"/servers/{image['id']}/action"),
    ]
    query = urllib.parse.parse_qs(requests[0][2])
    # limit: the early eras link a next page only when one is named (issue 20).
    assert query == {"name": ["^named\\ source\\-0$"], "limit": ["1000"]}


def test_no_match_and_several_matches_give_the_spec_errors(cobalt):
    cobalt.boot("twin")
    cobalt.boot("twin")
    mark = cobalt.mark()
    result = gc(cobalt, "launch", "no-such-server")
    assert result.code == 1
    assert "No server with a name or ID of 'no-such-server' exists." in result.err
    result = gc(cobalt, "bless", "twin")
    assert result.code == 1
    assert "Multiple server matches found for 'twin', use an ID to be more specific: " in (
        result.err
    )
    assert not [r for r in compute_requests(cobalt, mark) if r[0] == "POST"]
    assert [p for _, p, _ in compute_requests(cobalt, mark)] == ["/servers/detail"] * 2


def test_an_unknown_uuid_is_reported_by_the_server(cobalt):
    result = gc(cobalt, "launch", UNKNOWN)
    assert result.code == 1
    assert f"Instance {UNKNOWN} could not be found." in result.err
