"""request.py: the parsed request the handlers read (headers, query, JSON body, caller)."""

from __future__ import annotations

import pytest

from gcclient.simulator.identity import USERS
from gcclient.simulator.request import Later, Request
from gcclient.simulator.responses import ApiError, Response


def make(raw: bytes = b"", **kwargs) -> Request:
    fields = {"headers": {"x-auth-token": "t"}, "query": {"limit": ["1", "5"]}, **kwargs}
    return Request("GET", "/v2/p/servers", fields["query"], fields["headers"], raw, "http://h:1")


def test_header_lookup_ignores_case_of_the_name():
    req = make()
    assert req.header("X-Auth-Token") == "t"
    assert req.header("x-auth-token") == "t"
    assert req.header("X-Other") is None


def test_arg_takes_the_last_value():
    req = make()
    assert req.arg("limit") == "5"
    assert req.arg("marker") is None
    assert make(query={"name": []}).arg("name") is None


def test_json_is_parsed_once_and_empty_is_none():
    assert make(b"").json() is None
    req = make(b'{"a": 1}')
    first = req.json()
    assert first == {"a": 1}
    assert req.json() is first


@pytest.mark.parametrize("raw", [b"{", b"\xff\xfe", b"NaN", b"[" * 70 + b"]" * 70])
def test_bad_json_is_malformed_request_body(raw):
    with pytest.raises(ApiError) as caught:
        make(raw).json()
    assert (caught.value.status, caught.value.message) == (400, "Malformed request body")


@pytest.mark.parametrize("raw", [b"[1]", b'"x"', b"null", b"5"])
def test_json_object_refuses_anything_but_an_object(raw):
    with pytest.raises(ApiError) as caught:
        make(raw).json_object()
    assert (caught.value.status, caught.value.message) == (400, "Malformed request body")
    assert make(b'{"k": "v"}').json_object() == {"k": "v"}


def test_an_unauthenticated_request_has_no_caller_nor_project():
    req = make()
    assert req.is_admin is False
    for attribute in ("caller", "project"):
        with pytest.raises(ApiError) as caught:
            getattr(req, attribute)
        assert caught.value.status == 401
        assert caught.value.message == "The request you have made requires authentication."


def test_caller_project_and_admin_come_from_the_token():
    req = make()
    req.user, req.project_id = USERS["admin"], "p1"
    assert (req.caller, req.project, req.is_admin) == (USERS["admin"], "p1", True)
    req.user = USERS["demo"]
    assert req.is_admin is False


def test_compute_base_names_version_and_project():
    req = make()
    req.project_id, req.version = "abc", "v1.1"
    assert req.compute_base == "http://h:1/v1.1/abc"


def test_later_runs_its_work():
    answer = Response(200, b"{}")
    later = Later(200, work=lambda: answer)
    assert later.run() is answer
