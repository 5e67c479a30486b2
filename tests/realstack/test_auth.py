"""Logging in to a real Keystone 30: passwords, domains, application credentials, tokens."""

from __future__ import annotations

import pytest

from .checks import names, one_error, same_request_ids
from .rest import gc

pytestmark = pytest.mark.usefixtures("rest")

NO_DOMAINS = {"OS_USER_DOMAIN_NAME": None, "OS_PROJECT_DOMAIN_NAME": None}
NO_PASSWORD = {"OS_USERNAME": None, "OS_PASSWORD": None, "OS_USER_DOMAIN_NAME": None}


@pytest.fixture(scope="module")
def marker(rest):
    """One server in the demo project, one in the second domain's: who sees which says
    which project a login was scoped to."""
    demo = rest.boot("auth-demo-marker")
    dom2 = rest.boot("auth-dom2-marker", who="dom2")
    yield
    rest.delete(demo["id"])
    rest.delete(dom2["id"], who="dom2")


def test_password_with_domain_variables(stack, marker):
    assert names(gc(stack, "list", "--all", "-f", "json")) == ["auth-demo-marker"]


def test_password_without_domain_variables_uses_the_default_domain(stack, marker):
    result = gc(stack, "list", "--all", "-f", "json", env=NO_DOMAINS)
    assert names(result) == ["auth-demo-marker"]


def test_user_in_a_second_domain(stack, marker):
    """dom2 has its own user "demo" and project "demo", with another password."""
    result = gc(stack, "list", "--all", "-f", "json", who="dom2")
    assert names(result) == ["auth-dom2-marker"]


def test_second_domain_user_without_domain_variables_is_refused(stack, marker):
    """Without the domains, "demo" is Default's demo, whose password this is not."""
    result = gc(stack, "list", "--all", who="dom2", env=NO_DOMAINS)
    line = one_error(result)
    assert line.startswith("ERROR: Authentication failed: The request you have made requires")
    assert "(HTTP 401)" in line


def test_wrong_password(stack):
    line = one_error(gc(stack, "list", env={"OS_PASSWORD": "not-the-password"}))
    assert "Authentication failed" in line and "(HTTP 401)" in line
    assert "not-the-password" not in line


def test_password_without_project_says_no_project_was_given(stack):
    line = one_error(gc(stack, "list", env={"OS_PROJECT_NAME": None}))
    assert "project" in line.lower(), line
    assert "OS_PROJECT_NAME" in line or "--os-project-name" in line, line


def _app_cred(stack, role: str, by_name: bool) -> dict[str, str | None]:
    cred = stack["app_creds"][role]
    env: dict[str, str | None] = {
        **NO_PASSWORD,
        "OS_PROJECT_NAME": None,
        "OS_PROJECT_DOMAIN_NAME": None,
        "OS_AUTH_TYPE": "v3applicationcredential",
        "OS_APPLICATION_CREDENTIAL_SECRET": cred["secret"],
    }
    if by_name:
        env.update(
            OS_APPLICATION_CREDENTIAL_NAME=cred["name"],
            OS_USERNAME="demo",
            OS_USER_DOMAIN_NAME="Default",
        )
    else:
        env["OS_APPLICATION_CREDENTIAL_ID"] = cred["id"]
    return env


@pytest.mark.parametrize("by_name", [False, True], ids=["by-id", "by-name-and-user"])
def test_application_credential(stack, marker, by_name):
    result = gc(stack, "list", "--all", "-f", "json", env=_app_cred(stack, "member", by_name))
    assert names(result) == ["auth-demo-marker"]


def test_reader_application_credential_lists_but_cannot_boot(stack, rest, marker):
    """Keystone 30 / Nova 34 enforce the new defaults: a reader may not create."""
    env = _app_cred(stack, "reader", by_name=False)
    assert names(gc(stack, "list", "--all", "-f", "json", env=env)) == ["auth-demo-marker"]
    result = gc(stack, "boot", "--image", "cirros-0.3", "--flavor", "m1.tiny", "ro", env=env)
    line = one_error(result)
    assert "Policy doesn't allow os_compute_api:servers:create to be performed." in line
    assert "ro" not in [s["name"] for s in rest.servers()]


def _token_env(token: str) -> dict[str, str | None]:
    return {**NO_PASSWORD, "OS_TOKEN": token}


def test_valid_token(stack, rest, marker):
    result = gc(stack, "list", "--all", "-f", "json", env=_token_env(rest.issue()))
    assert names(result) == ["auth-demo-marker"]


def test_revoked_token_says_so(stack, rest):
    token = rest.issue()
    rest.revoke(token)
    line = one_error(gc(stack, "list", env=_token_env(token)))
    assert same_request_ids(line) == (
        "ERROR: The token is expired, revoked or invalid; get a new --os-token or OS_TOKEN. "
        "Keystone answered 'Failed to validate token' (HTTP 404) (Request-ID: req-...)"
    )


def test_malformed_token_says_so(stack):
    line = one_error(gc(stack, "list", env=_token_env("not-a-fernet-token")))
    assert same_request_ids(line) == (
        "ERROR: The token is expired, revoked or invalid; get a new --os-token or OS_TOKEN. "
        "Keystone answered 'Could not recognize Fernet token' (HTTP 404) (Request-ID: req-...)"
    )
