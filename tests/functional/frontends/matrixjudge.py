"""The fault matrix's classifier: what a front-end said (stdout, every line of
stderr, the exit code) judged against what gc-simulator did (its journal and the
servers of its state), with the outputs issue 21 found as its tests."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.functional.frontends.faultmatrix import Outcome, Scenario

SIGNAL_EXITS = {2: 130, 15: 143, 1: 129}  # SIGINT, SIGTERM, SIGHUP
SIGNAL_WORDS = {2: "Interrupted", 15: "Terminated", 1: "Hangup"}
WRITE_KEYS = ("gc_bless", "gc_launch", "gc_discard", "gc_migrate", "gc_export")
# The word of each write in the front-ends' sentences ("the bless of X was not sent").
WORDS = {
    "gc_bless": "bless",
    "gc_launch": "launch",
    "gc_discard": "discard",
    "gc_migrate": "migrat",
    "gc_export": "export",
    "DELETE": "delet",
    "boot": "boot",
    "import": "import",
    "policy": "install-policy",
}
NOVA_TERMINATING = "... terminating nova client"
NOVA_DEPRECATED = "nova CLI is deprecated and will be removed in a future release"


def writes(journal: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The write requests of a journal, each with its ``word`` (WORDS' key)."""
    found = []
    for entry in journal:
        body = entry.get("body")
        method, path = entry["method"], entry["path"]
        if "/v2/" not in path:
            continue
        key = next(iter(body)) if isinstance(body, dict) and body else None
        word = None
        if method == "DELETE":
            word = "DELETE"
        elif method == "POST" and key in WRITE_KEYS:
            word = key
        elif method == "POST" and path.endswith("/servers"):
            word = "boot"
        elif method == "POST" and path.endswith("/gc-import-server"):
            word = "import"
        elif method == "POST" and path.endswith("/gcpolicy"):
            word = "policy"
        if word is not None:
            found.append(dict(entry, word=word))
    return found


def carried_out(entry: dict[str, Any]) -> bool:
    return bool(entry["processed"]) and (entry["status"] or 200) < 400


SAID_DONE = ("carried out", "was done", "were created", "was created", " done", "unknown")
COUNT_FAILED = re.compile(r"(\d+) of (\d+) (\S+) operations failed")
COUNT_SENT = re.compile(r"(\d+) of (\d+) (\S+?)s were sent")
ACCOUNTING = re.compile(
    r"^(\d+) (\S+): (\d+) done.*?, (\d+) failed.*?, (\d+) not attempted.*?, (\d+) unknown"
)


def _of(noun: str, carried: list[dict[str, Any]]) -> int:
    """How many of the carried-out writes a noun ("deletions", "delete") counts."""
    return sum(1 for e in carried if noun.startswith(WORDS[e["word"]]))


