"""Issue 24: what the historical server refused (or accepted), gc-simulator answers the same.

Each test sends the exact request to a real gc-simulator process and names the source line
that decided the historical answer. Sources as in ``test_sim_historical.py``: S6 = cobalt
icehouse/1.5 9989f67 (``cobalt/nova/api.py``, ``cobalt/nova/osapi/cobalt_extension.py`` =
"ext"), S4 = stable/folsom c0ceb7a (``gridcentric/nova/api.py``,
``gridcentric/nova/osapi/gridcentric_extension.py`` = "ext"), S1 = the seed c80fb8f; nova's own
code at openstack/nova 2014.1 (with S6), 2012.2 (with S4) and 2012.1 (with S1). The expected
texts are written out here, not taken from the simulator.
"""

from __future__ import annotations

import json
import uuid

import pytest

from gcclient.simulator.fixtures import NETWORK_ID
from gcclient.simulator.identity import PROJECTS, USERS
from tests.functional.simulator.historical import (
    COBALT_LAUNCH,
    GRIDCENTRIC_LAUNCH,
    HTML,
    action,
    answer,
    fault_answer,
    live_image,
)

DEMO = USERS["demo"]
FIXED_500 = "The server has either erred or is incapable of performing the requested operation."
# webob's HTTPBadRequest() without an explanation: nova's answer to a TypeError in a handler
# (nova 2014.1 api/openstack/wsgi.py:691-695, 2012.2 wsgi.py:656-660, 2012.1 wsgi.py:580-583).
GENERIC_400 = (
    "The server could not comply with the request since it is either malformed or otherwise "
    "incorrect."
)
ERAS = ["essex", "folsom", "cobalt"]
LAUNCH_PARAMS = [("cobalt", COBALT_LAUNCH), ("folsom", GRIDCENTRIC_LAUNCH)]


def server_ids(sim) -> set[str]:
    return {s["id"] for s in sim.servers()} | {s["id"] for s in sim.servers("admin")}


def export_of(sim, name: str) -> dict:
    image = live_image(sim, name)
    status, _, data, _ = action(sim, image["id"], {"gc_export": None})
    assert status == 200, data
    return data


# ---- import of a body without its keys -----------------------------------------------------


@pytest.mark.parametrize(
    ("era", "data"),
    [
        ("cobalt", {}),  # S6 api.py:742 data['fields']: KeyError
        ("cobalt", {"fields": {}}),  # S6 api.py:749 data['flavor_name']
        ("cobalt", {"fields": {}, "flavor_name": "m1.tiny"}),  # api.py:762-763 data['metadata']
        ("folsom", {}),  # S4 api.py:566
        ("folsom", {"fields": {}}),  # S4 api.py:572
    ],
)
def test_import_without_its_keys_is_the_crash_500_and_creates_nothing(request, era, data):
    """A KeyError is no NovaException: convert_exception (S6 ext:37-43) lets it through and
    nova's FaultWrapper answers the fixed 500. S6 had created the instance before reading
    ``metadata``; the simulator creates nothing (see the differences table)."""
    sim = request.getfixturevalue(era)
    before = server_ids(sim)
    response = answer(sim, "POST", "/gc-import-server", {"data": data})
    assert response == fault_answer(500, FIXED_500)
    assert server_ids(sim) == before


@pytest.mark.parametrize("era", ["cobalt", "folsom"])
def test_import_data_that_cannot_be_subscripted_is_the_generic_400(request, era):
    """``data['fields']`` on null or a string is a TypeError (S6 api.py:742, S4 api.py:566)."""
    sim = request.getfixturevalue(era)
    before = server_ids(sim)
    for data in (None, "x", [1]):
        assert answer(sim, "POST", "/gc-import-server", {"data": data}) == fault_answer(
            400, GENERIC_400
        )
    assert server_ids(sim) == before


# ---- launch: what the cloud refused -------------------------------------------------------


def test_scheduler_hints_that_are_not_an_object_crash_the_scheduler(cobalt):
    """nova 2014.1 scheduler/filter_scheduler.py:264-265 calls ``.get('group')`` on the hints
    (S6 api.py:514-515, 545): AttributeError, the 500. S6 had created the clones (api.py:528-541);
    the simulator creates none."""
    image = live_image(cobalt, "hints")
    body = {"gc_launch": {**COBALT_LAUNCH, "scheduler_hints": "x"}}
    assert action(cobalt, image["id"], body) == fault_answer(500, FIXED_500)
    status, _, children, _ = action(cobalt, image["id"], {"gc_list_launched": None})
    assert (status, children) == (200, [])


