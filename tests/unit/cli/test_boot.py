"""gcclient.cli.boot: image and flavor references (an ID costs nothing, a name one request)."""

from __future__ import annotations

import pytest

from gcclient.api.exceptions import NotFound

from ..fakes import FakeWire


def test_boot_refs_by_id_cost_nothing_and_names_one_request():
    from gcclient.cli import boot

    wire = FakeWire()
    assert boot.flavor_ref(wire, "3") == "3"
    uuid = "6f3c6e1a-3c0e-4a43-9d1b-6d1f0c0b0a01"
    assert boot.image_ref(wire, uuid) == uuid
    assert wire.calls == []
    assert boot.flavor_ref(wire, "m1.tiny") == "1"
    assert boot.flavor_ref(wire, "abc") == "abc"
    assert boot.image_ref(wire, "cirros") == "i-1"
    assert wire.calls == [
        ("list_flavors",),
        ("list_flavors",),
        ("list_images", {"name": "cirros"}),
    ]
    with pytest.raises(NotFound, match="No flavor with a name or ID of 'huge' exists."):
        boot.flavor_ref(wire, "huge")
