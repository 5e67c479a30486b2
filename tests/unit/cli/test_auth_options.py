"""gcclient.cli.auth_options: gc's --os-* options and their OS_* variables, the options
of other auth plugins, and the session's errors in gc's words."""

from __future__ import annotations

import argparse
import os

import pytest

from gcclient.api import exceptions
from gcclient.api.exceptions import Setting
from gcclient.cli import auth_options as opts


@pytest.fixture(autouse=True)
def no_os_variables(monkeypatch):
    """The defaults come from the environment: start from none of it."""
    for var in list(os.environ):
        if var.startswith(("OS_", "NOVA_")) or var == "GC_NO_TOKEN_CACHE":
            monkeypatch.delenv(var)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="gc")
    opts.add_arguments(parser)
    return parser.parse_args(argv)


def test_no_option_no_variable_gives_empty_settings():
    settings = opts.settings_from(parse([]))
    assert settings.auth == {}
    assert (settings.auth_type, settings.region_name, settings.interface) == (None, None, None)
    assert (settings.insecure, settings.timeout, settings.use_cache) == (False, None, True)


def test_options_become_the_sessions_settings():
    args = parse(
        ["--os-auth-url", "http://k/v3", "--os-username", "u", "--os-password", "p",
         "--os-project-name", "demo", "--os-auth-type", "v3password",
         "--os-region-name", "R2", "--endpoint-type", "internal", "--service-type", "cmp",
         "--os-endpoint-override", "http://n/v2.1", "--os-cacert", "/ca", "--insecure",
         "--os-cert", "/c", "--os-key", "/k", "--timeout", "2.5", "--no-cache"]
    )  # fmt: skip
    settings = opts.settings_from(args)
    assert settings.auth == {
        "auth_url": "http://k/v3",
        "username": "u",
        "password": "p",
        "project_name": "demo",
    }
    assert settings.auth_type == "v3password"
    assert (settings.region_name, settings.interface) == ("R2", "internal")
    assert settings.compute_service_type == "cmp"
    assert settings.endpoint_override == "http://n/v2.1"
    assert (settings.cacert, settings.insecure, settings.cert, settings.key) == (
        "/ca", True, "/c", "/k"
    )  # fmt: skip
    assert (settings.timeout, settings.use_cache) == (2.5, False)


def test_variables_are_the_defaults(monkeypatch):
    monkeypatch.setenv("OS_AUTH_URL", "http://k/v3")
    monkeypatch.setenv("OS_PROJECT_DOMAIN_ID", "d1")
    monkeypatch.setenv("OS_ENDPOINT_TYPE", "admin")
    monkeypatch.setenv("NOVA_SERVICE_TYPE", "compute_legacy")
    monkeypatch.setenv("OS_INSECURE", "true")
    monkeypatch.setenv("OS_CLOUD", "mine")
    args = parse(["--os-auth-url", "http://other/v3"])
    settings = opts.settings_from(args)
    assert settings.auth == {"auth_url": "http://other/v3", "project_domain_id": "d1"}
    assert (settings.interface, settings.compute_service_type) == ("admin", "compute_legacy")
    assert settings.insecure is True
    assert args.os_cloud == "mine"


def test_os_interface_wins_over_the_older_variables(monkeypatch):
    monkeypatch.setenv("OS_ENDPOINT_TYPE", "admin")
    monkeypatch.setenv("OS_INTERFACE", "internal")
    assert parse([]).os_interface == "internal"


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "abc"])
def test_timeout_must_be_a_finite_number_of_seconds(value, capsys):
    with pytest.raises(SystemExit) as exit_:
        parse(["--timeout", value])
    assert exit_.value.code == 2
    assert "--timeout" in capsys.readouterr().err


def test_help_names_each_variable():
    parser = argparse.ArgumentParser(prog="gc")
    opts.add_arguments(parser)
    helps = {a.dest: a.help for a in parser._actions}
    assert helps["os_password"] == "Password (Env: OS_PASSWORD)"
    assert helps["timeout"] == (
        "Timeout of each HTTP request in seconds (default: 60) (Env: OS_TIMEOUT)"
    )
    assert "--os-password <password>" in parser.format_help()


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["--os-auth-type", "v3totp", "list"], None, "v3totp"),
        (["--os-auth-type=v3oidcpassword", "list"], None, "v3oidcpassword"),
        (["list", "--os-auth-type"], "token", "token"),
        (["list"], "v3token", "v3token"),
        (["list"], None, None),
    ],
)
def test_requested_auth_type(argv, env, expected, monkeypatch):
    if env:
        monkeypatch.setenv("OS_AUTH_TYPE", env)
    assert opts.requested_auth_type(argv) == expected


def test_another_plugins_options_are_added_for_this_run(monkeypatch):
    monkeypatch.setenv("OS_PASSCODE", "123456")
    parser = argparse.ArgumentParser(prog="gc")
    opts.add_arguments(parser)
    added = opts.add_plugin_arguments(parser, "v3totp")
    assert added == ["passcode"]  # the others are gc's own --os-* options
    args = parser.parse_args([])
    assert opts.plugin_values(args, added) == {"passcode": "123456"}
    assert "Options of auth type v3totp" in parser.format_help()
    args = parser.parse_args(["--os-passcode", "654321"])
    assert opts.plugin_values(args, added) == {"passcode": "654321"}


def test_built_in_and_unknown_types_add_no_option():
    parser = argparse.ArgumentParser(prog="gc")
    assert opts.add_plugin_arguments(parser, None) == []
    assert opts.add_plugin_arguments(parser, "v3password") == []
    assert opts.add_plugin_arguments(parser, "kerberos-ish") == []
    assert parser._action_groups[2:] == []  # no group was added


def test_plugin_values_skip_unset_and_empty():
    args = argparse.Namespace(os_passcode="", os_identity_provider=None, os_protocol="oidc")
    dests = ["passcode", "identity_provider", "protocol"]
    assert opts.plugin_values(args, dests) == {"protocol": "oidc"}


def test_in_gc_words_names_options_and_variables():
    def step(value):
        if value is None:
            raise exceptions.AuthSettingsError(
                "Missing setting: ", Setting("username"), " (or ", Setting("user_id", True), ")"
            )
        return value * 2

    worded = opts.in_gc_words(step)
    assert worded.__name__ == "step"
    assert worded(2) == 4
    with pytest.raises(exceptions.AuthSettingsError) as err:
        worded(None)
    assert str(err.value) == "Missing setting: --os-username or OS_USERNAME (or --os-user-id)"


def test_other_errors_pass_unchanged():
    def step():
        raise exceptions.CapabilityError("name", "launch-name")

    with pytest.raises(exceptions.CapabilityError) as err:
        opts.in_gc_words(step)()
    assert err.value.message == ""


def test_the_install_hint_is_in_gc_words():
    assert opts.INSTALL_HINT == (
        "--os-cloud needs openstacksdk, a dependency of gcclient that cannot be imported "
        "here: pip install openstacksdk (or give --os-auth-url and the other --os-* options)"
    )
