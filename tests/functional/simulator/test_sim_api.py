"""Identity, compute core, project isolation, bad requests: over real HTTP."""

from __future__ import annotations

import http.client
import json
import socket
import time
import urllib.parse

from gcclient.simulator.identity import PROJECTS, USERS
from gcclient.simulator.testing import Simulator, fault


def password_body(user: str, password: str, project: str | None = "demo") -> dict:
    body: dict = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {"name": user, "domain": {"name": "Default"}, "password": password}
                },
            }
        }
    }
    if project:
        body["auth"]["scope"] = {"project": {"name": project, "domain": {"id": "default"}}}
    return body


# ---- identity -------------------------------------------------------------------------


def test_version_documents(simulator):
    status, _, raw = simulator.raw("GET", simulator.url + "/")
    versions = json.loads(raw)["versions"]["values"]
    assert status == 300
    assert {v["id"] for v in versions} == {"v3.14", "v2.0"}
    assert all(v["links"][0]["href"].startswith(simulator.url) for v in versions)
    status, _, raw = simulator.raw("GET", simulator.url + "/v3")
    assert status == 200 and json.loads(raw)["version"]["id"] == "v3.14"
    status, _, raw = simulator.raw("GET", simulator.url + "/v2.0/")
    assert status == 200 and json.loads(raw)["version"]["id"] == "v2.0"
    for path in ("/v2", "/v2/", "/v1.1/"):
        status, _, raw = simulator.raw("GET", simulator.url + path)
        version = json.loads(raw)["version"]
        assert (status, version["id"], version["status"]) == (200, "v2.0", "CURRENT")
        assert version["version"] == "" and version["min_version"] == ""


def test_v3_password_and_token_auth(simulator):
    status, headers, raw = simulator.raw(
        "POST", simulator.url + "/v3/auth/tokens", password_body("demo", "demo-password")
    )
    assert status == 201
    token = json.loads(raw)["token"]
    subject = headers["X-Subject-Token"]
    assert token["project"]["id"] == PROJECTS["demo"].id
    assert token["user"]["id"] == USERS["demo"].id
    assert token["methods"] == ["password"] and token["expires_at"].endswith("Z")
    services = {s["type"]: s for s in token["catalog"]}
    assert set(services) == {"compute", "identity", "image"}
    urls = {e["interface"]: e["url"] for e in services["compute"]["endpoints"]}
    assert urls["public"] == f"{simulator.url}/v2/{PROJECTS['demo'].id}"
    assert set(urls) == {"public", "internal", "admin"}
    body = {
        "auth": {
            "identity": {"methods": ["token"], "token": {"id": subject}},
            "scope": {"project": {"id": PROJECTS["demo"].id}},
        }
    }
    status, headers, raw = simulator.raw("POST", simulator.url + "/v3/auth/tokens", body)
    assert status == 201 and headers["X-Subject-Token"] != subject
    status, _, raw = simulator.raw(
        "GET",
        simulator.url + "/v3/auth/tokens",
        headers={"X-Auth-Token": subject, "X-Subject-Token": subject},
    )
    assert status == 200


def test_wrong_credentials_are_401(simulator):
    for body in (
        password_body("demo", "wrong"),
        password_body("nobody", "x"),
        password_body("demo", "demo-password", project="admin"),
    ):
        status, _, raw = simulator.raw("POST", simulator.url + "/v3/auth/tokens", body)
        assert status == 401
        assert json.loads(raw) == {
            "error": {
                "code": 401,
                "message": "The request you have made requires authentication.",
                "title": "Unauthorized",
            }
        }


