"""gcclient/cli/application.py: the log filters that keep error lines non-empty and
passwords out, the console's level prefixes, the --timing table, completion of a
command's options, and standard streams that were closed."""

from __future__ import annotations

import datetime
import logging
import sys
from types import SimpleNamespace

import pytest

from gcclient.api import exceptions
from gcclient.cli import application


def record(msg: object, level: int = logging.ERROR, args: tuple = ()) -> logging.LogRecord:
    return logging.LogRecord("gc", level, __file__, 1, msg, args, None)


def test_an_error_without_text_is_told_by_its_type():
    made = record(RuntimeError())
    assert application.MessageFilter().filter(made)
    assert made.msg == "gc failed: RuntimeError (no message; --debug shows where)"


def test_an_error_with_text_is_left_alone():
    made = record(RuntimeError("boom"))
    assert application.MessageFilter().filter(made)
    assert str(made.msg) == "boom"


def test_a_gcclient_error_is_worded_for_gc():
    error = exceptions.UnknownOutcome(
        "gc_bless", server="s1", check=exceptions.Check("show", "s1"), reason="reset"
    )
    made = record(error)
    assert application.MessageFilter().filter(made)
    assert str(made.msg) == (
        "The gc_bless request was sent but its answer was lost (reset); it may have been "
        "carried out: check with gc show s1 before retrying"
    )


def test_passwords_in_urls_are_redacted_from_any_record():
    made = record("GET %s", logging.DEBUG, ("http://demo:s3cret@keystone:5000/v3",))
    assert application.RedactFilter().filter(made)
    assert made.getMessage() == "GET http://demo:***@keystone:5000/v3"


def test_the_console_prefixes_warnings_and_errors_only():
    formatter = application.ConsoleFormatter()
    assert formatter.format(record("careful", logging.WARNING)) == "WARNING: careful"
    assert formatter.format(record("bad", logging.ERROR)) == "ERROR: bad"
    assert formatter.format(record("Waiting", logging.INFO)) == "Waiting"


def test_the_timing_table_has_each_request_and_the_total():
    timings = [
        SimpleNamespace(
            method="POST", url="http://k/v3/auth/tokens", elapsed=datetime.timedelta(seconds=0.25)
        ),
        SimpleNamespace(method="GET", url="http://n/v2/s", elapsed=datetime.timedelta(seconds=1)),
    ]
    table = application.timing_table(timings)
    rows = [
        [cell.strip() for cell in line.split("|")[1:3]]
        for line in table.splitlines()
        if line.startswith("| ")
    ]
    assert rows == [
        ["URL", "Seconds"],
        ["POST http://k/v3/auth/tokens", "0.250"],
        ["GET http://n/v2/s", "1.000"],
        ["Total", "1.250"],
    ]


@pytest.fixture(scope="module")
def gc_app():
    return application.GcApp()


def test_options_of_a_command_complete(gc_app):
    found = application.command_completions(gc_app, ["launch"], "--num")
    assert found == ["--num-instances"]


def test_values_of_an_option_with_choices_complete(gc_app):
    found = application.command_completions(gc_app, ["list", "-f"], "")
    assert found == ["csv", "json", "table", "value", "yaml"]


def test_an_unknown_command_completes_nothing(gc_app):
    assert application.command_completions(gc_app, ["no-such-command"], "--") == []


def test_closed_streams_read_empty_and_write_nowhere(monkeypatch):
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stdin", None)
    application.open_closed_streams()
    assert sys.stdout.gc_closed is True  # type: ignore[union-attr]
    assert sys.stdin.read() == ""  # type: ignore[union-attr]
    sys.stdout.write("lost")  # type: ignore[union-attr]
    sys.stdout.close()  # type: ignore[union-attr]
    sys.stdin.close()  # type: ignore[union-attr]
