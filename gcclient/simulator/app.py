"""Routing, authentication and transactions: turns a Request into a Response."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

from .actionbody import requested_action
from .compute import ADMIN_APIS, NOVA_ACTIONS, Compute, nova_version, webob_not_found
from .config import DEFAULT_HOSTS, Config
from .eras import Era, get_era
from .extension import Extension
from .identity import Identity, Tokens
from .request import Later, Request
from .resources import Resources
from .responses import ApiError, RawError, Response, bad_request, json_response, not_found
from .servers import Servers
from .store import Store, apply_due

Handler = Callable[..., Response]


class Router:
    def __init__(self) -> None:
        self.routes: list[tuple[re.Pattern[str], dict[str, Handler]]] = []

    def add(self, pattern: str, **methods: Handler) -> None:
        self.routes.append((re.compile(f"^{pattern}$"), methods))

    def match(self, path: str) -> tuple[dict[str, Handler], dict[str, str]] | None:
        for regex, methods in self.routes:
            found = regex.match(path)
            if found:
                return methods, found.groupdict()
        return None


def _method(methods: dict[str, Handler], method: str) -> Handler:
    handler = methods.get(method) or (methods.get("GET") if method == "HEAD" else None)
    if handler is None:
        raise ApiError(405, "The method specified is not allowed for this resource.")
    return handler


COMPUTE_PREFIX = re.compile(r"^/(?P<version>v2|v1\.1)/(?P<project_id>[^/]+)(?P<rest>/.*)?$")
IDENTITY_PREFIXES = ("/v3", "/v2.0", "/v2/tokens")


class App:
    def __init__(self, config: Config, store: Store) -> None:
        self.config = config
        self.store = store
        self.era: Era = get_era(config.era)
        self.tokens = Tokens(store, config.token_ttl)
        self.identity = Identity(self.tokens)
        self.servers = Servers(config, self.era)
        self.compute = Compute(config, self.era, self.servers)
        self.extension = Extension(config, self.era, self.servers)
        self.resources = Resources(config, self.era, self.servers)
        self.public = Router()
        self.api = Router()
        self._public_routes()
        self._compute_routes()

    @staticmethod
    def is_identity(path: str) -> bool:
        return path == "/" or path.startswith(IDENTITY_PREFIXES)

    def _public_routes(self) -> None:
        ident, comp = self.identity, self.compute
        add = self.public.add
        add("/", GET=self.root)
        add("/v3/?", GET=ident.get_v3)
        add(
            "/v3/auth/tokens",
            POST=ident.post_v3_tokens,
            GET=ident.get_v3_tokens,
            DELETE=ident.delete_v3_tokens,
        )
        add("/v3/auth/projects", GET=ident.auth_projects)
        add("/v2\\.0/?", GET=ident.get_v2)
        add("/v2(?:\\.0)?/tokens", POST=ident.post_v2_tokens)
        add("/(?:v2|v1\\.1)/?", GET=comp.version)
        add("/(?:v2|v1\\.1)/[0-9a-f]{32}/?", GET=comp.version)
        add("/image/?", GET=comp.image_versions)

    def _compute_routes(self) -> None:
        c, r = self.compute, self.resources
        add = self.api.add
        add("/servers", GET=c.list_servers, POST=c.create_server)
        add("/servers/detail", GET=c.list_detail)
        add("/servers/(?P<server_id>[^/]+)", GET=c.show_server, DELETE=c.delete_server)
        add("/servers/(?P<server_id>[^/]+)/action", POST=self.server_action)
        add(
            "/servers/(?P<server_id>[^/]+)/metadata",
            GET=c.server_metadata,
            POST=c.server_metadata,
            PUT=c.server_metadata,
        )
        add("/flavors", GET=c.list_flavors)
        add("/flavors/detail", GET=c.list_flavors_detail)
        add("/flavors/(?P<flavor_id>[^/]+)", GET=c.show_flavor)
        add("/flavors/(?P<flavor_id>[^/]+)/os-extra_specs", GET=c.flavor_extra_specs)
        add("/images", GET=c.list_images)
        add("/images/detail", GET=c.list_images_detail)
        add("/images/(?P<image_id>[^/]+)", GET=c.show_image)
        add("/extensions", GET=c.list_extensions)
        add("/extensions/(?P<alias>[^/]+)", GET=c.show_extension)
        add("/os-keypairs", GET=c.list_keypairs)
        add("/os-keypairs/(?P<name>[^/]+)", GET=c.show_keypair)
        add("/os-security-groups", GET=c.list_security_groups)
        add("/os-availability-zone(?:/detail)?", GET=c.availability_zones)
        add("/os-networks", GET=c.networks)
        add("/limits", GET=c.limits)
        for admin_api in ADMIN_APIS:
            add(f"/{admin_api}(?:/detail)?", GET=c.admin_api)
        handlers = {
            "info": {"GET": r.info},
            "servers": {"POST": r.boot_on_host},
            "import": {"POST": r.import_server},
            "policy": {"POST": r.install_policy},
        }
        for resource, kind in self.era.resources.items():
            add(re.escape(f"/{resource}"), **handlers[kind])

    # ---- entry point --------------------------------------------------------------------

    def handle(self, req: Request) -> Response:
        try:
            return self._handle(req)
        except ApiError as exc:
            return exc.response()
        except RawError as exc:
            return exc.response

    def _handle(self, req: Request) -> Response:
        found = self.public.match(req.path)
        if found is not None:
            methods, params = found
            req.params = params
            return _method(methods, req.method)(req)
        if req.path.startswith("/image/v2/"):
            return self._image_api(req)
        prefix = COMPUTE_PREFIX.match(req.path)
        if prefix is None:
            if self.is_identity(req.path):
                raise not_found()
            # Nova's urlmap: a path outside every version is a 300 with the choices.
            return self.compute.choices(req)
        self._authenticate(req)
        req.version = prefix.group("version")
        if prefix.group("project_id") != req.project_id:
            raise bad_request(
                self.era.text("url_project", url=prefix.group("project_id"), token=req.project)
            )
        route = self.api.match(prefix.group("rest") or "/")
        if route is None:
            # The routes mapper's miss: webob's own 404, not a nova fault.
            raise RawError(webob_not_found())
        methods, params = route
        handler = _method(methods, req.method)
        req.params = params
        with self.store.tx() as conn:
            apply_due(conn)
            response = handler(req, conn)
        return response.run() if isinstance(response, Later) else response

    def _authenticate(self, req: Request) -> None:
        token = self.tokens.validate(req.header("X-Auth-Token"))
        if token is None:
            raise ApiError(
                401,
                "The request you have made requires authentication.",
                {"WWW-Authenticate": f'Keystone uri="{req.base_url}/v3"'},
            )
        req.user = token.user
        req.project_id = token.project.id

    def _image_api(self, req: Request) -> Response:
        self._authenticate(req)
        rest = req.path[len("/image/v2") :]
        if rest == "/images":
            handler = self.compute.glance_list
        elif re.match(r"^/images/[^/]+$", rest):
            req.params = {"image_id": rest.rsplit("/", 1)[-1]}
            handler = self.compute.glance_show
        else:
            raise not_found()
        if req.method not in ("GET", "HEAD"):
            raise ApiError(405, "The method specified is not allowed for this resource.")
        with self.store.tx() as conn:
            return handler(req, conn)

    def root(self, req: Request) -> Response:
        base = req.base_url
        v3 = self.identity.v3_version(base)
        v2 = nova_version(base, "SUPPORTED")
        v2["media-types"] = self.identity.v2_version(base)["media-types"] + v2["media-types"]
        return json_response(300, {"versions": {"values": [v3, v2]}})

    def server_action(self, req: Request, conn: sqlite3.Connection) -> Response:
        key, value = requested_action(req)
        if key in NOVA_ACTIONS:
            return self.compute.server_action(req, conn, key)
        if key not in self.era.action_keys:
            raise bad_request(f"There is no such action: {key}")
        return self.extension.action(req, conn, key, value)


__all__ = ["DEFAULT_HOSTS", "App", "Config", "Router"]
