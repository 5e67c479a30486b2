"""Region, interface and endpoint override against the real catalog.

The catalog gives Nova a different loopback address per choice (``populate.endpoints``):
RegionOne public 127.0.0.1, RegionOne internal 127.0.0.3, RegionTwo 127.0.0.2; gc's
``--timing`` table shows which one each request went to.
"""

from __future__ import annotations

import http.server
import threading

import pytest

from .checks import names, one_error
from .rest import gc, nova_url

pytestmark = pytest.mark.usefixtures("rest")


@pytest.fixture(scope="module")
def four(rest):
    """Four servers: two of nova's pages (max_limit 2)."""
    made = [rest.boot(f"ep-{n}") for n in range(1, 5)]
    yield made
    for server in made:
        rest.delete(server["id"])


def _compute_hosts(result) -> set[str]:
    text = result.out + result.err
    return {
        line.split("http://", 1)[1].split(":", 1)[0]
        for line in text.splitlines()
        if "/v2.1/" in line and "http://" in line
    }


@pytest.mark.parametrize(
    "options, host",
    [
        ([], "127.0.0.1"),
        (["--os-region-name", "RegionOne"], "127.0.0.1"),
        (["--os-region-name", "RegionTwo"], "127.0.0.2"),
        (["--os-interface", "internal"], "127.0.0.3"),
        (["--os-interface", "admin"], "127.0.0.1"),
    ],
)
def test_region_and_interface_choose_the_endpoint(stack, four, options, host):
    result = gc(stack, *options, "--timing", "list", "--all", "-f", "json")
    assert names(result) == ["ep-1", "ep-2", "ep-3", "ep-4"]
    assert _compute_hosts(result) == {host}


def test_region_from_the_environment(stack, four):
    result = gc(
        stack, "--timing", "list", "--all", "-f", "json", env={"OS_REGION_NAME": "RegionTwo"}
    )
    assert names(result) == ["ep-1", "ep-2", "ep-3", "ep-4"]
    assert _compute_hosts(result) == {"127.0.0.2"}


def test_unknown_region(stack):
    line = one_error(gc(stack, "list", env={"OS_REGION_NAME": "RegionNine"}))
    assert line == (
        "ERROR: No compute endpoint found: public endpoint for compute service in "
        "RegionNine region not found"
    )


def test_endpoint_override_with_the_version(stack, four):
    override = nova_url(stack, "127.0.0.2")
    result = gc(
        stack, "--os-endpoint-override", override, "--timing", "list", "--all", "-f", "json"
    )
    assert names(result) == ["ep-1", "ep-2", "ep-3", "ep-4"]
    assert _compute_hosts(result) == {"127.0.0.2"}


def test_endpoint_override_without_the_version_list(stack, four):
    override = nova_url(stack).rsplit("/v2.1", 1)[0]
    line = one_error(gc(stack, "--os-endpoint-override", override, "list", "--all"))
    assert override in line and "/v2.1" in line, line


def test_endpoint_override_without_the_version_show(stack, four):
    override = nova_url(stack).rsplit("/v2.1", 1)[0]
    line = one_error(gc(stack, "--os-endpoint-override", override, "show", "ep-1"))
    assert override in line and "/v2.1" in line, line
    assert "exists" not in line


@pytest.fixture
def plain_web_server(tmp_path):
    """An auth URL that is a web server but no Keystone."""
    (tmp_path / "index.html").write_text("<html><body>hello</body></html>")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_auth_url_of_a_plain_web_server_is_one_line(stack, plain_web_server):
    line = one_error(gc(stack, "list", env={"OS_AUTH_URL": plain_web_server}))
    assert "does not lead to Keystone" in line
