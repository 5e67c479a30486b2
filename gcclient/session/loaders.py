"""keystoneauth's loaders for the common auth types, found without an entry-point scan.

``loading.get_plugin_loader`` asks stevedore, which indexes every installed entry
point (about 12 ms a command, and 0.1-0.2 s whenever stevedore rebuilds its
index). The common types' loader classes are imported by path instead; other
types use the scan. Used by every front-end that connects (gc, the Python API),
and by gc to add the options of other auth types.

The private hook, tested on the floor environment (keystoneauth1 5.10.0) and the
newest release (keystoneauth1 5.18.1); tests/unit/cli/test_startup.py fails when a
private attribute of a library is used outside this module and gcclient/cli/startup.py:

``keystoneauth1.loading._plugins`` (keystoneauth1 5.10.0, 5.18.1)
    The loader classes of the common auth types, imported by path (LOADERS) instead
    of ``loading.get_plugin_loader``'s entry-point scan.
"""

from __future__ import annotations

import importlib
from typing import Any

# keystoneauth's loaders for the common auth types, as its entry points name them.
LOADERS = {
    "password": "keystoneauth1.loading._plugins.identity.generic:Password",
    "token": "keystoneauth1.loading._plugins.identity.generic:Token",
    "v2password": "keystoneauth1.loading._plugins.identity.v2:Password",
    "v2token": "keystoneauth1.loading._plugins.identity.v2:Token",
    "v3password": "keystoneauth1.loading._plugins.identity.v3:Password",
    "v3token": "keystoneauth1.loading._plugins.identity.v3:Token",
    "v3applicationcredential": "keystoneauth1.loading._plugins.identity.v3:ApplicationCredential",
    "admin_token": "keystoneauth1.loading._plugins.admin_token:AdminToken",
    "none": "keystoneauth1.loading._plugins.noauth:NoAuth",
}


def auth_loader(auth_type: str) -> Any:
    """The keystoneauth loader of an auth type; other types go through its entry points."""
    target = LOADERS.get(auth_type)
    if target:
        module, _, attr = target.partition(":")
        try:
            return getattr(importlib.import_module(module), attr)()
        except (ImportError, AttributeError):
            pass
    from keystoneauth1 import loading

    return loading.get_plugin_loader(auth_type)
