"""The extension's own resources: /gcinfo, /gcservers, /gc-import-server and /gcpolicy (and
their ``co`` aliases)."""

from __future__ import annotations

import configparser
import random
import sqlite3
from typing import Any

from .config import Config
from .eras import Era
from .fixtures import FLAVORS, SECURITY_GROUPS, find_flavor_by_name
from .identity import PROJECTS_BY_ID, USERS_BY_ID
from .isolation import check_lineage
from .py2 import is_scalar, py2_str
from .request import Request
from .responses import (
    HTML_ACTION,
    Response,
    bad_request,
    compute_fault,
    empty_response,
    generic_bad_request,
    json_response,
)
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


IMPORT_COLUMNS = ("display_name", "image_ref", "key_name", "user_data")


def _required(data: dict[str, Any], key: str) -> Any:
    """``data[key]``: a KeyError, which nova answered with the fixed 500."""
    if key not in data:
        raise compute_fault()
    return data[key]


def _column(value: Any) -> str | None:
    """A field written to a text column: a list or an object fails in the database (500)."""
    if value is None:
        return None
    if not is_scalar(value):
        raise compute_fault()
    return py2_str(value)


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
        """S6 api:734-771 (ext:280-289), S4 api:558-608, checked in their order. The body is
        read with subscripts: a missing key is a KeyError (500), a ``data`` or ``fields`` that
        cannot be subscripted a TypeError (nova's generic 400). The historical server had
        already created the instance when ``metadata``, ``system_metadata`` or
        ``export_image_id`` turned out missing; the simulator creates nothing."""
        body = req.json() if req.raw else None
        if not isinstance(body, dict):  # ``body.get('data')``
            raise compute_fault()
        data = body.get("data")
        if not isinstance(data, dict):  # data['fields']
            raise generic_bad_request()
        fields = _required(data, "fields")
        if not isinstance(fields, dict) and not (req.is_admin and not self.era.cobalt):
            raise generic_bad_request()  # fields['disable_terminate'] / fields['project_id']
        flavor_name = _required(data, "flavor_name")
        if not is_scalar(flavor_name):
            raise compute_fault()  # a list in the flavor query
        flavor = find_flavor_by_name(flavor_name)
        groups: list[str] = ["default"]
        if not self.era.transfer_system_metadata:
            if flavor is None:
                raise bad_request(self.era.text("import_flavor", name=py2_str(flavor_name)))
            if not isinstance(fields, dict):  # fields['instance_type_id'] (S4 api:581)
                raise generic_bad_request()
            groups = self._import_groups(_required(data, "security_group_names"))
        if not isinstance(fields, dict):
            raise generic_bad_request()
        columns = {k: _column(fields.get(k)) for k in IMPORT_COLUMNS}
        metadata = _required(data, "metadata")
        if not isinstance(metadata, dict) or not all(map(is_scalar, metadata.values())):
            raise compute_fault()  # metadata.iteritems() in instance_metadata_update
        system_metadata: dict[str, str] = {}
        if self.era.transfer_system_metadata:
            copied = _required(data, "system_metadata")
            if not isinstance(copied, dict) or not all(map(is_scalar, copied.values())):
                raise compute_fault()
            system_metadata = {str(k): py2_str(v) for k, v in copied.items()}
            system_metadata["protected"] = "True"
        _required(data, "export_image_id")
        project_id, user_id = req.project, req.caller.id
        if req.is_admin:
            wanted_project, wanted_user = fields.get("project_id"), fields.get("user_id")
            if isinstance(wanted_project, str) and wanted_project in PROJECTS_BY_ID:
                project_id = wanted_project
            if isinstance(wanted_user, str) and wanted_user in USERS_BY_ID:
                user_id = wanted_user
        lineage = {str(k): py2_str(v) for k, v in metadata.items()}
        check_lineage(conn, lineage, project_id, self.era, ("launched_from",))
        server = self.servers.create(
            conn,
            NewServer(
                project_id=project_id,
                user_id=user_id,
                name=columns["display_name"],
                image_id=columns["image_ref"],
                flavor_id=(flavor or FLAVORS["1"]).id,
                host=None,
                key_name=columns["key_name"],
                security_groups=groups,
                metadata=lineage,
                system_metadata=system_metadata,
                user_data=columns["user_data"],
                allocate_ip=False,
                due_action="bless",
            ),
        )
        links = server_view(req, server)["links"]
        return json_response(200, {"server": {"id": server["id"], "links": links}})

    def _import_groups(self, names: Any) -> list[str]:
        """S4 api:583-592: ``for name in data['security_group_names']``."""
        if names is None or isinstance(names, (bool, int, float)):
            raise generic_bad_request()
        found = []
        for name in list(names):
            if not is_scalar(name):
                raise compute_fault()
            if name not in SECURITY_GROUPS:
                raise bad_request(self.era.text("import_secgroup", name=py2_str(name)))
            found.append(str(name))
        return found

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
