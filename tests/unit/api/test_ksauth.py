"""keystoneauth's errors as a real Keystone 30 causes them (tests/realstack/test_auth.py
shows the same against the real service): a bad token in the token method, an
unscoped token, a web server that is no Keystone."""

import pytest
from keystoneauth1 import adapter, session
from keystoneauth1.identity import v3

from gcclient.api import exceptions
from gcclient.api.gcwire import Wire
from gcclient.cli.base import GC_WORDS

AUTH = "http://keystone.test/v3"
TOKENS = f"{AUTH}/auth/tokens"
NOVA = "http://nova.test/v2.1"


def wire_for(plugin):
    sess = session.Session(auth=plugin)
    return Wire(adapter.Adapter(session=sess, service_type="compute"), sleep=lambda s: None)


def keystone_404(message):
    """Keystone 30's answer to the token method with a bad token (keystone/token/
    provider.py raises TokenNotFound; its envelope as the real service sends it)."""
    return {
        "status_code": 404,
        "json": {"error": {"code": 404, "message": message, "title": "Not Found"}},
        "headers": {"Content-Type": "application/json", "x-openstack-request-id": "req-404"},
    }


@pytest.mark.parametrize(
    "message", ["Failed to validate token", "Could not recognize Fernet token"]
)
def test_a_bad_token_says_so_with_keystones_message(requests_mock, message):
    requests_mock.post(TOKENS, **keystone_404(message))
    wire = wire_for(v3.Token(auth_url=AUTH, token="revoked", project_name="demo"))
    with pytest.raises(exceptions.TokenRejected) as err:
        wire.list_servers()
    assert str(err.value) == (
        "The token is expired, revoked or invalid; get a new token. "
        f"Keystone answered '{message}' (HTTP 404) (Request-ID: req-404)"
    )
    assert "get a new --os-token or OS_TOKEN. " in err.value.render(GC_WORDS)
    assert "revoked" not in str(err.value).split("answered")[1]  # the token is not shown


def test_a_404_to_a_password_without_keystones_envelope_is_not_keystone(requests_mock):
    requests_mock.post(TOKENS, status_code=404, text="<html>Not here</html>")
    wire = wire_for(v3.Password(auth_url=AUTH, username="u", password="p", project_name="x"))
    with pytest.raises(exceptions.NotKeystone) as err:
        wire.list_servers()
    assert str(err.value).startswith("The auth URL does not lead to Keystone: ")


def test_a_token_404_from_a_web_server_is_not_keystone(requests_mock):
    requests_mock.post(TOKENS, status_code=404, text="Not Found")
    wire = wire_for(v3.Token(auth_url=AUTH, token="t", project_name="demo"))
    with pytest.raises(exceptions.NotKeystone):
        wire.list_servers()


def unscoped_token():
    return {
        "token": {
            "methods": ["password"],
            "user": {"id": "u1", "name": "demo", "domain": {"id": "default", "name": "Default"}},
            "expires_at": "2099-01-01T00:00:00.000000Z",
            "issued_at": "2026-01-01T00:00:00.000000Z",
        }
    }


def test_an_unscoped_token_hints_that_no_project_was_given(requests_mock):
    """Keystone 30 answers a password login without a scope 201 with a token that
    has no project and no catalog."""
    requests_mock.post(
        TOKENS, status_code=201, json=unscoped_token(), headers={"X-Subject-Token": "tok"}
    )
    wire = wire_for(
        v3.Password(auth_url=AUTH, username="demo", password="p", user_domain_name="Default")
    )
    with pytest.raises(exceptions.NoProjectScope) as err:
        wire.list_servers()
    assert str(err.value) == (
        "No compute endpoint found: The service catalog is empty: the token is scoped to "
        "no project because no project was given (set project_name, or project_id)"
    )
    assert err.value.render(GC_WORDS).endswith(
        "(set --os-project-name or OS_PROJECT_NAME, or --os-project-id)"
    )
    assert err.value.sent is False
    assert [r.url for r in requests_mock.request_history] == [TOKENS]


def test_a_scoped_token_with_an_empty_catalog_has_no_project_hint(requests_mock):
    body = unscoped_token()
    body["token"]["project"] = {"id": "p1", "name": "demo", "domain": {"id": "default"}}
    body["token"]["catalog"] = []
    requests_mock.post(TOKENS, status_code=201, json=body, headers={"X-Subject-Token": "t"})
    wire = wire_for(v3.Password(auth_url=AUTH, username="demo", password="p", project_id="p1"))
    with pytest.raises(exceptions.EndpointNotFound) as err:
        wire.list_servers()
    assert not isinstance(err.value, exceptions.NoProjectScope)
    assert str(err.value) == "No compute endpoint found: The service catalog is empty."


def test_keystones_own_404_to_a_password_is_an_authentication_failure(requests_mock):
    """Keystone's envelope proves the auth URL right: its message is the reason."""
    requests_mock.post(TOKENS, **keystone_404("Could not find project: nope."))
    wire = wire_for(v3.Password(auth_url=AUTH, username="u", password="p", project_id="nope"))
    with pytest.raises(exceptions.NotFound) as err:
        wire.list_servers()
    assert not isinstance(err.value, (exceptions.NotKeystone, exceptions.TokenRejected))
    assert str(err.value).startswith("Authentication failed: Could not find project: nope.")


def test_a_refused_login_ends_with_keystones_status_and_request_id(requests_mock):
    """As nova's and openstack's error lines: what an operator pastes into a ticket."""
    requests_mock.post(
        TOKENS,
        status_code=401,
        json={
            "error": {
                "code": 401,
                "message": "The request you have made requires authentication.",
                "title": "Unauthorized",
            }
        },
        headers={
            "Content-Type": "application/json",
            "x-openstack-request-id": "req-0c1d2e3f-1234-4abc-8def-0123456789ab",
        },
    )
    wire = wire_for(v3.Password(auth_url=AUTH, username="u", password="pw", project_name="x"))
    with pytest.raises(exceptions.Unauthorized) as err:
        wire.list_servers()
    assert str(err.value) == (
        "Authentication failed: The request you have made requires authentication. "
        "(HTTP 401) (Request-ID: req-0c1d2e3f-1234-4abc-8def-0123456789ab)"
    )
