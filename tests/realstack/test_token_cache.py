"""gc's token cache against a real Keystone: reuse, and a cached token revoked."""

from __future__ import annotations

import json
import time

import pytest

from .rest import gc
from .stack import TOKEN_CACHE_SECONDS

pytestmark = pytest.mark.usefixtures("rest")


def _auth_requests(result) -> int:
    return (result.out + result.err).count("POST http://")


def _cached_tokens(home) -> list[str]:
    found = []
    for path in (home / ".cache" / "gcclient" / "tokens").glob("*"):
        found.append(json.loads(path.read_text())["auth_token"])
    return found


def test_token_is_reused(stack, home):
    first = gc(stack, "--timing", "list", "--all", home=home, cache=True)
    assert first.code == 0, first.err
    assert _auth_requests(first) == 1
    assert len(_cached_tokens(home)) == 1
    second = gc(stack, "--timing", "list", "--all", home=home, cache=True)
    assert second.code == 0, second.err
    assert _auth_requests(second) == 0


def test_revoked_cached_token_is_replaced(stack, rest, home):
    """Once keystonemiddleware's cache of the validation has expired, Nova answers 401
    to the revoked token; gc logs in again with the password, once, and caches the new
    token."""
    assert gc(stack, "list", "--all", home=home, cache=True).code == 0
    (old,) = _cached_tokens(home)
    rest.revoke(old)
    time.sleep(TOKEN_CACHE_SECONDS + 1)
    result = gc(stack, "--timing", "list", "--all", home=home, cache=True)
    assert result.code == 0, result.err
    assert result.err.count("ERROR") == 0
    assert _auth_requests(result) == 1
    (new,) = _cached_tokens(home)
    assert new != old
