"""The adversarial bad-input catalogue (issue 16): each case with its exit code, the
exact first (or last) line of stderr, an empty stdout on failure, no traceback, and for
input refused locally no request at all (check_case).

The worlds (tests/functional/worlds.py) are the first catalogue's, plus a plain web
server (not Keystone) and servers named like a UUID or sharing a name twelve times.
The cases that can (in_process) run gc in-process:
tests/inprocess/test_bad_input_adversarial.py; the others (stdin, closed streams, URLs
to the simulator's port, a web server, ports that never answer) the real gc:
tests/functional/cli/test_bad_input_adversarial.py, which also checks that
docs/reliability.rst's tables are the case tables (tests/functional/catalogue.py).
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gcclient.api import bodies
from tests.functional.gcrun import GC, actions
from tests.functional.worlds import (
    NAMED,
    UNKNOWN,
    World,
)

FILES = tempfile.mkdtemp(prefix="gc-bad-input-adversarial-")
UD_MAX = bodies.USER_DATA_RAW_MAX


def write(name: str, data: bytes) -> str:
    """A file in FILES, named in the cases as {files}/<name>."""
    with open(os.path.join(FILES, name), "wb") as handle:
        handle.write(data)
    return "{files}/" + name


UD_BIG = write("ud-big", b"x" * (UD_MAX + 1))
UD_OK = write("ud-ok", b"y" * UD_MAX)
POLICY_BIG = write("policy-big.ini", b"#" * 2_000_000)
EXPORT_BIG = write("export-big.json", b" " * (bodies.FILE_MAX + 1))
EXPORT = write("export.json", json.dumps({"fields": {"display_name": "a"}}).encode())
NOT_A_DIR = write("not-a-dir", b"")


@dataclass
class Case:
    id: str
    argv: list[str]
    code: int
    err: str
    world: str = "named"
    match: str = "exact"  # "exact" stderr, its first line ("prefix") or "last" line
    env: dict[str, str] = field(default_factory=dict)
    sent: str = "any"  # "nothing": no request at all
    stdin: str | None = None  # text, or "closed"
    closed: tuple[str, ...] = ()  # "stdout", "stderr"
    setup: Callable[[World, dict[str, str]], None] | None = None
    check: Callable[[World, list[dict], Any], None] | None = None

    def __str__(self) -> str:
        return self.id


def err(text: str) -> str:
    return f"ERROR: {text}\n"


def usage(command: str, text: str) -> str:
    return f"gc {command}: error: {text}\n".replace("gc : ", "gc: ")


def launched_with(**expected: Any) -> Callable[[World, list[dict], Any], None]:
    """The one launch POST carried these keys (and the output named a clone)."""

    def check(world: World, journal: list[dict], result: Any) -> None:
        posts = [b for m, p, b in actions(journal) if m == "POST"]
        assert len(posts) == 1, posts
        for key, value in expected.items():
            assert posts[0]["gc_launch"][key] == value, posts
        assert result.stdout.strip(), result

    return check


def got(path_key: str) -> Callable[[World, list[dict], Any], None]:
    """The request went to the server's normalised ID."""

    def check(world: World, journal: list[dict], result: Any) -> None:
        paths = [p for _, p, _ in actions(journal)]
        assert any(world.ids[path_key] in p for p in paths), paths
        assert all(world.ids[path_key].upper() not in p for p in paths), paths

    return check


def found_by_name(world: World, journal: list[dict], result: Any) -> None:
    paths = [p for _, p, _ in actions(journal)]
    assert paths == [f"/servers/{NAMED}", "/servers/detail"], paths
    assert json.loads(result.stdout)["id"] == world.ids["named"]


def twelve_candidates(world: World, journal: list[dict], result: Any) -> None:
    line = result.stderr.splitlines()[0]
    assert line.count("(many, ") == 10 and line.endswith(
        " and 2 more (all of them: gc list --all --name '^many$')"
    ), line


def web_requests(count: int) -> Callable[[World, list[dict], Any], None]:
    def check(world: World, journal: list[dict], result: Any) -> None:
        assert len(world.web.requests) == count, world.web.requests  # type: ignore[attr-defined]

    return check


def cache_env(world: World, ids: dict[str, str]) -> None:
    ids["cache"] = tempfile.mkdtemp(prefix="gc-cache-", dir=FILES)


