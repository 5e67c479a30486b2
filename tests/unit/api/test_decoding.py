"""gcclient/api/decoding.py: compute answers decoded whatever their content type, and
the server's message taken from nova's and keystone's error envelopes (or a fallback
that says what came back instead)."""

from __future__ import annotations

import json

import pytest

from gcclient.api import decoding, exceptions


class Answer:
    """The parts of a requests.Response that decoding reads."""

    def __init__(
        self, status: int, text: str = "", headers: dict[str, str] | None = None, reason: str = ""
    ) -> None:
        self.status_code = status
        self.text = text
        self.headers = headers or {}
        self.reason = reason


def test_decode_reads_json_and_an_empty_body_is_none():
    assert decoding.decode('{"a": [1]}') == {"a": [1]}
    assert decoding.decode("") is None
    assert decoding.decode("  \n") is None


def test_decode_refuses_a_body_that_is_not_json():
    with pytest.raises(decoding.Undecodable):
        decoding.decode("<html>It works!</html>")


def test_request_id_from_either_header():
    assert decoding.request_id({"x-openstack-request-id": "req-1"}) == "req-1"
    assert decoding.request_id({"x-compute-request-id": "req-2"}) == "req-2"
    assert decoding.request_id({}) is None


@pytest.mark.parametrize(
    ("status", "reason", "text", "message"),
    [
        (404, "", json.dumps({"itemNotFound": {"message": "Instance x could not be found."}}),
         "Instance x could not be found."),
        (401, "", json.dumps({"error": {"message": "The request you have made requires "
                                        "authentication.", "code": 401}}),
         "The request you have made requires authentication."),
        (400, "", json.dumps({"message": "flat"}), "flat"),
        (401, "", "Invalid destination\n", "Invalid destination"),
        (500, "", "", "The server answered HTTP 500 Internal Server Error without a message"),
        (502, "Bad Gateway", "<html><body>proxy</body></html>",
         "The server answered HTTP 502 Bad Gateway with a body that is not an error message"),
        (599, "", "", "The server answered HTTP 599 without a message"),
    ],
    ids=["nova", "keystone", "flat", "plain-line", "empty", "html", "unknown-status"],
)  # fmt: skip
def test_error_message(status, reason, text, message):
    assert decoding.error_message(status, reason, "", text) == message


def test_a_long_plain_line_is_not_taken_for_a_message():
    line = "x" * 201
    assert decoding.error_message(500, "", "text/plain", line) == (
        "The server answered HTTP 500 Internal Server Error with a body that is not an "
        "error message"
    )


@pytest.mark.parametrize(
    ("text", "envelope"),
    [
        ('{"badRequest": {"message": "m", "code": 400}}', True),
        ('{"badRequest": {"code": 400}}', False),
        ('{"a": {"message": "m"}, "b": {}}', False),
        ("[]", False),
        ("not json", False),
    ],
)
def test_is_fault_envelope(text, envelope):
    assert decoding.is_fault_envelope(text) is envelope


@pytest.mark.parametrize(
    ("answer", "described"),
    [
        (Answer(200, ""), "HTTP 200 OK without a body"),
        (Answer(200, "<p>hi</p>"), "HTTP 200 OK with an HTML page"),
        (Answer(502, "x", {"Content-Type": "text/html"}), "HTTP 502 Bad Gateway with an HTML page"),
        (Answer(200, "OK", {"Content-Type": "text/plain"}),
         "HTTP 200 OK without the compute API's error envelope"),
        (Answer(299, ""), "HTTP 299 without a body"),
    ],
)  # fmt: skip
def test_describe_answer(answer, described):
    assert decoding.describe_answer(answer) == described


def test_error_from_response_types_the_error_and_keeps_the_request():
    answer = Answer(
        404,
        json.dumps({"itemNotFound": {"message": "gone"}}),
        {"Content-Type": "application/json", "x-compute-request-id": "req-9"},
    )
    error = decoding.error_from_response(answer, "GET", "http://nova/servers/x")
    assert type(error) is exceptions.NotFound
    assert (error.message, error.http_status, error.request_id) == ("gone", 404, "req-9")
    assert str(error) == "gone (HTTP 404) (Request-ID: req-9)"  # as novaclient ends it
    assert (error.method, error.url) == ("GET", "http://nova/servers/x")


def test_no_such_action_means_the_extension_is_missing():
    text = json.dumps({"badRequest": {"message": "There is no such action: gc_bless"}})
    error = decoding.error_from_response(Answer(400, text))
    assert type(error) is exceptions.ExtensionMissing
    assert error.message == (
        "This cloud does not offer the Gridcentric extension (it answered: There is no "
        "such action: gc_bless)"
    )


def test_an_unlisted_5xx_is_a_server_error():
    assert type(decoding.error_from_response(Answer(507, ""))) is exceptions.ServerError
    assert type(decoding.error_from_response(Answer(418, ""))) is exceptions.ClientException


@pytest.mark.parametrize(
    ("body", "servers"),
    [
        (None, []),
        ([{"id": "a"}, {"name": "no id"}, {"id": ""}, "text"], [{"id": "a"}]),
        ({"servers": [{"id": "a"}]}, [{"id": "a"}]),
        ({"server": {"id": "b"}}, [{"id": "b"}]),
        ({"id": "c"}, [{"id": "c"}]),
    ],
    ids=["none", "array", "servers", "server", "bare-object"],
)
def test_as_list(body, servers):
    assert decoding.as_list(body) == servers


def test_as_list_refuses_a_scalar():
    with pytest.raises(decoding.Undecodable, match="expected a list of servers, got str"):
        decoding.as_list("text")
