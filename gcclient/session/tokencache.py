"""A per-user cache of keystone tokens, so that one command costs one request.

The file holds keystoneauth's auth state (token and catalog); its name is a
digest of the auth URL, the user, the project, the domains and a digest of the
secret, so that a changed password never reuses a token.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DISABLE_ENV = "GC_NO_TOKEN_CACHE"
SECRET_KEYS = ("password", "token", "application_credential_secret")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gcclient" / "tokens"


def disabled_by_env() -> bool:
    return os.environ.get(DISABLE_ENV, "").lower() not in ("", "0", "false", "no")


def cache_key(auth_type: str, options: Mapping[str, Any]) -> str:
    """A digest of everything that identifies a token, secrets only as digests."""
    material: dict[str, Any] = {"auth_type": auth_type}
    for key, value in sorted(options.items()):
        if value in (None, ""):
            continue
        if key in SECRET_KEYS:
            value = hashlib.sha256(str(value).encode()).hexdigest()
        material[key] = value
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


MAX_STATE = 4 * 1024 * 1024  # a token with a large catalog is well under this


def _unsafe(info: os.stat_result) -> bool:
    return bool(info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)) or (
        hasattr(os, "getuid") and info.st_uid != os.getuid()
    )


def unusable(state: str) -> str | None:
    """Why a cached auth state cannot be used (None when it can): keystoneauth accepts
    any JSON, and a bad entry would then fail every later command."""
    import datetime

    if len(state) > MAX_STATE:
        return "too large"
    try:
        data = json.loads(state)
    except ValueError:
        return "not JSON"
    try:
        body = data["body"]
        v3 = "token" in body
        token = body["token"] if v3 else body["access"]["token"]
        catalog = token.get("catalog") if v3 else body["access"].get("serviceCatalog")
        expires = token.get("expires_at") or token.get("expires")
        if not data["auth_token"]:
            raise KeyError("auth_token")
    except (AttributeError, KeyError, TypeError):
        return "no token"
    try:
        when = datetime.datetime.fromisoformat(str(expires).replace("Z", "+00:00"))
    except ValueError:
        return "bad expiry time"
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    if when <= datetime.datetime.now(datetime.UTC):
        return "expired"
    if not catalog or not isinstance(catalog, list):
        return "empty service catalog"
    return None


class TokenCache:
    """One cache file for one identity."""

    def __init__(self, key: str, directory: Path | None = None) -> None:
        self.path = (directory or cache_dir()) / f"{key}.json"
        self.loaded_state: str | None = None
        self.problem: str | None = None
        self.disabled = False

    def _unsafe_directory(self) -> bool:
        """A cache directory others can write is not used (they could plant a token)."""
        try:
            info = os.stat(self.path.parent)
        except OSError:
            return False
        if _unsafe(info):
            self.problem = (
                f"Not using the token cache directory {self.path.parent}: other users can "
                "write it or do not own it"
            )
            self.disabled = True
        return self.disabled

    def load(self) -> str | None:
        """The cached auth state, or None (missing, unsafe or unusable file)."""
        if self._unsafe_directory():
            return None
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:  # O_NONBLOCK: opening a FIFO left in its place must not hang gc
            fd = os.open(self.path, flags)
        except OSError:
            return None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            self.problem = (
                f"Not using the token cache {self.path}: it is not a regular file "
                "(remove it, or use --no-cache to skip the cache)"
            )
            self.disabled = True
            return None
        with os.fdopen(fd, "r", encoding="utf-8", errors="replace") as handle:
            info = os.fstat(handle.fileno())
            if _unsafe(info):
                self.problem = (
                    f"Ignoring the token cache {self.path}: other users can write it "
                    "or do not own it"
                )
                return None
            try:
                state = handle.read(MAX_STATE + 1)
            except OSError:
                return None
        why = unusable(state)
        if why == "expired":
            self.drop()  # the normal end of a token: nothing to say
            return None
        if why:
            self.problem = (
                f"Dropped the token cache entry {self.path} ({why}); authenticating afresh"
            )
            self.drop()
            return None
        self.loaded_state = state
        return state

    def save(self, state: str | None) -> None:
        """Write the state with mode 0600, atomically; nothing when it did not change."""
        if not state or state == self.loaded_state or self.disabled:
            return
        directory = self.path.parent
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=".token-", suffix=".tmp")
        except OSError as exc:
            self.problem = (
                f"Cannot write the token cache {self.path}: {exc.strerror or exc} "
                "(use --no-cache to skip the cache)"
            )
            return
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                os.fchmod(handle.fileno(), 0o600)
                handle.write(state)
            os.replace(tmp, self.path)
        except OSError as exc:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            self.problem = (
                f"Cannot write the token cache {self.path}: {exc.strerror or exc} "
                "(use --no-cache to skip the cache)"
            )
            return
        self.loaded_state = state

    def drop(self) -> None:
        try:
            self.path.unlink()
        except OSError:
            pass
        self.loaded_state = None