def corrupt_cache(world: World, ids: dict[str, str]) -> None:
    """A first run fills the cache; its entry then gets an empty service catalog."""
    cache_env(world, ids)
    first = run(world, ["show", world.ids["plain"]], {"XDG_CACHE_HOME": ids["cache"], **CACHE_ON})
    assert first.returncode == 0, first
    directory = os.path.join(ids["cache"], "gcclient", "tokens")
    (name,) = os.listdir(directory)
    ids["entry"] = os.path.join(directory, name)
    with open(ids["entry"], encoding="utf-8") as handle:
        state = json.load(handle)
    state["body"]["token"]["catalog"] = []
    with open(ids["entry"], "w", encoding="utf-8") as handle:
        json.dump(state, handle)


def open_cache(world: World, ids: dict[str, str]) -> None:
    cache_env(world, ids)
    ids["dir"] = os.path.join(ids["cache"], "gcclient", "tokens")
    os.makedirs(ids["dir"])
    os.chmod(ids["dir"], 0o777)


CACHE_ON = {"GC_NO_TOKEN_CACHE": ""}
SECONDS = "it must be a finite number of seconds greater than 0"
FILE_MAX = bodies.FILE_MAX
NOT_KEYSTONE = "The auth URL does not lead to Keystone"


def utf8(command: str, option: str, shown: str) -> str:
    return usage(command, f"argument {option}: invalid value '{shown}': not valid UTF-8")


def seconds(command: str, option: str, value: str) -> str:
    return usage(command, f"argument {option}: invalid value '{value}': {SECONDS}")