@pytest.mark.parametrize(
    ("era", "params"), [("cobalt", COBALT_LAUNCH), ("folsom", GRIDCENTRIC_LAUNCH)]
)
def test_security_groups_as_a_string_is_iterated(request, era, params):
    """S6 api.py:479-482 (``len("web")``, then nova 2014.1 compute/api.py:448-454 looks up each
    character) and S4 api.py:368-371 iterate the string: group ``w`` does not exist."""
    sim = request.getfixturevalue(era)
    image = live_image(sim, f"sgstr-{era}")
    body = {"gc_launch": {**params, "security_groups": "web"}}
    message = f"Security group w not found for project {DEMO.project.id}."
    assert action(sim, image["id"], body) == fault_answer(400, message)


@pytest.mark.parametrize(
    ("era", "params"), [("cobalt", COBALT_LAUNCH), ("folsom", GRIDCENTRIC_LAUNCH)]
)
def test_launch_name_that_is_not_a_string_is_the_generic_400(request, era, params):
    """``utils.sanitize_hostname(name)`` (S6 api.py:228, S4 api.py:183) calls ``re.sub`` on it
    (nova 2014.1 utils.py:637-647, 2012.2 utils.py:1104-1114): TypeError for 5, and for null.
    Nothing is launched."""
    sim = request.getfixturevalue(era)
    image = live_image(sim, f"lname-{era}")
    for name in (5, None, ["a"]):
        body = {"gc_launch": {**params, "name": name}}
        assert action(sim, image["id"], body) == fault_answer(400, GENERIC_400), name
    status, _, children, _ = action(sim, image["id"], {"gc_list_launched": None})
    assert (status, children) == (200, [])


@pytest.mark.parametrize("era", ["cobalt", "folsom"])
def test_bless_name_that_is_not_a_string_is_the_generic_400_after_the_clone_number(request, era):
    """S6 api.py:378-383 / S4 api.py:309-313: the clone number is stored, then the copy's
    ``sanitize_hostname(5)`` fails (TypeError, generic 400); the next default name skips it."""
    sim = request.getfixturevalue(era)
    source = sim.boot(f"bname-{era}")
    assert action(sim, source["id"], {"gc_bless": {"name": 5}}) == fault_answer(400, GENERIC_400)
    assert sim.get(source["id"])["metadata"] == {"last_clone_num": "0"}
    status, _, data, _ = action(sim, source["id"], {"gc_bless": {}})
    assert status == 200 and data[0]["name"] == f"bname-{era}-1"


# ---- content types -----------------------------------------------------------------------


@pytest.mark.parametrize("era", ERAS)
def test_actions_in_other_content_types_have_no_action(request, era):
    """nova 2014.1 wsgi.py:165-185 (``text/plain`` is no type, an unknown type raises
    InvalidContentType), 811-818 (which leaves no body type) and 1058-1059 (no action for no
    type: KeyError None); 2012.2 wsgi.py:147-167, 775-784; 2012.1 wsgi.py:88-103, 693-702.
    ``application/xml`` is parsed as XML (wsgi.py:656-662): a JSON body is malformed."""
    sim = request.getfixturevalue(era)
    server = sim.boot(f"ctype-{era}")
    path = f"/servers/{server['id']}/action"
    raw = b'{"gc_list_blessed": null}'
    none = fault_answer(400, "There is no such action: None")
    for ctype in ("text/plain", "application/x-www-form-urlencoded", "text/html", "", "json"):
        status, headers, body = sim.request_raw(
            "POST", path, headers={"Content-Type": ctype}, data=raw
        )
        assert (status, headers["Content-Type"], json.loads(body)) == none[:3], ctype
    status, _, body = sim.request_raw(
        "POST", path, headers={"Content-Type": "application/xml"}, data=raw
    )
    assert (status, json.loads(body)) == fault_answer(400, "Malformed request body")[::2]
    status, headers, body = sim.request_raw(
        "POST", path, headers={"Content-Type": "application/xml"}, data=b"<gc_list_blessed/>"
    )
    assert (status, headers["Content-Type"], json.loads(body)) == (200, HTML, [])


@pytest.mark.parametrize("era", ERAS)
def test_a_whole_action_body_that_has_no_keys_is_404(request, era):
    """nova 2014.1 wsgi.py:638-653: ``len(decoded)`` of null is a TypeError and
    ``decoded.keys()`` of a one-item list an AttributeError, both answered 404 by
    _process_stack (wsgi.py:927-928; 2012.2 wsgi.py:895-896, 2012.1 wsgi.py:813-814); a list
    of two is "too many body keys"."""
    sim = request.getfixturevalue(era)
    server = sim.boot(f"list-{era}")
    not_found = fault_answer(404, "The resource could not be found.")
    for body in (None, [{"gc_bless": {}}], "x", 5):
        status, _, raw = sim.request_raw(
            "POST", f"/servers/{server['id']}/action", data=json.dumps(body).encode()
        )
        assert (status, json.loads(raw)) == not_found[::2], body
    status, _, raw = sim.request_raw("POST", f"/servers/{server['id']}/action", data=b"[1, 2]")
    assert (status, json.loads(raw)) == fault_answer(400, "Malformed request body")[::2]


