"""The extension's own resources: /gcinfo, /gcservers, /gc-import-server and /gcpolicy (and
their ``co`` aliases)."""

from __future__ import annotations

import configparser
import random
import sqlite3

from .config import Config
from .eras import Era
from .fixtures import FLAVORS, SECURITY_GROUPS, find_flavor_by_name
from .identity import PROJECTS_BY_ID, USERS_BY_ID
from .isolation import check_lineage
from .request import Request
from .responses import HTML_ACTION, Response, bad_request, empty_response, json_response
from .servers import NewServer, Servers
from .store import insert_policy
from .views import server_view


def ini_error(text: str) -> str | None:
    parser = configparser.ConfigParser()
    try:
        parser.read_string(text)
    except configparser.Error as exc:
        return str(exc).splitlines()[0]
    return None


class Resources:
    def __init__(self, config: Config, era: Era, servers: Servers) -> None:
        self.config = config
        self.era = era
        self.servers = servers
        self.rng = random.Random()

    def info(self, req: Request, conn: sqlite3.Connection) -> Response:
        """A hand-built webob.Response: webob's default content type (S6 ext:64-67)."""
        return json_response(200, {"capabilities": list(self.era.capabilities or ())}, HTML_ACTION)

    def boot_on_host(self, req: Request, conn: sqlite3.Connection) -> Response:
        if not req.is_admin:
            raise bad_request(self.era.text("admin_only"))
        spec, count = self.servers.boot_spec(req, conn)
        target = spec.metadata.get("gc:target_host")
        if target is not None and target not in self.config.hosts:
            raise bad_request(self.era.text("gcservers_host"))
        hosts = self.config.hosts
        spec.host = target or (self.rng.choice(hosts) if hosts else None)
        return self.servers.boot(req, conn, spec, count, 200, extended=False)

    def import_server(self, req: Request, conn: sqlite3.Connection) -> Response:
        body = req.json_object()
        data = body.get("data")
        if not isinstance(data, dict) or not isinstance(data.get("fields", {}), dict):
            raise bad_request("Malformed request body")
        fields = data.get("fields") or {}
        metadata = data.get("metadata") or {}
        if not isinstance(metadata, dict):
            raise bad_request("Malformed request body")
        flavor = find_flavor_by_name(data.get("flavor_name"))
        groups = data.get("security_group_names") or []
        if not self.era.transfer_system_metadata:
            if flavor is None:
                raise bad_request(self.era.text("import_flavor", name=data.get("flavor_name")))
            if not isinstance(groups, list):
                raise bad_request("Malformed request body")
            for group in groups:
                if group not in SECURITY_GROUPS:
                    raise bad_request(self.era.text("import_secgroup", name=group))
        else:
            groups = ["default"]
        project_id, user_id = req.project_id, req.user.id
        if req.is_admin:
            project_id = (
                fields.get("project_id")
                if fields.get("project_id") in PROJECTS_BY_ID
                else project_id
            )
            user_id = fields.get("user_id") if fields.get("user_id") in USERS_BY_ID else user_id
        check_lineage(conn, metadata, project_id, self.era, ("launched_from",))
        system_metadata: dict[str, str] = {}
        if self.era.transfer_system_metadata:
            copied = data.get("system_metadata")
            system_metadata = dict(copied) if isinstance(copied, dict) else {}
            system_metadata["protected"] = "True"
        server = self.servers.create(
            conn,
            NewServer(
                project_id=project_id,
                user_id=user_id,
                name=fields.get("display_name"),
                image_id=fields.get("image_ref"),
                flavor_id=(flavor or FLAVORS["1"]).id,
                host=None,
                key_name=fields.get("key_name"),
                security_groups=[str(g) for g in groups],
                metadata={str(k): str(v) for k, v in metadata.items()},
                system_metadata=system_metadata,
                user_data=fields.get("user_data"),
                allocate_ip=False,
                due_action="bless",
            ),
        )
        links = server_view(req, server)["links"]
        return json_response(200, {"server": {"id": server["id"], "links": links}})

    def install_policy(self, req: Request, conn: sqlite3.Connection) -> Response:
        body = req.json_object()
        text = body.get("policy_ini_string")
        if not isinstance(text, str):
            raise bad_request("Malformed request body")
        wait = bool(body.get("wait", False))
        error = ini_error(text)
        hosts = self.config.hosts
        if error is not None and hosts:
            if wait:
                faults = "\n".join(f"{host}: {error}" for host in hosts)
                raise bad_request(self.era.text("policy_many", count=len(hosts), faults=faults))
            raise bad_request(self.era.text("policy_one", host=hosts[0], err=error))
        insert_policy(conn, text)
        return empty_response(200, "application/json")
