"""The keystoneauth session and compute adapter built from :class:`Settings`, with
the token cache that feeds them. keystoneauth1 is imported when a connection is
made, not when this module is."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gcclient.session.settings import (
    SESSION_DEFAULTS,
    Settings,
    choose_auth_type,
    get_loader,
    plugin_options,
)
from gcclient.version import __version__

DEFAULT_TIMEOUT = 60.0  # an endpoint that accepts and never answers must not hang


def token_cache_for(auth_type: str, options: Mapping[str, Any]) -> Any:
    from gcclient.session import tokencache

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
