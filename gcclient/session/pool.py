"""The connection pool of a session, sized to the writes sent at once.

requests keeps 10 connections per host in a session (urllib3's default
``pool_maxsize``): with more workers than that, urllib3 opens a connection per
extra request, closes it after the answer and logs "Connection pool is full"
each time. ``--parallel`` was capped at 10 for that reason. Mounting keystoneauth's
own adapter class (TCP keep-alive, Nagle off, as its session mounts by default) with
a larger pool lifts the cap; the bound is what gc-simulator and a 2-core machine
sustain (docs/performance.rst: the ``--parallel`` measurement).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

# urllib3's default pool size, which keystoneauth's session keeps.
DEFAULT_POOL_SIZE = 10


def requests_session(client: Any) -> Any:
    """The requests session under a keystoneauth adapter or session (or None)."""
    found = client
    for _ in range(3):  # Adapter -> keystoneauth Session -> requests.Session
        if hasattr(found, "merge_environment_settings"):  # requests.Session
            return found
        found = getattr(found, "session", None)
        if found is None:
            return None
    return None


def environment_once(client: Any) -> None:
    """Read the proxy and CA-bundle variables once per host, not once per request.

    requests merges the environment into every request (``trust_env``): with the
    proxy variables that walks ``os.environ`` twice, about 0.8 ms a request, which is
    a third of a bulk write's client time. The environment does not change while gc
    runs, and the answer depends only on the host (``no_proxy``) and the request's
    own settings, so it is kept per host and settings."""
    session = requests_session(client)
    if session is None or getattr(session, "gc_environment_once", False):
        return
    merge = session.merge_environment_settings
    known: dict[tuple[Any, ...], dict[str, Any]] = {}

    def merged(url: str, proxies: Any, stream: Any, verify: Any, cert: Any) -> dict[str, Any]:
        parts = urlsplit(url)
        key = (
            parts.scheme,
            parts.netloc,
            tuple(sorted((proxies or {}).items())),
            stream,
            repr(verify),
            repr(cert),
        )
        found = known.get(key)
        if found is None:
            found = known[key] = merge(url, proxies, stream, verify, cert)
        return {**found, "proxies": dict(found.get("proxies") or {})}

    session.merge_environment_settings = merged
    session.gc_environment_once = True


def size_pool(client: Any, size: int) -> bool:
    """Keep up to ``size`` connections per host in the session under ``client`` (a
    keystoneauth adapter or session); the default pool when ``size`` fits in it.
    Returns whether a larger pool was mounted."""
    if size <= DEFAULT_POOL_SIZE:
        return False
    session = requests_session(client)
    if session is None:
        return False
    from keystoneauth1.session import TCPKeepAliveAdapter

    current = session.adapters.get("https://")
    # The TLS settings of the adapter it replaces (keystoneauth 5.11 and later have them).
    tls = {
        name: getattr(current, name)
        for name in ("tls_ciphers", "tls_min_version")
        if getattr(current, name, None) is not None
    }
    adapter = TCPKeepAliveAdapter(pool_connections=DEFAULT_POOL_SIZE, pool_maxsize=size, **tls)
    for scheme in ("https://", "http://"):
        session.mount(scheme, adapter)
    return True
