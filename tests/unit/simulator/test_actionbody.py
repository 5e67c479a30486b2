"""actionbody.py: which action a ``POST /servers/{id}/action`` names, as nova's wsgi read the
Content-Type and the body (module docstring: nova 2012.1-2014.1 wsgi.py)."""

from __future__ import annotations

import pytest

from gcclient.simulator.actionbody import media_type, requested_action
from gcclient.simulator.responses import ApiError


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/json", "json"),
        ("application/json; charset=UTF-8", "json"),
        ("application/vnd.openstack.compute+json", "json"),
        ("application/xml", "xml"),
        ("application/vnd.openstack.compute+xml;q=1", "xml"),
        ("Application/JSON", None),  # webob does not fold the case
        ("text/plain", None),
        ("", None),
        (None, None),
    ],
)
def test_media_type(make_request, content_type, expected):
    headers = {} if content_type is None else {"Content-Type": content_type}
    assert media_type(make_request("POST", "/a", raw=b"{}", headers=headers)) == expected


def action(make_request, raw: bytes, content_type: str | None = "application/json"):
    headers = {} if content_type is None else {"Content-Type": content_type}
    return requested_action(make_request("POST", "/a", raw=raw, headers=headers))


def refused(make_request, raw: bytes, content_type: str | None = "application/json"):
    with pytest.raises(ApiError) as caught:
        action(make_request, raw, content_type)
    return caught.value.status, caught.value.message


def test_json_action_and_its_value(make_request):
    assert action(make_request, b'{"gc_bless": null}') == ("gc_bless", None)
    assert action(make_request, b'{"gc_launch": {"name": "x"}}') == ("gc_launch", {"name": "x"})


@pytest.mark.parametrize("content_type", [None, "text/plain", ""])
def test_no_known_type_means_no_action(make_request, content_type):
    assert refused(make_request, b'{"gc_bless": null}', content_type) == (
        400,
        "There is no such action: None",
    )


@pytest.mark.parametrize("raw", [b"", b"{}", b'{"a": 1, "b": 2}', b"[1, 2]", b'"ab"', b"{x"])
def test_malformed_json_bodies(make_request, raw):
    assert refused(make_request, raw) == (400, "Malformed request body")


@pytest.mark.parametrize("raw", [b"[1]", b'"x"', b"null", b"5", b"true"])
def test_a_body_without_keys_is_a_404(make_request, raw):
    assert refused(make_request, raw) == (404, "The resource could not be found.")


def test_xml_root_names_the_action(make_request):
    xml = b'<gc_launch xmlns="http://x" name="a"><guest>g</guest><num>2</num></gc_launch>'
    assert action(make_request, xml, "application/xml") == (
        "gc_launch",
        {"name": "a", "guest": "g", "num": "2"},
    )
    assert action(make_request, b"<gc_bless>n</gc_bless>", "application/xml") == (
        "gc_bless",
        "n",
    )


@pytest.mark.parametrize(
    "raw",
    [
        b'<!DOCTYPE x [<!ENTITY a "b">]><gc_bless/>',
        b"<gc_bless>",
        b"not xml",
        b"<a>" * 70 + b"</a>" * 70,
    ],
)
def test_malformed_xml(make_request, raw):
    assert refused(make_request, raw, "application/xml") == (400, "Malformed request body")


def test_xml_starting_with_a_comment_is_a_404(make_request):
    assert refused(make_request, b"<!-- c --><gc_bless/>", "application/xml") == (
        404,
        "The resource could not be found.",
    )