CASES: list[Case] = [
    # -- arguments that are not UTF-8: a usage error naming the option (exit 2) --
    Case("utf8-params", ["launch", "--params", "k=\udcff", "{blessed}"], 2,
         utf8("launch", "--params", "k=\\xff"), match="last", sent="nothing"),
    Case("utf8-name", ["launch", "--name", "ab\udcffcd", "{blessed}"], 2,
         utf8("launch", "--name", "ab\\xffcd"), match="last", sent="nothing"),
    Case("utf8-server", ["show", "\udcff\udcfe"], 2,
         utf8("show", "<server>", "\\xff\\xfe"), match="last", sent="nothing"),
    Case("utf8-global-option", ["--os-project-name", "\udcff", "show", "{plain}"], 2,
         utf8("", "--os-project-name", "\\xff"), match="last", sent="nothing"),
    Case("utf8-password-not-shown", ["--os-password", "pw\udcff", "show", "{plain}"], 2,
         utf8("", "--os-password", "***"), match="last", sent="nothing"),
    # -- names: Nova's 255 characters; no control characters --
    Case("launch-name-too-long", ["launch", "--name", "a" * 256, "{blessed}"], 1,
         err(f"Invalid --name '{'a' * 37}...': 256 characters, at most 255 are allowed"),
         sent="nothing"),
    Case("bless-name-too-long", ["bless", "--name", "b" * 300, "{plain}"], 1,
         err(f"Invalid --name '{'b' * 37}...': 300 characters, at most 255 are allowed"),
         sent="nothing"),
    Case("launch-name-control", ["launch", "--name", "a\nb", "{blessed}"], 1,
         err("Invalid --name 'a\\nb': it holds control characters"), sent="nothing"),
    Case("server-name-100000", ["show", "c" * 100_000], 1,
         err(f"Invalid server name '{'c' * 37}...': 100000 characters, at most 255 are "
             "allowed"), sent="nothing"),
    Case("boot-name-empty", ["boot", "--image", "i", "--flavor", "1", ""], 1,
         err("Invalid <name> '': the name is empty"), sent="nothing"),
    # -- memory target: > 0, <= 64TB, a warning under 64MB --
    Case("target-zero", ["launch", "--target", "0", "{blessed}"], 1,
         err("Invalid --target '0': it must be greater than 0"), sent="nothing"),
    Case("target-0MB", ["launch", "--target", "0MB", "{blessed}"], 1,
         err("Invalid --target '0MB': it must be greater than 0"), sent="nothing"),
    Case("target-9999999TB", ["launch", "--target", "9999999TB", "{blessed}"], 1,
         err("Invalid --target '9999999TB': it must be at most 64TB"), sent="nothing"),
    Case("target-1B-warns", ["launch", "--target", "1B", "{blessed}", "-f", "value", "-c",
         "Name"], 0, "WARNING: Memory target '1B' is less than 64MB: the instance may not run\n",
         check=launched_with(target="1B")),
    # -- --params without '=' keeps the seed's meaning: a flag with an empty value --
    Case("params-flag", ["launch", "--params", "flag", "{blessed}", "-f", "value", "-c",
         "Name"], 0, "", check=launched_with(guest={"flag": ""})),
    # -- durations: finite and > 0 (exit 2, nothing sent) --
    Case("wait-timeout-zero", ["bless", "--wait-timeout", "0", "{plain}"], 2,
         seconds("bless", "--wait-timeout", "0"), match="last", sent="nothing"),
    Case("wait-timeout-negative", ["launch", "--wait-timeout=-5", "{blessed}"], 2,
         seconds("launch", "--wait-timeout", "-5"), match="last", sent="nothing"),
    Case("wait-timeout-nan", ["discard", "--wait-timeout", "nan", "{blessed}"], 2,
         seconds("discard", "--wait-timeout", "nan"), match="last", sent="nothing"),
    Case("wait-timeout-inf", ["gc-migrate", "--wait-timeout", "inf", "{plain}"], 2,
         seconds("gc-migrate", "--wait-timeout", "inf"), match="last", sent="nothing"),
    Case("wait-timeout-nan-gc-wait", ["wait", "--wait-timeout", "nan", "{plain}"], 2,
         seconds("wait", "--wait-timeout", "nan"), match="last", sent="nothing"),
    Case("parallel-zero", ["delete", "--parallel", "0", "{plain}", "{plain}"], 2,
         usage("delete", "argument --parallel: invalid value '0': it must be from 1 to 64"),
         match="last", sent="nothing"),
    Case("parallel-over-the-pool", ["discard", "--parallel", "65", "{blessed}"], 2,
         usage("discard", "argument --parallel: invalid value '65': it must be from 1 to 64"),
         match="last", sent="nothing"),
    Case("parallel-not-a-number", ["bless", "--parallel", "2.5", "{plain}"], 2,
         usage("bless", "argument --parallel: invalid value '2.5': expected a whole number"),
         match="last", sent="nothing"),
    Case("timeout-zero", ["--timeout", "0", "show", "{plain}"], 2,
         seconds("", "--timeout", "0"), match="last", sent="nothing"),
    Case("timeout-nan-from-env", ["show", "{plain}"], 2, seconds("", "--timeout", "nan"),
         match="last", env={"OS_TIMEOUT": "nan"}, sent="nothing"),
    Case("timeout-ends-a-silent-endpoint", ["show", "{plain}"], 1,
         err("Cannot reach http://127.0.0.1:{hang}/v3/auth/tokens: no answer within the "
             "timeout (gave up after 4 attempts)"), "hanging-port",
         env={"OS_AUTH_URL": "http://127.0.0.1:{hang}/v3", "OS_TIMEOUT": "1"}, sent="nothing"),
    # -- migrate: an empty destination is refused, not "the cloud picks one" --
    Case("migrate-empty-host", ["gc-migrate", "{plain}", ""], 1,
         err("Invalid destination host '': it is empty (leave it out to let the cloud "
             "choose)"), sent="nothing"),
    # -- user data: at most 65535 bytes once base64-encoded, never read whole --
    Case("user-data-too-large", ["launch", "--user-data", UD_BIG, "{blessed}"], 1,
         err(f"Invalid --user-data '{UD_BIG}': it is too large: more than {UD_MAX} bytes "
             "(65535 once base64-encoded is Nova's limit)"), sent="nothing"),
    Case("user-data-dev-zero", ["launch", "--user-data", "/dev/zero", "{blessed}"], 1,
         err(f"Invalid --user-data '/dev/zero': it is too large: more than {UD_MAX} bytes "
             "(65535 once base64-encoded is Nova's limit)"), sent="nothing"),
    Case("user-data-stdin", ["launch", "--user-data", "-", "{blessed}", "-f", "value", "-c",
         "Name"], 0, "", stdin="#cloud-config\n",
         check=launched_with(user_data=base64.b64encode(b"#cloud-config\n").decode())),
    Case("user-data-at-the-limit", ["launch", "--user-data", UD_OK, "{blessed}", "-f",
         "value", "-c", "Name"], 0, "",
         check=launched_with(user_data=base64.b64encode(b"y" * UD_MAX).decode())),
    # -- policy and export files: at most 1 MiB, the size in the error --
    Case("policy-too-large", ["install-policy", POLICY_BIG], 1,
         err(f"The policy file '{POLICY_BIG}' is too large: 2000000 bytes "
             f"(at most {FILE_MAX} bytes)"), sent="nothing"),
    Case("policy-dev-zero", ["install-policy", "/dev/zero"], 1,
         err(f"The policy file '/dev/zero' is too large: more than {FILE_MAX} bytes (at most "
             f"{FILE_MAX} bytes)"), sent="nothing"),
    Case("import-too-large", ["import", EXPORT_BIG], 1,
         err(f"The export file '{EXPORT_BIG}' is too large: {FILE_MAX + 1} "
             f"bytes (at most {FILE_MAX} bytes)"), sent="nothing"),
    Case("import-override-typo", ["import", EXPORT, "--override", "field.display_name=x"], 1,
         err("Invalid --override 'field.display_name': the export has no field 'field'; did "
             "you mean 'fields.display_name'?"), sent="nothing"),
    # -- closed or piped standard streams: never a traceback, never an empty ERROR --
    Case("stdin-closed", [], 0, "", stdin="closed", sent="nothing"),
    Case("piped-bless-without-server", [], 1,
         "bless: error: the following arguments are required: <instance id>\n",
         match="last", stdin="bless\n", sent="nothing"),
    Case("stdout-closed", ["show", "{plain}"], 0, "", closed=("stdout",)),
    Case("stderr-closed", ["show", "no-such-server"], 1, "", closed=("stderr",)),
    # -- gc help <unknown>: a usage error with the closest names --
    Case("help-unknown", ["help", "blss"], 2,
         "gc help: 'blss' is not a gc command; did you mean bless, list-blessed, list?\n",
         sent="nothing"),
    Case("help-nothing-close", ["help", "zzzz"], 2,
         "gc help: 'zzzz' is not a gc command; see 'gc --help'\n", sent="nothing"),
    # -- auth URL: what to fix, in one line, not retried --
    Case("auth-url-no-scheme", ["show", "{plain}"], 1,
         err("Invalid auth URL '127.0.0.1:{sim_port}/v3' (--os-auth-url or OS_AUTH_URL): it "
             "has no scheme; use http://127.0.0.1:{sim_port}/v3 or "
             "https://127.0.0.1:{sim_port}/v3"),
         env={"OS_AUTH_URL": "127.0.0.1:{sim_port}/v3"}, sent="nothing"),
    Case("auth-url-https-to-http", ["show", "{plain}"], 1,
         err("TLS handshake with https://127.0.0.1:{sim_port}/v3/auth/tokens failed: the "
             "server there does not speak TLS (is the URL http:// rather than https://?)"),
         env={"OS_AUTH_URL": "https://127.0.0.1:{sim_port}/v3"}, sent="nothing"),
    Case("auth-url-https-to-http-insecure", ["--insecure", "show", "{plain}"], 1,
         err("TLS handshake with https://127.0.0.1:{sim_port}/v3/auth/tokens failed: the "
             "server there does not speak TLS (is the URL http:// rather than https://?)"),
         match="last", env={"OS_AUTH_URL": "https://127.0.0.1:{sim_port}/v3"}, sent="nothing"),
    Case("auth-url-web-server", ["show", "{plain}"], 1,
         err(f"{NOT_KEYSTONE}: http://127.0.0.1:{{web}}/v3/auth/tokens answered HTTP 501 to "
             "the token request; check the auth URL"), "web-server",
         env={"OS_AUTH_URL": "http://127.0.0.1:{web}/v3"}, sent="nothing",
         check=web_requests(1)),
    Case("auth-url-web-server-root", ["show", "{plain}"], 1,
         err(f"{NOT_KEYSTONE}: it answered without an identity version document; check "
             "the auth URL"), "web-server",
         env={"OS_AUTH_URL": "http://127.0.0.1:{web}/"}, sent="nothing",
         check=web_requests(1)),
    Case("auth-url-password-redacted", ["bless", UNKNOWN], 1,
         err("Cannot reach http://demo:***@127.0.0.1:{port}/v3/auth/tokens: connection "
             "refused; the gc_bless request was not sent"), "closed-port-2",
         env={"OS_AUTH_URL": "http://demo:s3cret@127.0.0.1:{port}/v3"}, sent="nothing"),
    # -- the token cache: problems are warnings, the command goes on --
    Case("cache-unwritable", ["show", "{plain}", "-f", "value", "-c", "id"], 0,
         f"WARNING: Cannot write the token cache {NOT_A_DIR}/gcclient/tokens/", match="prefix",
         env={"XDG_CACHE_HOME": NOT_A_DIR, **CACHE_ON}),
    Case("cache-entry-unusable", ["show", "{plain}", "-f", "value", "-c", "id"], 0,
         "WARNING: Dropped the token cache entry {entry} (empty service catalog); "
         "authenticating afresh\n", env={"XDG_CACHE_HOME": "{cache}", **CACHE_ON},
         setup=corrupt_cache),
    Case("cache-directory-open", ["show", "{plain}", "-f", "value", "-c", "id"], 0,
         "WARNING: Not using the token cache directory {dir}: other users can write it or do "
         "not own it\n", env={"XDG_CACHE_HOME": "{cache}", **CACHE_ON}, setup=open_cache),
    # -- names and IDs --
    Case("uuid-upper-case", ["show", "{plain_upper}", "-f", "value", "-c", "id"], 0, "",
         check=got("plain")),
    Case("uuid-without-dashes", ["list-launched", "{blessed_nodash}"], 0, "",
         check=got("blessed")),
    Case("server-named-like-a-uuid", ["show", NAMED, "-f", "json"], 0, "",
         check=found_by_name),
    Case("ambiguous-lists-candidates", ["bless", "many"], 1,
         "ERROR: Multiple server matches found for 'many', use an ID to be more specific: ",
         match="prefix", check=twelve_candidates),
    # -- a server view without an ID is an unexpected answer, not ERROR: 'id' --
    Case("lineage-view-without-id", ["lineage", UNKNOWN], 1,
         err(f"Unexpected answer to GET /servers/{UNKNOWN}"), "no-id"),
]  # fmt: skip


