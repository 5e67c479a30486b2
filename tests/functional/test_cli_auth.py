"""Authentication variants with the real gc: token, v2.0, discovery, admin_token with an
endpoint override, region and interface selection."""

import pytest

from tests.functional.gcrun import gc

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
