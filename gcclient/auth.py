"""Authentication settings: the ``--os-*`` options, their ``OS_*`` variables, and
the keystoneauth session built from them.

Declaring the options needs only argparse, so ``gc --help`` stays light;
keystoneauth1 is imported when a command first needs the cloud.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from gcclient import exceptions
from gcclient.cli import startup
from gcclient.version import __version__

# (option name without --os-, help); the variable is OS_<NAME>.
AUTH_OPTIONS: tuple[tuple[str, str], ...] = (
    ("auth-type", "Authentication type (default: password; token when only a token is given)"),
    ("auth-url", "Identity endpoint, e.g. https://keystone.example.com:5000/v3"),
    ("username", "User name"),
    ("user-id", "User ID"),
    ("password", "Password"),
    ("project-name", "Project name to scope to"),
    ("project-id", "Project ID to scope to"),
    ("user-domain-name", "Domain name of the user"),
    ("user-domain-id", "Domain ID of the user"),
    ("project-domain-name", "Domain name of the project"),
    ("project-domain-id", "Domain ID of the project"),
    ("domain-name", "Domain name to scope to"),
    ("domain-id", "Domain ID to scope to"),
    ("system-scope", "System scope, e.g. all"),
    ("trust-id", "Trust ID"),
    ("default-domain-name", "Default domain name for users and projects"),
    ("default-domain-id", "Default domain ID for users and projects"),
    (
        "default-domain",
        "Domain ID filled in for users and projects with a v3 auth URL "
        "when no domain is given (default: default)",
    ),
    ("token", "Token (auth type token or admin_token)"),
    ("application-credential-id", "Application credential ID"),
    ("application-credential-name", "Application credential name"),
    ("application-credential-secret", "Application credential secret"),
    ("endpoint", "Endpoint for the admin_token and none auth types"),
)
SESSION_DEFAULTS = {"interface": "public", "compute_service_type": "compute"}


DEFAULT_TIMEOUT = 60.0  # an endpoint that accepts and never answers must not hang gc


def _seconds(value: str) -> float:
    """--timeout: a finite number of seconds > 0 (argparse's error otherwise, exit 2)."""
    from gcclient.cli.base import seconds_type

    return seconds_type("--timeout")(value)


_seconds.__name__ = "float"  # argparse's "invalid float value: 'abc'"


def _env(name: str, *fallbacks: str) -> str | None:
    for var in (name, *fallbacks):
        value = os.environ.get(var)
        if value:
            return value
    return None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The global authentication, endpoint and session options."""
    group = parser.add_argument_group("Authentication")
    for name, help_text in AUTH_OPTIONS:
        env = "OS_" + name.replace("-", "_").upper()
        group.add_argument(
            f"--os-{name}",
            metavar=f"<{name}>",
            default=_env(env),
            help=f"{help_text} (Env: {env})",
        )
    group.add_argument(
        "--os-cloud",
        metavar="<cloud>",
        default=_env("OS_CLOUD"),
        help="Cloud name in clouds.yaml (Env: OS_CLOUD)",
    )
    endpoint = parser.add_argument_group("Endpoint")
    endpoint.add_argument(
        "--os-region-name",
        metavar="<region>",
        default=_env("OS_REGION_NAME"),
        help="Region of the compute endpoint (Env: OS_REGION_NAME)",
    )
    endpoint.add_argument(
        "--os-interface",
        "--endpoint-type",
        dest="os_interface",
        metavar="<interface>",
        default=_env("OS_INTERFACE", "OS_ENDPOINT_TYPE", "NOVA_ENDPOINT_TYPE"),
        help="Endpoint interface: public, internal or admin (default: public) "
        "(Env: OS_INTERFACE or OS_ENDPOINT_TYPE)",
    )
    endpoint.add_argument(
        "--os-compute-service-type",
        "--service-type",
        dest="os_compute_service_type",
        metavar="<service-type>",
        default=_env("OS_COMPUTE_SERVICE_TYPE", "NOVA_SERVICE_TYPE"),
        help="Service type of the compute endpoint (default: compute) "
        "(Env: OS_COMPUTE_SERVICE_TYPE)",
    )
    endpoint.add_argument(
        "--os-endpoint-override",
        metavar="<url>",
        default=_env("OS_ENDPOINT_OVERRIDE"),
        help="Use this compute endpoint instead of the catalog's (Env: OS_ENDPOINT_OVERRIDE)",
    )
    session = parser.add_argument_group("Connection")
    session.add_argument(
        "--os-cacert",
        metavar="<ca-bundle>",
        default=_env("OS_CACERT"),
        help="CA bundle to verify TLS servers with (Env: OS_CACERT)",
    )
    session.add_argument(
        "--insecure",
        action="store_true",
        default=_env("OS_INSECURE") in ("1", "true", "True", "yes"),
        help="Do not verify TLS certificates (unsafe) (Env: OS_INSECURE)",
    )
    session.add_argument(
        "--os-cert",
        metavar="<certificate>",
        default=_env("OS_CERT"),
        help="Client certificate for TLS (Env: OS_CERT)",
    )
    session.add_argument(
        "--os-key",
        metavar="<key>",
        default=_env("OS_KEY"),
        help="Client certificate key for TLS (Env: OS_KEY)",
    )
    session.add_argument(
        "--timeout",
        metavar="<seconds>",
        type=_seconds,
        default=_env("OS_TIMEOUT"),
        help=f"Timeout of each HTTP request in seconds (default: {DEFAULT_TIMEOUT:g}) "
        "(Env: OS_TIMEOUT)",
    )
    session.add_argument(
        "--no-cache",
        action="store_true",
        default=False,
        help="Do not reuse or store tokens in the token cache (Env: GC_NO_TOKEN_CACHE=1)",
    )


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

    @classmethod
    def from_namespace(cls, args: argparse.Namespace) -> Settings:
        auth = {}
        for name, _help in AUTH_OPTIONS[1:]:
            dest = name.replace("-", "_")
            value = getattr(args, "os_" + dest, None)
            if value:
                auth[dest] = value
        return cls(
            auth_type=getattr(args, "os_auth_type", None),
            auth=auth,
            region_name=getattr(args, "os_region_name", None),
            interface=getattr(args, "os_interface", None),
            compute_service_type=getattr(args, "os_compute_service_type", None),
            endpoint_override=getattr(args, "os_endpoint_override", None),
            cacert=getattr(args, "os_cacert", None),
            insecure=bool(getattr(args, "insecure", False)),
            cert=getattr(args, "os_cert", None),
            key=getattr(args, "os_key", None),
            timeout=getattr(args, "timeout", None),
            use_cache=not getattr(args, "no_cache", False),
        )


def _flag(dest: str) -> str:
    name = dest.replace("_", "-")
    return f"--os-{name} or OS_{dest.upper()}"


def choose_auth_type(settings: Settings) -> str:
    """The keystoneauth plugin name. A type given with ``--os-auth-type`` is used as it is
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
    return startup.auth_loader(auth_type)


def plugin_options(auth_type: str, settings: Settings) -> dict[str, Any]:
    """The loader's options filled from the settings, or from OS_* variables."""
    try:
        loader = get_loader(auth_type)
    except Exception:
        raise exceptions.AuthSettingsError(
            f"Unknown auth type '{auth_type}' (--os-auth-type or OS_AUTH_TYPE)"
        ) from None
    values = with_default_domain(auth_type, settings.auth)
    if auth_type in ("admin_token", "none") and settings.endpoint_override:
        values.setdefault("endpoint", settings.endpoint_override)
    if auth_type.startswith("v2"):
        values.setdefault("tenant_name", values.get("project_name"))
        values.setdefault("tenant_id", values.get("project_id"))
    chosen: dict[str, Any] = {}
    for opt in loader.get_options():
        value = values.get(opt.dest)
        if value in (None, ""):
            value = _env("OS_" + opt.dest.upper())
        if value not in (None, ""):
            chosen[opt.dest] = value
        elif opt.required:
            raise exceptions.AuthSettingsError(
                f"Missing setting: {_flag(opt.dest)} (needed by auth type {auth_type})"
            )
    _check_credentials(auth_type, chosen)
    _check_plugin_arguments(loader, auth_type, chosen)
    if chosen.get("auth_url"):
        check_auth_url(str(chosen["auth_url"]))
    return chosen


# The password runs to the last '@' of the authority (a password may hold '@';
# the authority ends at '/', '?', '#' or a space, as urllib splits it).
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/?#\s:@]*):[^/?#\s]*@")
# Secrets in JSON bodies that keystoneauth logs at --debug: the server's adminPass,
# passwords, secrets and passcodes (keystoneauth hashes the token headers itself).
_BODY_SECRET = re.compile(
    r'("(?:adminPass|password|secret|passcode|application_credential_secret)"\s*:\s*")'
    r'(?:[^"\\]|\\.)*(")'
)


def redact(text: str) -> str:
    """A text with the password of every URL's userinfo (``user:password@``) and
    the secrets of JSON bodies (``"adminPass": "..."``) hidden."""
    return _BODY_SECRET.sub(r"\1***\2", _USERINFO.sub(r"\1:***@", text))


def check_auth_url(url: str) -> None:
    """An auth URL gc can use: http or https with a host. Without a scheme
    keystoneauth took it as a relative path and failed much later, with a message
    about the service catalog."""
    parsed = urlparse(url)
    shown = redact(url)
    where = "(--os-auth-url or OS_AUTH_URL)"
    if "://" not in url or not parsed.scheme:
        raise exceptions.AuthSettingsError(
            f"Invalid auth URL '{shown}' {where}: it has no scheme; use http://{shown} "
            f"or https://{shown}"
        )
    if parsed.scheme.lower() not in ("http", "https") or not parsed.hostname:
        raise exceptions.AuthSettingsError(
            f"Invalid auth URL '{shown}' {where}: expected http(s)://<host>[:port]/..."
        )


def plain_http_answer(exc: BaseException) -> bool:
    """Whether a TLS error is a handshake answered in plain HTTP (https:// given for
    an http:// port), where --insecure or a CA bundle cannot help."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            break
        if "WRONG_VERSION_NUMBER" in str(seen) or "wrong version number" in str(seen):
            return True
        reason = getattr(seen, "reason", None)
        nxt = reason if isinstance(reason, BaseException) else None
        seen = nxt or seen.__cause__ or seen.__context__
    return False


def tls_failure_text(exc: BaseException, url: str) -> str:
    if plain_http_answer(exc):
        return (
            f"TLS handshake with {redact(url)} failed: the server there does not speak TLS "
            "(is the URL http:// rather than https://?)"
        )
    return redact(f"TLS verification failed: {exc} (use --os-cacert, or --insecure to skip it)")


def not_keystone_text(exc: Any) -> str | None:
    """The message for a token request refused as a web server does (404, 405, 501),
    or for an auth URL without a version document: it is not Keystone. None for
    other errors."""
    if type(exc).__name__ == "DiscoveryFailure":
        return (
            "The auth URL does not lead to Keystone: it answered without an identity "
            "version document; check the auth URL"
        )
    url = str(getattr(exc, "url", "") or "").split("?", 1)[0]
    status = getattr(exc, "http_status", None)
    if status in (404, 405, 501) and url.endswith(("/auth/tokens", "/tokens")):
        return (
            f"The auth URL does not lead to Keystone: {redact(url)} answered HTTP {status} "
            "to the token request; check the auth URL"
        )
    return None


def with_default_domain(auth_type: str, auth: Mapping[str, Any]) -> dict[str, Any]:
    """The auth values with the default domain filled in, as osc-lib does.

    With a v3 auth URL, a user name without a user domain and a project name
    without a project domain are each given ``--os-default-domain`` (``OS_DEFAULT_DOMAIN``,
    default ``default``) as domain ID: an openrc without ``*_DOMAIN_*`` variables works as
    it does with openstack and nova. keystoneauth's generic plugins (unversioned URL)
    take it as their own ``default_domain_id``."""
    values = dict(auth)
    default = values.pop("default_domain", None) or _env("OS_DEFAULT_DOMAIN") or "default"
    if auth_type.startswith("v2") or auth_type in ("admin_token", "none"):
        return values
    path = urlparse(str(values.get("auth_url") or _env("OS_AUTH_URL") or "")).path.rstrip("/")
    if path.endswith("/v3") or auth_type.startswith("v3"):
        for who, name in (("user", "username"), ("project", "project_name")):
            if values.get(name) or _env("OS_" + name.upper()):
                if not values.get(f"{who}_domain_id") and not values.get(f"{who}_domain_name"):
                    if not _env(f"OS_{who.upper()}_DOMAIN_ID", f"OS_{who.upper()}_DOMAIN_NAME"):
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
                f"Missing setting: {_flag(name)} (needed by auth type {auth_type})"
            )


def _check_credentials(auth_type: str, chosen: Mapping[str, Any]) -> None:
    if auth_type.endswith("password"):
        if not chosen.get("username") and not chosen.get("user_id"):
            raise exceptions.AuthSettingsError(
                f"Missing setting: {_flag('username')} (or --os-user-id)"
            )
        if not chosen.get("password"):
            raise exceptions.AuthSettingsError(f"Missing setting: {_flag('password')}")
    elif auth_type.endswith("token") and not chosen.get("token"):
        raise exceptions.AuthSettingsError(f"Missing setting: {_flag('token')}")
    if auth_type in ("admin_token", "none") and not chosen.get("endpoint"):
        raise exceptions.AuthSettingsError(
            f"Missing setting: {_flag('endpoint')} (or --os-endpoint-override)"
        )


def token_cache_for(auth_type: str, options: Mapping[str, Any]) -> Any:
    from gcclient import tokencache

    if tokencache.disabled_by_env():
        return None
    return tokencache.TokenCache(tokencache.cache_key(auth_type, options))


@dataclass
class Connection:
    """A keystoneauth session and compute adapter, with the token cache that feeds them."""

    session: Any
    adapter: Any
    plugin: Any = None
    cache: Any = None

    def save_token(self) -> None:
        if self.cache is None or self.plugin is None:
            return
        try:
            state = self.plugin.get_auth_state()
        except Exception:
            return
        self.cache.save(state)


def connect(settings: Settings) -> Connection:
    """Build the session and the compute adapter (no request is sent yet)."""
    from keystoneauth1 import adapter, session

    auth_type = choose_auth_type(settings)
    options = plugin_options(auth_type, settings)
    plugin = get_loader(auth_type).load_from_options(**options)
    cache = None
    if settings.use_cache and auth_type not in ("none", "admin_token"):
        cache = token_cache_for(auth_type, options)
        if cache is not None:
            state = cache.load()
            if state:
                try:
                    plugin.set_auth_state(state)
                except Exception:
                    cache.drop()
    verify: bool | str = True
    if settings.insecure:
        verify = False
    elif settings.cacert:
        verify = settings.cacert
    cert: Any = None
    if settings.cert:
        cert = (settings.cert, settings.key) if settings.key else settings.cert
    sess = session.Session(
        auth=plugin,
        verify=verify,
        cert=cert,
        timeout=settings.timeout or DEFAULT_TIMEOUT,
        user_agent=f"gcclient/{__version__}",
        collect_timing=settings.collect_timing,
    )
    compute = adapter.Adapter(
        session=sess,
        service_type=settings.compute_service_type or SESSION_DEFAULTS["compute_service_type"],
        interface=settings.interface or SESSION_DEFAULTS["interface"],
        region_name=settings.region_name,
        endpoint_override=settings.endpoint_override,
    )
    return Connection(session=sess, adapter=compute, plugin=plugin, cache=cache)
