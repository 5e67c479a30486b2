"""gcclient: a client for Gridcentric VMS live images on OpenStack.

Imports stay lazy so that the ``gc`` command starts fast.
"""

from __future__ import annotations

from typing import Any

from gcclient.version import __version__

__all__ = ["Client", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "Client":
        from gcclient.client import Client

        return Client
    if name == "exceptions":
        import importlib

        return importlib.import_module("gcclient.api.exceptions")
    raise AttributeError(name)