# ---- forced host, migrate, unknown IDs ------------------------------------------------------


def test_forced_host_by_a_non_admin_names_forced_host(cobalt):
    """nova 2014.1 compute/api.py:532-533 checks ``compute:create:forced_host`` inside
    _handle_availability_zone (S6 api.py:510-513), before Cobalt's ``compute:create:forced``."""
    image = live_image(cobalt, "forced")
    message = "Policy doesn't allow compute:create:forced_host to be performed."
    for zone in ("nova:compute-1", "nova::node-1", ":compute-2"):
        body = {"gc_launch": {**COBALT_LAUNCH, "availability_zone": zone}}
        assert action(cobalt, image["id"], body) == fault_answer(400, message), zone


@pytest.mark.parametrize("era", ["cobalt", "folsom"])
def test_migrate_body_without_get_is_500_before_the_lookup(request, era):
    """S6 ext:148-149 (``migrate_data.get('dest')``) and S4 ext:126 (``body['gc_migrate']
    .get('dest')``) fail before ``migrate_instance`` looks the instance up."""
    sim = request.getfixturevalue(era)
    for value in (None, "x", ["dest"]):
        body = {"gc_migrate": value}
        assert action(sim, str(uuid.uuid4()), body) == fault_answer(500, FIXED_500), value


@pytest.mark.parametrize(
    ("era", "message"),
    [
        ("cobalt", "Instance could not be found"),  # nova 2014.1 servers.py:1194-1200
        ("folsom", "The resource could not be found."),  # nova 2012.2 servers.py:1052-1057
        ("essex", "The resource could not be found."),  # nova 2012.1 servers.py:909-914
    ],
)
def test_unknown_id_texts_of_delete_and_metadata(request, era, message):
    """DELETE as nova's servers controller words it; server metadata says "Server does not
    exist" in every era (nova 2014.1 server_metadata.py:32-38, 121-123; 2012.2 and 2012.1
    server_metadata.py:33-39)."""
    sim = request.getfixturevalue(era)
    sid = str(uuid.uuid4())
    assert answer(sim, "DELETE", f"/servers/{sid}") == fault_answer(404, message)
    gone = fault_answer(404, "Server does not exist")
    assert answer(sim, "GET", f"/servers/{sid}/metadata") == gone
    assert answer(sim, "POST", f"/servers/{sid}/metadata", {"metadata": {"a": "b"}}) == gone


# ---- networks ------------------------------------------------------------------------------


def test_network_format_errors_are_nova_texts(cobalt):
    """nova 2014.1 servers.py:668-727 (neutron, S6 ext:128-131): a missing ``uuid`` is a
    KeyError (720-722), a bad port its own text (680-684), an entry that is not an object has
    no ``get`` (500), a number cannot be iterated (TypeError outside the ``try``: generic
    400). Checked before the instance is looked up."""
    missing = str(uuid.uuid4())
    cases = [
        ([{"fixed_ip": "x"}], 400, "Bad network format: missing 'uuid'"),
        ([{"port": "x"}], 400, "Bad port format: port uuid is not in proper format (x)"),
        (
            [{"uuid": NETWORK_ID, "fixed_ip": "x"}],
            400,
            "Invalid fixed IP address (x)",
        ),
        (["x"], 500, FIXED_500),
        (5, 400, GENERIC_400),
    ]
    for networks, status, message in cases:
        body = {"gc_launch": {**COBALT_LAUNCH, "networks": networks}}
        assert action(cobalt, missing, body) == fault_answer(status, message), networks


# ---- listing -------------------------------------------------------------------------------


@pytest.mark.parametrize("era", ERAS)
def test_next_link_when_exactly_limit_servers_remain(request, era, simulator_factory):
    """nova 2014.1 api/openstack/common.py:543-557 (2012.2 :478-492, 2012.1 :473-483): a
    ``next`` link whenever a limit was asked and the page holds that many."""
    sim = simulator_factory(era=era, build_time=0.01)
    for i in range(2):
        sim.boot(f"page-{i}", wait=False)
    status, body = sim.request("GET", "/servers?limit=2")
    assert status == 200 and len(body["servers"]) == 2
    assert [link["rel"] for link in body["servers_links"]] == ["next"]
    assert body["servers_links"][0]["href"].endswith(
        f"/servers?limit=2&marker={body['servers'][-1]['id']}"
    )
    status, body = sim.request("GET", "/servers?limit=3")
    assert status == 200 and "servers_links" not in body


# ---- bless of a migrating server, URL project, names --------------------------------------


