"""The one wire implementation of the Gridcentric extension.

``Wire`` sends the actions and plain compute calls over a keystoneauth
``Adapter`` (or anything with the same ``request`` method) and turns answers
into Python values or typed exceptions. ``gc``, the Python API and the
novaclient extension all go through it.
"""

from __future__ import annotations

import copy
import logging
import re
import time
from collections.abc import Callable, Mapping
from typing import Any

from gcclient.api import answers, bodies, decoding, exceptions, ksauth, names, paging, transport

LOG = logging.getLogger(__name__)

RETRIABLE_STATUSES = (502, 503, 504, 429)
# 413 is retried only with a Retry-After header: then it is a rate limit (nova's
# overLimit before 429 existed), not a request that is too large.
RATE_LIMITED_WITH_RETRY_AFTER = 413
GET_ATTEMPTS = 4

Server = dict[str, Any]


def _from_nova(response: Any) -> bool:
    """Whether an error answer comes from Nova's API (its fault envelope), rather than
    from a gateway or proxy in front of it (502, 504, HTML, empty bodies)."""
    if response.status_code in (502, 504):
        return False
    return decoding.is_fault_envelope(response.text)


def _body_or_none(text: str) -> Any:
    try:
        return decoding.decode(text)
    except decoding.Undecodable:
        return None


def _created(answer: Any, what: str, check: exceptions.Check) -> list[Server]:
    """The servers a bless or launch answered with; an answer without any is not a
    success the caller can rely on (the request may still have been carried out)."""
    try:
        servers = decoding.as_list(answer)
    except decoding.Undecodable:
        servers = []
    if not servers:
        raise exceptions.UnknownOutcome(what, server=check.server, check=check, kind="empty")
    return servers


