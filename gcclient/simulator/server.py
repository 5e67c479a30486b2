"""HTTP transport: keep-alive server, body limits, latency, faults, access log, journal."""

from __future__ import annotations

import http
import socket
import struct
import sys
import threading
import time
import traceback
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO, Any
from urllib.parse import parse_qs, urlsplit

from .app import App
from .faults import HTML_PAGE, PROCESSED_KINDS, FaultPlan
from .journal import Journal
from .request import Request
from .responses import ApiError, Response, compute_fault

MAX_BODY = 1024 * 1024
MAX_DRAIN = 64 * 1024 * 1024


class BodyError(Exception):
    def __init__(self, error: ApiError, drain: int = 0) -> None:
        super().__init__(error.message)
        self.error = error
        self.drain = drain


@dataclass
class Runtime:
    app: App
    faults: FaultPlan
    journal: Journal | None
    access_log: IO[str] | None
    latency: float
    base_url: str = ""
    log_lock: threading.Lock = threading.Lock()


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], runtime: Runtime) -> None:
        self.runtime = runtime
        super().__init__(address, SimulatorHandler)

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, addr = super().get_request()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn, addr


class SimulatorHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "gc-simulator"
    sys_version = ""
    timeout = 300
    server: SimulatorServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle_one_request(self) -> None:
        try:
            self.raw_requestline = self.rfile.readline(65537)
            if len(self.raw_requestline) > 65536:
                self.send_error(414)
                return
            if not self.raw_requestline:
                self.close_connection = True
                return
            if not self.parse_request():
                return
            self.process()
            self.wfile.flush()
        except (TimeoutError, ConnectionError, OSError):
            self.close_connection = True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        self.close_connection = True
        response = ApiError(code, message or http.HTTPStatus(code).phrase).response()
        self._write(response, response.body)

    # ---- request processing -----------------------------------------------------------

    def process(self) -> None:
        runtime = self.server.runtime
        started = time.perf_counter()
        url = urlsplit(self.path)
        path = url.path or "/"
        try:
            raw = self._read_body()
        except BodyError as exc:
            self._drain(exc.drain)
            self.close_connection = True
            response = exc.error.response()
            self._finish(started, path, url.query, response.status, b"", None, None, False)
            self._write(response, response.body)
            return
        req = Request(
            method=self.command,
            path=path,
            query=parse_qs(url.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            raw=raw,
            base_url=runtime.base_url,
        )
        fault = runtime.faults.pick(self.command, path)
        processed = fault is None or fault in PROCESSED_KINDS
        response = self._dispatch(req) if processed else self._fault_response(fault)
        user = _user_name(req, runtime.app)
        if fault in ("reset-before", "reset-after"):
            self._finish(started, path, url.query, None, raw, user, fault, processed)
            self._reset()
            return
        if runtime.latency:
            time.sleep(runtime.latency)
        if fault == "slow":
            time.sleep(runtime.faults.slow_seconds)
        body = response.body
        if fault == "truncated":
            self.close_connection = True
            body = body[: len(body) // 2]
        self._finish(started, path, url.query, response.status, raw, user, fault, processed)
        self._write(response, body)

    def _dispatch(self, req: Request) -> Response:
        try:
            return self.server.runtime.app.handle(req)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            return compute_fault().response()

    def _fault_response(self, fault: str) -> Response:
        if fault == "503":
            return ApiError(
                503, "Service temporarily unavailable.", {"Retry-After": "1"}
            ).response()
        if fault in ("429", "413"):
            return ApiError(
                int(fault), "This request was rate-limited.", {"Retry-After": "1"}
            ).response()
        if fault == "html":
            return Response(502, HTML_PAGE.encode(), "text/html")
        return compute_fault().response()

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length_text = self.headers.get("Content-Length")
        if not length_text:
            return b""
        try:
            length = int(length_text)
            if length < 0:
                raise ValueError
        except ValueError:
            raise BodyError(ApiError(400, "Invalid Content-Length"))
        if length > MAX_BODY:
            drain = length if length <= MAX_DRAIN else 0
            raise BodyError(ApiError(413, "Request is too large."), drain)
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes:
        chunks = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                raise BodyError(ApiError(400, "Malformed chunked body"))
            if size == 0:
                while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            total += size
            if total > MAX_BODY:
                raise BodyError(ApiError(413, "Request is too large."))
            chunks.append(self.rfile.read(size))
            self.rfile.readline(3)

    def _drain(self, length: int) -> None:
        while length > 0:
            data = self.rfile.read(min(length, 65536))
            if not data:
                return
            length -= len(data)

    # ---- output -------------------------------------------------------------------------

    def _write(self, response: Response, body: bytes) -> None:
        status = response.status
        try:
            phrase = http.HTTPStatus(status).phrase
        except ValueError:
            phrase = ""
        request_id = f"req-{uuid.uuid4()}"
        lines = [
            f"HTTP/1.1 {status} {phrase}",
            f"Content-Length: {len(response.body)}",
            f"X-Compute-Request-Id: {request_id}",
            f"X-Openstack-Request-Id: {request_id}",
            f"Date: {self.date_time_string()}",
            "Server: gc-simulator",
        ]
        if response.content_type:
            lines.append(f"Content-Type: {response.content_type}")
        lines.extend(f"{name}: {value}" for name, value in response.headers.items())
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        payload = head if self.command == "HEAD" else head + body
        self.wfile.write(payload)

    def _reset(self) -> None:
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.rfile.close()
            self.connection.close()
        except OSError:
            pass

    def _finish(
        self,
        started: float,
        path: str,
        query: str,
        status: int | None,
        raw: bytes,
        user: str | None,
        fault: str | None,
        processed: bool,
    ) -> None:
        runtime = self.server.runtime
        if runtime.journal is not None:
            runtime.journal.record(
                method=self.command,
                path=path,
                query=query,
                status=status,
                raw=raw,
                user=user,
                fault=fault,
                processed=processed,
            )
        if runtime.access_log is not None:
            elapsed = (time.perf_counter() - started) * 1000
            shown = f"{path}?{query}" if query else path
            line = f"{self.command} {shown} {status if status is not None else '-'} {elapsed:.1f}ms"
            if fault:
                line += f" fault={fault}"
            with runtime.log_lock:
                try:
                    runtime.access_log.write(line + "\n")
                    runtime.access_log.flush()
                except (OSError, ValueError):
                    pass


def _user_name(req: Request, app: App) -> str | None:
    if req.user is not None:
        return req.user.name
    if not app.is_identity(req.path) or req.method != "POST":
        return None
    try:
        body = req.json()
    except ApiError:
        return None
    if not isinstance(body, dict) or not isinstance(body.get("auth"), dict):
        return None
    auth = body["auth"]
    name = _dig(auth, "passwordCredentials", "username") or _dig(
        auth, "identity", "password", "user", "name"
    )
    return name if isinstance(name, str) else None


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
