"""Keystone v3 and v2.0: fixed users and projects, password and token auth, catalog."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any

from .request import Request
from .responses import RawError, Response, json_response
from .store import Store, delete_token, insert_token, isotime, purge_tokens, read_token

DOMAIN = {"id": "default", "name": "Default"}
REGION = "RegionOne"
UNAUTHORIZED = "The request you have made requires authentication."


def stable_id(kind: str, name: str) -> str:
    return hashlib.md5(f"gc-simulator:{kind}:{name}".encode()).hexdigest()


@dataclass(frozen=True)
class Project:
    name: str

    @property
    def id(self) -> str:
        return stable_id("project", self.name)


@dataclass(frozen=True)
class User:
    name: str
    password: str
    project: Project
    role: str

    @property
    def id(self) -> str:
        return stable_id("user", self.name)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def roles(self) -> list[dict[str, str]]:
        names = ["admin", "member", "reader"] if self.is_admin else ["member", "reader"]
        return [{"id": stable_id("role", n), "name": n} for n in names]


PROJECTS = {name: Project(name) for name in ("demo", "alt", "admin")}
USERS = {
    "demo": User("demo", "demo-password", PROJECTS["demo"], "member"),
    "alt": User("alt", "alt-password", PROJECTS["alt"], "member"),
    "admin": User("admin", "admin-password", PROJECTS["admin"], "admin"),
}
USERS_BY_ID = {user.id: user for user in USERS.values()}
PROJECTS_BY_ID = {project.id: project for project in PROJECTS.values()}


def credentials_env(user: User, auth_url: str) -> dict[str, str]:
    return {
        "OS_AUTH_URL": auth_url,
        "OS_USERNAME": user.name,
        "OS_PASSWORD": user.password,
        "OS_PROJECT_NAME": user.project.name,
        "OS_USER_DOMAIN_NAME": DOMAIN["name"],
        "OS_PROJECT_DOMAIN_NAME": DOMAIN["name"],
        "OS_REGION_NAME": REGION,
    }


def unauthorized(base: str | None = None) -> RawError:
    """Keystone's one 401 for a wrong password, user or project; like Keystone, it names
    the identity endpoint in ``WWW-Authenticate`` when the base URL is known."""
    body = {"error": {"code": 401, "message": UNAUTHORIZED, "title": "Unauthorized"}}
    headers = {"WWW-Authenticate": f'Keystone uri="{base}/v3"'} if base else {}
    return RawError(json_response(401, body, **headers))


def token_not_found(token_id: Any) -> RawError:
    """Keystone 30 answers the token method's bad token with 404, not 401: "Could not
    recognize Fernet token" when it is not a token at all, "Failed to validate token"
    when it was one (revoked, expired). The simulator's tokens are 40 hex digits."""
    shaped = isinstance(token_id, str) and len(token_id) == 40 and _is_hex(token_id)
    message = "Failed to validate token" if shaped else "Could not recognize Fernet token"
    body = {"error": {"code": 404, "message": message, "title": "Not Found"}}
    return RawError(json_response(404, body))


def _is_hex(text: str) -> bool:
    try:
        int(text, 16)
    except ValueError:
        return False
    return True


NO_DOMAIN = (
    "Expecting to find domain in {}. The server could not comply with the request since it "
    "is either malformed or otherwise incorrect. The client is assumed to be in error."
)


def bad_identity_request(message: str) -> RawError:
    body = {"error": {"code": 400, "message": message, "title": "Bad Request"}}
    return RawError(json_response(400, body))


@dataclass(frozen=True)
class Token:
    id: str
    user: User
    project: Project
    methods: tuple[str, ...]
    issued_at: float
    expires_at: float


class Tokens:
    """Tokens live only in the state file: every simulator on it sees issues and revocations."""

    def __init__(self, store: Store, ttl: float) -> None:
        self.store = store
        self.ttl = ttl

    def issue(
        self,
        user: User,
        project: Project,
        methods: tuple[str, ...],
        expires_at: float | None = None,
    ) -> Token:
        """A new token; ``expires_at`` keeps a renewed token's original expiry (token method)."""
        now = time.time()
        expires = now + self.ttl if expires_at is None else expires_at
        token = Token(secrets.token_hex(20), user, project, methods, now, expires)
        with self.store.tx() as conn:
            purge_tokens(conn, now)
            insert_token(conn, token.id, user.id, project.id, methods, now, token.expires_at)
        return token

    def revoke(self, token_id: str) -> None:
        with self.store.tx() as conn:
            delete_token(conn, token_id)

    def validate(self, token_id: str | None) -> Token | None:
        if not token_id:
            return None
        row = read_token(self.store, token_id)
        if row is None or row["user_id"] not in USERS_BY_ID:
            return None
        if row["expires_at"] <= time.time() or row["project_id"] not in PROJECTS_BY_ID:
            return None
        return Token(
            row["id"],
            USERS_BY_ID[row["user_id"]],
            PROJECTS_BY_ID[row["project_id"]],
            row["methods"],
            row["issued_at"],
            row["expires_at"],
        )


