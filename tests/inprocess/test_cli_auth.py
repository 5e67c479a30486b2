"""Authentication variants with gc (in-process): token, v2.0, discovery, admin_token with an
endpoint override, region and interface selection.

In-process tier (tests/inprocess/insim.py): moved from tests/functional/cli with the same
assertions; only the gc runner and the simulator fixtures are the tier's.
"""

import time

import pytest

from tests.functional.gcrun import same_request_ids
from tests.inprocess.insim import run_gc as gc

NO_PASSWORD = {"OS_PASSWORD": "", "OS_USERNAME": ""}


@pytest.fixture(scope="module")
def server(simulator):
    return simulator.boot("auth-target")


def status_with(simulator, *options, env=None):
    result = gc(simulator, *options, "show", "auth-target", "-f", "value", "-c", "status", env=env)
    return result.code, result.out, result.err


def identity_paths(simulator, mark):
    return [
        (e["method"], e["path"]) for e in simulator.journal_since(mark) if "/v2/" not in e["path"]
    ]


def test_token_auth(simulator, server):
    token, _ = simulator.token()
    assert status_with(simulator, env={**NO_PASSWORD, "OS_TOKEN": token}) == (0, "ACTIVE\n", "")
    assert status_with(
        simulator, "--os-auth-type", "token", "--os-token", token, env=NO_PASSWORD
    ) == (0, "ACTIVE\n", "")


def test_v3_url_skips_identity_discovery(simulator, server):
    mark = simulator.mark()
    assert status_with(simulator)[0] == 0
    assert identity_paths(simulator, mark) == [("POST", "/v3/auth/tokens")]


def test_v2_0_auth_url(simulator, server):
    base = simulator.env["OS_AUTH_URL"].rsplit("/v3", 1)[0]
    mark = simulator.mark()
    assert status_with(simulator, "--os-auth-url", f"{base}/v2.0") == (0, "ACTIVE\n", "")
    assert identity_paths(simulator, mark) == [("POST", "/v2.0/tokens")]


def test_unversioned_auth_url_discovers_the_version(simulator, server):
    base = simulator.env["OS_AUTH_URL"].rsplit("/v3", 1)[0]
    mark = simulator.mark()
    assert status_with(simulator, "--os-auth-url", base) == (0, "ACTIVE\n", "")
    assert identity_paths(simulator, mark)[-1] == ("POST", "/v3/auth/tokens")


def test_admin_token_with_an_endpoint_override(simulator, server):
    token, endpoint = simulator.token()
    mark = simulator.mark()
    result = status_with(
        simulator,
        "--os-auth-type",
        "admin_token",
        "--os-token",
        token,
        "--os-endpoint-override",
        endpoint,
        env=NO_PASSWORD,
    )
    assert result == (0, "ACTIVE\n", "")
    assert identity_paths(simulator, mark) == []


def test_admin_token_without_an_endpoint(simulator, server):
    token, _ = simulator.token()
    result = status_with(
        simulator, "--os-auth-type", "admin_token", "--os-token", token, env=NO_PASSWORD
    )
    assert result == (
        1,
        "",
        "ERROR: Missing setting: --os-endpoint or OS_ENDPOINT (or --os-endpoint-override)\n",
    )


def test_unknown_region_has_no_compute_endpoint(simulator, server):
    code, out, err = status_with(simulator, "--os-region-name", "Nowhere")
    assert (code, out) == (1, "")
    assert err.startswith("ERROR: No compute endpoint found")
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize("interface", ["public", "internal", "admin"])
def test_each_interface_of_the_catalog(simulator, server, interface):
    assert status_with(simulator, "--os-interface", interface) == (0, "ACTIVE\n", "")


def test_wrong_service_type(simulator, server):
    code, _, err = status_with(simulator, "--os-compute-service-type", "no-such-service")
    assert code == 1
    assert err.startswith("ERROR: No compute endpoint found")


NO_DOMAINS = {
    "OS_USER_DOMAIN_NAME": "",
    "OS_PROJECT_DOMAIN_NAME": "",
    "OS_USER_DOMAIN_ID": "",
    "OS_PROJECT_DOMAIN_ID": "",
}


def token_requests(simulator, mark):
    return [
        e["body"]["auth"]
        for e in simulator.journal_since(mark)
        if e["method"] == "POST" and e["path"].endswith("/auth/tokens")
    ]


def test_openrc_without_domain_variables_uses_the_default_domain(simulator, server):
    """As osc-lib: a v3 URL, no *_DOMAIN_* variable: user and project in domain 'default'."""
    mark = simulator.mark()
    assert status_with(simulator, env=NO_DOMAINS) == (0, "ACTIVE\n", "")
    (body,) = token_requests(simulator, mark)
    assert body["identity"]["password"]["user"]["domain"] == {"id": "default"}
    assert body["scope"]["project"]["domain"] == {"id": "default"}


def test_os_default_domain_is_the_domain_filled_in(simulator, server):
    mark = simulator.mark()
    result = status_with(simulator, env={**NO_DOMAINS, "OS_DEFAULT_DOMAIN": "elsewhere"})
    assert result[0] == 1
    (body,) = token_requests(simulator, mark)
    assert body["identity"]["password"]["user"]["domain"] == {"id": "elsewhere"}
    assert body["scope"]["project"]["domain"] == {"id": "elsewhere"}


