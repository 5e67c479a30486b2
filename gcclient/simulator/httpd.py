"""HTTP transport: bounded keep-alive server, request limits, latency, faults, logs, journal."""

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

from . import wire
from .app import App
from .faults import HTML_PAGE, PROCESSED_KINDS, FaultPlan
from .journal import Journal
from .request import Request
from .responses import ApiError, Response, compute_fault


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
    """One thread per connection, at most ``max_connections`` of them; more get 503."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(
        self,
        address: tuple[str, int],
        runtime: Runtime,
        max_connections: int = wire.MAX_CONNECTIONS,
    ) -> None:
        self.runtime = runtime
        self.max_connections = max_connections
        self.deadlines = wire.Deadlines()
        self._active = 0
        self._count_lock = threading.Lock()
        super().__init__(address, SimulatorHandler)

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, addr = super().get_request()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn, addr

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._count_lock:
            full = self._active >= self.max_connections
            if not full:
                self._active += 1
        if full:
            _busy(request)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._release()

    def server_close(self) -> None:
        self.deadlines.stop()
        super().server_close()

    def _release(self) -> None:
        with self._count_lock:
            self._active -= 1


def _busy(request: socket.socket) -> None:
    body = b'{"serviceUnavailable": {"code": 503, "message": "Too many connections."}}'
    head = (
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
    )
    try:
        request.settimeout(1.0)
        request.sendall(head.encode() + body)
    except OSError:
        pass


def report(message: str) -> None:
    """One line on the simulator's stderr; never raises."""
    try:
        sys.stderr.write(f"gc-simulator: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


class SimulatorHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "gc-simulator"
    sys_version = ""
    timeout = wire.IO_TIMEOUT
    server: SimulatorServer
    _served = False

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle_one_request(self) -> None:
        self.command = ""
        self.path = ""
        self.request_version = "HTTP/1.1"
        self.close_connection = True
        sock = self.connection
        deadlines = self.server.deadlines
        try:
            deadlines.arm(sock, wire.KEEPALIVE_TIMEOUT if self._served else wire.HEADER_TIMEOUT)
            try:
                line = wire.read_request_line(self.rfile)
                if line is None:
                    return
                deadlines.arm(sock, wire.HEADER_TIMEOUT)
                head = wire.read_head(self.rfile, line)
            finally:
                deadlines.disarm(sock)
        except wire.WireError as exc:
            self._refuse(exc)
            return
        except (OSError, wire.Closed):
            return
        self._served = True
        self.command, self.path, self.request_version = head.command, head.path, head.version
        self.requestline = head.requestline
        self.headers = head.headers
        connection = self.headers.get("Connection", "").lower()
        if head.version == "HTTP/1.0":
            self.close_connection = "keep-alive" not in connection
        else:
            self.close_connection = "close" in connection
        try:
            self.process()
            self.wfile.flush()
        except OSError:
            self.close_connection = True
        except Exception as exc:  # a bug must not kill the connection silently
            self.close_connection = True
            report(f"internal error: {type(exc).__name__}: {exc}")
            traceback.print_exc(file=sys.stderr)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        self._refuse(wire.WireError(code, message or http.HTTPStatus(code).phrase))

    def _refuse(self, exc: wire.WireError) -> None:
        """Answer a request that cannot be served, then drain briefly and close."""
        self.close_connection = True
        response = ApiError(exc.status, exc.message).response()
        self._log_access(time.perf_counter(), self.path or "-", "", exc.status, None)
        try:
            self._write(response, response.body)
            self._linger()
        except OSError:
            pass

    def _linger(self) -> None:
        sock = self.connection
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(0.5)
        end = time.monotonic() + wire.LINGER_SECONDS
        left = wire.MAX_DRAIN
        while left > 0 and time.monotonic() < end:
            data = sock.recv(min(left, 65536))
            if not data:
                return
            left -= len(data)

    # ---- request processing -----------------------------------------------------------

    def process(self) -> None:
        runtime = self.server.runtime
        started = time.perf_counter()
        url = urlsplit(self.path)
        path = url.path or "/"
        try:
            self.server.deadlines.arm(self.connection, wire.BODY_TIMEOUT)
            try:
                raw = self._read_body()
            finally:
                self.server.deadlines.disarm(self.connection)
        except wire.Closed:
            self.close_connection = True
            return
        except wire.WireError as exc:
            self.close_connection = True
            response = ApiError(exc.status, exc.message).response()
            self._finish(started, path, url.query, response.status, b"", None, None, False)
            self._write(response, response.body)
            self._linger()
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
        if fault is not None and not processed:
            response = self._fault_response(fault)
        else:
            response = self._dispatch(req)
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
        if wire.is_chunked(self.headers):
            self._continue()
            return wire.read_chunked(self.rfile)
        length = wire.content_length(self.headers)
        if length > wire.MAX_BODY:
            expecting = self.headers.get("Expect", "").lower() == "100-continue"
            if length <= wire.MAX_DRAIN and not expecting:
                self._drain(length)  # so that a client sending it all first reads the 413
            raise wire.WireError(413, "Request is too large.")
        if length:
            self._continue()
        data = self.rfile.read(length)
        if len(data) != length:
            raise wire.WireError(400, "Incomplete request body")
        return data

    def _continue(self) -> None:
        if self.headers.get("Expect", "").lower() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")

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
            try:
                runtime.journal.record(
                    method=self.command,
                    path=path,
                    query=query,
                    status=status,
                    raw=raw,
                    user=user,
                    fault=fault,
                    processed=processed,
                    agent=self.headers.get("User-Agent"),
                )
            except Exception as exc:  # the answer is still sent: the write is committed
                report(f"journal write failed ({self.command} {path} -> {status}): {exc}")
        self._log_access(started, path, query, status, fault)

    def _log_access(
        self, started: float, path: str, query: str, status: int | None, fault: str | None
    ) -> None:
        runtime = self.server.runtime
        if runtime.access_log is None:
            return
        elapsed = (time.perf_counter() - started) * 1000
        shown = f"{path}?{query}" if query else path
        line = f"{self.command or '-'} {shown} {status if status is not None else '-'} "
        line += f"{elapsed:.1f}ms" + (f" fault={fault}" if fault else "")
        with runtime.log_lock:
            try:
                runtime.access_log.write(line + "\n")
                runtime.access_log.flush()
            except (OSError, ValueError) as exc:
                if runtime.access_log is not sys.stderr:
                    report(f"access log write failed ({line}): {exc}")


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
