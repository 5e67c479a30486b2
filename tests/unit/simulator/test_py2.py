"""The Python 2 conversions the historical error texts were made with."""

from __future__ import annotations

import pytest

from gcclient.simulator.launch import uuid_like, valid_ip
from gcclient.simulator.py2 import py2_repr, py2_str


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("web", "web"),
        ("é", "é"),  # a unicode string is kept as it is
        (None, "None"),
        (True, "True"),
        (5, "5"),
        (1.0, "1.0"),
        (1.5, "1.5"),
        (0.1 + 0.2, "0.3"),  # str() of a float: 12 significant digits
        (1e16, "1e+16"),
        (["x"], "[u'x']"),
        (["é", 1.5, None], "[u'\\xe9', 1.5, None]"),
        ({"a": [1]}, "{u'a': [1]}"),
        ([0.1 + 0.2], "[0.30000000000000004]"),  # repr() inside a list
    ],
)
def test_py2_str(value, text):
    assert py2_str(value) == text


def test_py2_repr_of_a_string_escapes_like_python_2():
    assert py2_repr("it's") == 'u"it\'s"'
    assert py2_repr("\u20ac") == "u'\\u20ac'"


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("a8f1c0de-5f4b-4c4e-9f00-000000000001", True),
        ("A8F1C0DE-5F4B-4C4E-9F00-000000000001", False),  # not the canonical form
        ("a8f1c0de5f4b4c4e9f00000000000001", False),
        (5, False),
        (None, False),
    ],
)
def test_uuid_like_is_oslo_canonical_form(value, ok):
    assert uuid_like(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [("10.0.0.5", True), ("10.1", True), ("::1", True), ("x", False), ("", False), (5, False)],
)
def test_valid_ip_is_netaddr_with_inet_aton(value, ok):
    assert valid_ip(value) is ok
