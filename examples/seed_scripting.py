#!/usr/bin/env python3
"""The seed README's scripting example, on today's python-novaclient.

Usage: seed_scripting.py [IMAGE_ID [FLAVOR_ID]]

Credentials come from the OS_* variables (OS_AUTH_URL, OS_USERNAME,
OS_PASSWORD, OS_PROJECT_NAME or OS_TENANT_NAME, ...). Without arguments the
first available image and flavor are used. GC_EXAMPLE_POLL sets the polling
interval in seconds (default 30, as in the seed).

Changes from the seed: Python 3, a keystoneauth session from the environment,
extensions found by ``discover_extensions`` (the ``gridcentric`` entry point),
image and flavor defaults, the poll interval, and a wait that stops on ERROR.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from keystoneauth1 import loading, session
from novaclient import client as nova_client
from novaclient import exceptions as nova_exceptions

POLL = float(os.environ.get("GC_EXAMPLE_POLL", "30"))


def session_from_env() -> session.Session:
    """A keystoneauth session from the OS_* variables."""
    loader = loading.get_plugin_loader(os.environ.get("OS_AUTH_TYPE", "password"))
    aliases = {"project_name": "OS_TENANT_NAME", "project_id": "OS_TENANT_ID"}
    options = {}
    for option in loader.get_options():
        name = option.dest
        value = os.environ.get("OS_" + name.upper()) or os.environ.get(aliases.get(name, ""))
        if value:
            options[name] = value
    verify: bool | str = os.environ.get("OS_CACERT") or not os.environ.get("OS_INSECURE")
    return session.Session(auth=loader.load_from_options(**options), verify=verify)


sess = session_from_env()
extensions = nova_client.discover_extensions("2")
novaclient = nova_client.Client(
    "2",
    session=sess,
    extensions=extensions,
    endpoint_type=os.environ.get("OS_INTERFACE", "public"),
    region_name=os.environ.get("OS_REGION_NAME"),
)


def wait_for_status(server: Any, status: str) -> Any:
    while server.status != status:
        if server.status == "ERROR":
            raise SystemExit(f"Server {server.id} went to ERROR while waiting for {status}")
        time.sleep(POLL)
        server = novaclient.gridcentric.get(server.id)
    return server


def wait_until_gone(server: Any) -> None:
    try:
        while True:
            server = novaclient.gridcentric.get(server.id)
            time.sleep(POLL)
    except nova_exceptions.NotFound:
        # server is no longer there.
        pass


def first_image_id() -> str:
    try:
        return next(iter(novaclient.glance.list())).id
    except Exception:
        _, body = novaclient.client.get("/images")
        return body["images"][0]["id"]


# Boot a new server using the image passed in as the first argument (or the first image)
# and the flavor passed as the second (or the first flavor).
image_id = sys.argv[1] if len(sys.argv) > 1 else first_image_id()
flavor_id = sys.argv[2] if len(sys.argv) > 2 else novaclient.flavors.list()[0].id
server = novaclient.servers.create("Gridcentric instance", image_id, flavor_id)
server = wait_for_status(server, "ACTIVE")

# Bless the server. This will return an instance of the blessed_server. We need to
# wait until the server becomes active.
blessed_server = novaclient.gridcentric.bless(server)[0]
blessed_server = wait_for_status(blessed_server, "BLESSED")

# Launch a new server based off of the blessed one. Note that we can do this
# by either calling launch on the server itself, or passing the server into the
# gridcentric manager.
launched_server = blessed_server.launch()[0]
launched_server2 = novaclient.gridcentric.launch(blessed_server)[0]

# list the servers that were launched from the blessed ones.
for s in blessed_server.list_launched():
    print(f"Server {s.id} was launched from {blessed_server.id}")

# Delete the launched servers.
launched_server2 = wait_for_status(launched_server2, "ACTIVE")
launched_server2.delete()
launched_server = wait_for_status(launched_server, "ACTIVE")
novaclient.servers.delete(launched_server)

# We need to ensure that the launched instances have been deleted before discarding
# the blessed instance.
wait_until_gone(launched_server2)
wait_until_gone(launched_server)

# Delete the original server. Note we can delete this server
# and keep the blessed one around.
server.delete()

# Discard the blessed server
blessed_server.discard()
