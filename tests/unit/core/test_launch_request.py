"""gcclient.core.launch_request: one typed launch request, the same from the Python API's
values and from command-line arguments."""

from __future__ import annotations

import pytest

from gcclient.api import exceptions
from gcclient.core.launch_request import LaunchRequest


def test_launch_request_is_the_same_from_python_and_from_arguments():
    python = LaunchRequest.build(
        target="2G",
        params={"a": 1},
        security_groups="default, web",
        num_instances="2",
        scheduler_hints={"group": ["g1", "g2"]},
        networks=[{"uuid": "n"}],
        user_data="hi",
    )
    arguments = LaunchRequest.from_arguments(
        target="2G",
        params=["a=1"],
        security_groups="default,web",
        num_instances="2",
        hints=["group=g1", "group=g2"],
        nics=["net-id=n"],
        user_data=b"hi",
    )
    assert python == arguments
    assert python.body() == {
        "gc_launch": {
            "target": "2GB",
            "guest": {"a": "1"},
            "security_groups": ["default", "web"],
            "num_instances": 2,
            "scheduler_hints": {"group": ["g1", "g2"]},
            "networks": [{"uuid": "n"}],
            "user_data": "aGk=",
        }
    }
    assert LaunchRequest.build(target="512").warnings == [
        "Memory target '512' has no unit: it is read as 512 bytes"
    ]
    with pytest.raises(exceptions.CommandError):
        LaunchRequest.build(num_instances=0)
