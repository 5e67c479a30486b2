"""What the real-stack tests need besides gc: REST calls as a user, and gc itself.

``Rest`` gets tokens from the real Keystone and calls the real Nova (to make and
remove servers, revoke tokens) so that each test sets up and checks its state without
trusting the client it tests. ``gc()`` runs the real ``gc`` executable with only the
``OS_*`` variables a test gives it, HOME in a scratch directory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any

import requests

from .configs import url
from .populate import SECOND_DOMAIN

# GC_UNDER_TEST_BIN=<venv>/bin runs another installed gc (as tests/functional/gcrun.py
# does), to show that a test fails on an earlier commit (docs/simulator.rst).
GC = os.path.join(os.environ.get("GC_UNDER_TEST_BIN") or os.path.dirname(sys.executable), "gc")
# who -> (user name, user domain, project name, password key in the record)
WHO = {
    "demo": ("demo", "Default", "demo", "demo"),
    "dom2": ("demo", SECOND_DOMAIN, "demo", f"demo@{SECOND_DOMAIN}"),
    "admin": ("admin", "Default", "admin", "admin"),
}


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def auth_url(record: dict[str, Any]) -> str:
    return url(record, "keystone") + "/v3"


def nova_url(record: dict[str, Any], host: str = "127.0.0.1") -> str:
    return url(record, "nova", host) + "/v2.1"


def env_for(record: dict[str, Any], who: str = "demo", domains: bool = True) -> dict[str, str]:
    user, domain, project, key = WHO[who]
    env = {
        "OS_AUTH_URL": auth_url(record),
        "OS_USERNAME": user,
        "OS_PASSWORD": record["passwords"][key],
        "OS_PROJECT_NAME": project,
        "OS_REGION_NAME": "RegionOne",
    }
    if domains:
        env["OS_USER_DOMAIN_NAME"] = domain
        env["OS_PROJECT_DOMAIN_NAME"] = domain
    return env


_HOME = tempfile.mkdtemp(prefix="gc-realstack-home-")


def gc(
    record: dict[str, Any] | None,
    *args: str,
    env: dict[str, str] | None = None,
    who: str | None = "demo",
    home: str | os.PathLike[str] | None = None,
    cache: bool = False,
    timeout: float = 120,
) -> Result:
    """Run ``gc`` with ``who``'s variables (none with who=None) updated by ``env``."""
    full = {k: v for k, v in os.environ.items() if not k.startswith(("OS_", "GC_", "XDG_"))}
    full["HOME"] = str(home or _HOME)
    if not cache:
        full["GC_NO_TOKEN_CACHE"] = "1"
    if who is not None and record is not None:
        full.update(env_for(record, who))
    full.update(env or {})
    full = {k: v for k, v in full.items() if v is not None}
    proc = subprocess.run(
        [GC, *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


class Rest:
    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record
        self.http = requests.Session()
        self._tokens: dict[str, str] = {}

    # ---- identity ----------------------------------------------------------------

    def issue(self, who: str = "demo") -> str:
        """A new project-scoped token for ``who``."""
        user, domain, project, key = WHO[who]
        body = {
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {
                        "user": {
                            "name": user,
                            "domain": {"name": domain},
                            "password": self.record["passwords"][key],
                        }
                    },
                },
                "scope": {"project": {"name": project, "domain": {"name": domain}}},
            }
        }
        answer = self.http.post(auth_url(self.record) + "/auth/tokens", json=body, timeout=60)
        answer.raise_for_status()
        return answer.headers["X-Subject-Token"]

    def token(self, who: str = "demo") -> str:
        if who not in self._tokens:
            self._tokens[who] = self.issue(who)
        return self._tokens[who]

    def revoke(self, token: str) -> None:
        headers = {"X-Auth-Token": self.token("admin"), "X-Subject-Token": token}
        answer = self.http.delete(auth_url(self.record) + "/auth/tokens", headers=headers)
        assert answer.status_code == 204, answer.text

    # ---- compute -----------------------------------------------------------------

    def nova(
        self, method: str, path: str, who: str = "demo", body: Any = None, **headers: str
    ) -> requests.Response:
        headers = {"X-Auth-Token": self.token(who), **headers}
        return self.http.request(
            method, nova_url(self.record) + path, json=body, headers=headers, timeout=60
        )

    def boot(self, name: str, who: str = "demo") -> dict[str, Any]:
        """A server that stays BUILD forever (no conductor): nova's build request."""
        body = {"server": {"name": name, "imageRef": self.record["image_id"], "flavorRef": "1"}}
        body["server"]["networks"] = "none"
        answer = self.nova(
            "POST", "/servers", who, body, **{"X-OpenStack-Nova-API-Version": "2.37"}
        )
        assert answer.status_code == 202, answer.text
        return {**answer.json()["server"], "name": name}

    def servers(self, who: str = "demo") -> list[dict[str, Any]]:
        """Every server of the project, following nova's pages (max_limit is 2)."""
        found: list[dict[str, Any]] = []
        path = "/servers/detail"
        while True:
            answer = self.nova("GET", path, who)
            assert answer.status_code == 200, answer.text
            body = answer.json()
            found.extend(body["servers"])
            links = [link for link in body.get("servers_links", []) if link["rel"] == "next"]
            if not links or not body["servers"]:
                return found
            path = "/servers/detail?marker=" + body["servers"][-1]["id"]

    def delete(self, server_id: str, who: str = "demo") -> None:
        answer = self.nova("DELETE", f"/servers/{server_id}", who)
        assert answer.status_code in (204, 404), answer.text

    def purge(self, who: str = "demo") -> None:
        for server in self.servers(who):
            self.delete(server["id"], who)
        deadline = time.monotonic() + 60
        while self.servers(who) and time.monotonic() < deadline:
            time.sleep(0.5)
