"""The one Gridcentric manager behind both Python APIs.

``gcclient.Client().gridcentric`` and novaclient's ``nova.gridcentric`` are this
class with their own server objects (``_wrap``) and, for novaclient, its own
exceptions; every operation is written here once, over :class:`Operations`.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import Any

from gcclient.api import exceptions
from gcclient.api.gcwire import Server, Wire
from gcclient.core import ensure, waiting
from gcclient.core import ledger as ledger_module
from gcclient.core.launch_request import LaunchRequest
from gcclient.core.ledger import Ledger
from gcclient.core.operations import Operations


def server_id_of(server: Any) -> str:
    return str(getattr(server, "id", server))


class BaseGridcentricManager:
    """The Gridcentric operations; each takes a server object, an ID or a name."""

    wire: Wire
    words: exceptions.Words = exceptions.PLAIN

    def _wrap(self, views: Iterable[Server]) -> builtins.list[Any]:
        raise NotImplementedError

    def _is_server(self, server: Any) -> bool:
        """Whether ``server`` is an object of this API (its ID needs no lookup)."""
        raise NotImplementedError

    # The ledger a front-end reads after an interruption (the nova shell's); None:
    # each operation keeps its own.
    ledger: Ledger | None = None

    @property
    def operations(self) -> Operations:
        return Operations(self.wire, self.ledger)

    def _resolve(self, server: Any) -> str:
        if self._is_server(server):
            return str(server.id)
        return self.wire.resolve(server_id_of(server))

    def _view(self, server: Any) -> Server:
        if self._is_server(server):
            return dict(server.to_dict())
        return self.wire.find(server_id_of(server))

    def get(self, server: Any) -> Any:
        return self._wrap([self.wire.find(server_id_of(server))])[0]

    def find(self, name_or_id: str) -> Any:
        return self.get(name_or_id)

    def list(self, **filters: str) -> builtins.list[Any]:
        return self._wrap(self.wire.list_servers(**filters))

    def bless(self, server: Any, *, name: str | None = None) -> builtins.list[Any]:
        return self._wrap(self.operations.bless(self._resolve(server), name=name))

    def launch(
        self,
        server: Any,
        target: str | None = None,
        guest_params: dict[str, str] | None = None,
        *,
        params: dict[str, str] | None = None,
        **options: Any,
    ) -> builtins.list[Any]:
        """Launch from a blessed server. ``target`` follows the memory-target grammar
        (``512MB``); ``params``/``guest_params`` go to the in-guest agent; ``options``
        are the launch options' keys (:data:`gcclient.api.launch_options.LAUNCH_OPTIONS`:
        ``name``, ``num_instances``, ``user_data`` (raw; base64-encoded for the
        request), ``security_groups``, ``availability_zone``, ``key_name``,
        ``scheduler_hints``, ``networks``)."""
        request = LaunchRequest.build(
            target=target, params=params, guest_params=guest_params, **options
        )
        return self.launch_request(server, request)

    def launch_request(self, server: Any, request: LaunchRequest) -> builtins.list[Any]:
        """Every server the launch made (a launch of several lists them after it);
        a count that differs from the request's is a warning through the wire's."""
        operations = self.operations
        launched = operations.launch(self._resolve(server), request)
        if isinstance(operations.ledger, Ledger):  # (a test's stand-in has none)
            for notice in ledger_module.notices(operations.ledger, self.words):
                self.wire.warn(notice)
        return self._wrap(launched)

    def ensure_launched(
        self,
        server: Any,
        count: int,
        target: str | None = None,
        guest_params: dict[str, str] | None = None,
        *,
        params: dict[str, str] | None = None,
        wait: bool = False,
        timeout: float = 600.0,
        **options: Any,
    ) -> ensure.Ensured:
        """Make sure ``count`` servers launched from a live image exist: count those
        launched from it (named ``name`` when given), not in ERROR nor being deleted,
        and launch only the missing ones; never delete. Safe to retry (after a lost
        answer, the next call counts what the lost launch made), not a lock: two calls
        at once may both launch, which the result's ``surplus`` tells. The options are
        :meth:`launch`'s but ``num_instances``; ``wait`` waits until all are ACTIVE.
        The result's lists (``existing``, ``launched``, ``errored``, ...) hold this
        API's server objects."""
        if "num_instances" in options:
            raise TypeError("ensure_launched() takes count, not num_instances")
        count = ensure.check_count(count)  # before any request, the lookup included
        request = LaunchRequest.build(
            target=target, params=params, guest_params=guest_params, **options
        )
        poller = waiting.Poller(timeout) if wait else None
        result = ensure.ensure_launched(
            self.operations, self._resolve(server), count, request, poller
        )
        return result.map(self._wrap)

    def discard(self, server: Any) -> None:
        self.operations.discard(self._resolve(server))

    def migrate(self, server: Any, dest: str | None = None) -> None:
        self.operations.migrate(self._resolve(server), dest)

    def list_launched(self, server: Any) -> builtins.list[Any]:
        return self._wrap(self.wire.list_launched(self._resolve(server)))

    def list_blessed(self, server: Any) -> builtins.list[Any]:
        return self._wrap(self.wire.list_blessed(self._resolve(server)))

    def delete(self, server: Any) -> None:
        """Delete a regular or launched server; a blessed one is refused (discard it)."""
        self.operations.delete_view(self._view(server))

    def export(self, server: Any) -> dict[str, Any]:
        return self.operations.export(self._resolve(server))

    def import_server(self, data: dict[str, Any]) -> Any:
        return self._wrap([self.operations.import_server(data)])[0]

    def install_policy(self, policy: str, *, wait: bool = False) -> None:
        self.operations.install_policy(policy, wait=wait)

    def get_policy(self, server: Any) -> builtins.list[str]:
        return self.wire.get_policy(self._resolve(server))

    def capabilities(self) -> builtins.list[str]:
        return self.wire.capabilities()
