"""UUID normalisation, ambiguity messages, auth URL checks and userinfo redaction."""

from __future__ import annotations

import logging

import pytest

from gcclient.api import names
from gcclient.api.exceptions import AuthSettingsError
from gcclient.cli import application as app
from gcclient.session import settings as auth

UUID = "6f1c8a52-3b7e-4c39-9a0f-2d4e5b6c7d8e"


@pytest.mark.parametrize(
    "given", [UUID, UUID.upper(), UUID.replace("-", ""), f" {UUID.upper().replace('-', '')} "]
)
def test_uuids_are_normalised(given):
    assert names.normalise_uuid(given) == UUID


@pytest.mark.parametrize("given", ["web", UUID[:-1], UUID + "0", "g" * 32])
def test_other_values_are_not_uuids(given):
    assert names.normalise_uuid(given) is None


def test_ambiguity_lists_ten_candidates_then_how_many_more():
    matches = [{"id": f"id-{n}", "name": "web", "status": "ACTIVE"} for n in range(12)]
    text = names.ambiguous_text("web", matches)
    assert text.startswith(
        "Multiple server matches found for 'web', use an ID to be more specific: "
        "id-0 (web, ACTIVE), id-1 (web, ACTIVE), "
    )
    assert text.endswith("id-9 (web, ACTIVE) and 2 more")
    assert names.ambiguous_text("web", matches[:2]).endswith("id-1 (web, ACTIVE)")


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("127.0.0.1:5000/v3", "it has no scheme; use http://127.0.0.1:5000/v3 or https://"),
        ("keystone/v3", "it has no scheme"),
        ("ftp://k/v3", "expected http(s)://<host>[:port]/..."),
        ("http:///v3", "expected http(s)://<host>[:port]/..."),
    ],
)
def test_unusable_auth_urls_are_refused(url, rule):
    with pytest.raises(AuthSettingsError, match="^Invalid auth URL") as caught:
        auth.check_auth_url(url)
    assert rule in str(caught.value)


def test_userinfo_passwords_are_redacted():
    assert auth.redact("Cannot reach http://demo:s3cret@k:5000/v3: x") == (
        "Cannot reach http://demo:***@k:5000/v3: x"
    )
    assert auth.redact("https://u:p@a/ and http://b/ and http://c@d/") == (
        "https://u:***@a/ and http://b/ and http://c@d/"
    )


def test_a_password_holding_at_signs_is_redacted_to_the_last_one():
    # Issue 21: "http://demo:***@ssWORDX@..." leaked the rest of the password.
    assert auth.redact("Cannot reach http://demo:p@ss@WORD@k:5000/v3?x=a@b#c: y") == (
        "Cannot reach http://demo:***@k:5000/v3?x=a@b#c: y"
    )
    assert auth.redact("http://u:a@b@h and http://v:c@d@i/") == (
        "http://u:***@h and http://v:***@i/"
    )


def test_secrets_in_json_bodies_are_redacted():
    body = '{"server": {"id": "1", "adminPass": "Xy\\"z9", "name": "adminPass"}}'
    assert auth.redact(body) == '{"server": {"id": "1", "adminPass": "***", "name": "adminPass"}}'
    assert auth.redact('{"password": "pw", "passcode": "123456"}') == (
        '{"password": "***", "passcode": "***"}'
    )


def test_an_error_without_text_is_told_by_its_type_and_command():
    message_filter = app.MessageFilter()
    message_filter.command = "gc launch"
    record = logging.LogRecord("gc", logging.ERROR, "", 0, MemoryError(), None, None)
    assert message_filter.filter(record)
    assert record.getMessage() == "gc launch failed: MemoryError (no message; --debug shows where)"
    kept = logging.LogRecord("gc", logging.ERROR, "", 0, ValueError("bad"), None, None)
    assert message_filter.filter(kept) and kept.getMessage() == "bad"


def test_log_lines_never_carry_a_userinfo_password():
    record = logging.LogRecord("x", logging.DEBUG, "", 0, "GET %s", ("http://u:pw@h/",), None)
    assert app.RedactFilter().filter(record)
    assert record.getMessage() == "GET http://u:***@h/"
