"""Start, watch and stop the stack's processes, each by the PID it was given.

Every service runs under gunicorn (gthread workers: keep-alive, which keystoneauth's
session relies on) through ``wsgi_wrapper.py``; the Neutron stub is a plain Python
process. A PID file is trusted only while ``/proc/<pid>/cwd`` is still in the stack's
directory, so a recycled PID is never signalled.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

from .stack import SERVICES, WSGI, Layout, StackError

CONFIG_DIR_ENV = {
    "keystone": "OS_KEYSTONE_CONFIG_DIR",
    "nova": "OS_NOVA_CONFIG_DIR",
    "placement": "OS_PLACEMENT_CONFIG_DIR",
    "glance": "OS_GLANCE_CONFIG_DIR",
}
# Nova also answers on these loopback addresses: the internal interface and RegionTwo.
NOVA_EXTRA_HOSTS = ("127.0.0.2", "127.0.0.3")
# Nova's API serves one request at a time: two writes at once on its sqlite database
# (gc delete of several sends its DELETEs in parallel) fail one of them with "database
# is locked" (HTTP 500), a trait of this one-machine stack, not of Nova on MySQL.
THREADS = {"nova": 1}
READY_TIMEOUT = 180.0
STOP_TIMEOUT = 15.0


def health_url(record: dict[str, Any], service: str) -> str:
    port = record["ports"][service]
    return f"http://127.0.0.1:{port}" + ("/v3" if service == "keystone" else "/")


def command(lay: Layout, record: dict[str, Any], service: str) -> tuple[list[str], dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    port = record["ports"][service]
    if service == "neutron":
        stub = lay.run / "wsgi" / "neutron_stub.py"
        shutil.copy(Path(__file__).with_name("neutron_stub.py"), stub)
        python = str(lay.bin("keystone", "python"))
        return [python, "-u", str(stub), "--port", str(port)], env
    binds = ["--bind", f"127.0.0.1:{port}"]
    if service == "nova":
        for host in NOVA_EXTRA_HOSTS:
            binds += ["--bind", f"{host}:{port}"]
    env["GCRS_WSGI_MODULE"] = WSGI[service]
    env[CONFIG_DIR_ENV[service]] = str(lay.etc(service))
    wsgi_dir = str(lay.run / "wsgi")
    argv = [
        str(lay.bin(service, "gunicorn")),
        *binds,
        "--workers",
        "1",
        "--worker-class",
        "gthread",
        "--threads",
        str(THREADS.get(service, 8)),
        "--timeout",
        "300",
        "--graceful-timeout",
        "5",
        "--keep-alive",
        "30",
        "--chdir",
        wsgi_dir,
        "--pythonpath",
        wsgi_dir,
        "--name",
        f"gcrs-{service}",
        "--no-control-socket",
        "--access-logfile",
        "-",
        "gcrs_wsgi:application",
    ]
    return argv, env


def _ours(lay: Layout, pid: int) -> bool:
    """Started by the stack: its working directory is under the stack's (gunicorn
    rewrites its command line to "gunicorn: master [...]", so that cannot tell)."""
    try:
        cwd = os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        return False
    return cwd == str(lay.run) or cwd.startswith(str(lay.run) + os.sep)


def pid_of(lay: Layout, service: str) -> int | None:
    """The service's PID while that process is alive and still ours."""
    try:
        pid = int(lay.pidfile(service).read_text().strip())
    except (OSError, ValueError):
        return None
    if not _ours(lay, pid):
        return None
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None
    return None if state == "Z" else pid


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def start(lay: Layout, record: dict[str, Any], service: str) -> subprocess.Popen[bytes]:
    argv, env = command(lay, record, service)
    log = lay.log(service)
    log.parent.mkdir(parents=True, exist_ok=True)
    lay.pidfile(service).parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        out.write(f"\n==== realstack: starting {service} at {time.ctime()}\n".encode())
        out.flush()
        proc = subprocess.Popen(
            argv,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=str(lay.run),
            start_new_session=True,
        )
    lay.pidfile(service).write_text(f"{proc.pid}\n")
    return proc


def answers(record: dict[str, Any], service: str, timeout: float = 2.0) -> bool:
    try:
        status = requests.get(health_url(record, service), timeout=timeout).status_code
    except requests.RequestException:
        return False
    return status < 500


def wait_ready(
    lay: Layout, record: dict[str, Any], procs: dict[str, subprocess.Popen[bytes]]
) -> dict[str, float]:
    """Wait until each started service answers; one line naming the first that does not."""
    started = time.monotonic()
    pending = dict(procs)
    ready: dict[str, float] = {}
    while pending:
        for service, proc in list(pending.items()):
            if proc.poll() is not None:
                raise StackError(
                    f"{service} did not come up: it exited with status {proc.returncode} "
                    f"(see {lay.log(service)})"
                )
            if answers(record, service):
                ready[service] = round(time.monotonic() - started, 1)
                del pending[service]
        if pending and time.monotonic() - started > READY_TIMEOUT:
            service = next(iter(pending))
            raise StackError(
                f"{service} did not come up: no answer at {health_url(record, service)} "
                f"within {READY_TIMEOUT:.0f} s (see {lay.log(service)})"
            )
        time.sleep(0.2)
    return ready


def start_all(lay: Layout, record: dict[str, Any], services: tuple[str, ...]) -> dict[str, float]:
    """Start those of ``services`` not running; on any failure stop them all again."""
    procs = {s: start(lay, record, s) for s in services if pid_of(lay, s) is None}
    try:
        return wait_ready(lay, record, procs)
    except BaseException:
        stop_all(lay, quiet=True)
        raise


def stop(lay: Layout, service: str) -> bool:
    """SIGTERM to the PID, SIGKILL after ``STOP_TIMEOUT``, then any worker left, by PID."""
    pid = pid_of(lay, service)
    if pid is None:
        lay.pidfile(service).unlink(missing_ok=True)
        return False
    workers = [w for w in _children(pid) if _ours(lay, w)]
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while pid_of(lay, service) is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    if pid_of(lay, service) is not None:
        os.kill(pid, signal.SIGKILL)
    for worker in workers:
        if _ours(lay, worker):
            try:
                os.kill(worker, signal.SIGKILL)
            except ProcessLookupError:
                pass
    lay.pidfile(service).unlink(missing_ok=True)
    return True


def stop_all(lay: Layout, quiet: bool = False) -> list[str]:
    stopped = [s for s in reversed(SERVICES) if stop(lay, s)]
    if stopped and not quiet:
        print(f"realstack: stopped {', '.join(stopped)}", file=sys.stderr)
    return stopped


def running(lay: Layout) -> dict[str, int | None]:
    return {s: pid_of(lay, s) for s in SERVICES}
