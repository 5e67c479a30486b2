"""Run the real ``gc`` executable against a simulator."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass

# The executables under test: this environment's, or those in GC_UNDER_TEST_BIN (the bin/
# of another venv with another gcclient installed, not editable), so that the process-level
# tests can be run against an earlier commit to show that they fail there
# (docs/reliability.rst, "Against ab4f943"). The simulator stays this tree's unless a test
# asks for the one under test (simulator_under_test).
UNDER_TEST = os.environ.get("GC_UNDER_TEST_BIN", "")
BIN = UNDER_TEST or os.path.dirname(sys.executable)
GC = os.path.join(BIN, "gc")
NOVA = os.path.join(BIN, "nova")
PYTHON = os.path.join(BIN, "python")
OPENSTACK = os.path.join(BIN, "openstack")
if not os.path.exists(OPENSTACK):
    OPENSTACK = shutil.which("openstack") or ""


def default_signals() -> None:
    """``preexec_fn`` for every process a test starts: SIGINT and SIGQUIT back to SIG_DFL.

    A shell's ``&`` starts a non-interactive job with SIGINT and SIGQUIT ignored, and an
    ignored signal stays ignored across fork and exec; a ``gc`` started from such a run would
    never see the Ctrl-C a test sends. ``restore_signals`` (on by default) only resets
    SIGPIPE, SIGXFSZ and SIGXFZ, so these two are reset here.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def gc(sim, *args: str, env: dict | None = None, user: str = "demo", timeout: float = 60) -> Result:
    full_env = dict(os.environ)
    for key in list(full_env):
        if key.startswith("OS_"):
            del full_env[key]
    full_env.update(sim.env_for(user) if user != "demo" else sim.env)
    full_env["GC_NO_TOKEN_CACHE"] = "1"
    full_env.update(env or {})
    proc = subprocess.run(
        [GC, *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        preexec_fn=default_signals,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def python_client(sim):
    """The Python API (``gcclient.Client``) as the demo user of ``sim``."""
    from gcclient import Client

    env = sim.env
    return Client(
        auth_url=env["OS_AUTH_URL"],
        username=env["OS_USERNAME"],
        password=env["OS_PASSWORD"],
        project_name=env["OS_PROJECT_NAME"],
        user_domain_name=env["OS_USER_DOMAIN_NAME"],
        project_domain_name=env["OS_PROJECT_DOMAIN_NAME"],
    )


API_PRELUDE = """
import os
from gcclient import Client

client = Client(
    auth_url=os.environ["OS_AUTH_URL"],
    username=os.environ["OS_USERNAME"],
    password=os.environ["OS_PASSWORD"],
    project_name=os.environ["OS_PROJECT_NAME"],
    user_domain_name=os.environ["OS_USER_DOMAIN_NAME"],
    project_domain_name=os.environ["OS_PROJECT_DOMAIN_NAME"],
)
"""


def python_api(sim, code: str, cwd: str, timeout: float = 60) -> Result:
    """Run ``code`` in a new interpreter of the environment under test (BIN's python)
    after API_PRELUDE (``client``: the Python API as the demo user of ``sim``); ``cwd``
    (not this checkout) keeps this tree's gcclient off its path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.pop("PYTHONPATH", None)
    env.update(sim.env, GC_NO_TOKEN_CACHE="1")
    proc = subprocess.run(
        [PYTHON, "-c", API_PRELUDE + code],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        preexec_fn=default_signals,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def simulator_under_test(**kwargs):
    """A gc-simulator harness (not started) whose process is the environment under test's
    ``gc-simulator`` (this tree's without GC_UNDER_TEST_BIN): for what is asserted of the
    simulator itself, such as the modes of its files."""
    from gcclient.simulator.testing import Simulator

    class UnderTest(Simulator):
        def command(self) -> list[str]:
            if not UNDER_TEST:
                return super().command()
            return [os.path.join(BIN, "gc-simulator"), *super().command()[3:]]

    env = dict(kwargs.pop("env", None) or {})
    if UNDER_TEST:
        env["PYTHONPATH"] = ""  # the harness puts this tree first; the one under test runs
    return UnderTest(env=env, **kwargs)


def openstack(sim, *args: str, env: dict[str, str] | None = None) -> Result:
    """The real ``openstack`` executable (python-openstackclient, the ``test`` extra)
    as the demo user of ``sim``."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    full.update(sim.env)
    full.update(env or {})
    proc = subprocess.run(
        [OPENSTACK, *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=120,
        stdin=subprocess.DEVNULL,
        preexec_fn=default_signals,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def nova_api(sim):
    """novaclient's Python API with the gridcentric extension, as the demo user."""
    from keystoneauth1 import loading, session
    from novaclient import client

    env = sim.env
    auth = loading.get_plugin_loader("password").load_from_options(
        auth_url=env["OS_AUTH_URL"],
        username=env["OS_USERNAME"],
        password=env["OS_PASSWORD"],
        project_name=env["OS_PROJECT_NAME"],
        user_domain_name=env["OS_USER_DOMAIN_NAME"],
        project_domain_name=env["OS_PROJECT_DOMAIN_NAME"],
    )
    return client.Client(
        "2", session=session.Session(auth=auth), extensions=client.discover_extensions("2")
    )


def actions(entries: list[dict]) -> list[tuple[str, str, object]]:
    """(method, path relative to the compute endpoint, body) of compute requests."""
    found = []
    for entry in entries:
        path = entry["path"]
        parts = path.split("/")
        if len(parts) > 3 and parts[1] in ("v2", "v1.1"):
            path = "/" + "/".join(parts[3:])
        else:
            continue
        found.append((entry["method"], path, entry.get("body")))
    return found


def requests_since(sim, mark: int) -> list[tuple[str, str, object]]:
    """The compute requests the simulator received since ``mark``."""
    return actions(sim.journal_since(mark))


def bless_and_wait(
    sim,
    source_id: str,
    body: object = None,
    *,
    action: str = "gc_bless",
    user: str = "demo",
    timeout: float = 10,
) -> dict:
    """Bless ``source_id`` (``{action: body}``, ``co_bless`` too) and wait until the
    blessed server is BLESSED; its view."""
    code, answer = sim.action(source_id, {action: body if body is not None else {}}, user)
    assert code == 200, answer
    return sim.wait_status(answer[0]["id"], "BLESSED", timeout=timeout, user=user)


def blessed_image(sim, name: str, body: object = None, **how) -> tuple[dict, dict]:
    """Boot a server named ``name`` and bless it (see bless_and_wait): (source, blessed)."""
    source = sim.boot(name, user=how.get("user", "demo"))
    return source, bless_and_wait(sim, source["id"], body, **how)


def make_blessed(sim, name: str, timeout: float = 10) -> dict:
    """Boot a server named ``name``, bless it and wait until the blessed one is BLESSED."""
    return blessed_image(sim, name, timeout=timeout)[1]


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def shell(command: str, sim, cwd: str, user: str = "demo", timeout: float = 120) -> Result:
    """Run one shell line (``bash -o pipefail``) as a reader types it, with ``gc`` on PATH
    and ``sim``'s credentials for ``user``: how the README's console examples are run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(sim.env if user == "demo" else sim.env_for(user))
    env.update(GC_NO_TOKEN_CACHE="1", PATH=f"{os.path.dirname(GC)}:{os.environ['PATH']}")
    proc = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        preexec_fn=default_signals,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def tool(sim, name: str, *args: str, timeout: float = 120) -> Result:
    """Run another console script of this environment (``nova``, ``openstack``) as the
    demo user of ``sim``, with no ``OS_*`` variable of the caller's shell."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    full.update(sim.env)
    full["GC_NO_TOKEN_CACHE"] = "1"
    proc = subprocess.run(
        [os.path.join(BIN, name), *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        preexec_fn=default_signals,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def readme_console(section: str) -> list[str]:
    """The ``$ ...`` lines of a README section's first console block, in order, with
    backslash continuations joined and trailing ``# comments`` dropped."""
    with open(os.path.join(ROOT, "README.rst"), encoding="utf-8") as handle:
        text = handle.read()
    start = text.index(f"\n{section}\n")
    block = re.search(r"\.\. code-block:: console\n\n((?:   .*\n|\n)+)", text[start:])
    assert block is not None, section
    joined = re.sub(r"\\\n\s+", "", block.group(1))
    lines = (line.strip() for line in joined.splitlines())
    return [re.sub(r"\s+#.*$", "", line[2:]) for line in lines if line.startswith("$ ")]


LIST_LAUNCHED = {"gc_list_launched": {}}


def launched_from(sim, image_id: str) -> list[dict]:
    """The servers launched from ``image_id``, as gc_list_launched answers them."""
    status, body = sim.action(image_id, LIST_LAUNCHED)
    assert status == 200, body
    return body  # type: ignore[return-value]


def writes(requests) -> list:
    """(method, body) of the requests that are not reads (GETs and gc_list_launched)."""
    return [
        (method, body)
        for method, path, body in requests
        if method != "GET" and not (isinstance(body, dict) and "gc_list_launched" in body)
    ]


def literal_block_after(heading: str) -> list[str]:
    """The ``$ `` lines of the first ``::`` literal block under a README heading."""
    with open(os.path.join(ROOT, "README.rst"), encoding="utf-8") as handle:
        text = handle.read()
    start = text.index(f"\n{heading}\n")
    block = re.search(r"::\n\n((?:    .*\n|\n)+)", text[start:])
    assert block is not None
    return [line[6:] for line in block.group(1).splitlines() if line.startswith("    $ ")]


_REQUEST_ID = re.compile(r"\(Request-ID: req-[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\)")


def same_request_ids(text: str) -> str:
    """A text with each ``(Request-ID: req-<uuid>)`` (random per answer) written
    ``(Request-ID: req-...)``, for exact comparisons."""
    return _REQUEST_ID.sub("(Request-ID: req-...)", text)


def gc_on_terminal(
    sim, *args: str, columns: int = 120, stdout: bool = False, timeout: float = 60
) -> tuple[int, str, bytes]:
    """Run gc with stderr (and stdout too with ``stdout=True``) on a pseudo-terminal
    ``columns`` wide: (exit code, what went to stdout if not the terminal, what the
    terminal received)."""
    import fcntl
    import pty
    import struct
    import termios

    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(sim.env)
    env["GC_NO_TOKEN_CACHE"] = "1"
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    try:
        proc = subprocess.run(
            [GC, *args],
            stdout=slave if stdout else subprocess.PIPE,
            stderr=slave,
            stdin=subprocess.DEVNULL,
            env=env,
            timeout=timeout,
            text=True,
            preexec_fn=default_signals,
        )
        os.close(slave)
        slave = -1
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)
    return proc.returncode, proc.stdout or "", seen


# Each signal a test sends, its exit code and the first word of its line.
SIGNAL_ENDINGS = [
    (signal.SIGHUP, 129, "Hangup"),
    (signal.SIGTERM, 143, "Terminated"),
    (signal.SIGINT, 130, "Interrupted"),
]


# nova or openstack with a signal sent to itself after the gcclient command ran:
# where novaclient prints --timings, in cliff's clean-up (openstack), or in an exit
# handler (registered first, so it runs after gcclient's own).
LATE_SIGNAL = """
import atexit, os, signal, sys, time
host, signum, moment, argv = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
def late(*_args):
    os.kill(os.getpid(), signum)
    time.sleep(5)
if moment == "exit":
    atexit.register(late)
if host == "nova":
    from novaclient import shell
    if moment != "exit":
        shell.OpenStackComputeShell._dump_timings = late
    sys.exit(shell.main(["--timings", *argv]))
from openstackclient import shell
original = shell.OpenStackShell.clean_up
def clean_up(self, cmd, result, err):
    if moment != "exit":
        late()
    return original(self, cmd, result, err)
shell.OpenStackShell.clean_up = clean_up
sys.exit(shell.main(argv))
"""


def with_a_late_signal(sim, cwd, host: str, signum: int, moment: str, *args: str) -> Result:
    """``host`` ("nova" or "openstack") as the simulator's demo user, sent ``signum`` by
    itself after the command, at ``moment`` ("exit", or anything else for the
    host's code after the command). Run from ``cwd``: ``python -c`` puts its working
    directory first on the path, and the gcclient beside PYTHON is the one under test."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(sim.env)
    proc = subprocess.run(
        [PYTHON, "-c", LATE_SIGNAL, host, str(int(signum)), moment, *args],
        capture_output=True, text=True, env=env, timeout=60, stdin=subprocess.DEVNULL,
        cwd=cwd, preexec_fn=default_signals,
    )  # fmt: skip
    return Result(proc.returncode, proc.stdout, proc.stderr)
