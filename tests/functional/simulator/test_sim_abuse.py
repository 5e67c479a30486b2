"""gc-simulator under abuse: every abusive request is answered, bounded, isolated (issue 13).

Malformed requests go over raw sockets to a real gc-simulator; after each one the process
must still be up and serving.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest

from gcclient.simulator import wire
from gcclient.simulator.namefilter import FILTER_TIMEOUT, MAX_NAME_FILTER
from gcclient.simulator.testing import DEFAULT_IMAGE, PROJECT_ROOT, Simulator, fault
from tests.functional.gcrun import make_blessed

HEAVY = os.environ.get("GC_HEAVY", "") not in ("", "0")


@pytest.fixture
def sim(simulator):
    """The conftest's module simulator (cobalt, 0.05 s builds)."""
    return simulator


def address(sim: Simulator) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(sim.url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def exchange(sim: Simulator, payload: bytes, timeout: float = 20.0) -> bytes:
    """Send ``payload`` and read until the server closes (or a full response arrives)."""
    with socket.create_connection(address(sim), timeout=timeout) as sock:
        try:
            sock.sendall(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return read_response(sock)


def read_response(sock: socket.socket) -> bytes:
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return data
        if not chunk:
            return data
        data += chunk
        head, sep, body = data.partition(b"\r\n\r\n")
        if sep:
            length = [
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ]
            if length and len(body) >= length[0]:
                return data


def status_of(response: bytes) -> int:
    assert response.startswith(b"HTTP/1.1 "), response[:200]
    return int(response.split(b" ", 2)[1])


def body_of(response: bytes) -> object:
    return json.loads(response.partition(b"\r\n\r\n")[2])


def alive(sim: Simulator) -> None:
    assert sim.proc is not None and sim.proc.poll() is None, sim.stderr()
    status, _, _ = sim.raw("GET", f"{sim.url}/")
    assert status == 300


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def post(path: str, body: bytes, *headers: str) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: sim", *headers, "", ""]
    return "\r\n".join(lines).encode() + body


def json_post(path: str, body: bytes, token: str | None = None) -> bytes:
    extra = [f"X-Auth-Token: {token}"] if token else []
    return post(
        path, body, "Content-Type: application/json", f"Content-Length: {len(body)}", *extra
    )


def compute_path(sim: Simulator, user: str, rest: str) -> tuple[str, str]:
    token, base = sim.token(user)
    return token, urllib.parse.urlsplit(base).path + rest


# ---- request parsing limits -------------------------------------------------------------

HEADER_CASES = {
    "request line over the limit": (
        f"GET /{'a' * (wire.MAX_REQUEST_LINE + 10)} HTTP/1.1\r\nHost: sim\r\n\r\n".encode(),
        414,
    ),
    "request line of 70 KB": (f"GET /{'b' * 70000} HTTP/1.1\r\n\r\n".encode(), 414),
    "too many headers": (
        ("GET / HTTP/1.1\r\n" + "X-H: v\r\n" * (wire.MAX_HEADERS + 1) + "\r\n").encode(),
        431,
    ),
    "one header line too long": (
        f"GET / HTTP/1.1\r\nX-Big: {'h' * wire.MAX_HEADER_LINE}\r\n\r\n".encode(),
        431,
    ),
    "headers too large together": (
        ("GET / HTTP/1.1\r\n" + f"X-H: {'v' * 4000}\r\n" * 20 + "\r\n").encode(),
        431,
    ),
    "bad content length": (b"POST /v3/auth/tokens HTTP/1.1\r\nContent-Length: -5\r\n\r\n", 400),
    "body over the limit": (
        post("/v3/auth/tokens", b"x" * (wire.MAX_BODY + 1), f"Content-Length: {wire.MAX_BODY + 1}"),
        413,
    ),
    "chunked body over the limit": (
        post(
            "/v3/auth/tokens",
            b"".join(b"%x\r\n" % 500000 + b"y" * 500000 + b"\r\n" for _ in range(3)) + b"0\r\n\r\n",
            "Transfer-Encoding: chunked",
        ),
        413,
    ),
    "negative chunk size": (
        post("/v3/auth/tokens", b"-1\r\n" + b"z" * 4096, "Transfer-Encoding: chunked"),
        400,
    ),
    "malformed chunk size": (
        post("/v3/auth/tokens", b"zz\r\nabc\r\n0\r\n\r\n", "Transfer-Encoding: chunked"),
        400,
    ),
    "huge declared chunk": (
        post("/v3/auth/tokens", b"fffffffffffffffff\r\n", "Transfer-Encoding: chunked"),
        400,
    ),
    "chunk of 4 GiB": (
        post("/v3/auth/tokens", b"ffffffff\r\n", "Transfer-Encoding: chunked"),
        413,
    ),
    "unparseable request line": (b"GARBAGE\r\n\r\n", 400),
    "HTTP/2 request line": (b"GET / HTTP/2.0\r\n\r\n", 505),
}


@pytest.mark.parametrize("case", sorted(HEADER_CASES))
def test_malformed_request_is_answered(sim, case):
    payload, expected = HEADER_CASES[case]
    response = exchange(sim, payload)
    assert status_of(response) == expected
    assert b"Connection: close" in response.partition(b"\r\n\r\n")[0]
    alive(sim)


def test_expect_100_continue_then_body(sim):
    body = json.dumps({"auth": {"identity": {"methods": ["password"], "password": {}}}})
    head = post("/v3/auth/tokens", b"", "Expect: 100-continue", f"Content-Length: {len(body)}")
    with socket.create_connection(address(sim), timeout=10) as sock:
        sock.sendall(head)
        assert sock.recv(1024) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(body.encode())
        assert status_of(read_response(sock)) == 401
    big = wire.MAX_BODY + 1
    head = post("/v3/auth/tokens", b"", "Expect: 100-continue", f"Content-Length: {big}")
    with socket.create_connection(address(sim), timeout=10) as sock:
        sock.sendall(head)
        assert status_of(read_response(sock)) == 413  # at once, no 100 Continue first


def test_json_nested_100000_deep_is_400(sim):
    body = b"[" * 100000 + b"]" * 100000
    response = exchange(sim, json_post("/v3/auth/tokens", body))
    assert status_of(response) == 400
    assert fault(body_of(response)) == ("badRequest", 400, "Malformed request body")
    alive(sim)


@pytest.mark.parametrize("depth", [60, 500, 950])
def test_deep_launch_guest_is_refused_before_commit(sim, depth):
    image = make_blessed(sim, f"deep{depth}")
    token, path = compute_path(sim, "demo", f"/servers/{image['id']}/action")
    guest = "[" * depth + "]" * depth
    body = f'{{"gc_launch": {{"guest": {guest}}}}}'.encode()
    mark = sim.mark()
    response = exchange(sim, json_post(path, body, token))
    status, listed = sim.action(image["id"], {"gc_list_launched": None})
    # the action object and gc_launch add two levels to the guest's own depth
    if depth + 2 <= wire.MAX_JSON_DEPTH:
        assert status_of(response) == 200 and len(listed) == 1
    else:
        assert status_of(response) == 400
        assert fault(body_of(response)) == ("badRequest", 400, "Malformed request body")
        assert listed == []
    entry = [e for e in sim.journal_since(mark) if e["path"] == path][0]
    assert entry["status"] == status_of(response)
    alive(sim)


@pytest.mark.parametrize(
    "number", ["1e999", "-1e999", "NaN", "Infinity", str(2**63), "1" + "0" * 5000]
)
def test_numbers_that_do_not_fit_are_400(sim, number):
    token, path = compute_path(sim, "demo", "/servers")
    body = (
        f'{{"server": {{"name": "n", "imageRef": "{DEFAULT_IMAGE}", "flavorRef": "1", '
        f'"min_count": {number}}}}}'
    ).encode()
    response = exchange(sim, json_post(path, body, token))
    assert status_of(response) == 400
    assert fault(body_of(response)) == ("badRequest", 400, "Malformed request body")
    alive(sim)


def stream_then_read(sim: Simulator, head: bytes, feed) -> tuple[bytes, float]:
    """Send ``head`` then ``feed()`` chunks until the server stops reading; return the answer."""
    sock = socket.create_connection(address(sim), timeout=30)
    answer: list[bytes] = []
    reader = threading.Thread(target=lambda: answer.append(read_response(sock)))
    sent = 0
    try:
        sock.sendall(head)
        reader.start()
        for chunk in feed():
            sock.sendall(chunk)
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass
    finally:
        reader.join(30)
        sock.close()
    return answer[0] if answer else b"", sent / 2**20


def test_200_mib_chunked_body_is_bounded(sim):
    block = b"q" * 2**20

    def negative():
        yield b"-1\r\n"
        for _ in range(200):
            yield block

    response, sent = stream_then_read(
        sim, post("/v3/auth/tokens", b"", "Transfer-Encoding: chunked"), negative
    )
    assert status_of(response) == 400
    alive(sim)

    def valid_chunks():
        for _ in range(200):
            yield b"%x\r\n" % len(block) + block + b"\r\n"

    response, sent = stream_then_read(
        sim, post("/v3/auth/tokens", b"", "Transfer-Encoding: chunked"), valid_chunks
    )
    assert status_of(response) == 413
    alive(sim)
    assert sim.pid is not None
    rss = rss_mb(sim.pid)
    print(f"RSS after the 200 MiB chunked cases: {rss:.1f} MB (last sender got to {sent:.0f} MiB)")
    assert rss < 150


# ---- connections ----------------------------------------------------------------------


def test_slow_header_connections_are_closed_while_others_are_served(sim):
    count = 500
    socks = []
    try:
        for index in range(count):
            sock = socket.create_connection(address(sim), timeout=30)
            if index % 2:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: slow\r\n")  # never finished
            socks.append(sock)
        opened = time.monotonic()
        latencies = []
        for _ in range(5):
            started = time.monotonic()
            alive(sim)
            latencies.append(time.monotonic() - started)
        print(f"normal client with {count} slow connections open: max {max(latencies):.3f}s")
        assert max(latencies) < 2.0
        closed = 0
        for sock in socks:
            sock.settimeout(max(0.1, opened + wire.HEADER_TIMEOUT + 10 - time.monotonic()))
            try:
                data = sock.recv(1024)
            except ConnectionResetError:
                data = b""
            if data == b"":
                closed += 1
        took = time.monotonic() - opened
        print(f"{closed}/{count} slow connections closed after {took:.1f}s")
        assert closed == count
        assert took < wire.HEADER_TIMEOUT + 10
    finally:
        for sock in socks:
            sock.close()
    alive(sim)


def test_connections_over_the_maximum_get_503(simulator_factory):
    small = simulator_factory(build_time=0.05, extra_args=["--max-connections", "3"])
    held = [socket.create_connection(address(small), timeout=10) for _ in range(3)]
    try:
        time.sleep(0.3)
        response = exchange(small, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status_of(response) == 503
        assert b"Retry-After: 1" in response
    finally:
        for sock in held:
            sock.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        response = exchange(small, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        if status_of(response) == 300:
            break
        time.sleep(0.1)
    assert status_of(response) == 300


# ---- project isolation ------------------------------------------------------------------


def test_other_project_cannot_hold_a_live_image(sim):
    image = make_blessed(sim, "iso")
    image_id = image["id"]
    not_found = f"Instance {image_id} could not be found."
    data = {
        "fields": {"display_name": "intruder", "image_ref": DEFAULT_IMAGE},
        "metadata": {"launched_from": image_id},
        "system_metadata": {},
        "flavor_name": "m1.tiny",
        "export_image_id": DEFAULT_IMAGE,
    }
    status, body = sim.request("POST", "/co-import-server", {"data": data}, user="alt")
    assert (status, fault(body)) == (400, ("badRequest", 400, not_found))
    boot = {
        "server": {
            "name": "intruder",
            "imageRef": DEFAULT_IMAGE,
            "flavorRef": "1",
            "metadata": {"launched_from": image_id},
        }
    }
    status, body = sim.request("POST", "/servers", boot, user="alt")
    assert (status, fault(body)) == (400, ("badRequest", 400, not_found))
    own = sim.boot("own", user="alt")
    status, body = sim.request(
        "POST",
        f"/servers/{own['id']}/metadata",
        {"metadata": {"launched_from": image_id}},
        user="alt",
    )
    assert (status, fault(body)) == (400, ("badRequest", 400, not_found))

    status, export = sim.action(image_id, {"co_export": None})
    assert status == 200
    export_id = export["export_image_id"]
    assert sim.request("GET", f"/images/{export_id}")[0] == 200
    assert sim.request("GET", f"/images/{export_id}", user="alt")[0] == 404
    boot["server"]["imageRef"] = export_id
    del boot["server"]["metadata"]
    status, body = sim.request("POST", "/servers", boot, user="alt")
    assert (status, fault(body)) == (400, ("badRequest", 400, "Can not find requested image"))

    assert sim.action(image_id, {"gc_list_launched": None}) == (200, [])
    status, _ = sim.action(image_id, {"gc_discard": None})
    assert status == 200
    sim.wait_gone(image_id)


def race_call(sim: Simulator, start: threading.Barrier, path: str, body: dict, delay: float) -> int:
    token, _ = sim.token("demo")
    conn = http.client.HTTPConnection(*address(sim), timeout=30)
    conn.connect()
    start.wait()
    time.sleep(delay)
    conn.request(
        "POST", path, json.dumps(body), {"X-Auth-Token": token, "Content-Type": "application/json"}
    )
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def race_worker(
    sim: Simulator,
    start: threading.Barrier,
    path: str,
    body: dict,
    results: dict[int, int],
    index: int,
    delay: float,
) -> None:
    results[index] = race_call(sim, start, path, body, delay)


def test_launch_from_a_live_image_being_discarded_is_refused(sim):
    image = make_blessed(sim, "discarding")
    assert sim.action(image["id"], {"gc_discard": None})[0] == 200
    status, body = sim.action(image["id"], {"gc_launch": {}})
    message = (
        f"Instance {image['id']} is not a live image. Please create a live image to launch from it."
    )
    assert (status, fault(body)) == (400, ("badRequest", 400, message))
    sim.wait_gone(image["id"])


def test_launches_racing_a_discard_leave_no_orphan(sim):
    rounds = 12 if HEAVY else 4
    statuses: list[int] = []
    discarded = 0
    for round_number in range(rounds):
        image = make_blessed(sim, f"race{round_number}")
        _, path = compute_path(sim, "demo", f"/servers/{image['id']}/action")
        start = threading.Barrier(17)
        bodies: list[dict] = [{"gc_discard": None}] + [{"gc_launch": {}}] * 16
        # the discard goes first, with the launches, or a little after them
        discard_delay = (0.0, 0.0, 0.005, 0.02)[round_number % 4]
        launch_delay = (0.01, 0.0, 0.0, 0.0)[round_number % 4]
        results: dict[int, int] = {}
        threads = [
            threading.Thread(
                target=race_worker,
                args=(sim, start, path, b, results, i, launch_delay if i else discard_delay),
            )
            for i, b in enumerate(bodies)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        statuses.extend(results.values())
        discarded += results[0] == 200
    assert len(statuses) == rounds * 17
    assert set(statuses) <= {200, 400, 404}, statuses
    time.sleep(0.3)
    servers = sim.servers()  # every page
    ids = {s["id"] for s in servers}
    orphans = [s["id"] for s in servers if s["metadata"].get("launched_from") not in (None, *ids)]
    print(f"launch/discard races: {discarded}/{rounds} discards won, no orphan")
    assert orphans == []
    alive(sim)


PATHOLOGICAL = "/servers?name=%5E(a%2B)%2B%24"  # ^(a+)+$ : exponential on "aaa...ab"


def test_pathological_name_filter_does_not_block_other_projects(simulator_factory):
    own = simulator_factory(build_time=0.05)
    own.boot("a" * 18 + "b")
    assert own.request("GET", PATHOLOGICAL) == (200, {"servers": []})  # starts the worker
    started = time.monotonic()
    assert own.request("GET", PATHOLOGICAL) == (200, {"servers": []})
    base = max(time.monotonic() - started, 0.005)
    extra = min(10, max(0, round(math.log2(1.5 / base))))  # aim at ~1.5 s of matching
    own.boot("a" * (18 + extra) + "b")
    own.boot("other", user="alt")
    result: list[tuple[int, object]] = []
    slow = threading.Thread(target=lambda: result.append(own.request("GET", PATHOLOGICAL)))
    slow.start()
    time.sleep(0.3)
    latencies = []
    for _ in range(3):
        started = time.monotonic()
        status, body = own.request("GET", "/servers/detail", user="alt")
        latencies.append(time.monotonic() - started)
        assert status == 200 and [s["name"] for s in body["servers"]] == ["other"]
    still_running = slow.is_alive()
    started = time.monotonic()
    slow.join(120)
    shown = [round(x, 3) for x in latencies]
    print(f"alt's GET /servers/detail during a {18 + extra}-a filter: {shown}s")
    assert still_running, "the filter finished too early to prove anything"
    assert max(latencies) < 0.5
    assert result == [(200, {"servers": []})]


def test_name_filter_bounds_and_invalid_regex(simulator_factory):
    own = simulator_factory(build_time=0.05)
    status, body = own.request("GET", "/servers?name=" + "x" * (MAX_NAME_FILTER + 1))
    assert status == 400 and fault(body)[0] == "badRequest"
    # Nova returns [] before compiling the filter when the project has no instances
    assert own.request("GET", "/servers?name=%5B") == (200, {"servers": []})
    own.boot("one")
    for invalid in ("%5B", "%5Bz-a%5D", "a%2A%2A"):  # "[", "[z-a]" (plain), "a**" (worker)
        status, body = own.request("GET", f"/servers?name={invalid}")
        assert status == 500 and fault(body)[0] == "computeFault", invalid
    assert "Traceback" not in own.stderr()  # Nova's answer, not a crash of the simulator
    own.boot("a" * 40 + "b")
    started = time.monotonic()
    status, body = own.request("GET", PATHOLOGICAL)
    took = time.monotonic() - started
    assert (status, fault(body)) == (
        400,
        (
            "badRequest",
            400,
            f"Invalid filter: the name regex took more than {FILTER_TIMEOUT:g} seconds",
        ),
    )
    assert FILTER_TIMEOUT <= took < FILTER_TIMEOUT + 5
    assert own.request("GET", "/servers?name=%5Eone%24")[1]["servers"][0]["name"] == "one"
    assert own.request("GET", "/servers?name=o.e")[1]["servers"][0]["name"] == "one"


# ---- every write answered ---------------------------------------------------------------


def test_journal_and_access_log_write_failures_do_not_drop_answers(simulator_factory):
    full = simulator_factory(
        build_time=0.05,
        journal=False,
        extra_args=["--journal", "/dev/full", "--access-log", "/dev/full"],
    )
    source = full.boot("full")
    answered = 0
    for _ in range(5):
        status, body = full.action(source["id"], {"gc_bless": {}})
        assert status == 200, body
        answered += 1
        full.wait_status(body[0]["id"], "BLESSED")
    assert answered == 5
    errors = full.stderr()
    assert "gc-simulator: journal write failed (POST " in errors
    assert "gc-simulator: access log write failed (POST " in errors
    assert "Traceback" not in errors
    status, listed = full.action(source["id"], {"gc_list_blessed": None})
    assert status == 200 and len(listed) == 5


# ---- identity ---------------------------------------------------------------------------


def v3_token(sim: Simulator, identity: dict) -> tuple[int, str, dict]:
    status, headers, raw = sim.raw(
        "POST", f"{sim.url}/v3/auth/tokens", {"auth": {"identity": identity}}
    )
    data = json.loads(raw)
    return status, headers.get("X-Subject-Token", ""), data


def password(user: str) -> dict:
    return {
        "methods": ["password"],
        "password": {
            "user": {"name": user, "domain": {"id": "default"}, "password": f"{user}-password"}
        },
    }


def validate(sim: Simulator, caller: str, subject: str, method: str = "GET") -> int:
    headers = {"X-Auth-Token": caller, "X-Subject-Token": subject}
    return sim.raw(method, f"{sim.url}/v3/auth/tokens", headers=headers)[0]


def test_token_renewal_keeps_the_original_expiry(sim):
    status, first, data = v3_token(sim, password("demo"))
    assert status == 201
    time.sleep(1.1)
    status, renewed, renewed_data = v3_token(sim, {"methods": ["token"], "token": {"id": first}})
    assert status == 201 and renewed != first
    assert renewed_data["token"]["expires_at"] == data["token"]["expires_at"]
    assert renewed_data["token"]["issued_at"] > data["token"]["issued_at"]
    status, _, raw = sim.raw("POST", f"{sim.url}/v2.0/tokens", {"auth": {"token": {"id": renewed}}})
    assert status == 200
    expires = json.loads(raw)["access"]["token"]["expires"]
    assert expires == data["token"]["expires_at"][:19] + "Z"


def test_validating_or_revoking_another_users_token(sim):
    demo = v3_token(sim, password("demo"))[1]
    demo2 = v3_token(sim, password("demo"))[1]
    alt = v3_token(sim, password("alt"))[1]
    admin = v3_token(sim, password("admin"))[1]
    assert validate(sim, demo, alt) == 403
    assert validate(sim, demo, alt, "DELETE") == 403
    assert validate(sim, demo, demo2) == 200
    assert validate(sim, admin, alt) == 200
    assert validate(sim, demo, "0" * 40) == 404
    status, _, raw = sim.raw(
        "GET", f"{sim.url}/v3/auth/tokens", headers={"X-Auth-Token": demo, "X-Subject-Token": alt}
    )
    assert json.loads(raw)["error"] == {
        "code": 403,
        "message": "You are not authorized to perform the requested action: "
        "identity:validate_token.",
        "title": "Forbidden",
    }
    assert validate(sim, alt, alt) == 200  # the alt token is still valid after the refusals
    assert validate(sim, admin, alt, "DELETE") == 204
    assert validate(sim, demo, demo2, "DELETE") == 204
    assert validate(sim, admin, alt) == 404
    assert validate(sim, admin, demo2) == 404


def test_revocation_is_seen_by_a_second_simulator_and_expired_tokens_are_pruned(
    simulator_factory, tmp_path
):
    state = str(tmp_path / "state.db")
    first = simulator_factory(state=state, extra_args=["--token-ttl", "3"])
    second = simulator_factory(state=state)
    status, token, data = v3_token(first, password("demo"))
    project = data["token"]["project"]["id"]
    servers = f"/v2/{project}/servers"
    assert second.raw("GET", second.url + servers, headers={"X-Auth-Token": token})[0] == 200
    assert validate(first, token, token, "DELETE") == 204
    assert second.raw("GET", second.url + servers, headers={"X-Auth-Token": token})[0] == 401

    old = v3_token(first, password("alt"))[1]
    time.sleep(3.2)
    assert second.raw("GET", second.url + servers, headers={"X-Auth-Token": old})[0] == 401
    v3_token(first, password("alt"))
    with sqlite3.connect(state) as conn:
        rows = conn.execute("SELECT COUNT(*) FROM tokens WHERE expires_at <= ?", (time.time(),))
        assert rows.fetchone()[0] == 0


# ---- startup options -------------------------------------------------------------------


def run_simulator(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=PROJECT_ROOT)
    return subprocess.run(
        [sys.executable, "-m", "gcclient.simulator", "--quiet", *args],
        capture_output=True,
        text=True,
        timeout=30,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def test_bad_startup_options(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite " * 100)
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE tokens (x INTEGER)")
    cases = [
        (
            ["--port", "99999"],
            2,
            "gc-simulator: error: argument --port: 99999 is not between 0 and 65535",
        ),
        (["--port", "http"], 2, "gc-simulator: error: argument --port: invalid port 'http'"),
        (
            ["--max-connections", "0"],
            2,
            "gc-simulator: error: argument --max-connections: must be at least 1",
        ),
        (
            ["--port", "0", "--state", str(junk)],
            1,
            f"gc-simulator: --state {junk}: not a usable state file (file is not a database)",
        ),
        (
            ["--port", "0", "--state", str(foreign)],
            1,
            f"gc-simulator: --state {foreign}: not a usable state file (table tokens lacks "
            "column(s) expires_at, id, issued_at, methods, project_id, user_id)",
        ),
        (
            ["--port", "0", "--state", ":memory:", "--journal", str(tmp_path)],
            1,
            f"gc-simulator: --journal {tmp_path}: cannot open (Is a directory)",
        ),
        (
            ["--port", "0", "--state", ":memory:", "--journal", str(tmp_path / "no" / "j")],
            1,
            f"gc-simulator: --journal {tmp_path / 'no' / 'j'}: cannot open "
            "(No such file or directory)",
        ),
    ]
    for args, code, line in cases:
        result = run_simulator(*args)
        assert (result.returncode, result.stderr, result.stdout) == (code, line + "\n", ""), args


@pytest.mark.skipif(not HEAVY, reason="waits for the keep-alive timeout (GC_HEAVY=1)")
def test_idle_keepalive_connection_is_closed(sim):
    with socket.create_connection(address(sim), timeout=wire.KEEPALIVE_TIMEOUT + 10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status_of(read_response(sock)) == 300
        started = time.monotonic()
        assert sock.recv(1024) == b""
        took = time.monotonic() - started
    assert wire.KEEPALIVE_TIMEOUT - 1 <= took < wire.KEEPALIVE_TIMEOUT + 5


@pytest.mark.skipif(not HEAVY, reason="1,500 connections (GC_HEAVY=1)")
def test_1500_slow_header_connections(simulator_factory):
    big = simulator_factory(build_time=0.05, extra_args=["--max-connections", "2000"])
    socks = []
    try:
        for index in range(1500):
            sock = socket.create_connection(address(big), timeout=30)
            if index % 2:
                sock.sendall(b"POST /v3/auth/tokens HTTP/1.1\r\nHost: slow\r\n")
            socks.append(sock)
        alive(big)
        opened = time.monotonic()
        for sock in socks:
            sock.settimeout(max(0.1, opened + wire.HEADER_TIMEOUT + 15 - time.monotonic()))
            try:
                assert sock.recv(1024) == b""
            except ConnectionResetError:
                pass
    finally:
        for sock in socks:
            sock.close()
    alive(big)
