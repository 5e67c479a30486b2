"""The accepted differences between the real stack and gc-simulator, with the reason.

``test_differential.py`` sends ``probes.PROBES`` to both and fails on any difference
not listed here and on any listed one that has gone (so that this list stays true);
``docs/simulator.rst`` carries the same table, rendered by ``rst_table()``
(``tests/unit/simulator/test_differences_doc.py`` checks that they agree).
Keys: (probe, aspect); values: (real answer, simulator's answer, why).
"""

from __future__ import annotations

SERVER_KEYS_REAL = (
    "{0}.OS-SRV-USG:launched_at {0}.OS-SRV-USG:terminated_at "
    "{0}.os-extended-volumes:volumes_attached"
)
SERVER_KEYS_SIM = (
    "{0}.addresses.private {0}.addresses.private[].addr {0}.addresses.private[].version "
    "{0}.security_groups {0}.security_groups[].name"
)
SERVER_VIEW = (
    "Era: the simulator shows the server of the 2012-2014 v2 API, with a network and its "
    "security groups; Nova 34's v2.1 view adds the usage and volume keys, and the real "
    "stack boots without networks (its Neutron is a stub)."
)

KNOWN: dict[tuple[str, str], tuple[str, str, str]] = {
    ("GET /flavors", "body"): (
        "flavors_links flavors_links[].href flavors_links[].rel",
        "-",
        "Stack: the real stack's max_limit is 2 and it has two flavors, so the page is full "
        "and Nova links the next one; the simulator pages only servers.",
    ),
    ("GET /servers/detail?limit=1", "body"): (
        SERVER_KEYS_REAL.format("servers[]"),
        SERVER_KEYS_SIM.format("servers[]"),
        SERVER_VIEW,
    ),
    ("GET /servers/{unknown}/metadata", "error"): (
        "Instance <uuid> could not be found.",
        "Server does not exist",
        "Era: nova 2012.1 to 2014.1 answered 'Server does not exist' for the metadata of "
        "an unknown server (2014.1 server_metadata.py:32-38); Nova 34 names the instance.",
    ),
    ("GET /servers/{id}", "body"): (
        SERVER_KEYS_REAL.format("server"),
        SERVER_KEYS_SIM.format("server"),
        SERVER_VIEW,
    ),
    ("GET /servers/{unknown}", "error"): (
        "Instance <uuid> could not be found.",
        "Instance could not be found",
        "Era: nova 2014.1's servers.py show() gave the text without the ID (the cobalt era's "
        "text; see the historical table above).",
    ),
    ("GET /servers?name=(", "body"): (
        "badRequest badRequest.code badRequest.message",
        "computeFault computeFault.code computeFault.message",
        "Era: nova before the query schemas (2014 and earlier) passed the pattern to the "
        "database and failed with a 500; Nova 34 checks it is a regex first.",
    ),
    ("GET /servers?name=(", "error"): (
        "Invalid input for query parameters name. Value: (. '(' is not a 'regex'",
        "The server has either erred or is incapable of performing the requested operation.",
        "Era: as above.",
    ),
    ("GET /servers?name=(", "status"): ("400", "500", "Era: as above."),
    ("POST /servers, 256-character name", "error"): (
        "Invalid input for field/attribute name. Value: <name>. '<name>' is too long",
        "Server name has more than 255 characters.",
        "Era: the same 400; nova 2014.1 checked the length with utils.check_string_length, "
        "Nova 34 with its JSON schema.",
    ),
    ("action: os-stop", "body"): (
        "itemNotFound itemNotFound.code itemNotFound.message",
        "conflictingRequest conflictingRequest.code conflictingRequest.message",
        "Stack: without a conductor the real server stays a build request, which Nova's "
        "actions cannot find; a building server of a complete cloud gives the 409 the "
        "simulator gives (as reboot does on both).",
    ),
    ("action: os-stop", "error"): (
        "Instance <show> could not be found.",
        "Cannot 'os-stop' instance <show> while it is in vm_state building",
        "Stack: as above.",
    ),
    ("action: os-stop", "status"): ("404", "409", "Stack: as above."),
    ("compute path without version", "headers"): (
        "",
        "x-openstack-request-id",
        "Simulator: every answer carries request IDs (its HTTP layer adds them); Nova's "
        "version documents have none.",
    ),
    ("compute root version document", "body"): (
        "versions[].id versions[].links versions[].links[].href versions[].links[].rel "
        "versions[].min_version versions[].status versions[].updated versions[].version",
        "versions.values versions.values[].id versions.values[].links "
        "versions.values[].links[].href versions.values[].links[].rel "
        "versions.values[].media-types versions.values[].media-types[].base "
        "versions.values[].media-types[].type versions.values[].min_version "
        "versions.values[].status versions.values[].updated versions.values[].version",
        "Simulator: Keystone and Nova share one port, so its root is Keystone's 300 "
        "version list (identity v3.14 and the compute v2.0 beside it); Nova's own root is "
        "a 200 list of v2.0 and v2.1.",
    ),
    ("compute root version document", "headers"): (
        "",
        "x-openstack-request-id",
        "Simulator: as for the path without version.",
    ),
    ("compute root version document", "status"): ("200", "300", "Simulator: shared port."),
    ("no token", "body"): (
        "error error.code error.message error.title",
        "unauthorized unauthorized.code unauthorized.message",
        "Era: the same 401 and text, in the fault envelope of the era's nova; Nova 34's "
        "keystonemiddleware answers with Keystone's error object.",
    ),
    ("token: password, no scope", "body"): (
        "-",
        "token.catalog token.catalog[].endpoints token.catalog[].endpoints[].id "
        "token.catalog[].endpoints[].interface token.catalog[].endpoints[].region "
        "token.catalog[].endpoints[].region_id token.catalog[].endpoints[].url "
        "token.catalog[].id token.catalog[].name token.catalog[].type token.is_domain "
        "token.project token.project.domain token.project.domain.id "
        "token.project.domain.name token.project.id token.project.name token.roles "
        "token.roles[].id token.roles[].name",
        "Users: each simulator user has a default project, and Keystone scopes a login "
        "without a scope to it; the real stack's demo user has none, so it gets an "
        "unscoped token (no project, roles or catalog).",
    ),
}


def _cell(text: str) -> str:
    text = text.replace("\n", "\\n")
    return f"``{text}``" if text and text != "-" else (text or "(none)")


def rst_table() -> str:
    """The docs' list-table of ``KNOWN``."""
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 18 8 25 25 24",
        "",
        "   * - Request",
        "     - Aspect",
        "     - Real (Keystone 30, Nova 34)",
        "     - gc-simulator",
        "     - Why",
    ]
    for (probe, aspect), (real, sim, why) in sorted(KNOWN.items()):
        lines += [
            f"   * - {probe}",
            f"     - {aspect}",
            f"     - {_cell(real)}",
            f"     - {_cell(sim)}",
            f"     - {why}",
        ]
    return "\n".join(lines) + "\n"
