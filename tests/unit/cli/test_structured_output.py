"""Networks is a mapping only in JSON and YAML, for gc's commands and the openstack
plugin's alike: cliff's value and csv formatters would print the mapping's repr."""

from __future__ import annotations

import argparse
import io

from cliff import lister

from gcclient.cli import classes
from gcclient.cli import output as views
from gcclient.osc import v1

VIEW = {"id": "a", "name": "one", "status": "ACTIVE", "addresses": {"private": [
    {"addr": "10.0.0.1"}, {"addr": "10.0.0.2"}]}}  # fmt: skip


class Listing(lister.Lister):
    """Servers"""

    def take_action(self, parsed_args: argparse.Namespace):
        return views.server_list([VIEW])


class FakeApp:
    def __init__(self) -> None:
        self.stdout = io.StringIO()
        self.options = argparse.Namespace(debug=False)


def output(cls: type, *args: str) -> str:
    app = FakeApp()
    command = cls(app, None, cmd_name="list")
    parsed = command.get_parser("gc list").parse_args(list(args))
    command.run(parsed)
    return app.stdout.getvalue()


class GcListing(classes.ReadOnlyLister, Listing):
    """Servers, as a gc command"""


def test_gc_command_networks_per_format():
    cls = GcListing
    assert output(cls, "-f", "value", "-c", "Networks") == "private=10.0.0.1, 10.0.0.2\n"
    assert (
        output(cls, "-f", "csv", "-c", "Networks") == '"Networks"\n"private=10.0.0.1, 10.0.0.2"\n'
    )
    assert output(cls, "-f", "json", "-c", "Networks") == (
        '[\n  {\n    "Networks": {\n      "private": [\n        "10.0.0.1",\n'
        '        "10.0.0.2"\n      ]\n    }\n  }\n]\n'
    )
    assert output(cls, "-f", "yaml", "-c", "Networks") == (
        "- Networks:\n    private:\n    - 10.0.0.1\n    - 10.0.0.2\n"
    )
    assert "| private=10.0.0.1, 10.0.0.2 |" in output(cls, "-c", "Networks")


def test_openstack_plugin_commands_have_the_same_rule():
    for name in dir(v1):
        cls = getattr(v1, name)
        if isinstance(cls, type) and issubclass(cls, v1.OscCommand) and cls is not v1.OscCommand:
            assert issubclass(cls, views.StructuredOutput), name
