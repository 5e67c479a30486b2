"""identity.py: Keystone v3 and v2.0 as the simulator answers them (fixed users, password and
token methods, scope, validation and revocation, catalog), through ``App.handle``."""

from __future__ import annotations

import hashlib

import pytest

from gcclient.simulator.identity import (
    NO_DOMAIN,
    PROJECTS,
    USERS,
    credentials_env,
    stable_id,
)

BASE = "http://sim.test:1"
UNAUTHORIZED = {
    "error": {
        "code": 401,
        "message": "The request you have made requires authentication.",
        "title": "Unauthorized",
    }
}


def password_body(name="demo", password="demo-password", domain=None, scope=None):
    user = {"name": name, "password": password}
    if domain is not False:
        user["domain"] = domain or {"id": "default"}
    auth = {"identity": {"methods": ["password"], "password": {"user": user}}}
    if scope is not None:
        auth["scope"] = scope
    return {"auth": auth}


def test_ids_are_stable_md5s():
    assert stable_id("user", "demo") == hashlib.md5(b"gc-simulator:user:demo").hexdigest()
    assert USERS["demo"].id == stable_id("user", "demo")
    assert PROJECTS["alt"].id == stable_id("project", "alt")
    assert [r["name"] for r in USERS["admin"].roles()] == ["admin", "member", "reader"]
    assert [r["name"] for r in USERS["demo"].roles()] == ["member", "reader"]


def test_credentials_env():
    assert credentials_env(USERS["alt"], "http://h/v3") == {
        "OS_AUTH_URL": "http://h/v3",
        "OS_USERNAME": "alt",
        "OS_PASSWORD": "alt-password",
        "OS_PROJECT_NAME": "alt",
        "OS_USER_DOMAIN_NAME": "Default",
        "OS_PROJECT_DOMAIN_NAME": "Default",
        "OS_REGION_NAME": "RegionOne",
    }


def test_password_token(api):
    reply = api.call("POST", "/v3/auth/tokens", password_body())
    assert reply.status == 201
    token = reply.data["token"]
    assert reply.response.headers["X-Subject-Token"] and len(token["audit_ids"][0]) == 22
    assert token["methods"] == ["password"]
    assert token["user"]["name"] == "demo" and token["project"]["id"] == PROJECTS["demo"].id
    assert token["expires_at"].endswith("Z") and token["is_domain"] is False
    compute = next(s for s in token["catalog"] if s["type"] == "compute")
    assert {e["interface"]: e["url"] for e in compute["endpoints"]} == {
        i: f"{BASE}/v2/{PROJECTS['demo'].id}" for i in ("public", "internal", "admin")
    }
    assert sorted(s["type"] for s in token["catalog"]) == ["compute", "identity", "image"]


def test_user_by_id_and_domain_by_name(api):
    body = password_body(domain={"name": "Default"})
    assert api.call("POST", "/v3/auth/tokens", body).status == 201
    body = password_body(domain=False)
    body["auth"]["identity"]["password"]["user"] = {
        "id": USERS["alt"].id,
        "password": "alt-password",
    }
    assert api.call("POST", "/v3/auth/tokens", body).data["token"]["user"]["name"] == "alt"


@pytest.mark.parametrize(
    "body",
    [
        password_body(password="wrong"),
        password_body(name="nobody"),
        password_body(domain={"id": "other"}),
        password_body(scope={"project": {"name": "alt", "domain": {"id": "default"}}}),
        password_body(scope={"project": {"id": "nope"}}),
        password_body(scope={"domain": {"id": "default"}}),
    ],
)
def test_one_401_for_every_wrong_credential(api, body):
    reply = api.call("POST", "/v3/auth/tokens", body)
    assert (reply.status, reply.data) == (401, UNAUTHORIZED)
    assert reply.response.headers == {"WWW-Authenticate": f'Keystone uri="{BASE}/v3"'}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Expecting to find auth in request body."),
        ({"auth": {"identity": {}}}, "Expecting to find auth in request body."),
        (password_body(domain=False), NO_DOMAIN.format("user")),
        (password_body(scope={"project": {"name": "demo"}}), NO_DOMAIN.format("project")),
    ],
)
def test_bad_requests(api, body, message):
    reply = api.call("POST", "/v3/auth/tokens", body)
    assert (reply.status, reply.data) == (
        400,
        {"error": {"code": 400, "message": message, "title": "Bad Request"}},
    )


def test_token_method_keeps_the_expiry(api):
    first = api.call("POST", "/v3/auth/tokens", password_body())
    old = first.response.headers["X-Subject-Token"]
    body = {"auth": {"identity": {"methods": ["token"], "token": {"id": old}}}}
    renewed = api.call("POST", "/v3/auth/tokens", body)
    assert renewed.status == 201 and renewed.response.headers["X-Subject-Token"] != old
    assert renewed.data["token"]["expires_at"] == first.data["token"]["expires_at"]
    assert renewed.data["token"]["methods"] == ["token"]


