"""gcclient.session.loaders: keystoneauth's loaders of the common auth types by path,
the others through keystoneauth's entry points."""

from __future__ import annotations

import pytest
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading

from gcclient.session import loaders


@pytest.mark.parametrize("auth_type", sorted(loaders.LOADERS))
def test_each_common_type_is_the_loader_its_entry_point_names(auth_type):
    """The by-path table agrees with keystoneauth's own entry points (no scan at run time)."""
    assert type(loaders.auth_loader(auth_type)) is type(loading.get_plugin_loader(auth_type))


def test_a_common_type_does_not_scan_entry_points(monkeypatch):
    def scan(name):
        raise AssertionError(f"entry-point scan for {name}")

    monkeypatch.setattr(loading, "get_plugin_loader", scan)
    loader = loaders.auth_loader("v3password")
    assert type(loader).__module__ == "keystoneauth1.loading._plugins.identity.v3"
    assert type(loader).__name__ == "Password"


def test_other_types_go_through_the_entry_points(monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(loading, "get_plugin_loader", lambda name: asked.append(name) or "L")
    assert loaders.auth_loader("v3oidcpassword") == "L"
    assert asked == ["v3oidcpassword"]


def test_a_path_that_no_longer_imports_falls_back_to_the_scan(monkeypatch):
    monkeypatch.setitem(loaders.LOADERS, "v3password", "keystoneauth1.loading.gone:Password")
    monkeypatch.setitem(loaders.LOADERS, "v3token", "keystoneauth1.loading:NoSuchLoader")
    asked: list[str] = []
    monkeypatch.setattr(loading, "get_plugin_loader", lambda name: asked.append(name) or name)
    assert loaders.auth_loader("v3password") == "v3password"
    assert loaders.auth_loader("v3token") == "v3token"
    assert asked == ["v3password", "v3token"]


def test_an_unknown_type_is_keystoneauths_error():
    with pytest.raises(ks_exc.NoMatchingPlugin):
        loaders.auth_loader("kerberos-ish")