def _stamp(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + f".{int(ts % 1 * 1e6):06d}Z"


class Identity:
    def __init__(self, tokens: Tokens) -> None:
        self.tokens = tokens

    def endpoints(self, base: str, project_id: str) -> list[tuple[str, str, str]]:
        return [
            ("compute", "nova", f"{base}/v2/{project_id}"),
            ("identity", "keystone", f"{base}/v3"),
            ("image", "glance", f"{base}/image"),
        ]

    def catalog_v3(self, base: str, project_id: str) -> list[dict[str, Any]]:
        catalog = []
        for kind, name, url in self.endpoints(base, project_id):
            endpoints = [
                {
                    "id": stable_id("endpoint", f"{kind}-{interface}"),
                    "interface": interface,
                    "region": REGION,
                    "region_id": REGION,
                    "url": url,
                }
                for interface in ("public", "internal", "admin")
            ]
            catalog.append(
                {
                    "id": stable_id("service", kind),
                    "type": kind,
                    "name": name,
                    "endpoints": endpoints,
                }
            )
        return catalog

    def catalog_v2(self, base: str, project_id: str) -> list[dict[str, Any]]:
        return [
            {
                "type": kind,
                "name": name,
                "endpoints": [
                    {
                        "id": stable_id("endpoint", kind),
                        "region": REGION,
                        "publicURL": url,
                        "internalURL": url,
                        "adminURL": url,
                    }
                ],
                "endpoints_links": [],
            }
            for kind, name, url in self.endpoints(base, project_id)
        ]

    # ---- version documents -------------------------------------------------

    @staticmethod
    def v3_version(base: str) -> dict[str, Any]:
        return {
            "id": "v3.14",
            "status": "stable",
            "updated": "2020-04-07T00:00:00Z",
            "links": [{"rel": "self", "href": f"{base}/v3/"}],
            "media-types": [
                {"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}
            ],
        }

    @staticmethod
    def v2_version(base: str) -> dict[str, Any]:
        return {
            "id": "v2.0",
            "status": "deprecated",
            "updated": "2016-08-04T00:00:00Z",
            "links": [{"rel": "self", "href": f"{base}/v2.0/"}],
            "media-types": [
                {"base": "application/json", "type": "application/vnd.openstack.identity-v2.0+json"}
            ],
        }

    def get_v3(self, req: Request) -> Response:
        return json_response(200, {"version": self.v3_version(req.base_url)})

    def get_v2(self, req: Request) -> Response:
        return json_response(200, {"version": self.v2_version(req.base_url)})

    # ---- v3 tokens -------------------------------------------------------------

    def post_v3_tokens(self, req: Request) -> Response:
        body = req.json()
        try:
            auth = body["auth"]
            identity = auth["identity"]
            methods = tuple(identity["methods"])
        except (KeyError, TypeError):
            raise bad_identity_request("Expecting to find auth in request body.")
        user = None
        expires_at = None
        if "password" in methods:
            user = self._password_user_v3(identity.get("password"))
        elif "token" in methods:
            token_id = _dig(identity, "token", "id")
            token = self.tokens.validate(token_id)
            if token is None:
                raise token_not_found(token_id)
            user = token.user
            expires_at = token.expires_at
        if user is None:
            raise unauthorized(req.base_url)
        project = self._scope_v3(auth.get("scope"), user, req.base_url)
        token = self.tokens.issue(user, project, methods, expires_at)
        return json_response(
            201, {"token": self.token_v3(token, req.base_url)}, **{"X-Subject-Token": token.id}
        )

    def get_v3_tokens(self, req: Request) -> Response:
        subject = self._subject(req, "identity:validate_token")
        return json_response(
            200,
            {"token": self.token_v3(subject, req.base_url)},
            **{"X-Subject-Token": subject.id},
        )

    def delete_v3_tokens(self, req: Request) -> Response:
        subject = self._subject(req, "identity:revoke_token")
        self.tokens.revoke(subject.id)
        return Response(204, b"", None)

    def _subject(self, req: Request, rule: str) -> Token:
        """Keystone's token_subject rule: the subject's own user, or an admin, else 403."""
        caller = self.tokens.validate(req.header("X-Auth-Token"))
        if caller is None:
            raise unauthorized()
        subject = self.tokens.validate(req.header("X-Subject-Token"))
        if subject is None:
            body = {
                "error": {"code": 404, "message": "Could not find token.", "title": "Not Found"}
            }
            raise RawError(json_response(404, body))
        if subject.user != caller.user and not caller.user.is_admin:
            message = f"You are not authorized to perform the requested action: {rule}."
            body = {"error": {"code": 403, "message": message, "title": "Forbidden"}}
            raise RawError(json_response(403, body))
        return subject

    def _password_user_v3(self, password: Any) -> User | None:
        if not isinstance(password, dict) or not isinstance(password.get("user"), dict):
            return None
        spec = password["user"]
        if "id" in spec:
            user = USERS_BY_ID.get(spec["id"])
        else:
            domain = spec.get("domain")
            if not isinstance(domain, dict) or not domain:
                raise bad_identity_request(NO_DOMAIN.format("user"))
            if not _domain_ok(domain):
                return None
            user = USERS.get(spec.get("name"))
        if user is None or spec.get("password") != user.password:
            return None
        return user

    def _scope_v3(self, scope: Any, user: User, base: str) -> Project:
        if not scope:
            return user.project
        spec = scope.get("project") if isinstance(scope, dict) else None
        if not isinstance(spec, dict):
            raise unauthorized(base)
        if "id" in spec:
            project = PROJECTS_BY_ID.get(spec["id"])
        else:
            domain = spec.get("domain")
            if not isinstance(domain, dict) or not domain:
                raise bad_identity_request(NO_DOMAIN.format("project"))
            name = spec.get("name")
            project = PROJECTS.get(name) if isinstance(name, str) and _domain_ok(domain) else None
        if project is None or project != user.project:
            raise unauthorized(base)
        return project

    def auth_projects(self, req: Request) -> Response:
        """``GET /v3/auth/projects``: the projects the token's user may scope to."""
        caller = self.tokens.validate(req.header("X-Auth-Token"))
        if caller is None:
            raise unauthorized(req.base_url)
        project = caller.user.project
        view = {
            "id": project.id,
            "name": project.name,
            "domain_id": DOMAIN["id"],
            "description": "",
            "enabled": True,
            "parent_id": DOMAIN["id"],
            "is_domain": False,
            "tags": [],
            "options": {},
            "links": {"self": f"{req.base_url}/v3/projects/{project.id}"},
        }
        links = {"self": f"{req.base_url}/v3/auth/projects", "previous": None, "next": None}
        return json_response(200, {"projects": [view], "links": links})

    def token_v3(self, token: Token, base: str) -> dict[str, Any]:
        return {
            "methods": list(token.methods),
            "user": {
                "id": token.user.id,
                "name": token.user.name,
                "domain": DOMAIN,
                "password_expires_at": None,
            },
            "audit_ids": [stable_id("audit", token.id)[:22]],
            "expires_at": _stamp(token.expires_at),
            "issued_at": _stamp(token.issued_at),
            "project": {"id": token.project.id, "name": token.project.name, "domain": DOMAIN},
            "is_domain": False,
            "roles": token.user.roles(),
            "catalog": self.catalog_v3(base, token.project.id),
        }

    # ---- v2.0 tokens -----------------------------------------------------------

    def post_v2_tokens(self, req: Request) -> Response:
        body = req.json()
        auth = body.get("auth") if isinstance(body, dict) else None
        if not isinstance(auth, dict):
            raise bad_identity_request("Expecting to find auth in request body.")
        user = None
        expires_at = None
        methods: tuple[str, ...] = ("password",)
        creds = auth.get("passwordCredentials")
        if isinstance(creds, dict):
            username = creds.get("username")
            candidate = USERS.get(username) if isinstance(username, str) else None
            if candidate is not None and creds.get("password") == candidate.password:
                user = candidate
        elif isinstance(auth.get("token"), dict):
            token = self.tokens.validate(auth["token"].get("id"))
            user = token.user if token else None
            expires_at = token.expires_at if token else None
            methods = ("token",)
        if user is None:
            raise unauthorized()
        if "tenantId" in auth:
            project = PROJECTS_BY_ID.get(auth["tenantId"])
        elif "tenantName" in auth:
            project = PROJECTS.get(auth["tenantName"])
        else:
            project = user.project
        if project != user.project:
            raise unauthorized()
        token = self.tokens.issue(user, project, methods, expires_at)
        return json_response(200, {"access": self.access_v2(token, req.base_url)})

    def access_v2(self, token: Token, base: str) -> dict[str, Any]:
        return {
            "token": {
                "id": token.id,
                "issued_at": _stamp(token.issued_at),
                "expires": isotime(token.expires_at),
                "tenant": {
                    "id": token.project.id,
                    "name": token.project.name,
                    "enabled": True,
                    "description": None,
                },
                "audit_ids": [stable_id("audit", token.id)[:22]],
            },
            "serviceCatalog": self.catalog_v2(base, token.project.id),
            "user": {
                "id": token.user.id,
                "name": token.user.name,
                "username": token.user.name,
                "roles": [{"name": role["name"]} for role in token.user.roles()],
                "roles_links": [],
            },
            "metadata": {"is_admin": int(token.user.is_admin), "roles": []},
        }


def _domain_ok(domain: dict) -> bool:
    if not domain:
        return True
    return domain.get("id") == DOMAIN["id"] or domain.get("name") == DOMAIN["name"]


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
