"""Fixtures of the nova extension's unit modules: a novaclient Client with the
extension on a token endpoint (requests-mock answers), its manager, the capabilities
and nova's shell parser."""

from __future__ import annotations

import pytest
from keystoneauth1 import session, token_endpoint
from novaclient import api_versions
from novaclient import client as nova_client
from novaclient import shell as nova_shell

from .helpers import ALL_CAPS, BASE


@pytest.fixture
def nova():
    sess = session.Session(auth=token_endpoint.Token(BASE, "tok"))
    return nova_client.Client("2", session=sess, extensions=nova_client.discover_extensions("2"))


@pytest.fixture
def gc(nova):
    return nova.gridcentric


@pytest.fixture
def caps(requests_mock):
    return requests_mock.get(f"{BASE}/gcinfo", json={"capabilities": ALL_CAPS})


@pytest.fixture
def parser():
    shell = nova_shell.OpenStackComputeShell()
    shell.extensions = nova_client.discover_extensions("2")
    parser = shell.get_subcommand_parser(api_versions.APIVersion("2.0"), do_help=True, argv=[])
    return shell, parser