class Wire:
    """Gridcentric and compute calls over one adapter."""

    # Server listings and name lookups of every project (nova's all_tenants=1, admin
    # only): set on the copy that across_projects() returns, never on a shared wire.
    all_projects = False

    def __init__(
        self,
        adapter: Any,
        *,
        warn: Callable[[str], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.adapter = adapter
        self.warn = warn or LOG.warning
        self._sleep = sleep
        self._capabilities: list[str] | None = None
        self._endpoint: str | None = None  # prepare()'s: no catalog walk per request
        self._no_gcinfo = False  # GET /gcinfo answered 404
        # Called when a write is about to leave (its token fetched): the core's gate,
        # which refuses a write after the command was interrupted.
        self.before_send: Callable[[], None] | None = None

    # -- transport -------------------------------------------------------

    def prepare(self) -> None:
        """Authenticate and find the endpoint before a write, so that a failure of the
        token or catalog request (or Ctrl-C while it is awaited) is never taken for a
        failure of the write itself. Once done, no request is needed again (the
        endpoint is kept: a catalog walk was 1 ms of a bulk write's 2 ms)."""
        from keystoneauth1 import exceptions as ks_exc

        for name in ("get_token", "get_endpoint"):
            step = getattr(self.adapter, name, None)
            if step is None or (name == "get_endpoint" and self._endpoint):
                continue
            try:
                found = self._translate(step)
            except exceptions.ConnectionFailure as exc:
                exc.sent = False
                raise
            except ks_exc.MissingAuthPlugin:
                continue  # no authentication (an endpoint and a token given directly)
            if name == "get_endpoint" and isinstance(found, str) and found:
                self._endpoint = found

    def _translate(self, call: Callable[[], Any], path: str = "") -> Any:
        """Run a keystoneauth call; its errors become gcclient errors (:mod:`ksauth`)."""
        return ksauth.translate(call, path, self.adapter)

    def _send(self, method: str, path: str, **kwargs: Any) -> Any:
        """One request; keystoneauth errors become gcclient errors."""
        headers = {"Accept": "application/json"}
        if self._endpoint:
            # keystoneauth formats an override with %: the URL's own % are escaped.
            kwargs.setdefault("endpoint_override", self._endpoint.replace("%", "%%"))
        # No retries inside keystoneauth: reads are retried by _read, writes never.
        return self._translate(
            lambda: self.adapter.request(
                path,
                method,
                raise_exc=False,
                headers=headers,
                connect_retries=0,
                status_code_retries=0,
                **kwargs,
            ),
            path,
        )

    def _get(
        self, path: str, params: Mapping[str, str] | None = None, key: str | None = None
    ) -> Any:
        """An idempotent GET, retried as :meth:`read_response` says. ``key``: the key
        the answer must hold (else an error that names the endpoint)."""
        return self._read("GET", path, params=params, key=key)

    def _read(
        self, method: str, path: str, what: str = "", key: str | None = None, **kwargs: Any
    ) -> Any:
        """A read (a GET, or a read-only action POST), its answer decoded."""
        return self._check(self.read_response(method, path, **kwargs), method, path, what, key)

    def read_response(self, method: str, path: str, **kwargs: Any) -> Any:
        """A read's response (``stream=True``: its body not read yet): retried on
        connection errors, 502/503/504 and 429 (413 with Retry-After), with jittered,
        bounded backoff that honours Retry-After; each retry is one line at -v."""
        for attempt in range(GET_ATTEMPTS):
            last = attempt == GET_ATTEMPTS - 1
            try:
                response = self._send(method, path, **kwargs)
            except (exceptions.EndpointNotFound, exceptions.TLSVerificationFailed):
                raise  # retrying cannot help
            except exceptions.ConnectionFailure as exc:
                if last:
                    failure = exceptions.ConnectionFailure(
                        f"{exc} (gave up after {GET_ATTEMPTS} attempts)"
                    )
                    failure.sent, failure.reason, failure.url = exc.sent, exc.reason, exc.url
                    raise failure from exc.__cause__
                self._retry_wait(method, path, "connection failed", attempt, None)
                continue
            retry_after = response.headers.get("Retry-After")
            status = response.status_code
            if not last and (
                status in RETRIABLE_STATUSES
                or (status == RATE_LIMITED_WITH_RETRY_AFTER and retry_after)
            ):
                self._retry_wait(method, path, str(status), attempt, retry_after)
                continue
            return response
        raise AssertionError("unreachable")

    def _retry_wait(
        self, method: str, path: str, what: str, attempt: int, retry_after: str | None
    ) -> None:
        """Wait before the next attempt of a read, said in one line at -v (DEBUG: cliff
        shows INFO without -v)."""
        delay = transport.retry_delay(attempt, retry_after)
        LOG.debug(
            "%s %s: %s, retrying in %.1f s (attempt %d of %d)",
            method,
            path.split("?", 1)[0],
            what,
            delay,
            attempt + 2,
            GET_ATTEMPTS,
        )
        self._sleep(delay)

    def checked(self, response: Any, method: str, path: str, what: str = "") -> Any:
        """A response read whole: its decoded body, or the error or redirect it is, in
        every read's words (a streamed list hands its non-2xx answers here)."""
        return self._check(response, method, path, what)

    def _check(
        self, response: Any, method: str, path: str, what: str = "", key: str | None = None
    ) -> Any:
        if response.status_code >= 400:
            raise decoding.error_from_response(response, method, path)
        try:
            body = decoding.decode(response.text)
            if 300 <= response.status_code < 400:
                raise answers.redirected(response, method, path, body)
            return body if key is None else answers.expect(response, method, path, body, key)
        except decoding.Undecodable:
            if 300 <= response.status_code < 400:
                raise answers.redirected(response, method, path, None) from None
            raise exceptions.ClientException(
                f"The server answered {what or f'{method} {path}'} with a body that is not "
                f"JSON (HTTP {response.status_code}, {response.headers.get('Content-Type', '')})",
                http_status=response.status_code,
            ) from None

    def _write(
        self, method: str, path: str, what: str, check: exceptions.Check, **kwargs: Any
    ) -> Any:
        """A write: sent once. A lost answer, or one that did not come from Nova's
        API, is an unknown outcome; a failure before it left says "not sent"."""
        try:
            try:
                self.prepare()
            except KeyboardInterrupt as interrupt:
                # Ctrl-C or SIGTERM while the token was fetched: the write never left.
                interrupt.gc_not_sent = True  # type: ignore[attr-defined]
                raise
            if self.before_send is not None:
                self.before_send()
            response = self._send(method, path, **kwargs)
        except exceptions.ConnectionFailure as exc:
            if isinstance(exc, (exceptions.EndpointNotFound, exceptions.TLSVerificationFailed)):
                raise
            if exc.sent:
                raise exceptions.UnknownOutcome(
                    what, server=check.server, check=check, reason=exc.reason or "no answer"
                ) from None
            failure = exceptions.ConnectionFailure(f"{exc}; the {what} request was not sent")
            failure.sent, failure.reason, failure.url = False, exc.reason, exc.url
            raise failure from exc.__cause__
        if 300 <= response.status_code < 400:
            # nova's 300 for a path outside every version: routed nowhere, not done.
            raise answers.redirected(response, method, path, _body_or_none(response.text))
        if response.status_code >= 500 and not _from_nova(response):
            raise exceptions.UnknownOutcome(
                what,
                server=check.server,
                check=check,
                kind="gateway",
                reason=decoding.describe_answer(response),
            )
        if response.status_code >= 400:
            raise decoding.error_from_response(response, method, path)
        try:
            return decoding.decode(response.text)
        except decoding.Undecodable:
            raise exceptions.UnknownOutcome(
                what,
                server=check.server,
                check=check,
                kind="unreadable",
                reason=f"HTTP {response.status_code}",
            ) from None

    def action(self, server_id: str, body: dict[str, Any], check: exceptions.Check) -> Any:
        """A write action on a server."""
        what = next(iter(body))
        return self._write("POST", f"/servers/{server_id}/action", what, check, json=body)

    def read_action(self, server_id: str, body: dict[str, Any]) -> Any:
        """A read-only action (the lists, co_get_policy): retried like a GET."""
        what = next(iter(body))
        return self._read("POST", f"/servers/{server_id}/action", what, json=body)

    # -- plain compute -----------------------------------------------------

    def get(self, server_id: str) -> Server:
        body = self._get(f"/servers/{server_id}", key="server")
        server = body.get("server")
        if not isinstance(server, dict) or server.get("id") in (None, ""):
            raise exceptions.ClientException(f"Unexpected answer to GET /servers/{server_id}")
        return body["server"]

    def list_servers(self, **filters: str) -> list[Server]:
        """Every server the filters match: nova pages ``GET /servers/detail`` ([api]
        max_limit, 1000 by default); every page is read, never the first alone."""
        return list(paging.iter_servers(self, page_size=paging.PAGE_SIZE, **filters))

    def across_projects(self) -> Wire:
        """This wire for an admin's view of every project: its listings and name
        lookups send ``all_tenants=1`` (a member gets nova's 403). A copy, so that the
        next command of an interactive session is scoped again; it shares the adapter
        and the capabilities already read."""
        other = copy.copy(self)
        other.all_projects = True
        return other

    def list_servers_page(self, params: Mapping[str, str]) -> tuple[list[Server], str | None]:
        """One page of ``GET /servers/detail`` and the marker of the next page when the
        answer links one (``servers_links`` rel ``next``)."""
        if self.all_projects:
            params = {**params, "all_tenants": "1"}
        body = self._get("/servers/detail", params=params, key="servers")
        return decoding.as_list(body), paging.next_marker(body)

    def list_images(self, **filters: str) -> list[dict[str, Any]]:
        """``GET /images/detail`` (compute image API), filtered server-side."""
        body = self._get("/images/detail", params=filters or None, key="images")
        return list(body.get("images") or [])

    def list_flavors(self) -> list[dict[str, Any]]:
        """``GET /flavors/detail``."""
        body = self._get("/flavors/detail", key="flavors")
        return list(body.get("flavors") or [])

    def delete(self, server_id: str) -> None:
        """DELETE is idempotent in effect; it is still sent once, like every write."""
        self._write(
            "DELETE", f"/servers/{server_id}", "delete", exceptions.Check("show", server_id)
        )

    def boot(self, server: Mapping[str, Any], *, on_host: str | None = None) -> Server:
        body = {"server": dict(server)}
        path = "/servers"
        if on_host is not None:
            metadata = dict(body["server"].get("metadata") or {})
            metadata["gc:target_host"] = on_host
            body["server"]["metadata"] = metadata
            path = "/gcservers"
        answer = self._write("POST", path, "boot", exceptions.Check("list"), json=body)
        server_view = answer.get("server") if isinstance(answer, dict) else None
        if not isinstance(server_view, dict) or not server_view.get("id"):
            raise exceptions.UnknownOutcome("boot", check=exceptions.Check("list"), kind="empty")
        return server_view

    # -- names -------------------------------------------------------------

    def find(self, name_or_id: str) -> Server:
        """The server view for a name or an ID (one GET; a UUID-shaped argument that
        is no server's ID is then looked up once as a name)."""
        uuid = names.normalise_uuid(name_or_id)
        if uuid is not None:
            try:
                return self.get(uuid)
            except exceptions.NotFound:
                pass
        return self._find_by_name(name_or_id)

    def resolve(self, name_or_id: str) -> str:
        """The ID to act on: a UUID normalised (no request), a name by one filtered query."""
        uuid = names.normalise_uuid(name_or_id)
        if uuid is not None:
            return uuid
        return str(self._find_by_name(name_or_id)["id"])

    def _find_by_name(self, name: str) -> Server:
        bodies.check_name(name, "server name")  # no server can have it: no request
        if name.isdigit():
            try:
                return self.get(name)
            except exceptions.NotFound:
                pass
        matches = [
            server
            for server in self.list_servers(name=f"^{re.escape(name)}$")
            if server.get("name") == name
        ]
        if not matches:
            raise exceptions.NotFound(names.not_found_text(name), http_status=404)
        if len(matches) > 1:
            raise exceptions.NoUniqueMatch(names.ambiguous_text(name, matches), name=name)
        return matches[0]

    # -- capabilities --------------------------------------------------------

    def capabilities(self) -> list[str]:
        """The advertised capabilities (``GET /gcinfo``, once per Wire); [] when absent."""
        if self._capabilities is None:
            try:
                body = self._get("/gcinfo")
            except exceptions.NotFound:
                body, self._no_gcinfo = None, True
            caps = body.get("capabilities") if isinstance(body, dict) else None
            self._capabilities = [str(c) for c in caps] if isinstance(caps, list) else []
        return self._capabilities

    def offered_capabilities(self) -> list[str]:
        """The advertised capabilities; :class:`ExtensionMissing` when the cloud has no
        Gridcentric extension: no ``/gcinfo`` and ``GET /extensions`` does not list it
        (Gridcentric servers before February 2013 have the extension, not /gcinfo)."""
        caps = self.capabilities()
        if not self._no_gcinfo:
            return caps
        try:
            listed = answers.lists_the_extension(self._get("/extensions"))
        except exceptions.ClientException:
            listed = None  # no list of extensions: it cannot tell
        if listed is False:
            raise exceptions.ExtensionMissing(answers.NOT_OFFERED, http_status=404)
        return caps

    def require(self, needed: Mapping[str, str], params: Mapping[str, Any]) -> None:
        """Refuse parameters whose capability the server does not advertise."""
        wanted = {key: cap for key, cap in needed.items() if params.get(key) is not None}
        if not wanted:
            return
        caps = set(self.capabilities())
        for key, cap in sorted(wanted.items()):
            if cap in caps:
                continue
            if cap == "security-groups" and "scheduler-hints" in caps:
                self.warn(
                    "The cloud no longer advertises 'security-groups'; sending them anyway "
                    "(Cobalt servers still honour them)"
                )
                continue
            raise exceptions.CapabilityError(key, cap)

    # -- the Gridcentric actions ---------------------------------------------

    def bless(self, server_id: str, *, name: str | None = None) -> list[Server]:
        self.require(bodies.BLESS_CAPABILITIES, {"name": name})
        check = exceptions.Check("list-blessed", server_id)
        body = self.action(server_id, bodies.bless_body(name), check)
        return _created(body, "gc_bless", check)

    def launch(self, server_id: str, **params: Any) -> list[Server]:
        """``params`` are the keyword arguments of :func:`bodies.launch_body`."""
        return self.launch_body(server_id, bodies.launch_body(**params))

    def launch_body(self, server_id: str, body: dict[str, Any]) -> list[Server]:
        self.require(bodies.LAUNCH_CAPABILITIES, body["gc_launch"])
        check = exceptions.Check("list-launched", server_id)
        return _created(self.action(server_id, body, check), "gc_launch", check)

    def discard(self, server_id: str) -> None:
        body = bodies.simple_body("gc_discard")
        self.action(server_id, body, exceptions.Check("show", server_id))

    def migrate(self, server_id: str, dest: str | None = None) -> None:
        self.action(server_id, bodies.migrate_body(dest), exceptions.Check("show", server_id))

    def list_launched(self, server_id: str) -> list[Server]:
        body = bodies.simple_body("gc_list_launched")
        return decoding.as_list(self.read_action(server_id, body))

    def list_blessed(self, server_id: str) -> list[Server]:
        body = bodies.simple_body("gc_list_blessed")
        return decoding.as_list(self.read_action(server_id, body))

    def export(self, server_id: str) -> dict[str, Any]:
        self.require({"export": "import-export"}, {"export": True})
        check = exceptions.Check("show", server_id)
        answer = self.action(server_id, bodies.simple_body("gc_export"), check)
        if not isinstance(answer, dict):
            raise exceptions.UnknownOutcome(
                "gc_export", server=server_id, check=check, kind="unreadable", reason="HTTP 200"
            )
        return answer

    def import_server(self, data: Mapping[str, Any]) -> Server:
        self.require({"import": "import-export"}, {"import": True})
        check = exceptions.Check("list")
        answer = self._write(
            "POST", "/gc-import-server", "import", check, json={"data": dict(data)}
        )
        if isinstance(answer, dict) and isinstance(answer.get("server"), dict):
            return answer["server"]
        raise exceptions.UnknownOutcome("import", check=check, kind="empty")

    def install_policy(self, policy: str, *, wait: bool = False) -> None:
        self.require({"install_policy": "install-policy"}, {"install_policy": True})
        self._write(
            "POST",
            "/gcpolicy",
            "install-policy",
            exceptions.Check("get-policy"),
            json={"policy_ini_string": policy, "wait": bool(wait)},
        )

    def get_policy(self, server_id: str) -> list[str]:
        self.require({"get_policy": "get-policy"}, {"get_policy": True})
        answer = self.read_action(server_id, {"co_get_policy": {}})
        return [str(line) for line in answer] if isinstance(answer, list) else []
