"""Random argv for every command, in process, against a fake cloud that answers
anything (good views, error envelopes, HTML, empty bodies, resets): gc never prints
a traceback, never lets an unexpected exception through, and exits 0, 1 or 2.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import random
from typing import Any
from unittest import mock

import requests
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gcclient.api import exceptions
from gcclient.api.gcwire import Wire
from gcclient.cli import application as app_module
from gcclient.cli import commands
from gcclient.core import waiting

UUID = "6f1c8a52-3b7e-4c39-9a0f-2d4e5b6c7d8e"
VIEW = {
    "id": UUID,
    "name": "vm",
    "status": "ACTIVE",
    "metadata": {"blessed_from": UUID},
    "addresses": {"private": [{"addr": "10.0.0.2"}]},
}
ANSWERS: list[tuple[int, str, str]] = [
    (200, "application/json", json.dumps({"server": VIEW})),
    (200, "application/json", json.dumps({"servers": [VIEW, {**VIEW, "id": "x"}]})),
    (200, "text/html; charset=UTF-8", json.dumps([VIEW])),
    (200, "text/html; charset=UTF-8", json.dumps([])),
    (200, "text/html; charset=UTF-8", "null"),
    (200, "text/html; charset=UTF-8", ""),
    (200, "application/json", json.dumps({"capabilities": ["launch-name", "get-policy"]})),
    (200, "application/json", json.dumps(["policy line", 3, None])),
    (200, "application/json", json.dumps({"fields": {}, "export_image_id": "i"})),
    (200, "application/json", json.dumps({"servers": [{"no": "id"}], "images": "x"})),
    (200, "text/html", "<html>oops</html>"),
    (200, "application/json", json.dumps({"server": {"name": "vm", "status": "ACTIVE"}})),
    (200, "application/json", json.dumps([1, "two", {"id": None}])),
    (400, "application/json", json.dumps({"badRequest": {"code": 400, "message": "bad"}})),
    (400, "application/json", json.dumps({"badRequest": {"message": "There is no such action"}})),
    (401, "text/plain", "Invalid destination"),
    (404, "application/json", json.dumps({"itemNotFound": {"code": 404, "message": "gone"}})),
    (413, "application/json", json.dumps({"overLimit": {"message": "Quota exceeded"}})),
    (500, "", ""),
    (502, "text/html", "<html>bad gateway</html>"),
    (503, "application/json", json.dumps({"x": "not an envelope"})),
    (-1, "", ""),  # connection reset
]
ANSWER_TYPES = (int, str)


class FakeResponse:
    def __init__(self, status: int, content_type: str, text: str) -> None:
        self.status_code = status
        self.headers = requests.structures.CaseInsensitiveDict(
            {"Content-Type": content_type} if content_type else {}
        )
        self.text = text
        self.reason = ""

    def iter_content(self, chunk_size: int) -> Any:
        """requests' streamed body (list-launched and list-blessed read it so)."""
        data = self.text.encode()
        return (data[i : i + chunk_size] for i in range(0, len(data), chunk_size))

    def close(self) -> None:
        pass


