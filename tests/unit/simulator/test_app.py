"""app.py: routing, authentication, the URL's project check, transactions and action dispatch
of ``App.handle`` (/work/shared/gridcentric-api.md §2: the URL project, actions)."""

from __future__ import annotations

import pytest

from gcclient.simulator.app import App, Router
from gcclient.simulator.compute import WEBOB_404
from gcclient.simulator.responses import json_response

BASE = "http://sim.test:1"
NOT_ALLOWED = ("badMethod", 405, "The method specified is not allowed for this resource.")


def test_router_matches_the_whole_path_in_order():
    router = Router()
    first = lambda req: json_response(200, 1)  # noqa: E731
    second = lambda req: json_response(200, 2)  # noqa: E731
    router.add("/servers/(?P<server_id>[^/]+)", GET=first)
    router.add("/servers/.*", GET=second)
    assert router.match("/servers/abc") == ({"GET": first}, {"server_id": "abc"})
    assert router.match("/servers/a/b") == ({"GET": second}, {})
    assert router.match("/servers") is None
    assert router.match("/x/servers/abc") is None


def test_is_identity():
    assert App.is_identity("/") and App.is_identity("/v3/x") and App.is_identity("/v2.0")
    assert App.is_identity("/v2/tokens")
    assert not App.is_identity("/v2/p/servers") and not App.is_identity("/image")


def test_root_lists_identity_and_compute_versions(api):
    reply = api.call("GET", "/")
    assert reply.status == 300
    values = reply.data["versions"]["values"]
    assert [(v["id"], v["status"]) for v in values] == [("v3.14", "stable"), ("v2.0", "SUPPORTED")]
    assert [m["type"] for m in values[1]["media-types"]] == [
        "application/vnd.openstack.identity-v2.0+json",
        "application/vnd.openstack.compute+json;version=2",
    ]


def test_public_routes_need_no_token(api):
    assert api.call("GET", "/v2").data["version"]["links"][0]["href"] == f"{BASE}/v2/"
    assert api.call("GET", f"/v1.1/{'a' * 32}/").status == 200
    image = api.call("GET", "/image")
    assert (image.status, image.data["versions"][0]["id"]) == (300, "v2.9")


def test_wrong_method_on_a_public_route_is_405(api):
    assert api.call("DELETE", "/v3").fault == NOT_ALLOWED


def test_head_is_answered_by_get(api):
    assert api.call("HEAD", "/v3").status == 200
    assert api.compute("HEAD", "/flavors").status == 200


def test_unknown_identity_path_is_404_and_other_paths_get_choices(api):
    assert api.call("GET", "/v3/users").fault == (
        "itemNotFound",
        404,
        "The resource could not be found.",
    )
    reply = api.call("GET", "/servers")
    assert (reply.status, reply.data["choices"][0]["links"]) == (
        300,
        [{"rel": "self", "href": f"{BASE}/v2/servers"}],
    )


@pytest.mark.parametrize("token", [None, "", "not-a-token"])
def test_compute_without_a_valid_token_is_401_naming_keystone(api, token):
    _, project = api.login()
    reply = api.call("GET", f"/v2/{project}/servers", token=token)
    assert reply.fault == (
        "unauthorized",
        401,
        "The request you have made requires authentication.",
    )
    assert reply.response.headers == {"WWW-Authenticate": f'Keystone uri="{BASE}/v3"'}


@pytest.mark.parametrize(
    ("era", "message"),
    [
        (
            "cobalt",
            "Malformed request URL: URL's project_id 'other' doesn't match Context's "
            "project_id '{project}'",
        ),
        ("folsom", "Malformed request url"),
    ],
)
def test_the_url_project_must_be_the_tokens(api_factory, era, message):
    api = api_factory(era)
    token, project = api.login()
    reply = api.call("GET", "/v2/other/servers", token=token)
    assert reply.fault == ("badRequest", 400, message.format(project=project))


def test_a_compute_route_miss_is_webobs_404(api):
    reply = api.compute("GET", "/nothing/here")
    assert (reply.status, reply.data) == (
        404,
        {"message": WEBOB_404, "code": "404 Not Found", "title": "Not Found"},
    )
    assert api.compute("PUT", "/servers").fault == NOT_ALLOWED


def test_v1_1_prefix_is_served_and_named_in_links(api):
    token, project = api.login()
    reply = api.call("GET", f"/v1.1/{project}/flavors", token=token)
    assert reply.data["flavors"][0]["links"][0]["href"] == f"{BASE}/v1.1/{project}/flavors/1"


def test_each_request_applies_due_transitions_first(api):
    sid = api.boot(settle=False)
    assert api.server(sid)["status"] == "ACTIVE"  # build time 0: due by the next request


def test_a_later_response_is_run_after_the_transaction(api):
    api.boot("web-1")
    api.boot("db-1")
    reply = api.compute("GET", "/servers", query={"name": ["web"]})
    assert [s["name"] for s in reply.data["servers"]] == ["web-1"]


def test_image_api(api):
    token, _ = api.login()
    listed = api.call("GET", "/image/v2/images", token=token)
    assert listed.status == 200 and len(listed.data["images"]) == 3
    image_id = listed.data["images"][0]["id"]
    assert api.call("GET", f"/image/v2/images/{image_id}", token=token).data["id"] == image_id
    assert api.call("GET", "/image/v2/schemas", token=token).status == 404
    assert api.call("POST", "/image/v2/images", {}, token=token).fault == NOT_ALLOWED
    assert api.call("GET", "/image/v2/images").status == 401


def test_actions_are_dispatched_by_key(api_factory):
    api = api_factory("folsom")
    sid = api.boot()
    assert api.action(sid, {"reboot": {"type": "SOFT"}}).status == 202
    assert api.action(sid, {"co_bless": None}).fault == (
        "badRequest",
        400,
        "There is no such action: co_bless",
    )
    assert api.action(sid, {"resize": {}}).fault == (
        "badRequest",
        400,
        "There is no such action: resize",
    )
    reply = api.action(sid, {"gc_bless": None})
    assert reply.status == 200 and reply.data[0]["metadata"] == {"blessed_from": sid}


def test_era_resources_are_routed_by_era(api_factory):
    essex = api_factory("essex")
    assert essex.compute("GET", "/gcinfo").status == 404
    cobalt = api_factory("cobalt")
    for path in ("/gcinfo", "/cobaltinfo"):
        assert cobalt.compute("GET", path).data == {
            "capabilities": list(cobalt.app.era.capabilities or ())
        }
