"""Simulator throughput: Gridcentric actions per second with N concurrent keep-alive clients.

Run ``python benchmarks/sim_throughput.py`` (starts its own simulator) or import
:func:`measure` and pass the ``OS_*`` variables of a running one.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse
import urllib.request

from gcclient.simulator.testing import DEFAULT_IMAGE, Simulator

TARGET = 300.0


def _token(env: dict) -> tuple[str, str]:
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": env["OS_USERNAME"],
                        "domain": {"name": env.get("OS_USER_DOMAIN_NAME", "Default")},
                        "password": env["OS_PASSWORD"],
                    }
                },
            },
            "scope": {
                "project": {
                    "name": env["OS_PROJECT_NAME"],
                    "domain": {"name": env.get("OS_PROJECT_DOMAIN_NAME", "Default")},
                }
            },
        }
    }
    request = urllib.request.Request(
        env["OS_AUTH_URL"].rstrip("/") + "/auth/tokens",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        catalog = json.loads(response.read())["token"]["catalog"]
        token = response.headers["X-Subject-Token"]
    compute = next(s for s in catalog if s["type"] == "compute")
    return token, next(e["url"] for e in compute["endpoints"] if e["interface"] == "public")


class _Client:
    def __init__(self, token: str, base: str) -> None:
        parts = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(parts.netloc, timeout=30)
        self.prefix = parts.path
        self.headers = {"X-Auth-Token": token, "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: object = None) -> tuple[int, object]:
        data = None if body is None else json.dumps(body)
        self.conn.request(method, self.prefix + path, body=data, headers=self.headers)
        response = self.conn.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else None

    def wait(self, server_id: str, status: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self.call("GET", f"/servers/{server_id}")[1]["server"]["status"] != status:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{server_id} never reached {status}")
            time.sleep(0.05)


def _live_image(client: _Client, name: str) -> tuple[str, str]:
    boot = {"server": {"name": name, "imageRef": DEFAULT_IMAGE, "flavorRef": "1"}}
    status, data = client.call("POST", "/servers", boot)
    source = data["server"]["id"]
    client.wait(source, "ACTIVE")
    status, data = client.call("POST", f"/servers/{source}/action", {"gc_bless": {}})
    blessed = data[0]["id"]
    client.wait(blessed, "BLESSED")
    return source, blessed


def _plan(client: _Client) -> list[tuple[str, dict]]:
    source, blessed = _live_image(client, "bench")
    listed_source, listed_image = _live_image(client, "bench-lists")
    client.call("POST", f"/servers/{listed_image}/action", {"gc_launch": {"num_instances": 2}})
    return [
        (blessed, {"gc_launch": {}}),
        (listed_image, {"gc_list_launched": None}),
        (listed_source, {"gc_list_blessed": None}),
        (source, {"gc_bless": {}}),
    ]


def measure(url_env: dict, clients: int = 8, seconds: float = 5.0) -> dict:
    """Run ``clients`` keep-alive clients for ``seconds``; return counts and actions/s.

    Each client loops over launch, list-launched, list-blessed and bless (all
    ``POST .../action``), so every request counted is a Gridcentric action. The lists
    run on a separate live image whose size stays fixed, so the figure does not
    drift with the number of servers created during the run.
    """
    token, base = _token(url_env)
    plan = _plan(_Client(token, base))
    counts = [0] * clients
    errors = [0] * clients
    latencies: list[list[float]] = [[] for _ in range(clients)]
    start_gate = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def run(index: int) -> None:
        client = _Client(token, base)
        start_gate.wait()
        step = index
        while time.perf_counter() < stop_at[0]:
            server_id, body = plan[step % len(plan)]
            step += 1
            began = time.perf_counter()
            status, _ = client.call("POST", f"/servers/{server_id}/action", body)
            latencies[index].append(time.perf_counter() - began)
            if status == 200:
                counts[index] += 1
            else:
                errors[index] += 1

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + seconds
    started = time.perf_counter()
    start_gate.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    merged = sorted(x for per_client in latencies for x in per_client)
    total = sum(counts)
    return {
        "clients": clients,
        "seconds": round(elapsed, 3),
        "actions": total,
        "errors": sum(errors),
        "actions_per_second": round(total / elapsed, 1),
        "p50_ms": round(merged[len(merged) // 2] * 1000, 2) if merged else None,
        "p99_ms": round(merged[int(len(merged) * 0.99)] * 1000, 2) if merged else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    with Simulator(build_time=0.05, journal=False, extra_args=["--quiet"]) as sim:
        result = measure(sim.env, clients=args.clients, seconds=args.seconds)
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"gc-simulator: {result['actions_per_second']} actions/s with {result['clients']} "
            f"concurrent keep-alive clients ({result['actions']} actions in {result['seconds']}s, "
            f"{result['errors']} errors, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms; "
            f"target >= {TARGET:.0f})"
        )
    return 0 if result["actions_per_second"] >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
