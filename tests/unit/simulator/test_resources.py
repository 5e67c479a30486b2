"""resources.py: the extension's own resources: /gcinfo (/cobaltinfo), /gcservers, the import
resource and /gcpolicy, with the errors the historical server's code paths gave (module
docstrings: a KeyError was the fixed 500, a TypeError nova's generic 400)."""

from __future__ import annotations

import pytest

from gcclient.simulator.eras import FIXED_500, GENERIC_400
from gcclient.simulator.fixtures import IMAGES
from gcclient.simulator.resources import ini_error

IMAGE = next(iter(IMAGES))
HTML = "text/html; charset=UTF-8"
FIXED = ("computeFault", 500, FIXED_500)
GENERIC = ("badRequest", 400, GENERIC_400)


def test_ini_error():
    assert ini_error("[a]\nb = c\n") is None
    assert ini_error("") is None
    assert ini_error("garbage") == "File contains no section headers."
    assert ini_error("[a]\n[a]\n").startswith("While reading from '<string>' [line  2]")


@pytest.mark.parametrize(("era", "path"), [("cobalt", "/cobaltinfo"), ("folsom", "/gcinfo")])
def test_info_lists_the_eras_capabilities_as_webob_answered(api_factory, era, path):
    api = api_factory(era)
    reply = api.compute("GET", path)
    assert reply.status == 200 and reply.response.content_type == HTML
    assert reply.data == {"capabilities": list(api.app.era.capabilities)}


def boot_body(**metadata):
    return {"server": {"name": "vm", "imageRef": IMAGE, "flavorRef": "1", "metadata": metadata}}


def test_gcservers_is_for_admins_on_service_hosts(api_factory):
    api = api_factory("folsom", hosts=["h1", "h2"])
    assert api.compute("POST", "/gcservers", boot_body()).fault == (
        "badRequest",
        400,
        "This feature is restricted to only admin users.",
    )
    assert api.compute(
        "POST", "/gcservers", boot_body(**{"gc:target_host": "h9"}), user="admin"
    ).fault == ("badRequest", 400, "Only able to launch on hosts running the gridcentric service.")
    reply = api.compute("POST", "/gcservers", boot_body(**{"gc:target_host": "h2"}), user="admin")
    assert reply.status == 200
    assert set(reply.data["server"]) == {"id", "links", "adminPass"}  # nova's extensions add none
    shown = api.server(reply.data["server"]["id"], user="admin")
    assert shown["OS-EXT-SRV-ATTR:host"] == "h2"


def test_coservers_words_the_cobalt_service(api):
    reply = api.compute("POST", "/coservers", boot_body(**{"gc:target_host": "x"}), user="admin")
    assert reply.fault == (
        "badRequest",
        400,
        "Only able to launch on hosts running the cobalt service.",
    )


def exported(api, era_key="gc_export"):
    image = api.bless(api.boot())
    reply = api.action(image, {era_key: None})
    assert reply.status == 200
    return image, reply.data


def test_export_then_import_makes_a_live_image(api):
    image, data = exported(api)
    reply = api.compute("POST", "/co-import-server", {"data": data})
    assert reply.status == 200 and set(reply.data["server"]) == {"id", "links"}
    api.settle()
    copy = api.server(reply.data["server"]["id"])
    assert (copy["status"], copy["name"], copy["metadata"]) == (
        "BLESSED",
        "vm-0",
        {"blessed_from": data["metadata"]["blessed_from"]},
    )
    assert copy["addresses"] == {}
    assert api.compute("DELETE", f"/servers/{copy['id']}").fault[2] == (
        f"Cannot delete a live image {copy['id']}. Please discard it instead."
    )


