"""responses.py: nova's fault envelope (``{"<faultName>": {"code", "message"}}``) and the
plain Response objects every handler returns."""

from __future__ import annotations

import json

import pytest

from gcclient.simulator.eras import FIXED_500, GENERIC_400
from gcclient.simulator.responses import (
    HTML_ACTION,
    JSON,
    ApiError,
    RawError,
    Response,
    bad_request,
    compute_fault,
    empty_response,
    generic_bad_request,
    json_response,
    not_found,
)


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (400, "badRequest"),
        (401, "unauthorized"),
        (403, "forbidden"),
        (404, "itemNotFound"),
        (405, "badMethod"),
        (409, "conflictingRequest"),
        (413, "overLimit"),
        (415, "badMediaType"),
        (429, "overLimit"),
        (501, "notImplemented"),
        (503, "serviceUnavailable"),
        (500, "computeFault"),
        (418, "computeFault"),  # any status nova has no name for
    ],
)
def test_fault_envelope_is_named_by_status(status, name):
    response = ApiError(status, "why").response()
    assert response.status == status
    assert response.content_type == JSON
    assert json.loads(response.body) == {name: {"code": status, "message": "why"}}


def test_fault_keeps_its_headers():
    response = ApiError(413, "quota", {"Retry-After": "0"}).response()
    assert response.headers == {"Retry-After": "0"}
    assert json.loads(response.body) == {"overLimit": {"code": 413, "message": "quota"}}


def test_json_response_encodes_data_and_keeps_it():
    response = json_response(201, {"a": [1]}, HTML_ACTION, Location="http://x/1")
    assert (response.status, response.body, response.content_type) == (
        201,
        b'{"a": [1]}',
        "text/html; charset=UTF-8",
    )
    assert response.headers == {"Location": "http://x/1"}
    assert response.data == {"a": [1]}


def test_empty_response_has_no_body_and_no_type_unless_given():
    assert empty_response(204) == Response(204, b"", None)
    assert empty_response(200, JSON).content_type == "application/json"


def test_the_named_faults():
    assert (compute_fault().status, compute_fault().message) == (500, FIXED_500)
    assert FIXED_500 == (
        "The server has either erred or is incapable of performing the requested operation."
    )
    assert (generic_bad_request().status, generic_bad_request().message) == (400, GENERIC_400)
    assert (bad_request("x").status, bad_request("x").message) == (400, "x")
    assert (not_found().status, not_found().message) == (404, "The resource could not be found.")
    assert not_found("gone").message == "gone"


def test_raw_error_carries_its_response_unchanged():
    inner = Response(401, b"Invalid destination", HTML_ACTION)
    error = RawError(inner)
    assert error.response is inner
    assert error.args == (401,)
