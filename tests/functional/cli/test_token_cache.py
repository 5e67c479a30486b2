"""The token cache with the real gc: requests counted from the simulator's journal.

Every test uses its own XDG_CACHE_HOME, never the real home.
"""

from __future__ import annotations

import os
import stat
import time

import pytest

from gcclient.simulator.testing import is_identity_path
from tests.functional.gcrun import gc

TOKENS = "/v3/auth/tokens"


def cached(sim, cache_home, *args: str, env: dict | None = None):
    """gc with the token cache on (gcrun turns it off by default)."""
    full = {"XDG_CACHE_HOME": str(cache_home), "GC_NO_TOKEN_CACHE": "", **(env or {})}
    return gc(sim, *args, env=full)


def paths(entries: list[dict]) -> list[tuple[str, str]]:
    return [(e["method"], e["path"]) for e in entries]


def token_files(cache_home) -> list[str]:
    directory = os.path.join(cache_home, "gcclient", "tokens")
    if not os.path.isdir(directory):
        return []
    return sorted(os.path.join(directory, n) for n in os.listdir(directory) if n.endswith(".json"))


@pytest.fixture
def source(simulator, request):
    return simulator.boot(f"cache-{request.node.name}")


def test_cold_bless_is_token_and_action_warm_bless_is_action_only(simulator, source, tmp_path):
    mark = simulator.mark()
    result = cached(simulator, tmp_path, "bless", source["id"])
    assert result.code == 0, result.err
    cold = simulator.journal_since(mark)
    assert [p for _, p in paths(cold)][0] == TOKENS
    assert len(cold) == 2, paths(cold)
    assert cold[1]["method"] == "POST" and cold[1]["path"].endswith(
        f"/servers/{source['id']}/action"
    )

    mark = simulator.mark()
    result = cached(simulator, tmp_path, "bless", source["id"])
    assert result.code == 0, result.err
    warm = simulator.journal_since(mark)
    assert len(warm) == 1, paths(warm)
    assert not any(is_identity_path(e["path"]) for e in warm)


def test_cache_file_is_private(simulator, source, tmp_path):
    assert cached(simulator, tmp_path, "show", source["id"]).code == 0
    files = token_files(tmp_path)
    assert len(files) == 1
    assert stat.S_IMODE(os.stat(files[0]).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(files[0])).st_mode) & 0o077 == 0


def test_warm_show_by_name_is_one_request(simulator, source, tmp_path):
    assert cached(simulator, tmp_path, "show", source["id"]).code == 0
    mark = simulator.mark()
    result = cached(simulator, tmp_path, "show", source["name"])
    assert result.code == 0, result.err
    warm = simulator.journal_since(mark)
    assert len(warm) == 1, paths(warm)
    assert not any(is_identity_path(e["path"]) for e in warm)


def test_no_cache_option_and_variable(simulator, source, tmp_path):
    for extra_args, env in ((("--no-cache",), None), ((), {"GC_NO_TOKEN_CACHE": "1"})):
        for _ in range(2):
            mark = simulator.mark()
            result = cached(simulator, tmp_path, *extra_args, "show", source["id"], env=env)
            assert result.code == 0, result.err
            assert [p for _, p in paths(simulator.journal_since(mark))][0] == TOKENS
        assert token_files(tmp_path) == []


def test_changed_password_does_not_reuse_the_token(simulator, source, tmp_path):
    assert cached(simulator, tmp_path, "show", source["id"]).code == 0
    mark = simulator.mark()
    result = cached(simulator, tmp_path, "show", source["id"], env={"OS_PASSWORD": "wrong"})
    assert result.code != 0
    entries = simulator.journal_since(mark)
    assert paths(entries) == [("POST", TOKENS)]
    assert entries[0]["status"] == 401
    assert len(token_files(tmp_path)) == 1  # the good identity's file is untouched