def test_auth_type_password_is_keystoneauths_generic_plugin(simulator, server):
    """--os-auth-type password is honoured: the generic plugin discovers the version and
    takes the default domain, as with openstack."""
    mark = simulator.mark()
    assert status_with(simulator, "--os-auth-type", "password", env=NO_DOMAINS) == (
        0,
        "ACTIVE\n",
        "",
    )
    assert identity_paths(simulator, mark)[:2] == [("GET", "/v3"), ("POST", "/v3/auth/tokens")]
    (body,) = token_requests(simulator, mark)
    assert body["identity"]["password"]["user"]["domain"] == {"id": "default"}


def test_v3totp_passcode_reaches_keystone_with_the_totp_method(simulator, server):
    mark = simulator.mark()
    code, out, err = status_with(
        simulator, "--os-auth-type", "v3totp", "--os-passcode", "123456", env={"OS_PASSWORD": ""}
    )
    assert (code, out) == (1, "")
    assert err.startswith("ERROR: ") and err.count("\n") == 1, err
    (body,) = token_requests(simulator, mark)
    assert body["identity"] == {
        "methods": ["totp"],
        "totp": {
            "user": {
                "name": simulator.env["OS_USERNAME"],
                "domain": {"name": simulator.env["OS_USER_DOMAIN_NAME"]},
                "passcode": "***",  # sent; the journal keeps no passcode (issue 21)
            }
        },
    }


def test_v3totp_passcode_from_its_variable(simulator, server):
    mark = simulator.mark()
    code, _, _ = status_with(
        simulator, env={**NO_PASSWORD, "OS_AUTH_TYPE": "v3totp", "OS_PASSCODE": "654321"}
    )
    assert code == 1
    (body,) = token_requests(simulator, mark)
    # The variable was read (without it: "Missing setting"); the journal redacts it.
    assert body["identity"]["totp"]["user"]["passcode"] == "***"


def test_v3totp_without_a_passcode_is_one_line(simulator, server):
    mark = simulator.mark()
    result = status_with(simulator, "--os-auth-type", "v3totp", env=NO_PASSWORD)
    assert result == (
        1,
        "",
        "ERROR: Missing setting: --os-passcode or OS_PASSCODE (needed by auth type v3totp)\n",
    )
    assert token_requests(simulator, mark) == []


def test_plugin_options_are_not_in_the_usual_help(simulator):
    assert "--os-passcode" not in gc(simulator, "--help").out
    assert "--os-passcode" in gc(simulator, "--os-auth-type", "v3totp", "--help").out


# -- what a real Keystone 30 and Nova 34 answer (tests/realstack shows the same) --------------


@pytest.mark.parametrize(
    ("token", "message"),
    [("0" * 40, "Failed to validate token"), ("not-a-token", "Could not recognize Fernet token")],
    ids=["revoked", "malformed"],
)
def test_a_bad_token_says_so_in_one_line(simulator, server, token, message):
    result = gc(simulator, "show", "auth-target", env={**NO_PASSWORD, "OS_TOKEN": token})
    assert (result.code, result.out) == (1, "")
    assert same_request_ids(result.err) == (
        "ERROR: The token is expired, revoked or invalid; get a new --os-token or OS_TOKEN. "
        f"Keystone answered '{message}' (HTTP 404) (Request-ID: req-...)\n"
    )


def test_an_expired_token_says_so_in_one_line(simulator_factory):
    """An expired OS_TOKEN is refused as a revoked one is: Keystone validates it in the
    ``token`` method and answers 404 "Failed to validate token" (Keystone 30.0.0,
    keystone/token/provider.py:254, ``_is_valid_token``: TokenNotFound when the expiry
    has passed, the same text as for a revoked token, revoke/core.py:143)."""
    sim = simulator_factory(extra_args=["--token-ttl", "0.2"])
    sim.boot("auth-target")
    token, _ = sim.token()
    time.sleep(0.3)
    result = gc(sim, "show", "auth-target", env={**NO_PASSWORD, "OS_TOKEN": token})
    assert (result.code, result.out) == (1, "")
    assert same_request_ids(result.err) == (
        "ERROR: The token is expired, revoked or invalid; get a new --os-token or OS_TOKEN. "
        "Keystone answered 'Failed to validate token' (HTTP 404) (Request-ID: req-...)\n"
    )


@pytest.mark.parametrize("argv", [["list", "--all"], ["show", "auth-target"]])
def test_an_endpoint_without_its_version_names_the_fix(simulator, server, argv):
    """The simulator answers a path outside every version as nova's urlmap does: 300
    with the choices. That was an empty list (exit 0) or "no such server"."""
    root = simulator.env["OS_AUTH_URL"].rsplit("/v3", 1)[0]
    result = gc(simulator, "--os-endpoint-override", root, *argv)
    assert (result.code, result.out) == (1, "")
    path = "/servers/detail"
    assert result.err == (
        f"ERROR: The compute endpoint {root} answered GET {path} with HTTP 300 instead of "
        f"the compute API: the endpoint lacks the API version: add /v2 ({root}/v2)\n"
    )
