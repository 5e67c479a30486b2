"""Answers a real Nova 34 gives where the simulator once did not
(tests/realstack/test_endpoints.py and test_no_extension.py show them against the
real service): nova's 300 for an endpoint without its version, a 2xx without the
expected key, webob's 404 for an unrouted Gridcentric path, GET /gcinfo and
GET /extensions on a cloud without the extension."""

import pytest
from keystoneauth1 import adapter, session

from gcclient.api import decoding, exceptions
from gcclient.api.gcwire import Wire

ROOT = "http://nova.test:8774"
UUID = "11111111-2222-3333-4444-555555555555"
# webob's 404 for a path no route serves, with Accept: application/json (nova 34).
WEBOB_404 = {
    "message": "The resource could not be found.<br /><br />\n\n\n",
    "code": "404 Not Found",
    "title": "Not Found",
}


def wire_at(endpoint):
    sess = session.Session()
    return Wire(adapter.Adapter(session=sess, endpoint_override=endpoint), sleep=lambda s: None)


def choices(path):
    """nova's urlmap answer to a path outside every version (nova/api/openstack/
    compute/versions.py, Versions.multi)."""
    return {
        "choices": [
            {
                "id": "v2.0",
                "status": "DEPRECATED",
                "links": [{"rel": "self", "href": f"{ROOT}/v2{path}"}],
            },
            {
                "id": "v2.1",
                "status": "CURRENT",
                "links": [{"rel": "self", "href": f"{ROOT}/v2.1{path}"}],
            },
        ]
    }


NO_VERSION = (
    "The compute endpoint http://nova.test:8774 answered GET {path} with HTTP 300 instead "
    "of the compute API: the endpoint lacks the API version: add /v2.1 "
    "(http://nova.test:8774/v2.1)"
)


def test_a_listing_at_an_endpoint_without_the_version_is_an_error(requests_mock):
    requests_mock.get(f"{ROOT}/servers/detail", status_code=300, json=choices("/servers/detail"))
    with pytest.raises(exceptions.WrongEndpoint) as err:
        wire_at(ROOT).list_servers()
    assert str(err.value) == NO_VERSION.format(path="/servers/detail")
    assert len(requests_mock.request_history) == 1  # not retried


def test_a_server_at_an_endpoint_without_the_version_is_no_missing_server(requests_mock):
    path = f"/servers/{UUID}"
    requests_mock.get(f"{ROOT}{path}", status_code=300, json=choices(path))
    with pytest.raises(exceptions.WrongEndpoint) as err:
        wire_at(ROOT).find(UUID)
    assert str(err.value) == NO_VERSION.format(path=path)


def test_a_write_at_an_endpoint_without_the_version_was_not_carried_out(requests_mock):
    path = f"/servers/{UUID}/action"
    requests_mock.post(f"{ROOT}{path}", status_code=300, json=choices(path))
    with pytest.raises(exceptions.WrongEndpoint) as err:
        wire_at(ROOT).discard(UUID)
    assert "add /v2.1 (http://nova.test:8774/v2.1)" in str(err.value)
    assert err.value.sent is False


def test_a_2xx_without_the_key_names_the_endpoint_and_the_fix(requests_mock):
    requests_mock.get(f"{ROOT}/servers/detail", json={"versions": []})
    with pytest.raises(exceptions.ClientException) as err:
        wire_at(ROOT).list_servers()
    assert str(err.value) == (
        "Unexpected answer to GET /servers/detail from http://nova.test:8774: no 'servers' "
        "in it; the endpoint lacks the API version: add /v2.1 (http://nova.test:8774/v2.1)"
    )