def test_v2_tokens(simulator):
    body = {
        "auth": {
            "passwordCredentials": {"username": "alt", "password": "alt-password"},
            "tenantName": "alt",
        }
    }
    status, _, raw = simulator.raw("POST", simulator.url + "/v2.0/tokens", body)
    access = json.loads(raw)["access"]
    assert status == 200
    assert access["token"]["tenant"]["id"] == PROJECTS["alt"].id
    compute = next(s for s in access["serviceCatalog"] if s["type"] == "compute")
    base = compute["endpoints"][0]["publicURL"]
    assert base.endswith(f"/v2/{PROJECTS['alt'].id}")
    path = urllib.parse.urlsplit(base).path
    status, _, raw = simulator.raw(
        "GET", simulator.url + path + "/servers", headers={"X-Auth-Token": access["token"]["id"]}
    )
    assert status == 200
    body["auth"]["passwordCredentials"]["password"] = "nope"
    assert simulator.raw("POST", simulator.url + "/v2.0/tokens", body)[0] == 401


def test_bad_token_and_project_mismatch(simulator):
    demo = PROJECTS["demo"].id
    status, headers, raw = simulator.raw(
        "GET", f"{simulator.url}/v2/{demo}/servers", headers={"X-Auth-Token": "bogus"}
    )
    assert status == 401 and fault(json.loads(raw))[:2] == ("unauthorized", 401)
    assert simulator.raw("GET", f"{simulator.url}/v2/{demo}/servers")[0] == 401
    token, _ = simulator.token("demo")
    status, _, raw = simulator.raw(
        "GET", f"{simulator.url}/v2/{PROJECTS['alt'].id}/servers", headers={"X-Auth-Token": token}
    )
    # nova 2014.1 wsgi.py:966-974 names both projects (2012.x: "Malformed request url")
    message = (
        f"Malformed request URL: URL's project_id '{PROJECTS['alt'].id}' doesn't match "
        f"Context's project_id '{demo}'"
    )
    assert (status, fault(json.loads(raw))) == (400, ("badRequest", 400, message))
    status, _, _ = simulator.raw(
        "GET", f"{simulator.url}/v1.1/{demo}/servers", headers={"X-Auth-Token": token}
    )
    assert status == 200


def test_token_expiry(simulator_factory):
    sim = simulator_factory(extra_args=["--token-ttl", "1"])
    token, base = sim.token("demo")
    assert sim.raw("GET", base + "/servers", headers={"X-Auth-Token": token})[0] == 200
    time.sleep(1.2)
    assert sim.raw("GET", base + "/servers", headers={"X-Auth-Token": token})[0] == 401


# ---- compute core ---------------------------------------------------------------------


def test_server_lifecycle_and_views(simulator):
    status, data = simulator.request(
        "POST",
        "/servers",
        {"server": {"name": "life", "imageRef": "6f3c6e1a-3c0e-4a43-9d1b-6d1f0c0b0a01",
                    "flavorRef": "1", "key_name": "mykey", "metadata": {"a": "b"}}},
    )  # fmt: skip
    assert status == 202 and {"id", "links", "adminPass"} <= set(data["server"])
    sid = data["server"]["id"]
    assert simulator.get(sid)["status"] == "BUILD"
    server = simulator.wait_status(sid, "ACTIVE")
    for key in (
        "id", "name", "status", "tenant_id", "user_id", "metadata", "hostId", "image", "flavor",
        "created", "updated", "addresses", "accessIPv4", "accessIPv6", "key_name",
        "config_drive", "links", "OS-EXT-STS:task_state", "OS-EXT-STS:vm_state",
        "OS-EXT-AZ:availability_zone",
    ):  # fmt: skip
        assert key in server, key
    assert "OS-EXT-SRV-ATTR:host" not in server
    assert server["metadata"] == {"a": "b"} and server["key_name"] == "mykey"
    admin_view = simulator.get(sid, user="admin")
    assert admin_view["OS-EXT-SRV-ATTR:host"].startswith("compute-")
    assert simulator.get(sid, user="alt") is None
    assert simulator.delete(sid) == 204
    assert simulator.get(sid)["OS-EXT-STS:task_state"] == "deleting"
    simulator.wait_gone(sid)
    status, body = simulator.request("DELETE", f"/servers/{sid}")
    assert (status, fault(body)) == (
        404,
        ("itemNotFound", 404, "Instance could not be found"),  # nova 2014.1 servers.py:1198
    )


