"""Every Gridcentric command on a real Nova 34 without the extension.

Nova answers an unknown action 400 "There is no such action: gc_bless" and an unrouted
path (``/gcinfo``, ``/gcservers``, ``/gcpolicy``) webob's 404 "The resource could not be
found.<br /><br />" with three newlines.
"""

from __future__ import annotations

import json

import pytest

from .checks import one_error, same_request_ids
from .rest import gc

pytestmark = pytest.mark.usefixtures("rest")


@pytest.fixture(scope="module")
def server(rest):
    made = rest.boot("plain-1")
    yield made
    rest.delete(made["id"])


NO_SUCH_ACTION = (
    "ERROR: This cloud does not offer the Gridcentric extension "
    "(it answered: There is no such action: {}) (HTTP 400) (Request-ID: req-...)"
)


@pytest.mark.parametrize(
    "argv, action",
    [
        (["bless", "plain-1"], "gc_bless"),
        (["launch", "plain-1"], "gc_launch"),
        (["discard", "plain-1"], "gc_discard"),
        (["gc-migrate", "plain-1", "compute-2"], "gc_migrate"),
        (["list-launched", "plain-1"], "gc_list_launched"),
        (["list-blessed", "plain-1"], "gc_list_blessed"),
        (["lineage", "plain-1"], "gc_list_blessed"),
    ],
)
def test_actions_say_the_extension_is_missing(stack, server, argv, action):
    assert same_request_ids(one_error(gc(stack, *argv))) == NO_SUCH_ACTION.format(action)


@pytest.mark.parametrize(
    "argv, capability",
    [
        (["export", "plain-1", "{tmp}/out.json"], "import-export"),
        (["import", "{tmp}/in.json"], "import-export"),
        (["get-policy", "plain-1"], "get-policy"),
        (["install-policy", "{tmp}/policy.txt"], "install-policy"),
    ],
)
def test_gated_commands_name_the_capability(stack, server, tmp_path, argv, capability):
    (tmp_path / "in.json").write_text(json.dumps({"name": "x"}))
    (tmp_path / "policy.txt").write_text("[*]\n")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    line = one_error(gc(stack, *argv))
    assert f"'{capability}' capability" in line, line
    assert not (tmp_path / "out.json").exists()


def test_list_shows_no_live_image(stack, server):
    result = gc(stack, "list", "-f", "json")
    assert result.code == 0, result.err
    assert result.json() == []


def test_boot_on_a_host_says_the_extension_is_missing(stack, rest):
    result = gc(
        stack,
        "boot",
        "--image",
        "cirros-0.3",
        "--flavor",
        "m1.tiny",
        "--host",
        "compute-1",
        "hosted",
    )
    line = same_request_ids(one_error(result))
    assert line == (
        "ERROR: This cloud does not offer the Gridcentric extension (POST /gcservers "
        "answered: The resource could not be found.) (HTTP 404) (Request-ID: req-...)"
    )
    assert "hosted" not in [s["name"] for s in rest.servers()]


@pytest.mark.parametrize("command", ["capabilities", "cobalt-capabilities"])
def test_capabilities_says_the_extension_is_missing(stack, command):
    result = gc(stack, command)
    assert one_error(result) == (
        "ERROR: This cloud does not offer the Gridcentric extension (GET /gcinfo is not "
        "found and GET /extensions does not list it)"
    )
    assert result.out == ""
