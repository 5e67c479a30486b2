"""The ``nova`` shell commands of the Gridcentric extension: each converts its
arguments to the core's types (a :class:`~gcclient.core.launch_request.LaunchRequest` for
launch) and prints novaclient-style tables."""

from __future__ import annotations

import builtins
import contextlib
import functools
import json
import sys
from collections.abc import Iterable
from typing import Any

from novaclient import exceptions as nova_exc
from novaclient import utils

from gcclient.api.launch_options import LAUNCH_OPTIONS, Kind
from gcclient.core import interrupts
from gcclient.core.launch_request import LaunchRequest
from gcclient.core.ledger import Ledger, describe
from gcclient.nova.nova_manager import (
    NOVA_WORDS,
    NovaGridcentricManager,
    translated,
)


def _warn(message: str) -> None:
    print(f"WARNING: {message}", file=sys.stderr)


def _manager(cs: Any) -> NovaGridcentricManager:
    manager = getattr(cs, "gridcentric", None)
    if not isinstance(manager, NovaGridcentricManager):
        manager = NovaGridcentricManager(cs)
        with contextlib.suppress(AttributeError):
            cs.gridcentric = manager  # one manager (and ledger) per command
    manager.wire.warn = _warn
    return manager


def _text(value: Any) -> str:
    if value is None:
        return "-"
    return str(value).replace("\r", "")


def _networks(view: dict[str, Any]) -> builtins.list[tuple[str, str]]:
    addresses = view.get("addresses")
    if not isinstance(addresses, dict):
        return []
    rows = []
    for label in sorted(addresses, key=str):
        entries = addresses[label] if isinstance(addresses[label], list) else []
        addrs = [
            str(entry.get("addr")) if isinstance(entry, dict) else str(entry)
            for entry in entries
            if not isinstance(entry, dict) or entry.get("addr")
        ]
        rows.append((str(label), ", ".join(addrs)))
    return rows


def _reference(value: Any, missing: str) -> str:
    if isinstance(value, dict):
        return _text(value.get("id") or value.get("original_name") or missing)
    return _text(value) if value else missing


def print_server(server: Any) -> None:
    """One server as a Property/Value table (novaclient's print_dict), defensively (no
    extra requests)."""
    from novaclient import utils

    view = server.to_dict() if hasattr(server, "to_dict") else dict(server)
    rows: dict[str, str] = {}
    for key, value in view.items():
        if key in ("links", "addresses"):
            continue
        if key == "image":
            rows[key] = _reference(value, "Attempt to boot from volume - no image supplied")
        elif key == "flavor":
            rows[key] = _reference(value, "-")
        elif isinstance(value, (dict, list)):
            rows[key] = json.dumps(value, sort_keys=True)
        else:
            rows[key] = _text(value)
    for label, addrs in _networks(view):
        rows[f"{label} network"] = addrs
    utils.print_dict(rows)


def print_servers(servers: Iterable[Any]) -> None:
    """Servers as ``ID | Name | Status | Networks`` sorted by ID (novaclient's print_list)."""
    from novaclient import utils

    views = [s.to_dict() if hasattr(s, "to_dict") else dict(s) for s in servers]
    formatters = {
        "ID": lambda v: _text(v.get("id")),
        "Name": lambda v: _text(v.get("name")),
        "Status": lambda v: _text(v.get("status")),
        "Networks": lambda v: "; ".join(f"{label}={addrs}" for label, addrs in _networks(v)),
    }
    utils.print_list(views, list(formatters), formatters=formatters, sortby_index=0)


def _read_user_data(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise nova_exc.CommandError(f"Cannot read user data file '{path}': {exc.strerror}")


def _cli(func: Any) -> Any:
    """A nova shell command: input errors found before sending become one-line
    CommandErrors, like the manager's; Ctrl-C, SIGTERM and SIGHUP say what the
    command's writes left behind (novaclient only printed "... terminating nova
    client", or nothing), with the query that checks an unknown outcome, during the
    command and after it, until nova exits."""
    inner = translated(func)

    @functools.wraps(func)
    def run(cs: Any, args: Any) -> Any:
        manager = _manager(cs)
        ledger = manager.ledger = Ledger()
        try:
            with interrupts.told_to_the_end(lambda: describe(ledger, NOVA_WORDS)):
                return inner(cs, args)
        except KeyboardInterrupt as exc:
            ledger.interrupted_states()
            what = describe(ledger, NOVA_WORDS, waiting=ledger.waiting)
            word, code = interrupts.word_and_code(exc)
            print(f"{word}: {what}", file=sys.stderr)
            sys.exit(code)  # a SystemExit: novaclient's main lets it through
        finally:
            manager.ledger = None

    return run


# How nova reads each kind of launch option from its command line.
_REPEATED = (Kind.PAIRS, Kind.NIC)


def launch_options(func: Any) -> Any:
    """``nova launch``'s options, one per row of the launch options' table, in its
    order (novaclient's ``utils.arg`` puts each one first, hence reversed)."""
    for option in reversed(LAUNCH_OPTIONS):
        repeated = option.kind in _REPEATED
        func = utils.arg(
            "--" + option.option,
            metavar=option.nova.metavar,
            default=[] if repeated else None,
            help=option.nova.help,
            **({"action": "append"} if repeated else {}),
        )(func)
    return func


@utils.arg("server", metavar="<instance id>", help="ID of the instance to bless")
@_cli
def do_bless(cs: Any, args: Any) -> None:
    """Bless an instance"""
    print_server(_manager(cs).bless(args.server)[0])


@utils.arg(
    "--target",
    metavar="<target memory>",
    default=None,
    help="The memory target of the launched instance",
)
@utils.arg(
    "--params",
    metavar="<key=value>",
    action="append",
    default=[],
    help="Guest parameters to send to vms-agent",
)
@launch_options
@utils.arg("server", metavar="<blessed id>", help="ID of the blessed instance")
@_cli
def do_launch(cs: Any, args: Any) -> None:
    """Launch a new instance"""
    arguments = {}
    for option in LAUNCH_OPTIONS:
        value = getattr(args, option.dest)
        if option.kind is Kind.FILE and value is not None:
            value = _read_user_data(value)
        arguments[option.argument_name] = value
    request = LaunchRequest.from_arguments(
        target=args.target, params=args.params, words=NOVA_WORDS, **arguments
    )
    for warning in request.warnings:
        _warn(warning)
    launched = _manager(cs).launch_request(args.server, request)
    if len(launched) == 1:
        print_server(launched[0])
    else:  # a launch of several: each server it made
        print_servers(launched)


@utils.arg("server", metavar="<blessed id>", help="ID of the blessed instance")
@_cli
def do_discard(cs: Any, args: Any) -> None:
    """Discard a blessed instance"""
    _manager(cs).discard(args.server)


@utils.arg("server", metavar="<instance id>", help="ID of the instance to migrate")
@utils.arg("dest", metavar="<destination host>", nargs="?", default=None, help="Host to migrate to")
@_cli
def do_gc_migrate(cs: Any, args: Any) -> None:
    """Migrate an instance using Gridcentric VMS"""
    _manager(cs).migrate(args.server, args.dest)


@utils.arg("server", metavar="<blessed id>", help="ID of the blessed instance")
@_cli
def do_list_launched(cs: Any, args: Any) -> None:
    """List instances launched from this blessed instance."""
    print_servers(_manager(cs).list_launched(args.server))


@utils.arg("server", metavar="<server id>", help="ID of the instance")
@_cli
def do_list_blessed(cs: Any, args: Any) -> None:
    """List instances blessed from this instance."""
    print_servers(_manager(cs).list_blessed(args.server))
