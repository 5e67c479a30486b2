"""HTTP/1.1 request reading with hard limits: every abusive request gets an answer, not a thread.

Each limit is a named constant (listed in docs/simulator.rst). A violation raises WireError
with the status to answer; the connection is then closed after a bounded lingering drain.
"""

from __future__ import annotations

import email.message
import email.parser
import http.client
import json
import re
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

MAX_REQUEST_LINE = 16 * 1024  # bytes, 414 beyond
MAX_HEADER_LINE = 8 * 1024  # bytes per header line, 431 beyond
MAX_HEADERS = 100  # header lines (and trailer lines), 431 beyond
MAX_HEADER_BYTES = 64 * 1024  # all header lines together, 431 beyond
MAX_BODY = 1024 * 1024  # decoded body bytes whatever the framing, 413 beyond
MAX_CHUNK_LINE = 1024  # chunk-size line, 400 beyond
MAX_JSON_DEPTH = 64  # nesting of arrays/objects, 400 "Malformed request body" beyond
MAX_JSON_INT = 2**63 - 1  # integers outside +-this (and non-finite floats) are 400
MAX_DRAIN = 64 * 1024 * 1024  # body bytes read and discarded after an early answer
LINGER_SECONDS = 2.0  # how long a refused connection is drained before it is closed
MAX_CONNECTIONS = 1000  # concurrent connections; more are answered 503 and closed
HEADER_TIMEOUT = 5.0  # a new connection must send its whole request head within this
KEEPALIVE_TIMEOUT = 30.0  # an idle keep-alive connection is closed after this
BODY_TIMEOUT = 30.0  # the body must arrive within this once the head is read
IO_TIMEOUT = 30.0  # any single socket read or write

_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")


class Closed(Exception):
    """The client went away (or was cut off by a deadline) in the middle of a request head."""


class WireError(Exception):
    """The request cannot be served: answer ``status`` with ``message`` and close."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Reader(Protocol):
    """The buffered binary stream a request is read from (``rfile`` of the handler)."""

    def readline(self, size: int = -1, /) -> bytes: ...

    def read(self, size: int = -1, /) -> bytes: ...


@dataclass
class Head:
    command: str
    path: str
    version: str
    requestline: str
    headers: email.message.Message


def read_request_line(rfile: Reader) -> str | None:
    """The request line without CRLF, or None at EOF before any byte."""
    line = rfile.readline(MAX_REQUEST_LINE + 1)
    if not line:
        return None
    if len(line) > MAX_REQUEST_LINE:
        raise WireError(414, "Request-URI Too Long")
    return line.decode("latin-1").rstrip("\r\n")


def parse_request_line(requestline: str) -> tuple[str, str, str]:
    words = requestline.split()
    if len(words) != 3 or not words[2].startswith("HTTP/") or not words[0].isalpha():
        raise WireError(400, "Bad request syntax")
    command, path, version = words
    try:
        major, minor = (int(part) for part in version[5:].split(".", 1))
    except ValueError:
        raise WireError(400, "Bad request version")
    if (major, minor) >= (2, 0):
        raise WireError(505, "HTTP Version Not Supported")
    return command, path, version


def read_header_lines(rfile: Reader) -> bytes:
    lines: list[bytes] = []
    total = 0
    while True:
        line = rfile.readline(MAX_HEADER_LINE + 1)
        if len(line) > MAX_HEADER_LINE:
            raise WireError(431, "Request Header Fields Too Large")
        if line in (b"\r\n", b"\n"):
            return b"".join(lines)
        if not line:
            raise Closed()
        total += len(line)
        lines.append(line)
        if len(lines) > MAX_HEADERS or total > MAX_HEADER_BYTES:
            raise WireError(431, "Request Header Fields Too Large")


def read_head(rfile: Reader, requestline: str) -> Head:
    command, path, version = parse_request_line(requestline)
    raw = read_header_lines(rfile)
    headers = email.parser.Parser(_class=http.client.HTTPMessage).parsestr(raw.decode("iso-8859-1"))
    return Head(command, path, version, requestline, headers)


def content_length(headers: email.message.Message) -> int:
    text = headers.get("Content-Length")
    if text is None or not text.strip():
        return 0
    text = text.strip()
    if not text.isdigit() or len(text) > 19:
        raise WireError(400, "Invalid Content-Length")
    return int(text)


def is_chunked(headers: email.message.Message) -> bool:
    return "chunked" in headers.get("Transfer-Encoding", "").lower()


def read_chunked(rfile: Reader) -> bytes:
    """Decode a chunked body; sizes are checked before any chunk is read."""
    chunks: list[bytes] = []
    total = 0
    while True:
        line = rfile.readline(MAX_CHUNK_LINE + 1)
        if len(line) > MAX_CHUNK_LINE or not line.endswith(b"\n"):
            raise WireError(400, "Malformed chunked body")
        size_text = line.split(b";", 1)[0].strip()
        if not _HEX.fullmatch(size_text):
            raise WireError(400, "Malformed chunked body")
        size = int(size_text, 16)
        if size == 0:
            read_header_lines(rfile)
            return b"".join(chunks)
        total += size
        if total > MAX_BODY:
            raise WireError(413, "Request is too large.")
        data = rfile.read(size)
        if len(data) != size or rfile.readline(3) not in (b"\r\n", b"\n"):
            raise WireError(400, "Malformed chunked body")
        chunks.append(data)


# ---- JSON -------------------------------------------------------------------------------


def _int(text: str) -> int:
    value = int(text)
    if abs(value) > MAX_JSON_INT:
        raise ValueError("integer out of range")
    return value


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError("number out of range")
    return value


def _constant(text: str) -> Any:
    raise ValueError(f"{text} is not JSON")


def _depth_ok(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_JSON_DEPTH:
            return False
        stack.extend((child, depth + 1) for child in children)
    return True


def loads(raw: bytes) -> Any:
    """Parse a JSON body within the depth and number limits; ValueError otherwise."""
    text = raw.decode("utf-8")
    deep = text.count("[") + text.count("{") > MAX_JSON_DEPTH
    try:
        value = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except RecursionError:
        raise ValueError("too deeply nested")
    if deep and not _depth_ok(value):
        raise ValueError("too deeply nested")
    return value


# ---- connection deadlines ---------------------------------------------------------------


class Deadlines:
    """One thread closes connections whose current phase (head, idle, body) took too long."""

    def __init__(self, interval: float = 0.25) -> None:
        self._due: dict[socket.socket, float] = {}
        self._lock = threading.Lock()
        self._interval = interval
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="deadlines", daemon=True)
        self._thread.start()

    def arm(self, sock: socket.socket, seconds: float) -> None:
        with self._lock:
            self._due[sock] = time.monotonic() + seconds

    def disarm(self, sock: socket.socket) -> None:
        with self._lock:
            self._due.pop(sock, None)

    def stop(self) -> None:
        self._stopped.set()

    def _run(self) -> None:
        while not self._stopped.wait(self._interval):
            now = time.monotonic()
            with self._lock:
                expired = [sock for sock, due in self._due.items() if due <= now]
                for sock in expired:
                    del self._due[sock]
            for sock in expired:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