def judge(scenario: Scenario, outcome: Outcome) -> list[str]:
    """The mismatches of one run: every line of stderr is judged, the last included."""
    found: list[str] = []
    sent = writes(outcome.journal)
    carried = [e for e in sent if carried_out(e)]
    carried_words = {WORDS[e["word"]] for e in carried}
    lines = [line for line in outcome.err.splitlines() if line != NOVA_DEPRECATED]
    if starting(outcome):
        lines = []  # Python's traceback of an import: nothing of the front-end's yet
    said = outcome.out + outcome.err
    if outcome.hang:
        found.append("hang")
    if "Traceback" in outcome.err and not starting(outcome):
        found.append("traceback")
    keys = [(e["method"], e["path"], e["word"]) for e in sent]
    if len(keys) != len(set(keys)):
        found.append("a write sent twice")
    for line in lines:
        text = line.strip()
        if text in ("", "ERROR:", "WARNING:") or text.endswith(": None"):
            found.append(f"empty message: {line!r}")
        if carried and "safe to try again" in line:
            found.append(f"safe to try again after a carried-out write: {line!r}")
        if carried and "nothing was sent" in line:
            found.append(f"nothing sent, said after a carried-out write: {line!r}")
        # One write: a line saying it was not sent, after it was carried out. (Bulk runs
        # and cascades are judged by their counts and accounting lines below.)
        if not scenario.several and "was not sent" in line:
            if any(word in line for word in carried_words):
                found.append(f"a carried-out write said not sent: {line!r}")
        for failed, total, noun in COUNT_FAILED.findall(line):
            if int(failed) > int(total) - _of(noun, carried):
                found.append(f"carried-out writes counted as failed: {line!r}")
        for count, _total, noun in COUNT_SENT.findall(line):
            if int(count) < _of(noun, carried):
                found.append(f"fewer said sent than were carried out: {line!r}")
        match = ACCOUNTING.match(line)
        if match:
            total, noun, _, failed, not_attempted, _ = match.groups()
            if int(failed) + int(not_attempted) > int(total) - _of(noun, carried):
                found.append(f"carried-out writes accounted as failed: {line!r}")
    last = lines[-1] if lines else ""
    single = not scenario.several and len(sent) == 1
    if outcome.code not in (0,) and carried and single and not outcome.hang:
        if not any(w in last for w in SAID_DONE) and "may have been carried out" not in last:
            found.append(f"the last line calls a carried-out write a failure: {last!r}")
    if outcome.code not in (0, 1) and outcome.signum is None and not outcome.hang:
        found.append(f"exit {outcome.code}")
    if outcome.signum is not None and outcome.code != 0 and not outcome.hang:
        word = SIGNAL_WORDS[outcome.signum]
        # novaclient's own line, for a Ctrl-C before the extension's command started
        # (while it authenticates or loads extensions): nothing was sent.
        novas = scenario.frontend == "nova" and last == NOVA_TERMINATING and not sent
        if (
            outcome.code == SIGNAL_EXITS[outcome.signum]
            and not last.startswith(f"{word}: ")
            and not novas
        ):
            found.append(f"interrupted without its line: {last!r}")
        if outcome.code < 0 and sent:
            found.append(f"killed by {word} in silence after a write was sent")
        elif outcome.code not in (1, SIGNAL_EXITS[outcome.signum]) and outcome.code >= 0:
            found.append(f"exit {outcome.code} after {word}")
    if outcome.code == 0 and not carried:
        found.append("success claimed for a write not carried out")
    if scenario.creates and (outcome.code == 0 or "was carried out" in outcome.err):
        created = [i for i in outcome.after if i not in outcome.before]
        missing = [i for i in created if i not in said]
        # A server not named is a mismatch unless gc said that some are not known and
        # named the query that lists them (the listing after the launch failed).
        if missing and " for the others" not in outcome.err:
            found.append(f"created servers not named: {missing}")
    return found


def told(outcome: Outcome) -> str:
    """What the run's last line (or its exit 0) told: the figures' rows."""
    lines = [line for line in outcome.err.splitlines() if line != NOVA_DEPRECATED]
    err = lines[-1] if lines else ""
    if outcome.hang:
        return "hang"
    if starting(outcome):
        return "interrupted while starting"
    if outcome.signum is not None and outcome.code in SIGNAL_EXITS.values():
        return "interrupted"
    if outcome.code == 0:
        return "done"
    if "may have been carried out" in err or "unknown outcome" in err:
        return "unknown"
    if "was carried out" in err:
        return "done, wait failed"
    if "was not sent" in err:
        return "not sent"
    return "failed"


def starting(outcome: Outcome) -> bool:
    """A signal that came while the interpreter was still starting (Python's own
    KeyboardInterrupt traceback from an import, before any request reached the
    simulator): nothing was sent. Counted apart, as "interrupted while starting":
    nova's startup (novaclient's imports) is outside gcclient."""
    return (
        outcome.signum is not None
        and outcome.err.rstrip().endswith("KeyboardInterrupt")
        and not outcome.journal
    )
