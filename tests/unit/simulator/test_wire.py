"""wire.py: HTTP/1.1 request reading with hard limits, JSON within bounds, deadlines."""

from __future__ import annotations

import email.message
import io
import socket
import time

import pytest

from gcclient.simulator import wire
from gcclient.simulator.wire import (
    MAX_BODY,
    MAX_HEADER_LINE,
    MAX_HEADERS,
    MAX_JSON_DEPTH,
    MAX_JSON_INT,
    MAX_REQUEST_LINE,
    Closed,
    Deadlines,
    WireError,
    content_length,
    is_chunked,
    loads,
    parse_request_line,
    read_chunked,
    read_head,
    read_header_lines,
    read_request_line,
)


def refused(call, *args) -> tuple[int, str]:
    with pytest.raises(WireError) as caught:
        call(*args)
    return caught.value.status, caught.value.message


def headers(**values: str) -> email.message.Message:
    message = email.message.Message()
    for name, value in values.items():
        message[name.replace("_", "-")] = value
    return message


# ---- request line and head ----------------------------------------------------------------


def test_request_line():
    assert read_request_line(io.BytesIO(b"GET / HTTP/1.1\r\nHost: x\r\n")) == "GET / HTTP/1.1"
    assert read_request_line(io.BytesIO(b"")) is None
    long = b"GET /" + b"a" * MAX_REQUEST_LINE + b" HTTP/1.1\r\n"
    assert refused(read_request_line, io.BytesIO(long)) == (414, "Request-URI Too Long")


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("GET /", (400, "Bad request syntax")),
        ("GET / FTP/1.1", (400, "Bad request syntax")),
        ("G3T / HTTP/1.1", (400, "Bad request syntax")),
        ("GET / HTTP/x.y", (400, "Bad request version")),
        ("GET / HTTP/1", (400, "Bad request version")),
        ("GET / HTTP/2.0", (505, "HTTP Version Not Supported")),
    ],
)
def test_bad_request_lines(line, error):
    assert refused(parse_request_line, line) == error


def test_good_request_line():
    assert parse_request_line("DELETE /v2/p HTTP/1.0") == ("DELETE", "/v2/p", "HTTP/1.0")


def test_head_is_read_to_the_blank_line():
    rfile = io.BytesIO(b"Host: x\r\nX-Auth-Token: t\r\n\r\nbody")
    head = read_head(rfile, "POST /a HTTP/1.1")
    assert (head.command, head.path, head.version) == ("POST", "/a", "HTTP/1.1")
    assert head.headers["x-auth-token"] == "t"
    assert rfile.read() == b"body"


def test_header_limits():
    line = b"X: " + b"a" * MAX_HEADER_LINE + b"\r\n"
    assert refused(read_header_lines, io.BytesIO(line)) == (431, "Request Header Fields Too Large")
    many = b"X: a\r\n" * (MAX_HEADERS + 1) + b"\r\n"
    assert refused(read_header_lines, io.BytesIO(many)) == (431, "Request Header Fields Too Large")
    assert read_header_lines(io.BytesIO(b"X: a\r\n" * MAX_HEADERS + b"\n")).count(b"X") == 100
    with pytest.raises(Closed):
        read_header_lines(io.BytesIO(b"X: a\r\n"))


def test_all_headers_together_are_bounded():
    line = b"X: " + b"a" * (MAX_HEADER_LINE - 10) + b"\r\n"
    assert refused(read_header_lines, io.BytesIO(line * 9 + b"\r\n")) == (
        431,
        "Request Header Fields Too Large",
    )


# ---- body framing -------------------------------------------------------------------------


def test_content_length():
    assert content_length(headers()) == 0
    assert content_length(headers(Content_Length=" ")) == 0
    assert content_length(headers(Content_Length=" 12 ")) == 12
    for bad in ("-1", "1e3", "0x10", "1" * 20):
        assert refused(content_length, headers(Content_Length=bad)) == (
            400,
            "Invalid Content-Length",
        )


