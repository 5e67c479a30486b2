"""gc's connection options: the ``--os-*`` options and their ``OS_*`` variables, the
options of other keystoneauth plugins, and the settings' names in gc's words.

Declaring the options needs only argparse, so ``gc --help`` stays light;
keystoneauth1 is imported when a command first needs the cloud. The session layer
(:mod:`gcclient.session`) names a missing setting with
:class:`~gcclient.api.exceptions.Setting`; gc's words (``GC_WORDS``) name it
``--os-password or OS_PASSWORD``, and :func:`in_gc_words` runs a session step with
its errors in those words.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from typing import Any, TypeVar

from gcclient.api import exceptions
from gcclient.cli.base import GC_WORDS, seconds_type
from gcclient.session import loaders
from gcclient.session.cloudconfig import INSTALL_HINT as _INSTALL_HINT
from gcclient.session.connect import DEFAULT_TIMEOUT
from gcclient.session.settings import Settings, env_value

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


def _seconds(value: str) -> float:
    """--timeout: a finite number of seconds > 0 (argparse's error otherwise, exit 2)."""
    return seconds_type("--timeout")(value)


_seconds.__name__ = "float"  # argparse's "invalid float value: 'abc'"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The global authentication, endpoint and session options."""
    group = parser.add_argument_group("Authentication")
    for name, help_text in AUTH_OPTIONS:
        env = "OS_" + name.replace("-", "_").upper()
        group.add_argument(
            f"--os-{name}",
            metavar=f"<{name}>",
            default=env_value(env),
            help=f"{help_text} (Env: {env})",
        )
    group.add_argument(
        "--os-cloud",
        metavar="<cloud>",
        default=env_value("OS_CLOUD"),
        help="Cloud name in clouds.yaml (Env: OS_CLOUD)",
    )
    endpoint = parser.add_argument_group("Endpoint")
    endpoint.add_argument(
        "--os-region-name",
        metavar="<region>",
        default=env_value("OS_REGION_NAME"),
        help="Region of the compute endpoint (Env: OS_REGION_NAME)",
    )
    endpoint.add_argument(
        "--os-interface",
        "--endpoint-type",
        dest="os_interface",
        metavar="<interface>",
        default=env_value("OS_INTERFACE", "OS_ENDPOINT_TYPE", "NOVA_ENDPOINT_TYPE"),
        help="Endpoint interface: public, internal or admin (default: public) "
        "(Env: OS_INTERFACE or OS_ENDPOINT_TYPE)",
    )
    endpoint.add_argument(
        "--os-compute-service-type",
        "--service-type",
        dest="os_compute_service_type",
        metavar="<service-type>",
        default=env_value("OS_COMPUTE_SERVICE_TYPE", "NOVA_SERVICE_TYPE"),
        help="Service type of the compute endpoint (default: compute) "
        "(Env: OS_COMPUTE_SERVICE_TYPE)",
    )
    endpoint.add_argument(
        "--os-endpoint-override",
        metavar="<url>",
        default=env_value("OS_ENDPOINT_OVERRIDE"),
        help="Use this compute endpoint instead of the catalog's (Env: OS_ENDPOINT_OVERRIDE)",
    )
    session = parser.add_argument_group("Connection")
    session.add_argument(
        "--os-cacert",
        metavar="<ca-bundle>",
        default=env_value("OS_CACERT"),
        help="CA bundle to verify TLS servers with (Env: OS_CACERT)",
    )
    session.add_argument(
        "--insecure",
        action="store_true",
        default=env_value("OS_INSECURE") in ("1", "true", "True", "yes"),
        help="Do not verify TLS certificates (unsafe) (Env: OS_INSECURE)",
    )
    session.add_argument(
        "--os-cert",
        metavar="<certificate>",
        default=env_value("OS_CERT"),
        help="Client certificate for TLS (Env: OS_CERT)",
    )
    session.add_argument(
        "--os-key",
        metavar="<key>",
        default=env_value("OS_KEY"),
        help="Client certificate key for TLS (Env: OS_KEY)",
    )
    session.add_argument(
        "--timeout",
        metavar="<seconds>",
        type=_seconds,
        default=env_value("OS_TIMEOUT"),
        help=f"Timeout of each HTTP request in seconds (default: {DEFAULT_TIMEOUT:g}) "
        "(Env: OS_TIMEOUT)",
    )
    session.add_argument(
        "--no-cache",
        action="store_true",
        default=False,
        help="Do not reuse or store tokens in the token cache (Env: GC_NO_TOKEN_CACHE=1)",
    )


def settings_from(args: argparse.Namespace) -> Settings:
    """The session's settings from gc's parsed options (and their variables)."""
    auth = {}
    for name, _help in AUTH_OPTIONS[1:]:
        dest = name.replace("-", "_")
        value = getattr(args, "os_" + dest, None)
        if value:
            auth[dest] = value
    return Settings(
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


def requested_auth_type(argv: list[str]) -> str | None:
    """The auth type named by ``--os-auth-type`` in argv, or by ``OS_AUTH_TYPE``."""
    for index, arg in enumerate(argv):
        if arg == "--os-auth-type" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--os-auth-type="):
            return arg.split("=", 1)[1]
    return env_value("OS_AUTH_TYPE")


def add_plugin_arguments(parser: argparse.ArgumentParser, auth_type: str | None) -> list[str]:
    """Register the options of an auth plugin other than the built-in few, for this run
    only (``--help`` and the usual runs do not load keystoneauth's plugin list): v3totp's
    ``--os-passcode``, v3oidcpassword's ``--os-identity-provider``, ... Returns their
    dests; the values reach the plugin through ``Settings.auth``."""
    if not auth_type or auth_type in loaders.LOADERS:
        return []
    try:
        loader = loaders.auth_loader(auth_type)
    except Exception:
        return []  # plugin_options() says "Unknown auth type" when a command needs it
    group = parser.add_argument_group(f"Options of auth type {auth_type}")
    added = []
    for opt in loader.get_options():
        env = "OS_" + opt.dest.upper()
        try:
            group.add_argument(
                "--os-" + opt.dest.replace("_", "-"),
                dest="os_" + opt.dest,
                metavar=f"<{opt.dest.replace('_', '-')}>",
                default=env_value(env),
                help=f"{opt.help} (Env: {env})",
            )
        except argparse.ArgumentError:
            continue  # one of gc's own --os-* options (--os-auth-url, --os-username, ...)
        added.append(opt.dest)
    return added


def plugin_values(args: argparse.Namespace, dests: list[str]) -> dict[str, Any]:
    """The values of the options add_plugin_arguments registered."""
    values = {}
    for dest in dests:
        value = getattr(args, "os_" + dest, None)
        if value not in (None, ""):
            values[dest] = value
    return values


# -- the session's errors in gc's words --------------------------------------------

T = TypeVar("T")


def in_gc_words(step: Callable[..., T]) -> Callable[..., T]:
    """A session step whose :class:`~gcclient.api.exceptions.AuthSettingsError` names
    settings as gc's options and variables (``--os-password or OS_PASSWORD``)."""

    @functools.wraps(step)
    def worded(*args: Any, **kwargs: Any) -> T:
        try:
            return step(*args, **kwargs)
        except exceptions.AuthSettingsError as exc:
            exc.message = exc.render(GC_WORDS)
            raise

    return worded


INSTALL_HINT = exceptions.AuthSettingsError(*_INSTALL_HINT).render(GC_WORDS)
