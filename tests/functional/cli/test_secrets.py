"""No password, token or application-credential secret in any output or log file,
whatever the verbosity; the token cache is private and refuses files others can write.

The token values searched for are the real ones: read from the simulator's state
database after the runs.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat

import pytest

from gcclient.simulator.identity import USERS
from gcclient.simulator.testing import DEFAULT_IMAGE
from tests.functional.gcrun import gc, simulator_under_test

PASSWORD = USERS["demo"].password
APP_SECRET = "app-cred-secret-7f3a9c1e5b"
VERBOSITY = [
    ["--debug"],
    ["-v"],
    ["-vv"],
    ["--debug", "-vv"],
]


@pytest.fixture(scope="module")
def sim(tmp_path_factory, module_simulator_factory):
    state = str(tmp_path_factory.mktemp("secrets") / "state.db")
    simulator = module_simulator_factory(era="cobalt", build_time=0.02, state=state)
    simulator.state_path = state
    return simulator


def issued_tokens(sim) -> list[str]:
    with sqlite3.connect(sim.state_path) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM tokens")]


def everything(result, log_path) -> str:
    text = result.out + result.err
    if os.path.exists(log_path):
        with open(log_path, encoding="utf-8", errors="replace") as handle:
            text += handle.read()
    return text


def assert_no_secret(text: str, secrets: list[str]) -> None:
    for secret in secrets:
        assert secret not in text, f"secret {secret[:4]}... leaked"


@pytest.mark.parametrize("flags", VERBOSITY, ids=" ".join)
@pytest.mark.parametrize("auth", ["v3", "v2.0", "argv"])
def test_no_password_or_token_in_any_output(sim, tmp_path, flags, auth):
    source = sim.boot("secret-source")
    env: dict[str, str] = {}
    pre: list[str] = []
    if auth == "v2.0":
        env["OS_AUTH_URL"] = f"{sim.url}/v2.0"
    elif auth == "argv":
        env["OS_PASSWORD"] = ""
        pre = ["--os-password", PASSWORD]
    outputs = []
    for args in (
        ["bless", source["id"]],
        ["show", source["id"]],
        ["launch", source["id"]],  # an error answer, with a token
    ):
        log = str(tmp_path / f"gc-{len(outputs)}.log")
        result = gc(sim, *pre, *flags, "--log-file", log, *args, env=env)
        assert result.code in (0, 1), result.err
        outputs.append(everything(result, log))
    tokens = issued_tokens(sim)
    assert tokens
    text = "\n".join(outputs)
    assert_no_secret(text, [PASSWORD, *tokens])
    if "--debug" in flags or "-vv" in flags:
        # keystoneauth logs the compute requests, with the token header hashed
        assert "X-Auth-Token: {SHA256}" in text


@pytest.mark.parametrize("flags", VERBOSITY, ids=" ".join)
def test_application_credential_secret_never_printed(sim, tmp_path, flags):
    log = str(tmp_path / "gc.log")
    env = {
        "OS_USERNAME": "",
        "OS_PASSWORD": "",
        "OS_APPLICATION_CREDENTIAL_ID": "0123456789abcdef",
        "OS_APPLICATION_CREDENTIAL_SECRET": APP_SECRET,
    }
    result = gc(sim, *flags, "--log-file", log, "show", "vm", env=env)
    assert result.code == 1
    assert "Traceback" not in result.err or "--debug" in flags
    assert_no_secret(everything(result, log), [APP_SECRET])


def test_wrong_password_is_not_echoed(sim, tmp_path):
    log = str(tmp_path / "gc.log")
    wrong = "wrong-password-5d1e"
    result = gc(sim, "--debug", "--log-file", log, "show", "vm", env={"OS_PASSWORD": wrong})
    assert result.code == 1
    assert_no_secret(everything(result, log), [wrong])


# ---- the token cache ------------------------------------------------------------------------


def cache_files(root) -> list[str]:
    found = []
    for directory, _, files in os.walk(root):
        found += [os.path.join(directory, f) for f in files if f.endswith(".json")]
    return found


def test_token_cache_is_private_and_refuses_files_others_can_write(sim, tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path), "GC_NO_TOKEN_CACHE": ""}
    source = sim.boot("cache-source")
    mark = sim.mark()
    assert gc(sim, "show", source["id"], env=env).code == 0
    files = cache_files(tmp_path)
    assert len(files) == 1
    assert stat.S_IMODE(os.stat(files[0]).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(files[0])).st_mode) == 0o700

    # the cached token is reused: no second token request
    assert gc(sim, "show", source["id"], env=env).code == 0
    auth = [e for e in sim.journal_since(mark) if e["path"].endswith("/auth/tokens")]
    assert len(auth) == 1

    os.chmod(files[0], 0o666)
    mark = sim.mark()
    result = gc(sim, "show", source["id"], env=env)
    assert result.code == 0
    assert result.err == (
        f"WARNING: Ignoring the token cache {files[0]}: other users can write it or do not own it\n"
    )
    auth = [e for e in sim.journal_since(mark) if e["path"].endswith("/auth/tokens")]
    assert len(auth) == 1  # authenticated afresh instead of trusting the file


# ---- issue 21: userinfo passwords holding '@', adminPass, tracebacks ----------------------

USERINFO_SECRET = "pw@sEcReT9/x"


@pytest.mark.parametrize(
    "flags, reachable",
    [([], False), (["--debug"], False), (["--debug"], True), (["-vv"], True)],
    ids=["plain-unreachable", "debug-unreachable", "debug", "vv"],
)
def test_a_userinfo_password_holding_at_signs_never_appears(sim, tmp_path, flags, reachable):
    """``OS_AUTH_URL=http://demo:pw@sEcReT9@host/...``: the password leaked in part
    ("demo:***@sEcReT9@...") without --debug, and whole in --debug's traceback."""
    log = str(tmp_path / "gc.log")
    secret = USERINFO_SECRET.split("/")[0]  # no '/' in an authority
    base = sim.url if reachable else "http://127.0.0.1:1"
    url = base.replace("://", f"://demo:{secret}@") + "/v3"
    result = gc(sim, *flags, "--log-file", log, "show", "vm", env={"OS_AUTH_URL": url})
    assert result.code == 1
    text = everything(result, log)
    assert_no_secret(text, [secret, "sEcReT9"])
    assert "demo:***@" in text