def test_is_chunked():
    assert is_chunked(headers(Transfer_Encoding="gzip, Chunked"))
    assert not is_chunked(headers())


def test_chunked_body():
    raw = b"4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\nTrailer: x\r\n\r\nnext"
    rfile = io.BytesIO(raw)
    assert read_chunked(rfile) == b"Wikipedia"
    assert rfile.read() == b"next"


@pytest.mark.parametrize(
    "raw",
    [
        b"zz\r\n",  # not hex
        b"4\r\nWik",  # short chunk
        b"4\r\nWikiXX",  # no CRLF after the chunk
        b"4",  # size line without its end
        b"1" * 1030 + b"\r\n",  # size line too long
        b"12345678901234567\r\n",  # more than 16 hex digits
    ],
)
def test_malformed_chunks(raw):
    assert refused(read_chunked, io.BytesIO(raw)) == (400, "Malformed chunked body")


def test_chunked_body_over_the_limit_is_refused_before_it_is_read():
    rfile = io.BytesIO(f"{MAX_BODY + 1:x}\r\n".encode() + b"a" * 10)
    assert refused(read_chunked, rfile) == (413, "Request is too large.")
    assert rfile.read() == b"a" * 10  # no byte of the chunk was read
    at_limit = f"{MAX_BODY - 1:x}\r\n".encode() + b"a" * (MAX_BODY - 1) + b"\r\n"
    over = io.BytesIO(at_limit + b"2\r\nbb\r\n0\r\n\r\n")  # the sum counts
    assert refused(read_chunked, over) == (413, "Request is too large.")
    exact = io.BytesIO(at_limit + b"1\r\nb\r\n0\r\n\r\n")
    assert len(read_chunked(exact)) == MAX_BODY


# ---- JSON ---------------------------------------------------------------------------------


def test_loads_within_limits():
    assert loads(b'{"a": [1, 2.5, "x", null, true]}') == {"a": [1, 2.5, "x", None, True]}
    nested = b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH
    assert loads(nested) == eval("[" * (MAX_JSON_DEPTH - 1) + "[]" + "]" * (MAX_JSON_DEPTH - 1))
    assert loads(str(MAX_JSON_INT).encode()) == MAX_JSON_INT
    assert loads(b'"[[[[{{{{' + b"[" * 100 + b'"') == "[[[[{{{{" + "[" * 100  # brackets in text


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1),
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,  # deeper than the recursion limit
        str(MAX_JSON_INT + 1).encode(),
        str(-MAX_JSON_INT - 1).encode(),
        b"1e400",
        b"NaN",
        b"-Infinity",
        b"\xff",
    ],
)
def test_loads_refuses(raw):
    with pytest.raises(ValueError):
        loads(raw)


# ---- deadlines ----------------------------------------------------------------------------


def test_deadlines_shut_an_armed_socket_once_due_and_spare_a_disarmed_one():
    deadlines = Deadlines(interval=0.01)
    due, due_peer = socket.socketpair()
    spared, spared_peer = socket.socketpair()
    try:
        deadlines.arm(due, 0.02)
        deadlines.arm(spared, 0.02)
        deadlines.disarm(spared)
        for _ in range(500):  # the shut socket reads EOF
            try:
                if due.recv(1, socket.MSG_DONTWAIT) == b"":
                    break
            except BlockingIOError:
                time.sleep(0.01)
        else:
            pytest.fail("the armed socket was not shut")
        spared.setblocking(False)
        with pytest.raises(BlockingIOError):
            spared.recv(1)  # still open: nothing to read, no EOF
    finally:
        deadlines.stop()
        for sock in (due, spared, due_peer, spared_peer):
            sock.close()


def test_limits_are_the_documented_constants():
    assert (wire.MAX_REQUEST_LINE, wire.MAX_HEADER_LINE, wire.MAX_HEADERS) == (16384, 8192, 100)
    assert (wire.MAX_BODY, wire.MAX_JSON_DEPTH, wire.MAX_CONNECTIONS) == (1048576, 64, 1000)
