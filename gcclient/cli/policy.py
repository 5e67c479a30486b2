"""``gc install-policy`` and ``gc get-policy``: vmspolicyd policies."""

from __future__ import annotations

import argparse
from typing import Any

from gcclient.api import bodies
from gcclient.api.exceptions import CommandError
from gcclient.cli import classes


class InstallPolicy(classes.Command):
    """Install a vmspolicyd policy on every host

    Prints nothing on success. Without --wait the first host validates the
    policy and the others receive it in the background.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "policy_file",
            metavar="<file>",
            help="File with the policy in INI syntax ('-' reads standard input)",
        )
        parser.add_argument(
            "--wait",
            action="store_true",
            help="Install on every host synchronously and report every host that "
            "fails (the request's wait flag)",
        )
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> None:
        text = read_text(parsed_args.policy_file, "policy", self.app.stdin)
        self.operations(parsed_args).install_policy(text, wait=parsed_args.wait)


class GetPolicy(classes.Lister):
    """Show the policy applied to a launched server

    One row per line of the policy reported by the server's host.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "server",
            metavar="<server>",
            help="Launched server to show the policy of (name or ID)",
        )
        return parser

    @property
    def need_sort_by_cliff(self) -> bool:
        return False

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        wire = self.wire
        lines = wire.get_policy(wire.resolve(parsed_args.server))
        return ("Policy",), [(line,) for line in lines]


def read_text(path: str, what: str, stdin: Any) -> str:
    """A text file's content, at most 1 MiB (never more is read); '-' is standard
    input; a failure is a CommandError."""
    import os
    import stat

    limit = bodies.FILE_MAX + 1
    try:
        exact: int | None = None  # a regular file's size is known without reading it
        if path == "-":
            stream = getattr(stdin, "buffer", None)
            raw = stream.read(limit) if stream is not None else stdin.read(limit).encode()
        else:
            with open(path, "rb") as handle:
                info = os.fstat(handle.fileno())
                if stat.S_ISREG(info.st_mode):
                    exact = info.st_size
                raw = handle.read(limit)
        if exact is not None and exact > bodies.FILE_MAX:
            bodies.check_file_size(exact, True, what, path)
        bodies.check_file_size(len(raw), False, what, path)
        return raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise CommandError(
            f"Cannot read {what} file '{bodies.shorten(path, bodies.PATH_SHOWN)}': {reason}"
        ) from None