@pytest.mark.parametrize(
    ("call", "path", "key"),
    [
        (lambda w: w.get(UUID), f"/servers/{UUID}", "server"),
        (lambda w: w.list_images(), "/images/detail", "images"),
        (lambda w: w.list_flavors(), "/flavors/detail", "flavors"),
    ],
)
def test_a_2xx_without_the_key_at_a_versioned_endpoint(requests_mock, call, path, key):
    requests_mock.get(f"{ROOT}/v2.1{path}", json={"something": "else"})
    with pytest.raises(exceptions.ClientException) as err:
        call(wire_at(f"{ROOT}/v2.1"))
    assert str(err.value) == (
        f"Unexpected answer to GET {path} from http://nova.test:8774/v2.1: no '{key}' in "
        "it; is it the compute API's endpoint?"
    )


def test_webob_404_for_a_gridcentric_path_says_the_extension_is_missing(requests_mock):
    requests_mock.post(f"{ROOT}/v2.1/gcservers", status_code=404, json=WEBOB_404)
    with pytest.raises(exceptions.ExtensionMissing) as err:
        wire_at(f"{ROOT}/v2.1").boot({"name": "x"}, on_host="h1")
    assert str(err.value) == (
        "This cloud does not offer the Gridcentric extension (POST /gcservers answered: "
        "The resource could not be found.) (HTTP 404)"
    )


def test_a_nova_fault_404_on_a_gridcentric_path_stays_novas(requests_mock):
    fault = {"itemNotFound": {"code": 404, "message": "Image x could not be found."}}
    requests_mock.post(f"{ROOT}/v2.1/gcservers", status_code=404, json=fault)
    with pytest.raises(exceptions.NotFound) as err:
        wire_at(f"{ROOT}/v2.1").boot({"name": "x"}, on_host="h1")
    assert str(err.value) == "Image x could not be found. (HTTP 404)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The resource could not be found.<br /><br />\n\n\n", "The resource could not be found."),
        ("a\n\n  b\r\n\tc", "a b c"),
        ("<b>bold</b> &amp; <i>more</i>", "bold & more"),
    ],
)
def test_server_text_in_an_error_line_is_plain(text, expected):
    assert decoding.plain(text) == expected


def test_no_markup_or_blank_line_from_any_error_body(requests_mock):
    body = {"badRequest": {"code": 400, "message": "Bad <br />\n\nthing\n"}}
    requests_mock.get(f"{ROOT}/v2.1/servers/{UUID}", status_code=400, json=body)
    with pytest.raises(exceptions.BadRequest) as err:
        wire_at(f"{ROOT}/v2.1").get(UUID)
    assert str(err.value) == "Bad thing (HTTP 400)"  # no request ID given


def extensions(*aliases):
    return {"extensions": [{"alias": a, "name": a} for a in aliases]}


def test_capabilities_on_a_cloud_without_the_extension(requests_mock):
    requests_mock.get(f"{ROOT}/v2.1/gcinfo", status_code=404, json=WEBOB_404)
    requests_mock.get(f"{ROOT}/v2.1/extensions", json=extensions("NMN", "os-hosts"))
    wire = wire_at(f"{ROOT}/v2.1")
    with pytest.raises(exceptions.ExtensionMissing) as err:
        wire.offered_capabilities()
    assert str(err.value) == (
        "This cloud does not offer the Gridcentric extension (GET /gcinfo is not found and "
        "GET /extensions does not list it)"
    )
    assert wire.capabilities() == []  # the gated options still name their capability


@pytest.mark.parametrize("alias", ["GC", "CO"])
def test_capabilities_on_an_early_gridcentric_cloud_without_gcinfo(requests_mock, alias):
    requests_mock.get(f"{ROOT}/v2.1/gcinfo", status_code=404, json=WEBOB_404)
    requests_mock.get(f"{ROOT}/v2.1/extensions", json=extensions("NMN", alias))
    assert wire_at(f"{ROOT}/v2.1").offered_capabilities() == []


def test_capabilities_advertised_need_no_extension_list(requests_mock):
    requests_mock.get(f"{ROOT}/v2.1/gcinfo", json={"capabilities": ["launch-name"]})
    assert wire_at(f"{ROOT}/v2.1").offered_capabilities() == ["launch-name"]
    assert [r.path for r in requests_mock.request_history] == ["/v2.1/gcinfo"]
