"""httpd.py: the HTTP transport (framing, limits answered, keep-alive, faults, journal, access
log, connection cap). It is the socket layer, so these tests run it on port 0 in a thread and
speak raw HTTP/1.1 to it."""

from __future__ import annotations

import http.client
import io
import json
import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from gcclient.simulator.app import App
from gcclient.simulator.config import Config
from gcclient.simulator.eras import FIXED_500
from gcclient.simulator.faults import HTML_PAGE, FaultPlan
from gcclient.simulator.httpd import Runtime, SimulatorServer, _user_name, report
from gcclient.simulator.journal import Journal
from gcclient.simulator.store import Store
from gcclient.simulator.wire import MAX_BODY

TOO_LARGE = (
    f"POST / HTTP/1.1\r\nContent-Length: {MAX_BODY + 1}\r\nExpect: 100-continue\r\n\r\n"
).encode()
AUTH = {
    "auth": {
        "identity": {
            "methods": ["password"],
            "password": {
                "user": {"name": "demo", "domain": {"id": "default"}, "password": "demo-password"}
            },
        }
    }
}


class Served:
    def __init__(self, server: SimulatorServer, log: io.StringIO, journal_path: str) -> None:
        self.server = server
        self.log = log
        self.journal_path = journal_path
        self.port = server.server_address[1]
        self.app = server.runtime.app

    def connect(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        return sock

    def exchange(self, raw: bytes, sock: socket.socket | None = None, method: str = "GET"):
        """Send ``raw``; the response read from the connection (status, headers, body)."""
        own = sock is None
        sock = sock or self.connect()
        sock.sendall(raw)
        response = http.client.HTTPResponse(sock, method=method)
        response.begin()
        body = response.read()
        if own:
            sock.close()
        return response.status, dict(response.getheaders()), body

    def journal(self) -> list[dict]:
        with open(self.journal_path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle]


@pytest.fixture
def serve(tmp_path) -> Iterator[Callable[..., Served]]:
    made: list[tuple[SimulatorServer, threading.Thread, Journal]] = []

    def start(faults: FaultPlan | None = None, max_connections: int = 1000) -> Served:
        log = io.StringIO()
        journal_path = str(tmp_path / f"journal-{len(made)}.jsonl")
        journal = Journal(journal_path)
        app = App(Config(build_time=0.0), Store(":memory:"))
        runtime = Runtime(
            app=app, faults=faults or FaultPlan(), journal=journal, access_log=log, latency=0.0
        )
        server = SimulatorServer(("127.0.0.1", 0), runtime, max_connections)
        runtime.base_url = f"http://127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        thread.start()
        made.append((server, thread, journal))
        return Served(server, log, journal_path)

    try:
        yield start
    finally:
        for server, thread, journal in made:
            server.shutdown()
            server.server_close()
            thread.join(5)
            journal.close()
            server.runtime.app.store.close()


def get(path: str, *extra: str, version: str = "HTTP/1.1") -> bytes:
    lines = [f"GET {path} {version}", "Host: x", *extra]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def post(path: str, body: bytes, *extra: str) -> bytes:
    lines = [
        f"POST {path} HTTP/1.1",
        "Host: x",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        *extra,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def test_an_answer_has_its_ids_type_and_length(serve):
    served = serve()
    status, headers, body = served.exchange(get("/v3"))
    assert status == 200 and json.loads(body)["version"]["id"] == "v3.14"
    assert headers["Server"] == "gc-simulator" and headers["Content-Type"] == "application/json"
    assert headers["Content-Length"] == str(len(body))
    assert headers["X-Compute-Request-Id"].startswith("req-")
    assert headers["X-Openstack-Request-Id"] == headers["X-Compute-Request-Id"]
    assert "Connection" not in headers


def test_head_has_the_length_but_no_body(serve):
    served = serve()
    length = served.exchange(get("/v3"))[1]["Content-Length"]
    sock = served.connect()
    sock.sendall(b"HEAD /v3 HTTP/1.1\r\nHost: x\r\n\r\n" + get("/v3", "Connection: close"))
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    sock.close()
    head, _, rest = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert f"\r\nContent-Length: {length}\r\n".encode() in head + b"\r\n"
    assert rest.startswith(b"HTTP/1.1 200 OK\r\n")  # the next answer follows the head at once


def test_keep_alive_and_close(serve):
    served = serve()
    sock = served.connect()
    assert served.exchange(get("/v3"), sock)[0] == 200
    status, headers, _ = served.exchange(get("/v3", "Connection: close"), sock)
    assert (status, headers["Connection"]) == (200, "close")
    assert sock.recv(1) == b""
    sock.close()
    _, headers, _ = served.exchange(get("/v3", version="HTTP/1.0"))
    assert headers["Connection"] == "close"


@pytest.mark.parametrize(
    ("raw", "status", "message"),
    [
        (b"NONSENSE\r\n\r\n", 400, "Bad request syntax"),
        (b"GET / HTTP/2.0\r\n\r\n", 505, "HTTP Version Not Supported"),
        (b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n", 400, "Invalid Content-Length"),
        (
            TOO_LARGE,
            413,
            "Request is too large.",
        ),
        (
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            400,
            "Malformed chunked body",
        ),
    ],
)
def test_requests_that_cannot_be_served_are_answered_and_closed(serve, raw, status, message):
    served = serve()
    got, headers, body = served.exchange(raw)
    assert (got, headers["Connection"]) == (status, "close")
    (name,) = json.loads(body)
    assert json.loads(body)[name] == {"code": status, "message": message}
    assert f" {status} " in served.log.getvalue()


def test_an_incomplete_body_is_400(serve):
    served = serve()
    sock = served.connect()
    sock.sendall(b"POST /v3/auth/tokens HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc")
    sock.shutdown(socket.SHUT_WR)
    response = http.client.HTTPResponse(sock)
    response.begin()
    assert (response.status, json.loads(response.read())) == (
        400,
        {"badRequest": {"code": 400, "message": "Incomplete request body"}},
    )
    sock.close()


def test_chunked_body_and_expect_continue(serve):
    served = serve()
    body = json.dumps(AUTH).encode()
    head = (
        b"POST /v3/auth/tokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"
    )
    sock = served.connect()
    sock.sendall(head)
    assert sock.recv(25) == b"HTTP/1.1 100 Continue\r\n\r\n"
    chunks = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    status, headers, _ = served.exchange(chunks, sock, method="POST")
    sock.close()
    assert status == 201 and headers["X-Subject-Token"]


def test_journal_names_the_user_and_agent_and_redacts(serve):
    served = serve()
    served.exchange(post("/v3/auth/tokens", json.dumps(AUTH).encode(), "User-Agent: gc/9"))
    served.exchange(get("/v3?x=1"))
    first, second = served.journal()
    assert (first["method"], first["path"], first["status"], first["user"]) == (
        "POST",
        "/v3/auth/tokens",
        201,
        "demo",
    )
    assert first["agent"] == "gc/9" and first["processed"] is True and first["fault"] is None
    assert first["body"]["auth"]["identity"]["password"]["user"]["password"] == "***"
    assert (second["path"], second["query"], second["user"], second["body"]) == (
        "/v3",
        "x=1",
        None,
        None,
    )
    lines = served.log.getvalue().splitlines()
    assert lines[0].startswith("POST /v3/auth/tokens 201 ") and lines[0].endswith("ms")
    assert lines[1].startswith("GET /v3?x=1 200 ")


def test_handler_crash_gives_fixed_500_and_server_keeps_running(serve, capsys):
    served = serve()
    real = served.app.handle
    served.app.handle = lambda req: 1 / 0
    status, _, body = served.exchange(get("/v3"))
    assert (status, json.loads(body)) == (
        500,
        {"computeFault": {"code": 500, "message": FIXED_500}},
    )
    served.app.handle = real
    assert served.exchange(get("/v3"))[0] == 200
    assert "ZeroDivisionError" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("kind", "status", "body", "retry"),
    [
        (
            "503",
            503,
            {"serviceUnavailable": {"code": 503, "message": "Service temporarily unavailable."}},
            "1",
        ),
        (
            "429",
            429,
            {"overLimit": {"code": 429, "message": "This request was rate-limited."}},
            "1",
        ),
        ("500", 500, {"computeFault": {"code": 500, "message": FIXED_500}}, None),
    ],
)
def test_unprocessed_faults(serve, kind, status, body, retry):
    served = serve(FaultPlan(rate=1.0, kinds=(kind,), seed=1))
    assert served.exchange(get("/v3"))[0] == 200  # identity is never faulted by default
    got, headers, raw = served.exchange(get("/v2/p/servers"))
    assert (got, json.loads(raw), headers.get("Retry-After")) == (status, body, retry)
    entry = served.journal()[-1]
    assert (entry["fault"], entry["processed"], entry["status"]) == (kind, False, status)
    assert served.log.getvalue().splitlines()[-1].endswith(f"fault={kind}")


def test_html_fault_is_a_gateway_page(serve):
    served = serve(FaultPlan(rate=1.0, kinds=("html",), seed=1))
    status, headers, body = served.exchange(get("/v2/p/servers"))
    assert (status, headers["Content-Type"], body) == (502, "text/html", HTML_PAGE.encode())


def test_truncated_fault_is_processed_and_cut(serve):
    served = serve(FaultPlan(rate=1.0, kinds=("truncated",), seed=1, match="^GET /v3$"))
    sock = served.connect()
    sock.sendall(get("/v3"))
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    sock.close()
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
    assert len(body) == length // 2 and b"Connection: close" in head
    assert served.journal()[-1]["processed"] is True


def test_reset_fault_sends_nothing(serve):
    served = serve(FaultPlan(rate=1.0, kinds=("reset-before",), seed=1, match="^GET /v3$"))
    sock = served.connect()
    sock.sendall(get("/v3"))
    try:
        assert sock.recv(1) == b""
    except ConnectionResetError:
        pass
    sock.close()
    entry = served.journal()[-1]
    assert (entry["status"], entry["fault"], entry["processed"]) == (None, "reset-before", False)


def test_connections_over_the_cap_get_503(serve):
    served = serve(max_connections=1)
    holder = served.connect()
    holder.sendall(b"GET /v3 HTTP/1.1\r\nHost: x\r\n\r\n")  # the one slot, kept alive
    http.client.HTTPResponse(holder).begin()
    status, headers, body = served.exchange(get("/v3"))
    assert (status, headers["Retry-After"], json.loads(body)) == (
        503,
        "1",
        {"serviceUnavailable": {"code": 503, "message": "Too many connections."}},
    )
    holder.close()


def test_user_name_from_token_or_auth_body(make_request):
    app = App(Config(), Store(":memory:"))
    v2 = {"auth": {"passwordCredentials": {"username": "alt", "password": "x"}}}
    assert _user_name(make_request("POST", "/v2.0/tokens", v2), app) == "alt"
    assert _user_name(make_request("POST", "/v3/auth/tokens", AUTH), app) == "demo"
    assert _user_name(make_request("POST", "/v3/auth/tokens", raw=b"{"), app) is None
    assert _user_name(make_request("POST", "/v3/auth/tokens", {"auth": 1}), app) is None
    assert _user_name(make_request("POST", "/v2/p/servers", AUTH), app) is None
    assert _user_name(make_request("GET", "/v3/auth/tokens", AUTH), app) is None
    app.store.close()


def test_report_is_one_prefixed_line(capsys):
    report("something")
    assert capsys.readouterr().err == "gc-simulator: something\n"