@pytest.mark.parametrize(
    ("token_id", "message"),
    [("garbage", "Could not recognize Fernet token"), ("ab" * 20, "Failed to validate token")],
)
def test_token_method_with_a_bad_token_is_a_404(api, token_id, message):
    body = {"auth": {"identity": {"methods": ["token"], "token": {"id": token_id}}}}
    reply = api.call("POST", "/v3/auth/tokens", body)
    assert (reply.status, reply.data) == (
        404,
        {"error": {"code": 404, "message": message, "title": "Not Found"}},
    )


def test_validate_and_revoke(api):
    demo, _ = api.login("demo")
    alt, _ = api.login("alt")
    admin, _ = api.login("admin")
    shown = api.call("GET", "/v3/auth/tokens", token=demo, headers={"X-Subject-Token": demo})
    assert shown.status == 200 and shown.data["token"]["user"]["name"] == "demo"
    assert shown.response.headers["X-Subject-Token"] == demo
    other = api.call("GET", "/v3/auth/tokens", token=alt, headers={"X-Subject-Token": demo})
    assert (other.status, other.data["error"]["message"]) == (
        403,
        "You are not authorized to perform the requested action: identity:validate_token.",
    )
    assert (
        api.call("GET", "/v3/auth/tokens", token=admin, headers={"X-Subject-Token": demo}).status
        == 200
    )
    missing = api.call("GET", "/v3/auth/tokens", token=demo, headers={"X-Subject-Token": "x"})
    assert (missing.status, missing.data["error"]["message"]) == (404, "Could not find token.")
    nobody = api.call("GET", "/v3/auth/tokens", headers={"X-Subject-Token": demo})
    assert (nobody.status, nobody.data, nobody.response.headers) == (401, UNAUTHORIZED, {})
    gone = api.call("DELETE", "/v3/auth/tokens", token=demo, headers={"X-Subject-Token": demo})
    assert (gone.status, gone.response.body, gone.response.content_type) == (204, b"", None)
    assert api.compute("GET", "/servers").status == 401  # the cached token is revoked


def test_an_expired_token_is_not_valid(api_factory):
    api = api_factory(token_ttl=0.0)
    token, project = api.login()
    reply = api.call("GET", f"/v2/{project}/servers", token=token)
    assert reply.status == 401


def test_auth_projects(api):
    token, project = api.login("alt")
    reply = api.call("GET", "/v3/auth/projects", token=token)
    assert reply.status == 200
    assert [(p["id"], p["name"]) for p in reply.data["projects"]] == [(project, "alt")]
    assert reply.data["links"]["self"] == f"{BASE}/v3/auth/projects"
    assert api.call("GET", "/v3/auth/projects").status == 401


def test_versions(api):
    v3 = api.call("GET", "/v3")
    assert (v3.status, v3.data["version"]["id"], v3.data["version"]["status"]) == (
        200,
        "v3.14",
        "stable",
    )
    v2 = api.call("GET", "/v2.0/")
    assert (v2.status, v2.data["version"]["id"]) == (200, "v2.0")


def test_v2_password_and_token(api):
    body = {
        "auth": {
            "passwordCredentials": {"username": "demo", "password": "demo-password"},
            "tenantName": "demo",
        }
    }
    reply = api.call("POST", "/v2.0/tokens", body)
    assert reply.status == 200
    access = reply.data["access"]
    assert access["token"]["tenant"]["id"] == PROJECTS["demo"].id
    assert access["user"]["roles"] == [{"name": "member"}, {"name": "reader"}]
    assert access["metadata"]["is_admin"] == 0
    compute = next(s for s in access["serviceCatalog"] if s["type"] == "compute")
    assert compute["endpoints"][0]["publicURL"] == f"{BASE}/v2/{PROJECTS['demo'].id}"
    again = {"auth": {"token": {"id": access["token"]["id"]}}}
    assert api.call("POST", "/v2/tokens", again).status == 200


@pytest.mark.parametrize(
    "auth",
    [
        {"passwordCredentials": {"username": "demo", "password": "x"}},
        {
            "passwordCredentials": {"username": "demo", "password": "demo-password"},
            "tenantName": "alt",
        },
        {
            "passwordCredentials": {"username": "demo", "password": "demo-password"},
            "tenantId": "nope",
        },
        {"token": {"id": "nope"}},
    ],
)
def test_v2_refusals(api, auth):
    reply = api.call("POST", "/v2.0/tokens", {"auth": auth})
    assert (reply.status, reply.data) == (401, UNAUTHORIZED)
    assert reply.response.headers == {}
    bad = api.call("POST", "/v2.0/tokens", {"auth": "x"})
    assert (bad.status, bad.data["error"]["message"]) == (
        400,
        "Expecting to find auth in request body.",
    )
