"""gcclient.session.settings: choosing the auth type and the plugin's options."""

import pytest

from gcclient.api import exceptions
from gcclient.cli.auth_options import in_gc_words
from gcclient.session import settings as auth

# gc's wording of the session's errors (the Python API's is in test_plain_words_*).
plugin_options = in_gc_words(auth.plugin_options)


def settings(**values):
    return auth.Settings(auth=values)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://k:5000/v3", "v3password"),
        ("http://k:5000/v3/", "v3password"),
        ("http://k:5000/v2.0", "v2password"),
        ("http://k:5000", "password"),
    ],
)
def test_versioned_plugin_when_the_url_shows_the_version(url, expected):
    assert auth.choose_auth_type(settings(auth_url=url, password="p")) == expected


def test_token_alone_means_token_auth():
    assert auth.choose_auth_type(settings(auth_url="http://k/v3", token="t")) == "v3token"


def test_missing_auth_url_names_the_option_and_the_variable(monkeypatch):
    monkeypatch.delenv("OS_AUTH_URL", raising=False)
    with pytest.raises(exceptions.AuthSettingsError) as err:
        plugin_options("password", settings(username="u", password="p"))
    assert str(err.value) == (
        "Missing setting: --os-auth-url or OS_AUTH_URL (needed by auth type password)"
    )


def test_missing_password_names_the_option_and_the_variable(monkeypatch):
    monkeypatch.delenv("OS_PASSWORD", raising=False)
    with pytest.raises(exceptions.AuthSettingsError) as err:
        plugin_options("v3password", settings(auth_url="http://k/v3", username="u"))
    assert str(err.value) == "Missing setting: --os-password or OS_PASSWORD"


def test_missing_username(monkeypatch):
    monkeypatch.delenv("OS_USERNAME", raising=False)
    monkeypatch.delenv("OS_USER_ID", raising=False)
    with pytest.raises(exceptions.AuthSettingsError) as err:
        plugin_options("v3password", settings(auth_url="http://k/v3", password="p"))
    assert str(err.value) == "Missing setting: --os-username or OS_USERNAME (or --os-user-id)"


def test_v2_maps_project_to_tenant():
    options = plugin_options(
        "v2password",
        settings(auth_url="http://k/v2.0", username="u", password="p", project_name="demo"),
    )
    assert options["tenant_name"] == "demo"


def test_unknown_auth_type():
    with pytest.raises(exceptions.AuthSettingsError, match="Unknown auth type 'kerberos-ish'"):
        plugin_options("kerberos-ish", settings())


def test_default_domain_for_keystoneauths_generic_plugin(monkeypatch):
    monkeypatch.delenv("OS_DEFAULT_DOMAIN", raising=False)
    values = auth.with_default_domain("password", {"auth_url": "http://k:5000", "username": "u"})
    assert values == {"auth_url": "http://k:5000", "username": "u", "default_domain_id": "default"}


def test_no_default_domain_for_v2_or_a_domain_given(monkeypatch):
    monkeypatch.delenv("OS_DEFAULT_DOMAIN", raising=False)
    for var in ("OS_USER_DOMAIN_NAME", "OS_USER_DOMAIN_ID", "OS_PROJECT_NAME"):
        monkeypatch.delenv(var, raising=False)
    v2 = {"auth_url": "http://k/v2.0", "username": "u"}
    assert auth.with_default_domain("v2password", v2) == v2
    given = {"auth_url": "http://k/v3", "username": "u", "user_domain_name": "D"}
    assert auth.with_default_domain("v3password", {**given, "default_domain": "x"}) == given


def test_plain_words_for_the_python_api(monkeypatch):
    """The session layer and the Python API name settings, not gc's options."""
    monkeypatch.delenv("OS_PASSWORD", raising=False)
    with pytest.raises(exceptions.AuthSettingsError) as err:
        auth.plugin_options("v3password", settings(auth_url="http://k/v3", username="u"))
    assert str(err.value) == "Missing setting: password"
    assert err.value.render(exceptions.PLAIN) == "Missing setting: password"


def test_the_client_without_a_password_speaks_plain_words(monkeypatch):
    from gcclient import Client

    for var in ("OS_PASSWORD", "OS_USERNAME", "OS_USER_ID"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(exceptions.AuthSettingsError) as err:
        Client(auth_url="http://k:5000/v3", username="demo", project_name="demo")
    assert str(err.value) == "Missing setting: password"
    with pytest.raises(exceptions.AuthSettingsError) as err:
        Client(auth_url="k:5000/v3", username="demo", password="p")
    assert str(err.value).startswith("Invalid auth URL 'k:5000/v3' (auth_url): it has no scheme")
