"""``launch --ensure N``: the core's ensure (:mod:`gcclient.core.ensure`) in gc's words.

The count, the launch of what is missing and the wait are the core's; this module
parses ``--ensure`` and says what existed, what was launched now, the ERROR servers
that were not counted and a surplus (two runs at once), however the command ends.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from gcclient.api import exceptions
from gcclient.api.bodies import shorten
from gcclient.cli import base

if TYPE_CHECKING:  # loaded when the command runs, not for --help
    from gcclient.core.ensure import Ensured
    from gcclient.core.launch_request import LaunchRequest
    from gcclient.core.operations import Operations


def count_type(value: str) -> int:
    """An argparse type: a whole number of at least 1 (exit 2 otherwise)."""
    count = base.whole_number(value)
    if count < 1:
        raise argparse.ArgumentTypeError(f"invalid value '{shorten(value)}': it must be at least 1")
    return count


def add_argument(group: Any) -> None:
    group.add_argument(
        "--ensure",
        metavar="<count>",
        type=count_type,
        help="Make sure <count> servers launched from the live image exist (named --name "
        "when given; ERROR servers do not count): launch only the missing ones, never "
        "delete. Safe to retry, not a lock",
    )


def _ids(views: list[dict[str, Any]]) -> str:
    return ", ".join(str(v.get("id")) for v in views)


def _listed(views: list[dict[str, Any]]) -> str:
    return f" ({_ids(views)})" if views else ""


def existed(result: Ensured) -> str:
    """The start of the closing line: what was counted before the launch."""
    named = f" named {result.name}" if result.name is not None else ""
    head = f"--ensure {result.count}: servers launched from {result.live_image}{named}: "
    return head + f"{len(result.existing)} existed{_listed(result.existing)}"


def accounting(result: Ensured) -> str:
    """The closing line: how many existed and how many were launched now, with IDs."""
    if not result.requested:
        return existed(result) + "; none launched"
    if len(result.launched) > result.requested:  # another launch at the same time
        return existed(result) + (
            f"; {result.requested} launched now, among the {len(result.launched)} that "
            f"appeared since the count{_listed(result.launched)}"
        )
    return existed(result) + f"; {len(result.launched)} launched now{_listed(result.launched)}"


def warnings(command: Any, result: Ensured) -> list[str]:
    """ERROR servers not counted, servers being deleted, and a surplus."""
    found = []
    if result.errored:
        found.append(
            f"{len(result.errored)} server(s) launched from {result.live_image} in ERROR "
            f"were not counted: {_ids(result.errored)} (they are not deleted: delete them "
            "if they are not wanted)"
        )
    if result.going:
        found.append(
            f"{len(result.going)} server(s) being deleted were not counted: {_ids(result.going)}"
        )
    if result.surplus:
        text = (
            f"{len(result.counted)} servers launched from {result.live_image} count where "
            f"{result.count} were ensured: {_ids(result.counted)}"
        )
        if result.requested:
            text += (
                "; another launch from the same live image ran at the same time "
                "(--ensure is safe to retry, not a lock) and its servers cannot be told "
                f"from this one's; the answer to this launch named {_ids(result.answer)}"
            )
        text += "; nothing is deleted"
        found.append(text)
    return found


def run(
    command: Any,
    ops: Operations,
    blessed_id: str,
    request: LaunchRequest,
    parsed_args: argparse.Namespace,
) -> list[dict[str, Any]]:
    """The ensure, told however it ends; returns the servers to show."""
    from gcclient.core.ensure import EnsureRun

    ensure = EnsureRun(ops, blessed_id, parsed_args.ensure, request)
    ensure.count_existing()
    try:
        result = ensure.launch()
    except exceptions.GcError as exc:
        assert ensure.result is not None
        if isinstance(exc, exceptions.WaitFailed):
            # The launch was carried out; only the listing after it failed.
            command.summary.append(accounting(ensure.result))
            command.failure = exc
            return list(ensure.result.servers)
        done = ensure.result
        made = f"; {done.requested} launched now{_listed(done.answer)}" if done.requested else ""
        rest = ensure.missing - done.requested
        one_by_one = len(ops.ledger.of("launch")) > 1
        command.summary.append(existed(done) + made + _not_done(rest, exc, one_by_one))
        raise
    if parsed_args.wait:
        with base.polling(command, parsed_args) as poll:
            try:
                result = command.after_write(lambda: ensure.wait(poll), result)
            except exceptions.WaitError as exc:
                command.failure = exc  # nothing was launched: the servers are still shown
    for warning in warnings(command, result):
        base.LOG.warning(warning)
    command.summary.append(accounting(result))  # after the wait: its last listing
    return list(result.servers)


def _not_done(missing: int, error: BaseException, one_by_one: bool) -> str:
    """What is known of the launch that failed (and, one server a request, the rest)."""
    what = f"; the launch of {missing} more"
    unsent = ""
    if one_by_one:
        what = "; the launch of 1 more"
        if missing > 1:
            unsent = f" ({missing - 1} more were not sent)"
    if isinstance(error, exceptions.UnknownOutcome):
        return (
            f"{what} may have been carried out{unsent}: running the same command again "
            "counts what it made and launches only what is missing"
        )
    if isinstance(error, exceptions.ConnectionFailure) and not error.sent:
        return f"{what} was not sent{unsent}"
    if isinstance(error, exceptions.CommandError):
        return f"{what} was not sent{unsent}"
    return f"{what} failed{unsent}"