def test_list_filters_and_pagination(simulator):
    ids = [simulator.boot(f"page-{i}", wait=False)["id"] for i in range(3)]
    status, body = simulator.request("GET", "/servers?name=^page-[0-9]$")
    assert status == 200 and {s["id"] for s in body["servers"]} == set(ids)
    assert set(body["servers"][0]) == {"id", "name", "links"}
    body = simulator.request("GET", "/servers/detail?name=page-&status=BUILD")[1]
    assert {s["id"] for s in body["servers"]} == set(ids)
    assert simulator.request("GET", "/servers/detail?name=page-&status=ERROR")[1]["servers"] == []
    first = simulator.request("GET", "/servers/detail?name=^page-&limit=2")[1]
    assert len(first["servers"]) == 2 and first["servers_links"][0]["rel"] == "next"
    marker = first["servers"][-1]["id"]
    rest = simulator.request("GET", f"/servers/detail?name=^page-&limit=2&marker={marker}")[1]
    assert len(rest["servers"]) == 1
    status, body = simulator.request("GET", "/servers?marker=nope")
    assert status == 400
    assert simulator.request("GET", "/servers/detail", user="alt")[1]["servers"] == [
        s for s in simulator.request("GET", "/servers/detail", user="alt")[1]["servers"]
        if s["tenant_id"] == PROJECTS["alt"].id
    ]  # fmt: skip


def test_boot_validation(simulator):
    image = "6f3c6e1a-3c0e-4a43-9d1b-6d1f0c0b0a01"
    cases = [
        ({"server": {"imageRef": image, "flavorRef": "1"}}, "Server name is not defined"),
        ({"server": {"name": "x", "flavorRef": "1"}}, "Missing imageRef attribute"),
        ({"server": {"name": "x", "imageRef": "nope", "flavorRef": "1"}},
         "Can not find requested image"),
        ({"server": {"name": "x", "imageRef": image}}, "Missing flavorRef attribute"),
        ({"server": {"name": "x", "imageRef": image, "flavorRef": "99"}},
         "Invalid flavorRef provided."),
        ({"server": {"name": "x", "imageRef": image, "flavorRef": "1", "key_name": "k"}},
         "Invalid key_name provided."),
        ({"server": "x"}, "Malformed request body"),
    ]  # fmt: skip
    for body, message in cases:
        status, data = simulator.request("POST", "/servers", body)
        assert (status, fault(data)) == (400, ("badRequest", 400, message))


def test_flavors_images_and_misc(simulator):
    flavors = simulator.request("GET", "/flavors/detail")[1]["flavors"]
    assert [f["name"] for f in flavors][:2] == ["m1.tiny", "m1.small"]
    assert simulator.request("GET", "/flavors/1")[1]["flavor"]["ram"] == 512
    assert simulator.request("GET", "/flavors/99")[0] == 404
    images = simulator.request("GET", "/images/detail")[1]["images"]
    assert "cirros-0.3" in {i["name"] for i in images}
    assert simulator.request("GET", f"/images/{images[0]['id']}")[0] == 200
    assert simulator.request("GET", "/os-keypairs")[1]["keypairs"][0]["keypair"]["name"] == "mykey"
    groups = simulator.request("GET", "/os-security-groups")[1]["security_groups"]
    assert {g["name"] for g in groups} == {"default", "web"}
    token, _ = simulator.token()
    status, _, raw = simulator.raw(
        "GET", simulator.url + "/image/v2/images?name=cirros-0.3", headers={"X-Auth-Token": token}
    )
    assert status == 200 and [i["name"] for i in json.loads(raw)["images"]] == ["cirros-0.3"]


# ---- bad requests -----------------------------------------------------------------------