@pytest.mark.parametrize("era", ["cobalt", "folsom"])
def test_bless_of_a_migrating_server_is_accepted(era, simulator_factory):
    """S6 api.py:371 and S4 api.py:302 check only the vm state; a migration is a task state
    (S6 api.py:635, S4 api.py:462), so the server is still active."""
    sim = simulator_factory(era=era, build_time=2.0)
    source = sim.boot("moving")
    assert action(sim, source["id"], {"gc_migrate": {}})[0] == 200
    assert sim.get(source["id"])["status"] == "MIGRATING"
    status, ctype, data, _ = action(sim, source["id"], {"gc_bless": {}})
    assert (status, ctype, data[0]["metadata"]) == (200, HTML, {"blessed_from": source["id"]})
    assert sim.get(source["id"])["status"] == "MIGRATING"


@pytest.mark.parametrize(
    ("era", "cobalt_text"), [("cobalt", True), ("folsom", False), ("essex", False)]
)
def test_url_project_mismatch_text(request, era, cobalt_text):
    """nova 2014.1 wsgi.py:966-974 names both projects; 2012.2 wsgi.py:923 and 2012.1
    wsgi.py:841 say "Malformed request url"."""
    sim = request.getfixturevalue(era)
    token, _ = sim.token("demo")
    alt, demo = PROJECTS["alt"].id, PROJECTS["demo"].id
    status, _, raw = sim.raw("GET", f"{sim.url}/v2/{alt}/servers", headers={"X-Auth-Token": token})
    message = (
        f"Malformed request URL: URL's project_id '{alt}' doesn't match Context's project_id "
        f"'{demo}'"
        if cobalt_text
        else "Malformed request url"
    )
    assert (status, json.loads(raw)) == (400, {"badRequest": {"code": 400, "message": message}})


@pytest.mark.parametrize("era", ["cobalt", "folsom"])
def test_long_names_are_cut_to_the_column_and_boot_refuses_them(request, era):
    """Bless and launch write ``display_name`` without nova's checks (S6 api.py:227, S4
    api.py:182): MySQL's default mode keeps the VARCHAR(255)'s first 255 characters (nova
    2014.1 db/options.py:42, no sql_mode set). Nova's own boot refuses the name: 2014.1
    servers.py:631-641 with utils.py:988-991, 2012.2 servers.py:565-567."""
    sim = request.getfixturevalue(era)
    source = sim.boot(f"long-{era}")
    status, _, data, _ = action(sim, source["id"], {"gc_bless": {"name": "b" * 10_000}})
    assert status == 200 and data[0]["name"] == "b" * 255
    image = sim.wait_status(data[0]["id"], "BLESSED")
    status, _, data, _ = action(sim, image["id"], {"gc_launch": {"name": "l" * 300}})
    assert status == 200 and data[0]["name"] == "l" * 255
    boot = {"server": {"name": "x" * 256, "imageRef": image["image"]["id"], "flavorRef": "1"}}
    message = {
        "cobalt": "Server name has more than 255 characters.",
        "folsom": "Server name must be less than 256 characters.",
    }[era]
    assert answer(sim, "POST", "/servers", boot) == fault_answer(400, message)


def test_lone_surrogate_in_a_bless_name_is_kept_as_replacement_character(cobalt):
    """Python 2 decoded ``"\\ud800"`` and went on (S6 api.py:379-383); the simulator answers
    200, without a traceback, and stores U+FFFD where a UTF-8 column cannot hold the half."""
    source = cobalt.boot("surrogate")
    with open(cobalt.stderr_path, encoding="utf-8", errors="replace") as log:
        log.seek(0, 2)
        mark = log.tell()
    status, _, raw = cobalt.request_raw(
        "POST", f"/servers/{source['id']}/action", data=b'{"gc_bless": {"name": "a\\ud800b"}}'
    )
    assert status == 200 and json.loads(raw)[0]["name"] == "a\ufffdb"
    with open(cobalt.stderr_path, encoding="utf-8", errors="replace") as log:
        log.seek(mark)
        assert "Traceback" not in log.read()


def test_the_differences_table_lists_the_discarded_live_image_refusal():
    """The refusal to launch from a live image being discarded is deliberate (history launched
    and the clones then failed): it is a row of the one differences table."""
    from pathlib import Path

    text = (Path(__file__).parents[3] / "docs" / "simulator.rst").read_text(encoding="utf-8")
    section = text.split("Deliberate differences\n----------------------\n", 1)[1]
    table = section.split("\nFault injection\n", 1)[0]
    assert "launch from a live image being discarded" in table
    for crash in ("scheduler_hints", "import without", '``{"gc_migrate": null}``'):
        row = table.split(crash, 1)[1].split("   * - ", 1)[0]
        assert "a client cannot rely on it" in row, crash