class FakeAdapter:
    """Answers each request with a canned answer picked by a seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.calls = 0

    def request(self, path: str, method: str, **kwargs: Any) -> FakeResponse:
        from keystoneauth1 import exceptions as ks_exc

        self.calls += 1
        if self.calls > 200:
            raise AssertionError("gc sent more than 200 requests for one command")
        status, content_type, text = self.rng.choice(ANSWERS)
        if status == -1:
            raise ks_exc.ConnectFailure(
                f"Unable to establish connection to http://fake{path}: "
                "('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))"
            )
        return FakeResponse(status, content_type, text)


def fast_next_round(self: waiting.Poller, what: str) -> None:
    if self.rounds >= 3:
        raise exceptions.WaitError(f"Timed out waiting for {what}")
    self.rounds += 1


OPTIONS = [
    "--name", "--target", "--params", "--hint", "--nic", "--num-instances", "--user-data",
    "--security-groups", "--availability-zone", "--key-name", "--wait", "--wait-timeout",
    "--delete-launched", "--override", "-f", "-c", "--sort-column", "--max-width", "-h",
]  # fmt: skip
GLOBAL = ["-v", "-q", "--insecure", "--timeout", "--no-cache", "--os-cloud", "--version"]
VALUES = st.one_of(
    st.sampled_from(
        [UUID, "vm", "twin", "0", "-1", "1.5GB", "512M", "abc", "a=b", "=", "k=", "=v",
         "net-id=n1", "port-id=p,v4-fixed-ip=1.2.3.4", "mac=x", "json", "yaml", "value",
         "ID", "Name", "/nonexistent", "-", "compute-1", "", " ", "é", "a,,b", "9" * 30,
         "k=\udcff", "\udcff\udcfe", "nan", "inf", "0MB", "99999999TB", "a" * 300,
         UUID.upper(), UUID.replace("-", ""), "/dev/zero"]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12).filter(
        lambda t: not t.startswith("-") and "\x00" not in t
    ),
)  # fmt: skip
TOKENS = st.one_of(st.sampled_from(OPTIONS), VALUES)
COMMAND_NAMES = sorted(commands.all_commands()) + ["help", "no-such-command"]


@st.composite
def argvs(draw: st.DrawFn) -> list[str]:
    head = draw(st.lists(st.sampled_from(GLOBAL + ["1", "x"]), max_size=2))
    command = draw(st.sampled_from(COMMAND_NAMES))
    tail = draw(st.lists(TOKENS, max_size=6))
    return [*head, command, *tail]


VALUED = {
    "--name": st.sampled_from(["vm", "", "é", "a b"]),
    "--target": st.sampled_from(["512M", "2g", "1GB", "0", "abc", "-1", "1.5GB", "4096"]),
    "--params": st.sampled_from(["a=b", "a", "=b", "url=x=y"]),
    "--hint": st.sampled_from(["a=b", "a", "=b", "group=1"]),
    "--nic": st.sampled_from([f"net-id={UUID}", "port-id=p", "v4-fixed-ip=1.2.3.4", "x"]),
    "--num-instances": st.sampled_from(["1", "2", "0", "-1"]),
    "--security-groups": st.sampled_from(["default", "a,b", ",", ""]),
    "--availability-zone": st.sampled_from(["nova", "nova:compute-1", ""]),
    "--key-name": st.sampled_from(["kp", ""]),
    "--wait-timeout": st.sampled_from(["0", "1", "-1", "nan", "inf"]),
    "--user-data": st.sampled_from(["/dev/null", "/dev/zero", "-", "/nonexistent"]),
    "--override": st.sampled_from(["fields.display_name=x", "field.x=1", "metadata.a=b"]),
    "-f": st.sampled_from(["json", "value", "yaml", "table", "csv", "shell"]),
}
FLAGS = ["--wait", "--delete-launched"]


@st.composite
def plausible_argvs(draw: st.DrawFn) -> list[str]:
    """A command with options it may well accept, then one or two servers."""
    command = draw(st.sampled_from(sorted(commands.all_commands())))
    argv = [command]
    for option in draw(st.lists(st.sampled_from(sorted(VALUED) + FLAGS), max_size=3)):
        argv.append(option)
        if option in VALUED:
            argv.append(draw(VALUED[option]))
    argv += draw(
        st.lists(st.sampled_from([UUID, "vm", "12", "compute-2", "-"]), min_size=1, max_size=2)
    )
    return argv


def run_gc(argv: list[str], seed: int) -> tuple[int, str, str, list[BaseException]]:
    fake = FakeAdapter(seed)
    errors: list[BaseException] = []
    root = logging.getLogger("")
    handlers, level = list(root.handlers), root.level
    out, err = io.StringIO(), io.StringIO()
    original_clean_up = app_module.GcApp.clean_up

    def clean_up(self: Any, cmd: Any, result: int, error: BaseException | None) -> None:
        if error is not None:
            errors.append(error)
        original_clean_up(self, cmd, result, error)

    wire = property(lambda self: Wire(fake, warn=self._warn, sleep=lambda s: None))
    env = {"OS_AUTH_URL": "http://127.0.0.1:9/v3", "GC_NO_TOKEN_CACHE": "1"}
    try:
        with (
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            mock.patch.object(app_module.ClientManager, "wire", wire),
            mock.patch.object(app_module.GcApp, "clean_up", clean_up),
            mock.patch.object(waiting.Poller, "next_round", fast_next_round),
            mock.patch.dict("os.environ", env),
            mock.patch("sys.stdin", io.StringIO("")),
        ):
            try:
                code = app_module.main(argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
    return code, out.getvalue(), err.getvalue(), errors


def expected_error(error: BaseException) -> bool:
    """gc's own errors; and cliff's help for an unknown topic (one line, exit 1)."""
    if isinstance(error, exceptions.GcError):
        return True
    return isinstance(error, ValueError) and str(error).startswith("Unknown command [")


HEAVY = os.environ.get("GC_HEAVY", "") not in ("", "0")


# The default run is deterministic (the same 200 examples every time, no example
# database); the random exploration is tox -e heavy's.
@settings(
    max_examples=5000 if HEAVY else 200,
    derandomize=not HEAVY,
    database=None if not HEAVY else settings.default.database,
    print_blob=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(argv=st.one_of(argvs(), plausible_argvs()), seed=st.integers(0, 2**16))
def test_random_argv_never_crashes(argv: list[str], seed: int) -> None:
    code, out, err, errors = run_gc(argv, seed)
    event(f"exit {code}")
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err and "Traceback" not in out, (argv, err)
    unexpected = [e for e in errors if not expected_error(e)]
    assert not unexpected, (argv, repr(unexpected[0]), err)
    if code == 1:
        assert "ERROR: " in err, (argv, err)
    for line in err.splitlines():
        assert line.strip() not in ("ERROR:", "WARNING:"), (argv, err)
        assert not line.startswith("ERROR: Could not clean up"), (argv, err)


def test_the_fake_cloud_reaches_the_wire() -> None:
    code, out, err, errors = run_gc(["show", UUID], seed=0)
    assert code in (0, 1) and all(expected_error(e) for e in errors)


def test_a_server_argument_with_a_control_character_is_escaped_in_errors() -> None:
    """Found by the heavy run: 'gc bless <id> $'\\r'' printed an "ERROR: " line."""
    code, out, err, errors = run_gc(["bless", UUID, "\r"], seed=0)
    assert code == 1
    assert "ERROR: \\r: Invalid server name '\\r': the name is empty\n" in err
    assert all(line.strip() != "ERROR:" for line in err.splitlines()), err


def test_an_unknown_column_is_gc_s_own_error() -> None:
    """Found by the heavy run: cliff's ValueError for '-c <unknown>'."""
    code, out, err, errors = run_gc(["list-blessed", "-c", "nosuch", UUID], seed=0)
    assert code == 1 and out == ""
    assert all(isinstance(e, exceptions.CommandError) for e in errors), errors
    assert err.endswith(
        "ERROR: No recognized column names in ['nosuch']. Recognized columns are "
        "('ID', 'Name', 'Status', 'Networks').\n"
    ), err
