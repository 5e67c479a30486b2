"""Connection settings: what reaches the cloud, checked before any request.

:class:`Settings` is filled by each front-end (gc from its ``--os-*`` options and
``OS_*`` variables, the Python API from keyword arguments, clouds.yaml through
:mod:`gcclient.session.cloudconfig`); :func:`plugin_options` turns them into a
keystoneauth plugin's options, naming what is missing with
:class:`~gcclient.api.exceptions.Setting` so that each front-end words it.
Nothing here imports keystoneauth1 at module level.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from gcclient.api import exceptions
from gcclient.api.exceptions import Setting
from gcclient.api.transport import redact
from gcclient.session import loaders

SESSION_DEFAULTS = {"interface": "public", "compute_service_type": "compute"}


@dataclass
class Settings:
    """Everything needed to reach the cloud, from options, variables or clouds.yaml."""

    auth_type: str | None = None
    auth: dict[str, Any] = field(default_factory=dict)
    region_name: str | None = None
    interface: str | None = None
    compute_service_type: str | None = None
    endpoint_override: str | None = None
    cacert: str | None = None
    insecure: bool = False
    cert: str | None = None
    key: str | None = None
    timeout: float | None = None
    use_cache: bool = True
    collect_timing: bool = False
    # Fill what is missing from the OS_* variables: gc does (as openstack does); the
    # Python API only when asked (Client.from_environment), so that a script's typo or
    # second cloud never borrows the shell's credentials.
    use_env: bool = True


def env_value(name: str, *fallbacks: str) -> str | None:
    """The first of these environment variables that is set and not empty."""
    for var in (name, *fallbacks):
        value = os.environ.get(var)
        if value:
            return value
    return None


def choose_auth_type(settings: Settings) -> str:
    """The keystoneauth plugin name. A type given (``auth_type``) is used as it is
    (``password`` is keystoneauth's generic plugin, as in openstack); otherwise a versioned
    one when the URL shows the version, which saves the identity discovery request."""
    if settings.auth_type:
        return settings.auth_type
    has_password = "password" in settings.auth or "application_credential_secret" in (settings.auth)
    if "application_credential_secret" in settings.auth:
        return "v3applicationcredential"
    auth_type = "token" if "token" in settings.auth and not has_password else "password"
    path = urlparse(str(settings.auth.get("auth_url", ""))).path.rstrip("/")
    if path.endswith("/v3"):
        auth_type = "v3" + auth_type
    elif path.endswith("/v2.0"):
        auth_type = "v2" + auth_type
    return auth_type


def get_loader(auth_type: str) -> Any:
    """The keystoneauth loader of an auth type (common ones without an entry-point scan)."""
    return loaders.auth_loader(auth_type)


def plugin_options(auth_type: str, settings: Settings) -> dict[str, Any]:
    """The loader's options filled from the settings, or from OS_* variables."""
    try:
        loader = get_loader(auth_type)
    except Exception:
        raise exceptions.AuthSettingsError(
            f"Unknown auth type '{auth_type}' (", Setting("auth_type"), ")"
        ) from None
    values = with_default_domain(auth_type, settings.auth, use_env=settings.use_env)
    if auth_type in ("admin_token", "none") and settings.endpoint_override:
        values.setdefault("endpoint", settings.endpoint_override)
    if auth_type.startswith("v2"):
        values.setdefault("tenant_name", values.get("project_name"))
        values.setdefault("tenant_id", values.get("project_id"))
    chosen: dict[str, Any] = {}
    for opt in loader.get_options():
        value = values.get(opt.dest)
        if value in (None, "") and settings.use_env:
            value = env_value("OS_" + opt.dest.upper())
        if value not in (None, ""):
            chosen[opt.dest] = value
        elif opt.required:
            raise exceptions.AuthSettingsError(
                "Missing setting: ", Setting(opt.dest), f" (needed by auth type {auth_type})"
            )
    _check_credentials(auth_type, chosen)
    _check_plugin_arguments(loader, auth_type, chosen)
    if chosen.get("auth_url"):
        check_auth_url(str(chosen["auth_url"]))
    return chosen


def check_auth_url(url: str) -> None:
    """An auth URL gcclient can use: http or https with a host. Without a scheme
    keystoneauth took it as a relative path and failed much later, with a message
    about the service catalog."""
    parsed = urlparse(url)
    shown = redact(url)
    where = (f"Invalid auth URL '{shown}' (", Setting("auth_url"), ")")
    if "://" not in url or not parsed.scheme:
        raise exceptions.AuthSettingsError(
            *where, f": it has no scheme; use http://{shown} or https://{shown}"
        )
    if parsed.scheme.lower() not in ("http", "https") or not parsed.hostname:
        raise exceptions.AuthSettingsError(*where, ": expected http(s)://<host>[:port]/...")


def with_default_domain(
    auth_type: str, auth: Mapping[str, Any], *, use_env: bool = True
) -> dict[str, Any]:
    """The auth values with the default domain filled in, as osc-lib does.

    With a v3 auth URL, a user name without a user domain and a project name
    without a project domain are each given the ``default_domain`` setting (``OS_DEFAULT_DOMAIN``,
    default ``default``) as domain ID: an openrc without ``*_DOMAIN_*`` variables works as
    it does with openstack and nova. keystoneauth's generic plugins (unversioned URL)
    take it as their own ``default_domain_id``."""
    values = dict(auth)

    def env(*names: str) -> str | None:
        return env_value(*names) if use_env else None

    default = values.pop("default_domain", None) or env("OS_DEFAULT_DOMAIN") or "default"
    if auth_type.startswith("v2") or auth_type in ("admin_token", "none"):
        return values
    path = urlparse(str(values.get("auth_url") or env("OS_AUTH_URL") or "")).path.rstrip("/")
    if path.endswith("/v3") or auth_type.startswith("v3"):
        for who, name in (("user", "username"), ("project", "project_name")):
            if values.get(name) or env("OS_" + name.upper()):
                if not values.get(f"{who}_domain_id") and not values.get(f"{who}_domain_name"):
                    if not env(f"OS_{who.upper()}_DOMAIN_ID", f"OS_{who.upper()}_DOMAIN_NAME"):
                        values[f"{who}_domain_id"] = default
    elif not values.get("default_domain_id") and not values.get("default_domain_name"):
        values["default_domain_id"] = default
    return values


def _check_plugin_arguments(loader: Any, auth_type: str, chosen: Mapping[str, Any]) -> None:
    """A plugin argument without a default (v3totp's passcode) that no option gave: one
    line naming the option, not the plugin constructor's TypeError."""
    import inspect

    try:
        parameters = inspect.signature(loader.plugin_class.__init__).parameters
    except (AttributeError, TypeError, ValueError):
        return
    dests = {opt.dest for opt in loader.get_options()}
    for name, parameter in parameters.items():
        if name == "self" or parameter.default is not inspect.Parameter.empty:
            continue
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if name in dests and chosen.get(name) in (None, ""):
            raise exceptions.AuthSettingsError(
                "Missing setting: ", Setting(name), f" (needed by auth type {auth_type})"
            )


def _check_credentials(auth_type: str, chosen: Mapping[str, Any]) -> None:
    if auth_type.endswith("password"):
        if not chosen.get("username") and not chosen.get("user_id"):
            raise exceptions.AuthSettingsError(
                "Missing setting: ", Setting("username"), " (or ", Setting("user_id", True), ")"
            )
        if not chosen.get("password"):
            raise exceptions.AuthSettingsError("Missing setting: ", Setting("password"))
    elif auth_type.endswith("token") and not chosen.get("token"):
        raise exceptions.AuthSettingsError("Missing setting: ", Setting("token"))
    if auth_type in ("admin_token", "none") and not chosen.get("endpoint"):
        raise exceptions.AuthSettingsError(
            "Missing setting: ",
            Setting("endpoint"),
            " (or ",
            Setting("endpoint_override", True),
            ")",
        )


def auth_keys(auth_type: str) -> set[str] | None:
    """The auth settings an auth type's plugin takes (its loader's options, and the
    names :func:`plugin_options` maps onto them); None for an unknown type, which
    :func:`plugin_options` refuses with its own message."""
    try:
        loader = get_loader(auth_type)
    except Exception:
        return None
    keys = {opt.dest for opt in loader.get_options()}
    return keys | {"default_domain", "project_name", "project_id", "endpoint"}
