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


class TokenCache:
    """One cache file for one identity."""

    def __init__(self, key: str, directory: Path | None = None) -> None:
        self.path = (directory or cache_dir()) / f"{key}.json"
        self.loaded_state: str | None = None
        self.problem: str | None = None

    def load(self) -> str | None:
        """The cached auth state, or None (missing, unsafe or unreadable file)."""
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        with os.fdopen(fd, "r", encoding="utf-8") as handle:
            info = os.fstat(handle.fileno())
            if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) or (
                hasattr(os, "getuid") and info.st_uid != os.getuid()
            ):
                self.problem = (
                    f"Ignoring the token cache {self.path}: other users can write it "
                    "or do not own it"
                )
                return None
            try:
                state = handle.read()
                json.loads(state)
            except (OSError, ValueError):
                return None
        self.loaded_state = state
        return state

    def save(self, state: str | None) -> None:
        """Write the state with mode 0600, atomically; nothing when it did not change."""
        if not state or state == self.loaded_state:
            return
        directory = self.path.parent
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".token-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                os.fchmod(handle.fileno(), 0o600)
                handle.write(state)
            os.replace(tmp, self.path)
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            return
        self.loaded_state = state

    def drop(self) -> None:
        try:
            self.path.unlink()
        except OSError:
            pass
        self.loaded_state = None
