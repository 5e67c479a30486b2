"""gcclient.nova (the package): the extension's registration with novaclient, one
manager class and the shell's do_* commands in its namespace (the manager is
tested in test_nova_manager.py, the shell commands in test_nova_shell.py)."""

import pkgutil

from novaclient import base
from novaclient import client as nova_client

from gcclient import nova as novaclient_ext

# -- registration ---------------------------------------------------------


def test_registered_by_entry_point_with_one_manager_class():
    found = [e for e in nova_client.discover_extensions("2") if e.name == "gridcentric"]
    assert len(found) == 1
    assert found[0].module is novaclient_ext
    assert found[0].manager_class is novaclient_ext.GridcentricManager
    managers = [
        value
        for value in vars(novaclient_ext).values()
        if isinstance(value, type) and issubclass(value, base.Manager)
    ]
    assert managers == [novaclient_ext.GridcentricManager]


def test_no_python_path_extension_module_is_shipped():
    names = [m.name for m in pkgutil.iter_modules() if m.name.endswith("_python_novaclient_ext")]
    assert names == []


def test_client_exposes_gridcentric(nova):
    assert isinstance(nova.gridcentric, novaclient_ext.GridcentricManager)
    assert nova.gridcentric.api is nova


def test_shell_commands_do_not_clash_with_nova(parser):
    shell, _ = parser
    import novaclient.v2.shell as v2

    builtin = {a[3:].replace("_", "-") for a in dir(v2) if a.startswith("do_")}
    ours = {a[3:].replace("_", "-") for a in dir(novaclient_ext) if a.startswith("do_")}
    assert ours == {"bless", "launch", "discard", "gc-migrate", "list-launched", "list-blessed"}
    assert ours.isdisjoint(builtin)
    assert ours <= set(shell.subcommands)
