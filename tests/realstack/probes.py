"""The differential test's requests: what clients send and what the issue found."""

from __future__ import annotations

from .differential import Probe, password_body


def _server(name: str) -> dict:
    return {"server": {"name": name, "imageRef": "{image}", "flavorRef": "1"}}


PROBES = [
    # identity
    Probe(
        "token: password, project scope",
        "POST",
        "identity",
        "/v3/auth/tokens",
        False,
        lambda s: password_body(s),
    ),
    Probe(
        "token: password, no scope",
        "POST",
        "identity",
        "/v3/auth/tokens",
        False,
        lambda s: password_body(s, scope=None),
    ),
    Probe(
        "token: project name without domain",
        "POST",
        "identity",
        "/v3/auth/tokens",
        False,
        lambda s: password_body(s, scope={"project": {"name": "demo"}}),
    ),
    Probe(
        "token: wrong password",
        "POST",
        "identity",
        "/v3/auth/tokens",
        False,
        lambda s: password_body(s, password="wrong"),
    ),
    Probe(
        "token: token method, bad token",
        "POST",
        "identity",
        "/v3/auth/tokens",
        False,
        {"auth": {"identity": {"methods": ["token"], "token": {"id": "not-a-token"}}}},
    ),
    Probe(
        "token: user name without domain",
        "POST",
        "identity",
        "/v3/auth/tokens",
        False,
        lambda s: {
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {"user": {"name": "demo", "password": s.password}},
                }
            }
        },
    ),
    Probe("GET /v3", "GET", "identity", "/v3", False),
    Probe("GET /v3/auth/projects", "GET", "identity", "/v3/auth/projects"),
    # compute: versions and paths
    Probe("compute root version document", "GET", "compute-root", "/", False),
    Probe("compute path without version", "GET", "compute-root", "/servers"),
    Probe("no token", "GET", "compute", "/servers", False),
    Probe("unrouted path", "GET", "compute", "/no-such-resource"),
    # servers
    Probe("GET /servers", "GET", "compute", "/servers"),
    Probe("GET /servers/detail?limit=1", "GET", "compute", "/servers/detail?limit=1"),
    Probe("GET /servers/{id}", "GET", "compute", "/servers/{server}"),
    Probe("GET /servers/{unknown}", "GET", "compute", "/servers/{unknown}"),
    Probe("GET /servers?name=(", "GET", "compute", "/servers?name=("),
    Probe("GET /servers?all_tenants=1 as member", "GET", "compute", "/servers?all_tenants=1"),
    Probe("POST /servers", "POST", "compute", "/servers", True, _server("diff-created")),
    Probe(
        "POST /servers, 256-character name", "POST", "compute", "/servers", True, _server("n" * 256)
    ),
    Probe(
        "action: unknown",
        "POST",
        "compute",
        "/servers/{server}/action",
        True,
        {"no_such_action": {}},
    ),
    Probe(
        "action: reboot",
        "POST",
        "compute",
        "/servers/{server}/action",
        True,
        {"reboot": {"type": "SOFT"}},
    ),
    Probe(
        "action: os-stop", "POST", "compute", "/servers/{server}/action", True, {"os-stop": None}
    ),
    Probe("admin API as member", "GET", "compute", "/os-hypervisors"),
    Probe("GET /flavors", "GET", "compute", "/flavors"),
    Probe("GET /servers/{unknown}/metadata", "GET", "compute", "/servers/{unknown}/metadata"),
]
