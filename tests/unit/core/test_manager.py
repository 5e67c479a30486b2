"""gcclient/core/manager.py: the one manager behind both Python APIs takes a server
object, an ID or a name, looks a name up once through the wire, checks arguments
before any request, and hands each operation to Operations with a LaunchRequest."""

from __future__ import annotations

from typing import Any
from unittest.mock import Mock

import pytest

from gcclient.api import exceptions
from gcclient.api.gcwire import Wire
from gcclient.core.launch_request import LaunchRequest
from gcclient.core.manager import BaseGridcentricManager, server_id_of


class Obj:
    """A server object of this API (as novaclient's and gcclient's have)."""

    def __init__(self, view: dict[str, Any]) -> None:
        self.id = view["id"]
        self._view = view

    def to_dict(self) -> dict[str, Any]:
        return dict(self._view)


class Manager(BaseGridcentricManager):
    def __init__(self) -> None:
        self.wire = Mock(spec=Wire)
        self.wire.resolve.side_effect = lambda name: f"id-of-{name}"
        self.ops = Mock()

    @property
    def operations(self):  # type: ignore[override]
        return self.ops

    def _wrap(self, views):
        return [Obj(view) for view in views]

    def _is_server(self, server: Any) -> bool:
        return isinstance(server, Obj)


def test_server_id_of_an_object_or_a_string():
    assert server_id_of(Obj({"id": "s1"})) == "s1"
    assert server_id_of("web") == "web"


def test_a_server_object_is_used_by_its_id_without_a_lookup():
    manager = Manager()
    manager.ops.bless.return_value = [{"id": "b1"}]
    (blessed,) = manager.bless(Obj({"id": "s1"}), name="gold")
    manager.ops.bless.assert_called_once_with("s1", name="gold")
    manager.wire.resolve.assert_not_called()
    assert blessed.id == "b1"


def test_a_name_or_id_is_resolved_once_by_the_wire():
    manager = Manager()
    manager.discard("web-golden")
    manager.wire.resolve.assert_called_once_with("web-golden")
    manager.ops.discard.assert_called_once_with("id-of-web-golden")


def test_launch_builds_the_launch_request_from_the_options():
    manager = Manager()
    manager.ops.launch.return_value = [{"id": "c1"}, {"id": "c2"}]
    launched = manager.launch(
        "gold", "512MB", {"role": "web"}, name="clone", num_instances=2, user_data="#!"
    )
    assert [server.id for server in launched] == ["c1", "c2"]
    expected = LaunchRequest.build(
        target="512MB", guest_params={"role": "web"}, name="clone", num_instances=2, user_data="#!"
    )
    manager.ops.launch.assert_called_once_with("id-of-gold", expected)


def test_a_bad_launch_option_is_refused_before_any_request():
    manager = Manager()
    with pytest.raises(exceptions.GcError):
        manager.launch("gold", "lots")
    assert manager.wire.mock_calls == [] and manager.ops.mock_calls == []


def test_ensure_launched_takes_a_count_not_num_instances():
    manager = Manager()
    with pytest.raises(TypeError, match="takes count, not num_instances"):
        manager.ensure_launched("gold", 3, num_instances=3)
    assert manager.wire.mock_calls == []


@pytest.mark.parametrize("count", [0, "three", True])
def test_ensure_launched_checks_the_count_before_the_lookup(count):
    manager = Manager()
    with pytest.raises(exceptions.CommandError, match="Invalid number of servers to ensure"):
        manager.ensure_launched("gold", count)
    assert manager.wire.mock_calls == []


def test_delete_reads_the_view_of_an_object_and_finds_a_name():
    manager = Manager()
    manager.delete(Obj({"id": "s1", "metadata": {}}))
    manager.ops.delete_view.assert_called_with({"id": "s1", "metadata": {}})
    manager.wire.find.assert_not_called()
    manager.wire.find.return_value = {"id": "s2", "metadata": {}}
    manager.delete("web")
    manager.wire.find.assert_called_once_with("web")
    manager.ops.delete_view.assert_called_with({"id": "s2", "metadata": {}})


def test_reads_go_to_the_wire_and_come_back_wrapped():
    manager = Manager()
    manager.wire.list_launched.return_value = [{"id": "c1"}]
    manager.wire.list_servers.return_value = [{"id": "s1"}]
    manager.wire.find.return_value = {"id": "s1"}
    assert [s.id for s in manager.list_launched("gold")] == ["c1"]
    manager.wire.list_launched.assert_called_once_with("id-of-gold")
    assert [s.id for s in manager.list(status="ACTIVE")] == ["s1"]
    manager.wire.list_servers.assert_called_once_with(status="ACTIVE")
    assert manager.find("web").id == "s1"