def test_an_imported_copy_is_protected_from_delete_even_without_lineage(api_factory):
    api = api_factory(build_time=3600.0)
    _, data = exported(api)
    reply = api.compute("POST", "/co-import-server", {"data": {**data, "metadata": {}}})
    copy = reply.data["server"]["id"]
    assert api.compute("DELETE", f"/servers/{copy}").fault == (
        "badRequest",
        400,
        f"Cannot delete a live image {copy}. Please discard it instead.",
    )
    folsom = api_factory("folsom")
    _, data = exported(folsom)
    reply = folsom.compute("POST", "/gc-import-server", {"data": {**data, "metadata": {}}})
    assert folsom.compute("DELETE", f"/servers/{reply.data['server']['id']}").status == 204


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: "not an object", FIXED),
        (lambda d: {"data": []}, GENERIC),
        (lambda d: {"data": {k: v for k, v in d.items() if k != "fields"}}, FIXED),
        (lambda d: {"data": {**d, "fields": []}}, GENERIC),
        (lambda d: {"data": {k: v for k, v in d.items() if k != "flavor_name"}}, FIXED),
        (lambda d: {"data": {**d, "flavor_name": ["m1.tiny"]}}, FIXED),
        (lambda d: {"data": {k: v for k, v in d.items() if k != "metadata"}}, FIXED),
        (lambda d: {"data": {**d, "metadata": {"a": [1]}}}, FIXED),
        (lambda d: {"data": {k: v for k, v in d.items() if k != "system_metadata"}}, FIXED),
        (lambda d: {"data": {k: v for k, v in d.items() if k != "export_image_id"}}, FIXED),
        (lambda d: {"data": {**d, "fields": {**d["fields"], "display_name": ["x"]}}}, FIXED),
    ],
)
def test_cobalt_import_errors_create_nothing(api, change, expected):
    _, data = exported(api)
    before = len(api.compute("GET", "/servers").data["servers"])
    reply = api.compute("POST", "/gc-import-server", change(data))
    assert reply.fault == expected
    assert len(api.compute("GET", "/servers").data["servers"]) == before


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: {**d, "flavor_name": "m1.huge"},
            ("badRequest", 400, "Flavor could not be found: m1.huge"),
        ),
        (lambda d: {k: v for k, v in d.items() if k != "security_group_names"}, FIXED),
        (lambda d: {**d, "security_group_names": None}, GENERIC),
        (lambda d: {**d, "security_group_names": 5}, GENERIC),
        (lambda d: {**d, "security_group_names": [["web"]]}, FIXED),
        (
            lambda d: {**d, "security_group_names": ["db"]},
            ("badRequest", 400, "Security group could not be found: db"),
        ),
    ],
)
def test_folsom_import_errors(api_factory, change, expected):
    api = api_factory("folsom")
    _, data = exported(api)
    assert api.compute("POST", "/gc-import-server", {"data": change(data)}).fault == expected


def test_folsom_import_takes_the_named_groups(api_factory):
    api = api_factory("folsom")
    _, data = exported(api)
    reply = api.compute(
        "POST", "/gc-import-server", {"data": {**data, "security_group_names": ["web"]}}
    )
    api.settle()
    server = api.server(reply.data["server"]["id"])
    assert server["security_groups"] == [{"name": "web"}]


def test_import_may_not_name_another_projects_launch_source(api):
    _, data = exported(api)
    theirs = api.boot(user="alt")
    reply = api.compute(
        "POST", "/gc-import-server", {"data": {**data, "metadata": {"launched_from": theirs}}}
    )
    assert reply.fault == ("badRequest", 400, f"Instance {theirs} could not be found.")


def test_an_admin_imports_into_the_exported_project(api):
    _, data = exported(api)
    reply = api.compute("POST", "/gc-import-server", {"data": data}, user="admin")
    assert reply.status == 200
    api.settle()
    assert api.server(reply.data["server"]["id"])["tenant_id"] == data["fields"]["project_id"]


def test_install_policy(api):
    ok = api.compute("POST", "/copolicy", {"policy_ini_string": "[a]\nb = c\n"})
    assert (ok.status, ok.response.body, ok.response.content_type) == (200, b"", "application/json")
    for bad in ({}, {"policy_ini_string": 5}):
        assert api.compute("POST", "/gcpolicy", bad).fault == (
            "badRequest",
            400,
            "Malformed request body",
        )


def test_a_bad_policy_names_the_hosts(api_factory):
    api = api_factory(hosts=["h1", "h2"])
    one = api.compute("POST", "/gcpolicy", {"policy_ini_string": "x"})
    assert one.fault == (
        "badRequest",
        400,
        "Failed to install policy on host h1: File contains no section headers.",
    )
    many = api.compute("POST", "/gcpolicy", {"policy_ini_string": "x", "wait": True})
    assert many.fault == (
        "badRequest",
        400,
        "Failed to install policy on 2 hosts, faults:\n"
        "h1: File contains no section headers.\nh2: File contains no section headers.",
    )
    no_hosts = api_factory(hosts=[])
    assert no_hosts.compute("POST", "/gcpolicy", {"policy_ini_string": "x"}).status == 200
