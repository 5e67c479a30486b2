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


@pytest.mark.parametrize(
    ("keyword", "value", "message"),
    [
        ("name", 5, "launch option name must be a str, not int"),
        ("key_name", ["k"], "launch option key_name must be a str, not list"),
        ("availability_zone", 5, "launch option availability_zone must be a str, not int"),
        ("security_groups", 5, "must be a str or a list of str, not int"),
        ("security_groups", ["web", 1], "must be a str or a list of str, not a list holding int"),
        ("user_data", 5, "launch option user_data must be bytes or a str, not int"),
        ("scheduler_hints", "group=g1", "launch option scheduler_hints must be a mapping, not str"),
        ("networks", "net-id=n", "launch option networks must be a list of mappings, not str"),
        ("networks", [5], "must be a list of mappings, not a list holding int"),
    ],
)
def test_a_python_value_of_the_wrong_type_is_a_type_error_naming_the_keyword(
    keyword, value, message
):
    """The Python API sent ``key_name=['k']`` and ``availability_zone=5`` as they were, and
    ``name=5`` or ``scheduler_hints='a=b'`` failed deep inside with an AttributeError or a
    ValueError about dictionary update sequences."""
    with pytest.raises(TypeError) as caught:
        LaunchRequest.build(**{keyword: value})
    assert message in str(caught.value)


def test_the_types_a_command_line_gives_and_their_python_alternatives_pass():
    request = LaunchRequest.build(
        security_groups=("a", "b"), user_data=b"x", networks=({"uuid": "n"},), key_name="k"
    )
    assert request.body()["gc_launch"]["security_groups"] == ["a", "b"]
