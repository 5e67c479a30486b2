"""The bad-input catalogues as reStructuredText tables, so that docs/reliability.rst is
generated from the tests' case tables and checked against them (they cannot drift).

``python -m tests.functional.catalogue`` rewrites the tables in docs/reliability.rst;
tests/functional/cli/test_bad_input_adversarial.py fails when a table there differs.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOC = os.path.join(ROOT, "docs", "reliability.rst")
HEADER = """\
.. list-table::
   :header-rows: 1
   :widths: 18 10 30 5 37

   * - Case
     - Against
     - Command
     - Exit
     - stderr (``…``: prefix or last line)
"""


def show_arg(arg: str) -> str:
    """An argument as a shell would need it: escaped bytes, long values abridged."""
    if any("\udc80" <= ch <= "\udcff" for ch in arg) or not arg.isprintable():
        raw = arg.encode("utf-8", "surrogateescape")
        return "$'" + "".join(chr(b) if 32 <= b < 127 else f"\\x{b:02x}" for b in raw) + "'"
    if len(arg) > 60:
        return f"<{len(arg)} × {arg[0]}>" if len(set(arg)) == 1 else arg[:37] + "..."
    if arg == "" or re.search(r"[\s;|&<>$`\"'()]", arg):
        return "'" + arg + "'"
    return arg


def command_text(case: Any) -> str:
    env = " ".join(f"{key}={show_arg(value)}" for key, value in case.env.items())
    stdin = getattr(case, "stdin", None)
    argv = " ".join(show_arg(a) for a in case.argv)
    text = " ".join(part for part in (env, "gc", argv) if part)
    if stdin == "closed":
        text += " <&-"
    elif stdin is not None:
        text = f"echo {show_arg(stdin.strip())} | {text}" if len(stdin) < 40 else text + " < ..."
    for stream, fd in (("stdout", 1), ("stderr", 2)):
        if stream in getattr(case, "closed", ()):
            text += f" {fd}>&-"
    return text


def stderr_text(case: Any) -> str:
    text = case.err.rstrip()
    if not text:
        return "(none)"
    if case.match == "prefix":
        text += " …"
    elif case.match == "last":
        text = "… " + text
    return text


def rst_table(cases: Iterable[Any]) -> str:
    rows = [HEADER]
    for case in cases:
        rows.append(
            f"   * - {case.id}\n"
            f"     - {case.world}\n"
            f"     - ``{command_text(case)}``\n"
            f"     - {case.code}\n"
            f"     - {literal(stderr_text(case))}\n"
        )
    return "".join(rows)


def literal(text: str) -> str:
    return text if text == "(none)" else f"``{text}``"


def marker(name: str) -> str:
    return f".. catalogue: {name}\n\n"


def table_in(doc: str, name: str) -> tuple[int, int]:
    """Where the table after the ``.. catalogue: <name>`` comment starts and ends."""
    start = doc.index(marker(name)) + len(marker(name))
    end = start
    lines = doc[start:].splitlines(keepends=True)
    for index, line in enumerate(lines):
        if index and line.strip() and not line.startswith(" "):
            break
        end += len(line)
    return start, end


def rewrite(doc: str, tables: dict[str, str]) -> str:
    for name, table in tables.items():
        start, end = table_in(doc, name)
        doc = doc[:start] + table + "\n" + doc[end:].lstrip("\n")
    return doc


def tables() -> dict[str, str]:
    from tests.functional import adversarial, badinput

    return {
        "test_bad_input": rst_table(badinput.CASES),
        "test_bad_input_adversarial": rst_table(adversarial.CASES),
    }


if __name__ == "__main__":
    with open(DOC, encoding="utf-8") as handle:
        text = handle.read()
    new = rewrite(text, tables())  # before opening for writing: a failure keeps the doc
    with open(DOC, "w", encoding="utf-8") as handle:
        handle.write(new)
    sys.exit(0)
