"""python -m tests.realstack up|down|status [--purge]: the real stack in one command."""

from __future__ import annotations

import argparse
import sys

from .lifecycle import down, status, up
from .stack import HOME_ENV, StackError, layout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.realstack",
        description=(
            "Keystone 30, Nova 34, Placement 16 and Glance 33 from PyPI on loopback, "
            f"installed and kept under ${HOME_ENV} (default ~/.cache/gcclient-realstack)."
        ),
    )
    parser.add_argument("action", choices=("up", "down", "status"))
    parser.add_argument(
        "--purge", action="store_true", help="with down: also remove the populated state"
    )
    args = parser.parse_args(argv)
    lay = layout()
    try:
        if args.action == "up":
            up(lay)
        elif args.action == "down":
            down(lay, purge=args.purge)
        else:
            return 0 if status(lay) else 1
    except StackError as exc:
        print(f"realstack: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        down(lay)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
