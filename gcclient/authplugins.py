"""Options of any keystoneauth auth plugin, registered for one run when
``--os-auth-type`` (or ``OS_AUTH_TYPE``) names a plugin other than the built-in few."""

from __future__ import annotations

import argparse
from typing import Any

from gcclient.auth import _env
from gcclient.cli import startup


def requested_auth_type(argv: list[str]) -> str | None:
    """The auth type named by ``--os-auth-type`` in argv, or by ``OS_AUTH_TYPE``."""
    for index, arg in enumerate(argv):
        if arg == "--os-auth-type" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--os-auth-type="):
            return arg.split("=", 1)[1]
    return _env("OS_AUTH_TYPE")


def add_plugin_arguments(parser: argparse.ArgumentParser, auth_type: str | None) -> list[str]:
    """Register the options of an auth plugin other than the built-in few, for this run
    only (``--help`` and the usual runs do not load keystoneauth's plugin list): v3totp's
    ``--os-passcode``, v3oidcpassword's ``--os-identity-provider``, ... Returns their
    dests; the values reach the plugin through ``Settings.auth``."""
    if not auth_type or auth_type in startup.LOADERS:
        return []
    try:
        loader = startup.auth_loader(auth_type)
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
                default=_env(env),
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
