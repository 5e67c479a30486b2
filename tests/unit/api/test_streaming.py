"""api/streaming.py: a list answer decoded element by element as its bytes arrive."""

from __future__ import annotations

import json

import pytest
import requests_mock
from keystoneauth1 import adapter, session

from gcclient.api import decoding, exceptions, streaming
from gcclient.api.gcwire import Wire

UUID = "6a6b3f0e-9b4c-4bd5-9a52-9f6c2a3b4c5d"
VIEWS = [
    {"id": "a", "name": "caf\u00e9 \u2603", "n": 12345, "x": [1.5, None, True]},
    {"id": "b", "name": 'q"uote,]', "metadata": {"k": "[{"}},
    {"id": "", "name": "no id"},
    "not a server",
]


def pieces(text: str, size: int) -> list[bytes]:
    data = text.encode("utf-8")
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64, 100_000])
@pytest.mark.parametrize("indent", [None, 2])
def test_items_whatever_the_chunks(size, indent):
    text = json.dumps(VIEWS, indent=indent)
    assert list(streaming.json_array_items(pieces(text, size))) == VIEWS


@pytest.mark.parametrize("text", ["[]", " [ ] ", "[\n]"])
def test_empty_array(text):
    assert list(streaming.json_array_items(pieces(text, 1))) == []


def test_a_number_split_across_chunks_is_whole():
    assert list(streaming.json_array_items([b"[12", b"345, 6", b"7]"])) == [12345, 67]


@pytest.mark.parametrize("text", ['{"servers": []}', "", "  "])
def test_another_shape_is_handed_on_whole(text):
    found = list(streaming.json_array_items(pieces(text, 3)))
    assert len(found) == 1 and isinstance(found[0], streaming.NotArray)
    assert found[0] == text.strip() or found[0] == text.lstrip()


@pytest.mark.parametrize("text", ["[1, 2", "[1 2]", "[1] x", '[{"a": ]'])
def test_broken_text_is_undecodable(text):
    with pytest.raises(decoding.Undecodable):
        list(streaming.json_array_items(pieces(text, 2)))


def wire() -> Wire:
    sess = session.Session()
    return Wire(adapter.Adapter(session=sess, endpoint_override="http://nova.test/v2.1"))


def test_iter_listed_filters_like_as_list():
    with requests_mock.Mocker() as mock:
        mock.post(f"http://nova.test/v2.1/servers/{UUID}/action", text=json.dumps(VIEWS))
        found = list(streaming.iter_listed(wire(), UUID, "gc_list_launched"))
        assert mock.last_request.json() == {"gc_list_launched": {}}
    assert found == VIEWS[:2]


def test_iter_listed_reads_the_servers_key():
    with requests_mock.Mocker() as mock:
        mock.post(f"http://nova.test/v2.1/servers/{UUID}/action", json={"servers": VIEWS[:1]})
        assert list(streaming.iter_listed(wire(), UUID, "gc_list_blessed")) == VIEWS[:1]


def test_iter_listed_errors_as_the_wire_words_them():
    with requests_mock.Mocker() as mock:
        mock.post(
            f"http://nova.test/v2.1/servers/{UUID}/action",
            status_code=404,
            json={"itemNotFound": {"message": f"Instance {UUID} could not be found.", "code": 404}},
        )
        with pytest.raises(exceptions.NotFound):
            list(streaming.iter_listed(wire(), UUID, "gc_list_launched"))
        mock.post(f"http://nova.test/v2.1/servers/{UUID}/action", text="<html>")
        with pytest.raises(exceptions.ClientException, match="not JSON"):
            list(streaming.iter_listed(wire(), UUID, "gc_list_launched"))


def test_iter_listed_words_a_redirect_as_every_read_does():
    """A 300 from an unversioned endpoint (nova's choices of versions): the wire's
    WrongEndpoint error, as for a list read whole (gcclient.api.answers)."""
    choices = {"choices": [{"id": "v2.1", "status": "CURRENT", "links": []}]}
    with requests_mock.Mocker() as mock:
        mock.post(f"http://nova.test/v2.1/servers/{UUID}/action", status_code=300, json=choices)
        with pytest.raises(exceptions.WrongEndpoint) as streamed:
            list(streaming.iter_listed(wire(), UUID, "gc_list_launched"))
        with pytest.raises(exceptions.WrongEndpoint) as whole:
            wire().list_launched(UUID)
    assert str(streamed.value) == str(whole.value)
