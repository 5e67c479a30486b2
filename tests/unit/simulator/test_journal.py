"""journal.py: one JSON line per request, secrets redacted, readable by its owner only."""

from __future__ import annotations

import json
import os
import stat

from gcclient.simulator.journal import REDACTED, Journal, open_private, parse_body, redact


def test_redaction_of_every_secret():
    body = {
        "auth": {
            "identity": {
                "password": {"user": {"name": "demo", "password": "s"}},
                "token": {"id": "t"},
                "application_credential": {"id": "x", "secret": "y"},
            },
            "passwordCredentials": {"username": "demo", "password": "p"},
            "token": {"id": "v2-token"},
        },
        "server": {"adminPass": "a", "name": "n", "admin_pass": "b"},
        "list": [{"passcode": "1"}, {"X-Auth-Token": "2"}],
    }
    clean = redact(body)
    assert clean["auth"]["identity"]["password"]["user"] == {"name": "demo", "password": "***"}
    assert clean["auth"]["identity"]["token"] == {"id": "***"}
    assert clean["auth"]["identity"]["application_credential"] == {"id": "x", "secret": "***"}
    assert clean["auth"]["passwordCredentials"] == {"username": "demo", "password": "***"}
    assert clean["auth"]["token"] == {"id": "***"}
    assert clean["server"] == {"adminPass": "***", "name": "n", "admin_pass": "***"}
    assert clean["list"] == [{"passcode": "***"}, {"X-Auth-Token": "***"}]
    assert body["server"]["adminPass"] == "a"  # the original is left alone


def test_an_id_outside_a_token_and_a_nested_secret_key_stay():
    body = {"server": {"id": "s"}, "password": {"user": {"id": "u"}}}
    assert redact(body) == body


def test_parse_body():
    assert parse_body(b"") is None
    assert parse_body(b'{"password": "p"}') == {"password": REDACTED}
    assert parse_body(b"not json \xff") == "not json \ufffd"


def test_journal_lines(tmp_path):
    path = tmp_path / "journal.jsonl"
    journal = Journal(str(path))
    journal.record(
        method="POST",
        path="/v3/auth/tokens",
        query="",
        status=201,
        raw=b'{"auth": {"passwordCredentials": {"password": "p"}}}',
        user="demo",
        fault=None,
        processed=True,
        agent="gc/1",
    )
    journal.record(
        method="GET",
        path="/v2/p/servers",
        query="limit=1",
        status=None,
        raw=b"",
        user=None,
        fault="reset-before",
        processed=False,
    )
    journal.close()
    journal.record(
        method="GET",
        path="/late",
        query="",
        status=200,
        raw=b"",
        user=None,
        fault=None,
        processed=True,
    )
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    for line in lines:
        assert isinstance(line.pop("ts"), float)
    assert lines == [
        {
            "method": "POST",
            "path": "/v3/auth/tokens",
            "query": "",
            "status": 201,
            "body": {"auth": {"passwordCredentials": {"password": "***"}}},
            "user": "demo",
            "fault": None,
            "processed": True,
            "agent": "gc/1",
        },
        {
            "method": "GET",
            "path": "/v2/p/servers",
            "query": "limit=1",
            "status": None,
            "body": None,
            "user": None,
            "fault": "reset-before",
            "processed": False,
            "agent": None,
        },
    ]


def test_open_private_is_owner_only_and_appends(tmp_path):
    path = tmp_path / "log"
    path.write_text("old\n")
    os.chmod(path, 0o644)
    with open_private(str(path)) as handle:
        handle.write("new\n")
    assert path.read_text() == "old\nnew\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
