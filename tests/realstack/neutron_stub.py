"""A small read-only Neutron for Nova: no network service fits on PyPI.

Nova asks Neutron for ports (to show security groups) on every server view and for
the port quota on every boot; without an answer those are 500s. This answers every
``GET /v2.0/<collection>`` with an empty list, the quotas as unlimited, and every
write with 403. Standard library only; ``python neutron_stub.py --port N``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UNLIMITED = {
    name: -1
    for name in (
        "port",
        "network",
        "subnet",
        "router",
        "floatingip",
        "security_group",
        "security_group_rule",
        "rbac_policy",
        "subnetpool",
    )
}


def answer(path: str, base: str) -> tuple[int, object]:
    path = path.split("?", 1)[0].rstrip("/")
    if path.endswith(".json"):
        path = path[: -len(".json")]
    if path == "":
        href = f"{base}/v2.0/"
        version = {"id": "v2.0", "status": "CURRENT", "links": [{"href": href, "rel": "self"}]}
        return 200, {"versions": [version]}
    if path == "/v2.0":
        return 200, {"resources": []}
    quota = re.fullmatch(r"/v2\.0/quotas/([^/]+)(/details)?", path)
    if quota:
        if quota.group(2):
            detail = {k: {"limit": v, "used": 0, "reserved": 0} for k, v in UNLIMITED.items()}
            return 200, {"quota": detail}
        return 200, {"quota": dict(UNLIMITED)}
    collection = re.fullmatch(r"/v2\.0/([a-z_-]+)", path)
    if collection:
        return 200, {collection.group(1).replace("-", "_"): []}
    item = re.fullmatch(r"/v2\.0/([a-z_-]+)/([^/]+)", path)
    if item:
        kind = item.group(1).rstrip("s").replace("-", "_")
        message = f"{kind} {item.group(2)} could not be found."
        return 404, {"NeutronError": {"type": "NotFound", "message": message, "detail": ""}}
    return 404, {"NeutronError": {"type": "NotFound", "message": "Not found", "detail": ""}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "neutron-stub"

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        host, port = self.server.server_address[:2]
        self._send(*answer(self.path, f"http://{host}:{port}"))

    def _refuse(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        message = "The Neutron stub of gcclient's real-stack tests is read-only."
        self._send(403, {"NeutronError": {"type": "Forbidden", "message": message, "detail": ""}})

    do_POST = do_PUT = do_DELETE = _refuse

    def log_message(self, format: str, *args: object) -> None:
        sys.stdout.write(f"{self.command} {self.path} {args[1] if len(args) > 1 else ''}\n")
        sys.stdout.flush()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    print(f"neutron stub on http://{args.host}:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
