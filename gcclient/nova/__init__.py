"""The Gridcentric extension for python-novaclient.

Registered through the ``novaclient.extension`` entry point as ``gridcentric``:
``novaclient.client.Client("2", session=sess,
extensions=novaclient.client.discover_extensions("2"))`` then offers
``nova.gridcentric``, and ``nova`` gains ``bless``, ``launch``, ``discard``,
``gc-migrate``, ``list-launched`` and ``list-blessed``.

novaclient takes the last ``base.Manager`` subclass found in this module's
namespace as the manager class and every ``do_*`` function as a shell command,
so exactly one Manager class is imported here (from
:mod:`gcclient.nova.nova_manager`, under the name novaclient users know,
``GridcentricManager``) and the commands from :mod:`gcclient.nova.nova_shell`.
The entry point names this package: ``gridcentric = gcclient.nova``.
"""

from __future__ import annotations

from gcclient.nova.nova_manager import (
    NOVA_WORDS,
    GridcentricServer,
    to_novaclient_error,
)
from gcclient.nova.nova_manager import (
    NovaGridcentricManager as GridcentricManager,
)
from gcclient.nova.nova_shell import (
    do_bless,
    do_discard,
    do_gc_migrate,
    do_launch,
    do_list_blessed,
    do_list_launched,
    print_server,
    print_servers,
)

__all__ = [
    "NOVA_WORDS",
    "GridcentricManager",
    "GridcentricServer",
    "do_bless",
    "do_discard",
    "do_gc_migrate",
    "do_launch",
    "do_list_blessed",
    "do_list_launched",
    "print_server",
    "print_servers",
    "to_novaclient_error",
]