def run(world: World, argv: list[str], env: dict[str, str], stdin: str | None = None,
        closed: tuple[str, ...] = ()) -> subprocess.CompletedProcess:  # fmt: skip
    full = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    full.update(world.sim.env, GC_NO_TOKEN_CACHE="1", **world.env)
    full.update(env)
    fds = [{"stdin": 0, "stdout": 1, "stderr": 2}[name] for name in closed]
    if stdin == "closed":
        fds.append(0)
    given: dict[str, Any] = {"stdin": subprocess.DEVNULL}
    if stdin not in (None, "closed"):
        given = {"input": stdin.encode()}  # type: ignore[union-attr]
    proc = subprocess.run(
        [GC, *argv],
        **given,
        capture_output=True,
        env=full,
        timeout=60,
        preexec_fn=(lambda: [os.close(fd) for fd in fds]) if fds else None,
    )
    return subprocess.CompletedProcess(
        proc.args,
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


def case_ids(case: Case, world: World) -> dict[str, str]:
    """What a case's ``{...}`` stand for in ``world`` (its setup run)."""
    port = world.sim.url.rsplit(":", 1)[1] if world.sim.url.count(":") > 1 else ""
    ids = dict(world.ids, sim_port=port, files=FILES)
    for key in ("plain", "blessed"):
        if key in ids:
            ids[f"{key}_upper"] = ids[key].upper()
            ids[f"{key}_nodash"] = ids[key].replace("-", "")
    if case.setup is not None:
        case.setup(world, ids)
    return ids


def check_case(
    case: Case, world: World, ids: dict[str, str], result: Any, journal: list[dict]
) -> None:
    """Every check of a case, whichever tier ran gc (``result`` as subprocess's)."""
    expected = case.err.format(**ids)
    assert result.returncode == case.code, result
    assert "Traceback" not in result.stderr + result.stdout, result
    assert all(line.strip() != "ERROR:" for line in result.stderr.splitlines()), result
    if case.code:
        assert result.stdout == "", result
    if case.match == "exact":
        assert result.stderr == expected, result
    elif case.match == "prefix":
        assert result.stderr.startswith(expected), result
        assert result.stderr.count("\n") == 1, result
    else:
        assert result.stderr.splitlines()[-1] + "\n" == expected, result
    if case.sent == "nothing":
        assert journal == [], journal
    if case.check is not None:
        case.check(world, journal, result)


def in_process(case: Case) -> bool:
    """Whether a case can run gc in-process: against the simulators alone, with stdin,
    stdout and stderr as they are, no URL naming the simulator's port, and no setup
    that runs the real gc first."""
    uses_port = any("{sim_port}" in text for text in [*case.argv, *case.env.values()])
    return (
        case.world == "named"
        and case.stdin is None
        and not case.closed
        and not uses_port
        and case.setup is not corrupt_cache
    )
