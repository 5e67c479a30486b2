"""Install each service in its own virtualenv, pinned, once.

A venv is reused while its marker file names the same packages and constraints; pip
runs only for a missing or changed one. The four installs run at once (pip mostly
waits on downloads); pip's own cache makes a reinstall fast.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .stack import COMMON, HERE, PACKAGES, PYTHON_ENV, Layout, StackError

MARKER = ".gcclient-realstack-installed"


def python() -> str:
    """The interpreter of the service venvs: ``GC_REALSTACK_PYTHON``, else python3.11."""
    chosen = os.environ.get(PYTHON_ENV) or shutil.which("python3.11") or sys.executable
    return chosen


def constraints(service: str) -> Path:
    return HERE / "constraints" / f"{service}.txt"


def fingerprint(service: str) -> str:
    text = " ".join((PACKAGES[service], *COMMON)) + "\n" + constraints(service).read_text()
    return hashlib.sha256(text.encode()).hexdigest()


def installed(lay: Layout, service: str) -> bool:
    marker = lay.venv(service) / MARKER
    try:
        return marker.read_text().strip() == fingerprint(service)
    except OSError:
        return False


def install(lay: Layout, quiet: bool = False) -> float | None:
    """Install what is missing; the seconds it took, or None when all was there."""
    missing = [s for s in PACKAGES if not installed(lay, s)]
    if not missing:
        return None
    started = time.monotonic()
    logs = lay.root / "install-logs"
    logs.mkdir(parents=True, exist_ok=True)
    procs: dict[str, tuple[subprocess.Popen[bytes], Path]] = {}
    for service in missing:
        venv = lay.venv(service)
        log = logs / f"{service}.log"
        if not quiet:
            print(f"realstack: installing {PACKAGES[service]} into {venv}", flush=True)
        script = (
            f'"{python()}" -m venv "{venv}" && '
            f'"{venv}/bin/pip" install -q --disable-pip-version-check '
            f'-c "{constraints(service)}" {PACKAGES[service]} {" ".join(COMMON)}'
        )
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                ["sh", "-c", script], stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        procs[service] = (proc, log)
    failed = []
    for service, (proc, log) in procs.items():
        if proc.wait() != 0:
            failed.append(f"{service} (exit {proc.returncode}, see {log})")
        else:
            (lay.venv(service) / MARKER).write_text(fingerprint(service) + "\n")
    if failed:
        raise StackError("install failed: " + "; ".join(failed))
    return time.monotonic() - started
