#!/usr/bin/env python3
"""The commit rule of docs/contributing.rst, as pre-commit's commit-msg hook: a
subject of at most 72 characters, a blank line, and a body that says why."""

from __future__ import annotations

import sys

SUBJECT_MAX = 72


def problems(message: str) -> list[str]:
    """What is wrong with a commit message (comment lines and the diff git appends
    under ``--verbose`` are not part of it)."""
    lines = []
    for line in message.splitlines():
        if line.startswith("# ------------------------ >8 ------------------------"):
            break
        if not line.startswith("#"):
            lines.append(line.rstrip())
    while lines and not lines[-1]:
        lines.pop()
    if not lines or not lines[0]:
        return ["the subject line is empty"]
    found = []
    subject = lines[0]
    if subject.startswith(("Merge ", "Revert ", "fixup! ", "squash! ")):
        return []
    if len(subject) > SUBJECT_MAX:
        found.append(f"the subject has {len(subject)} characters (at most {SUBJECT_MAX})")
    if len(lines) > 1 and lines[1]:
        found.append("the subject is not followed by a blank line")
    if not any(line.strip() for line in lines[1:]):
        found.append("there is no body: say why the change is made")
    return found


def main(argv: list[str]) -> int:
    with open(argv[1], encoding="utf-8") as handle:
        found = problems(handle.read())
    for problem in found:
        sys.stderr.write(f"commit message: {problem} (docs/contributing.rst)\n")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
