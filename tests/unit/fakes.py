"""One fake wire for the unit tests that run core code and commands without HTTP.

It answers the ``gcclient.api.gcwire`` calls those tests make from an in-memory project (servers by
ID, capabilities, flavors, images) and records every call in ``calls``, so a test asserts the
exact requests a path costs.
"""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

from gcclient.api.exceptions import ExtensionMissing, NotFound


def view(server_id: str, name: str, status: str = "ACTIVE", created: str = "", **metadata: str):
    """A server as nova shows it, with the gridcentric metadata keys given."""
    return {
        "id": server_id,
        "name": name,
        "status": status,
        "created": created,
        "metadata": metadata,
    }


def web_and_image() -> list[dict[str, Any]]:
    """A source server 'web' (s1) and one live-image 'img' (b1) blessed from it."""
    return [view("s1", "web"), view("b1", "img", "BLESSED", blessed_from="s1")]


class FakeWire:
    """Servers by ID, capabilities, flavors and images; counts every request."""

    def __init__(self, servers=None, caps=("launch-name", "user-data", "made-up")):
        servers = web_and_image() if servers is None else servers
        self.servers = {s["id"]: s for s in servers}
        self.caps = list(caps)
        self.calls: list[tuple[Any, ...]] = []

    def capabilities(self):
        self.calls.append(("capabilities",))
        return self.caps

    offered = True  # False: a cloud without the Gridcentric extension

    def offered_capabilities(self):
        if not self.offered:
            self.calls.append(("offered_capabilities",))
            raise ExtensionMissing("This cloud does not offer the Gridcentric extension")
        return self.capabilities()

    def get(self, server_id):
        self.calls.append(("get", server_id))
        if server_id not in self.servers:
            raise NotFound(f"Instance {server_id} could not be found.")
        return self.servers[server_id]

    def find(self, name):
        self.calls.append(("find", name))
        for server in self.servers.values():
            if name in (server["id"], server["name"]):
                return server
        raise NotFound(f"No server with a name or ID of '{name}' exists.")

    def list_blessed(self, server_id):
        self.calls.append(("list_blessed", server_id))
        return [s for s in self.servers.values() if s["metadata"].get("blessed_from") == server_id]

    def list_launched(self, server_id):
        self.calls.append(("list_launched", server_id))
        return [s for s in self.servers.values() if s["metadata"].get("launched_from") == server_id]

    def list_servers_page(self, params):
        """Pages of ``limit`` servers after ``marker``, linked like nova's."""
        self.calls.append(("list_servers_page", params.get("marker")))
        views = list(self.servers.values())
        if "marker" in params:
            views = views[[v["id"] for v in views].index(params["marker"]) + 1 :]
        limit = int(params["limit"])
        more = len(views) > limit
        views = views[:limit]
        return views, (views[-1]["id"] if more else None)

    def list_flavors(self):
        self.calls.append(("list_flavors",))
        return [{"id": "1", "name": "m1.tiny"}, {"id": "abc", "name": "odd"}]

    def list_images(self, **filters):
        self.calls.append(("list_images", filters))
        return [{"id": "i-1", "name": "cirros"}, {"id": "i-2", "name": "cirros-x"}]


class FakeApp:
    """What a gc command reads of its app, for calling ``take_action`` directly: the
    client manager's ``wire`` (a FakeWire, or a Wire on requests-mock), stdout and
    stderr (not terminals) and the global options."""

    def __init__(self, wire: Any) -> None:
        self.client_manager = SimpleNamespace(wire=wire)
        self.stdout = io.StringIO()
        self.stderr = io.StringIO()
        self.options = SimpleNamespace(verbose_level=1, debug=False)


def command(cls: type, wire: Any, name: str, argv: list[str]) -> tuple[Any, Any]:
    """(command, parsed args): ``cls`` as ``gc name`` on a FakeApp, argv parsed by its
    own parser."""
    cmd = cls(FakeApp(wire), None, cmd_name=name)
    return cmd, cmd.get_parser(f"gc {name}").parse_args(argv)
