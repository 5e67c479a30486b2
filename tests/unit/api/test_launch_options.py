"""A launch option is one row of gcclient.api.launch_options: the body, the capability
gate, gc's and nova's options, the Python API's keyword and each front-end's words
all come from it (issue 22)."""

from __future__ import annotations

import pytest

from gcclient.api import bodies
from gcclient.api.launch_options import LAUNCH_OPTIONS, Kind
from gcclient.cli.base import GC_WORDS
from gcclient.cli.live_image import LaunchServer
from gcclient.core.launch_request import LaunchRequest
from gcclient.nova import NOVA_WORDS, do_launch

# A Python value of each kind, and the value the body carries for it.
SAMPLE = {
    Kind.TEXT: ("zone-1", "zone-1"),
    Kind.NAME: ("web", "web"),
    Kind.COUNT: (2, 2),
    Kind.LIST: ("a,b", ["a", "b"]),
    Kind.FILE: (b"hi", "aGk="),
    Kind.PAIRS: ({"group": "g"}, {"group": "g"}),
    Kind.NIC: ([{"uuid": "n"}], [{"uuid": "n"}]),
}
ROWS = pytest.mark.parametrize("option", LAUNCH_OPTIONS, ids=lambda o: o.key)


def test_every_kind_has_a_sample():
    assert set(SAMPLE) == set(Kind)


@ROWS
def test_the_body_and_the_python_keyword(option):
    given, sent = SAMPLE[option.kind]
    request = LaunchRequest.build(**{option.key: given})
    assert request.body() == {"gc_launch": {option.key: sent}}


@ROWS
def test_the_capability_gate(option):
    assert bodies.LAUNCH_CAPABILITIES[option.key] == option.capability


@ROWS
def test_gc_option_and_words(option):
    parser = LaunchServer(None, None, cmd_name="launch").get_parser("gc launch")
    action = {a.dest: a for a in parser._actions}[option.dest]
    assert action.option_strings == ["--" + option.option]
    assert (action.metavar, action.help) == (option.gc.metavar, option.gc.help)
    assert GC_WORDS.option(option.key) == "--" + option.option


@ROWS
def test_nova_option_and_words(option):
    found = [kw for args, kw in do_launch.arguments if args == ("--" + option.option,)]
    assert [(kw["metavar"], kw["help"]) for kw in found] == [
        (option.nova.metavar, option.nova.help)
    ]
    assert NOVA_WORDS.option(option.key) == "--" + option.option


def test_an_unknown_option_is_refused_everywhere():
    with pytest.raises(TypeError, match="unknown launch option"):
        LaunchRequest.build(colour="blue")
    with pytest.raises(TypeError, match="unknown launch option"):
        bodies.launch_body(colour="blue")
    with pytest.raises(TypeError, match="unknown launch argument"):
        LaunchRequest.from_arguments(colour="blue")
