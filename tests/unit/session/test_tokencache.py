import json
import os
import stat

import pytest

from gcclient.session import tokencache

VALID_BODY = {
    "token": {
        "expires_at": "2999-01-01T00:00:00.000000Z",
        "catalog": [{"type": "compute", "endpoints": []}],
    }
}


def test_key_changes_with_the_password_and_never_contains_it():
    base = {"auth_url": "http://k/v3", "username": "demo", "project_name": "demo"}
    one = tokencache.cache_key("v3password", {**base, "password": "secret-1"})
    two = tokencache.cache_key("v3password", {**base, "password": "secret-2"})
    assert one != two
    assert "secret" not in one


def test_key_changes_with_project_user_and_domain():
    base = {"auth_url": "http://k/v3", "username": "demo", "password": "p", "project_name": "a"}
    keys = {
        tokencache.cache_key("v3password", base),
        tokencache.cache_key("v3password", {**base, "project_name": "b"}),
        tokencache.cache_key("v3password", {**base, "username": "alt"}),
        tokencache.cache_key("v3password", {**base, "user_domain_name": "Other"}),
        tokencache.cache_key("v3password", {**base, "auth_url": "http://other/v3"}),
    }
    assert len(keys) == 5


def test_save_writes_mode_0600_and_load_reads_it_back(tmp_path):
    cache = tokencache.TokenCache("k", tmp_path / "tokens")
    state = json.dumps({"auth_token": "t", "body": VALID_BODY})
    cache.save(state)
    mode = stat.S_IMODE(os.stat(cache.path).st_mode)
    assert mode == 0o600
    assert stat.S_IMODE(os.stat(cache.path.parent).st_mode) == 0o700
    assert tokencache.TokenCache("k", tmp_path / "tokens").load() == state


def test_a_file_others_can_write_is_refused(tmp_path):
    cache = tokencache.TokenCache("k", tmp_path)
    cache.save(json.dumps({"auth_token": "t"}))
    os.chmod(cache.path, 0o666)
    fresh = tokencache.TokenCache("k", tmp_path)
    assert fresh.load() is None
    assert "other users can write it" in fresh.problem


def test_garbage_is_ignored_and_drop_removes_the_file(tmp_path):
    cache = tokencache.TokenCache("k", tmp_path)
    tmp_path.mkdir(exist_ok=True)
    cache.path.write_text("not json")
    os.chmod(cache.path, 0o600)
    assert cache.load() is None
    cache.drop()
    assert not cache.path.exists()


def test_environment_variable_disables_the_cache(monkeypatch):
    monkeypatch.setenv("GC_NO_TOKEN_CACHE", "1")
    assert tokencache.disabled_by_env()
    monkeypatch.setenv("GC_NO_TOKEN_CACHE", "0")
    assert not tokencache.disabled_by_env()


@pytest.mark.parametrize(
    ("state", "why"),
    [
        ("{", "not JSON"),
        (json.dumps({"auth_token": "t", "body": {}}), "no token"),
        (json.dumps({"auth_token": "t", "body": {"token": []}}), "no token"),
        (
            json.dumps(
                {
                    "auth_token": "t",
                    "body": {"token": {**VALID_BODY["token"], "expires_at": "soon"}},
                }
            ),
            "bad expiry time",
        ),
        (
            json.dumps(
                {"auth_token": "t", "body": {"token": {**VALID_BODY["token"], "catalog": []}}}
            ),
            "empty service catalog",
        ),
        (
            json.dumps(
                {
                    "auth_token": "t",
                    "body": {
                        "token": {**VALID_BODY["token"], "expires_at": "2001-01-01T00:00:00Z"}
                    },
                }
            ),
            "expired",
        ),
        (json.dumps({"auth_token": "t", "body": VALID_BODY}), None),
    ],
)
def test_unusable_entries_are_recognised(state, why):
    assert tokencache.unusable(state) == why


def test_an_unusable_entry_is_dropped_with_a_warning(tmp_path):
    cache = tokencache.TokenCache("k", tmp_path / "tokens")
    cache.save(
        json.dumps({"auth_token": "t", "body": {"token": {**VALID_BODY["token"], "catalog": []}}})
    )
    again = tokencache.TokenCache("k", tmp_path / "tokens")
    assert again.load() is None
    assert again.problem == (
        f"Dropped the token cache entry {again.path} (empty service catalog); authenticating afresh"
    )
    assert not again.path.exists()


def test_an_unwritable_cache_is_a_problem_not_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    cache = tokencache.TokenCache("k", blocker / "tokens")
    cache.save(json.dumps({"auth_token": "t", "body": VALID_BODY}))
    assert cache.problem == (
        f"Cannot write the token cache {cache.path}: Not a directory "
        "(use --no-cache to skip the cache)"
    )


def test_a_directory_others_can_write_is_not_used(tmp_path):
    directory = tmp_path / "tokens"
    cache = tokencache.TokenCache("k", directory)
    state = json.dumps({"auth_token": "t", "body": VALID_BODY})
    cache.save(state)
    os.chmod(directory, 0o777)
    again = tokencache.TokenCache("k", directory)
    assert again.load() is None
    assert again.problem == (
        f"Not using the token cache directory {directory}: other users can write it "
        "or do not own it"
    )
    again.save(state + " ")
    assert cache.path.read_text() == state