def test_admin_pass_only_in_boots_own_output(sim, tmp_path):
    """adminPass is shown where the user asked for the new server's details (the
    output of ``gc boot``), never in --debug's lines or the log file."""
    log = str(tmp_path / "gc.log")
    result = gc(
        sim,
        "--debug",
        "--log-file",
        log,
        "boot",
        "--image",
        DEFAULT_IMAGE,
        "--flavor",
        "1",
        "secret-boot",
        "-f",
        "json",
    )
    assert result.code == 0, result.err
    admin_pass = json.loads(result.out)["adminPass"]
    assert admin_pass
    with open(log, encoding="utf-8") as handle:
        assert_no_secret(result.err + handle.read(), [admin_pass])


def test_simulator_state_and_logs_are_private_and_keep_no_passcode(tmp_path, simulator_factory):
    """Issue 21: the state database (live tokens) and the journal were 0644, and
    the journal held the TOTP passcode in clear."""
    state = tmp_path / "state.db"
    access = tmp_path / "access.log"
    sim = simulator_under_test(state=str(state), extra_args=["--access-log", str(access)])
    simulator_factory.started.append(sim)  # stopped with the factory's
    sim.start()
    gc(sim, "--os-auth-type", "v3totp", "--os-passcode", "917354", "list",
       env={"OS_PASSWORD": ""})  # fmt: skip
    assert gc(sim, "list").code == 0
    journal = open(sim.journal_path, encoding="utf-8").read()
    files = [state, access, sim.journal_path, *tmp_path.glob("state.db-*")]
    modes = {os.path.basename(f): stat.S_IMODE(os.stat(f).st_mode) for f in files}
    assert '"passcode": "***"' in journal and "917354" not in journal
    assert set(modes.values()) == {0o600}, modes
