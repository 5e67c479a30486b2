"""The same requests to the real stack and to gc-simulator, answers reduced to what
clients notice: the status, the key tree of a JSON body (or its kind), the headers
clients read, and the error text.

A ``Side`` knows one cloud's auth URL, the demo user's password, and its compute
endpoint (the real Nova is ``/v2.1``, the simulator the legacy ``/v2/<project>``);
a ``Probe`` names its path relative to one of those. ``compare`` gives every
(probe, aspect) where the two reductions differ.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

REQUEST_ID = re.compile(r"^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
UNKNOWN = "8b3c3c1e-5a3f-4d8e-9a5e-000000000000"


@dataclass
class Side:
    name: str
    auth_url: str  # .../v3
    password: str
    token: str = ""
    compute: str = ""  # the compute endpoint of the catalog
    project_id: str = ""
    image: str = ""
    servers: dict[str, str] = field(default_factory=dict)  # label -> server id
    http: requests.Session = field(default_factory=requests.Session)

    @property
    def identity_root(self) -> str:
        return self.auth_url.rsplit("/v3", 1)[0]

    @property
    def compute_root(self) -> str:
        parts = urlsplit(self.compute)
        return f"{parts.scheme}://{parts.netloc}"

    def login(self) -> None:
        answer = self.http.post(self.auth_url + "/auth/tokens", json=password_body(self))
        answer.raise_for_status()
        self.token = answer.headers["X-Subject-Token"]
        body = answer.json()["token"]
        self.project_id = body["project"]["id"]
        compute = next(s for s in body["catalog"] if s["type"] == "compute")
        self.compute = next(
            e["url"]
            for e in compute["endpoints"]
            if e["interface"] == "public" and e["region_id"] == "RegionOne"
        ).rstrip("/")
        images = self.call("GET", "/images/detail").json()["images"]
        self.image = next(i["id"] for i in images if i["name"] == "cirros-0.3")

    def call(self, method: str, path: str, body: Any = None) -> requests.Response:
        headers = {"X-Auth-Token": self.token, "Accept": "application/json"}
        answer = self.http.request(method, self.compute + path, json=body, headers=headers)
        assert answer.status_code < 300, (method, path, answer.status_code, answer.text)
        return answer

    def prepare(self) -> None:
        """The server that probes name as {server}: BUILD on both clouds."""
        body = {"server": {"name": "diff-shown", "imageRef": self.image, "flavorRef": "1"}}
        self.servers["show"] = self.call("POST", "/servers", body).json()["server"]["id"]


def password_body(side: Side, scope: Any = "project", password: str | None = None) -> dict:
    user = {"name": "demo", "domain": {"name": "Default"}, "password": password or side.password}
    auth: dict[str, Any] = {"identity": {"methods": ["password"], "password": {"user": user}}}
    if scope == "project":
        auth["scope"] = {"project": {"name": "demo", "domain": {"name": "Default"}}}
    elif scope is not None:
        auth["scope"] = scope
    return {"auth": auth}


@dataclass(frozen=True)
class Probe:
    name: str
    method: str
    base: str  # "identity" (the auth URL's root), "compute" (endpoint), "compute-root"
    path: str  # may hold {server}
    token: bool = True
    body: Any = None


def _body(probe: Probe, side: Side) -> Any:
    body = probe.body
    if callable(body):
        return body(side)
    if body is None:
        return None
    return json.loads(json.dumps(body).replace("{image}", side.image))


def send(probe: Probe, side: Side) -> requests.Response:
    base = {
        "identity": side.identity_root,
        "compute": side.compute,
        "compute-root": side.compute_root,
    }[probe.base]
    path = probe.path.format(server=side.servers.get("show", UNKNOWN), unknown=UNKNOWN)
    headers = {"Accept": "application/json"}
    if probe.token:
        headers["X-Auth-Token"] = side.token
    body = _body(probe, side)
    if body is not None:
        headers["Content-Type"] = "application/json"
    return side.http.request(
        probe.method,
        base + path,
        headers=headers,
        data=None if body is None else json.dumps(body),
        timeout=120,
    )


def key_tree(data: Any, prefix: str = "") -> set[str]:
    """Every key path of a JSON value; a list contributes its elements' keys as ``[]``."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            path = f"{prefix}.{key}" if prefix else key
            found.add(path)
            found |= key_tree(value, path)
    elif isinstance(data, list):
        for item in data:
            found |= key_tree(item, f"{prefix}[]")
    return found


def error_text(data: Any) -> str | None:
    """The message a client shows: nova's ``{"<fault>": {"message"}}``, keystone's
    ``{"error": {"message"}}``, webob's ``{"message"}``."""
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("message"), str):
        return data["message"]
    if len(data) == 1:
        inner = next(iter(data.values()))
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return inner["message"]
    return None


def reduce(answer: requests.Response) -> dict[str, str]:
    """status, body (key tree or kind), headers clients read, error text."""
    reduced = {"status": str(answer.status_code)}
    kind = (answer.headers.get("Content-Type") or "").split(";")[0].strip()
    data: Any = None
    if kind == "application/json" and answer.content:
        data = answer.json()
        reduced["body"] = " ".join(sorted(key_tree(data))) or "{}"
    else:
        reduced["body"] = f"<{kind or 'no body'}>" if answer.content else "<empty>"
    headers = []
    for name in ("X-Subject-Token", "Location", "WWW-Authenticate"):
        if name in answer.headers:
            headers.append(name)
    request_id = answer.headers.get("x-openstack-request-id", "")
    if REQUEST_ID.match(request_id):
        headers.append("x-openstack-request-id")
    reduced["headers"] = " ".join(headers)
    if answer.status_code >= 400:
        text = error_text(data)
        reduced["error"] = text if text is not None else "-"
    return reduced


def normalise(text: str, sides: list[Side]) -> str:
    """IDs and ports differ between the clouds: replace them with placeholders."""
    for side in sides:
        for label, server_id in side.servers.items():
            text = text.replace(server_id, "<" + label + ">")
        text = text.replace(side.project_id, "<project>")
    text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>", text)
    return re.sub(r"n{256}", "<name>", text)


def compare(probes: list[Probe], real: Side, sim: Side) -> dict[tuple[str, str], tuple[str, str]]:
    """(probe, aspect) -> (real, simulator) wherever they differ."""
    found = {}
    for probe in probes:
        got = {}
        for side in (real, sim):
            reduced = reduce(send(probe, side))
            got[side.name] = {k: normalise(v, [real, sim]) for k, v in reduced.items()}
        for aspect in ("status", "body", "headers", "error"):
            a, b = got["real"].get(aspect, ""), got["sim"].get(aspect, "")
            if aspect == "body" and a != b and not a.startswith("<") and not b.startswith("<"):
                only_real = sorted(set(a.split()) - set(b.split()))
                only_sim = sorted(set(b.split()) - set(a.split()))
                a, b = " ".join(only_real) or "-", " ".join(only_sim) or "-"
            if a != b:
                found[(probe.name, aspect)] = (a, b)
    return found


def new_id() -> str:
    return str(uuid.uuid4())