def raw_exchange(sim: Simulator, request: bytes) -> bytes:
    host, port = urllib.parse.urlsplit(sim.url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(request)
        chunks = []
        while True:
            data = conn.recv(65536)
            if not data:
                break
            chunks.append(data)
        return b"".join(chunks)


def test_bad_requests_get_nova_errors_and_server_keeps_answering(simulator):
    # An unrouted compute path gets webob's 404, as from Nova's routes mapper (Nova 34:
    # tests/realstack/test_differential.py); a path outside every version nova's 300.
    status, body = simulator.request("GET", "/nowhere")
    assert (status, body) == (
        404,
        {
            "message": "The resource could not be found.<br /><br />\n\n\n",
            "code": "404 Not Found",
            "title": "Not Found",
        },
    )
    status, _, raw = simulator.raw("GET", simulator.url + "/totally/unknown")
    assert status == 300 and list(json.loads(raw)) == ["choices"]
    status, body = simulator.request("PATCH", "/servers")
    assert (status, fault(body)[0]) == (405, "badMethod")
    status, body = simulator.request("POST", "/servers", data=b"\xff\xfe garbage")
    assert (status, fault(body)) == (400, ("badRequest", 400, "Malformed request body"))
    huge = b'{"server": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    status, body = simulator.request("POST", "/servers", data=huge)
    assert status == 413 and fault(body)[0] == "overLimit"
    server = simulator.boot("after-bad")
    for body in (
        {"gc_launch": "string"},
        {"gc_launch": {"num_instances": 1.5}},
        {"gc_bless": [1]},
        {"gc_migrate": {"dest": 5}},
        {"gc_launch": {"security_groups": 5}},
        {"gc_launch": {"networks": "x"}},
        {"gc_launch": {"networks": [{"uuid": "not-a-uuid"}]}},
        {"gc_launch": {"networks": [{"uuid": "a8f1c0de-5f4b-4c4e-9f00-000000000001",
                                     "fixed_ip": "999.1.1.1"}]}},
    ):  # fmt: skip
        status, data = simulator.action(server["id"], body)
        assert status in (400, 500) and fault(data)[1] == status
    reply = raw_exchange(simulator, b"GARBAGE\r\n\r\n")
    assert reply.startswith(b"HTTP/1.") and b" 400 " in reply.split(b"\r\n")[0]
    reply = raw_exchange(simulator, b"FROB / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert b" 405 " in reply.split(b"\r\n")[0]
    reply = raw_exchange(simulator, b"POST /v3/auth/tokens HTTP/1.1\r\nContent-Length: abc\r\n\r\n")
    assert b" 400 " in reply.split(b"\r\n")[0]
    assert simulator.get(server["id"])["status"] == "ACTIVE"
    assert "Traceback" not in simulator.stderr()


def test_keep_alive_connection_serves_many_requests(simulator):
    token, base = simulator.token()
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.netloc, timeout=10)
    for _ in range(20):
        conn.request("GET", parts.path + "/servers", headers={"X-Auth-Token": token})
        response = conn.getresponse()
        assert response.status == 200
        json.loads(response.read())
    conn.request(
        "POST", parts.path + "/servers", body=b"{bad", headers={"X-Auth-Token": token,
                                                               "Content-Type": "application/json"}
    )  # fmt: skip
    response = conn.getresponse()
    assert response.status == 400
    response.read()
    conn.request("GET", parts.path + "/flavors", headers={"X-Auth-Token": token})
    assert conn.getresponse().status == 200
    conn.close()


def test_clouds_yaml_written_and_merged(simulator_factory, tmp_path):
    path = tmp_path / "clouds.yaml"
    path.write_text("clouds:\n  other:\n    auth:\n      auth_url: http://x/v3\n")
    sim = simulator_factory(extra_args=["--clouds-yaml", str(path)])
    text = path.read_text()
    assert "  other:\n" in text
    assert "  gc-simulator:\n" in text
    assert f"auth_url: {sim.url}/v3" in text
    for key in ("username: demo", "password: demo-password", "project_name: demo",
                "user_domain_name: Default", "project_domain_name: Default",
                "region_name: RegionOne"):  # fmt: skip
        assert key in text