def test_unknown_cached_token_is_dropped_reauthenticated_and_replaced(simulator_factory, tmp_path):
    first = simulator_factory()
    server = first.boot("before-restart")
    assert cached(first, tmp_path, "show", server["id"]).code == 0
    [path] = token_files(tmp_path)
    with open(path) as handle:
        before = handle.read()
    port = first.env["OS_AUTH_URL"].rsplit(":", 1)[1].split("/")[0]
    first.stop()

    # A new simulator on the same port (same auth URL, same cache file) that has
    # never issued the cached token: one 401, one re-authentication, success.
    second = simulator_factory(extra_args=["--port", port])
    server = second.boot("after-restart")
    mark = second.mark()
    result = cached(second, tmp_path, "show", server["id"])
    assert result.code == 0, result.err
    entries = second.journal_since(mark)
    assert [(e["method"], is_identity_path(e["path"]), e["status"]) for e in entries] == [
        ("GET", False, 401),
        ("POST", True, 201),
        ("GET", False, 200),
    ]
    with open(path) as handle:
        assert handle.read() != before
    mark = second.mark()
    assert cached(second, tmp_path, "show", server["id"]).code == 0
    assert len(second.journal_since(mark)) == 1


def test_expired_token_is_not_used(simulator_factory, tmp_path):
    sim = simulator_factory(extra_args=["--token-ttl", "1"])
    server = sim.boot("short-lived")
    assert cached(sim, tmp_path, "show", server["id"]).code == 0
    time.sleep(1.5)
    mark = sim.mark()
    result = cached(sim, tmp_path, "show", server["id"])
    assert result.code == 0, result.err
    entries = sim.journal_since(mark)
    # keystoneauth sees the expiry in the cached state and authenticates first.
    assert [e["path"] for e in entries][0] == TOKENS
    assert all(e["status"] < 400 for e in entries), paths(entries)


# -- faults in the cache (issue 21) ----------------------------------------------------


def _one_cache_file(simulator, source, tmp_path) -> str:
    result = cached(simulator, tmp_path, "show", source["id"])
    assert result.code == 0, result.err
    (path,) = token_files(tmp_path)
    return path


@pytest.mark.parametrize("kind", ["directory", "fifo"])
def test_a_directory_or_fifo_in_place_of_the_cache_file_is_skipped(
    simulator, source, tmp_path, kind
):
    """A directory there gave "ERROR: [Errno 21] Is a directory: 3"; a FIFO hung gc."""
    path = _one_cache_file(simulator, source, tmp_path)
    os.unlink(path)
    os.mkdir(path) if kind == "directory" else os.mkfifo(path)
    result = cached(simulator, tmp_path, "show", source["id"], "-f", "value", "-c", "id")
    assert (result.code, result.out) == (0, f"{source['id']}\n"), result.err
    assert result.err == (
        f"WARNING: Not using the token cache {path}: it is not a regular file "
        "(remove it, or use --no-cache to skip the cache)\n"
    )


def test_an_unreachable_endpoint_from_the_cached_catalog_hints_no_cache(
    simulator_factory, tmp_path
):
    """The cached catalog names an endpoint that is gone: every run failed with no
    hint that the cache is why."""
    sim = simulator_factory()
    server = sim.boot("cache-gone")
    assert cached(sim, tmp_path, "show", server["id"]).code == 0
    env = dict(sim.env)
    sim.stop()
    result = gc(
        sim,
        "show",
        server["id"],
        env={**env, "XDG_CACHE_HOME": str(tmp_path), "GC_NO_TOKEN_CACHE": ""},
    )
    assert (result.code, result.out) == (1, "")
    (line,) = result.err.splitlines()
    assert line.startswith("ERROR: Cannot reach ")
    assert line.endswith(
        " (the endpoint is from the cached service catalog: --no-cache fetches a fresh one)"
    )
    # Without the cache the auth URL is what cannot be reached: no such hint.
    result = gc(sim, "show", server["id"], env=env)
    assert result.code == 1 and "cached service catalog" not in result.err
