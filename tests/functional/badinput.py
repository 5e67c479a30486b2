"""The bad-input catalogue: each case with its exit code and error text, and the world
it runs in (tests/functional/worlds.py). Every case also checks that nothing went to
stdout, that no traceback was printed, and, for input refused before sending, that
the simulator saw no request at all (check_case). docs/reliability.rst lists the same
cases (tests/functional/catalogue.py).

The cases against simulators alone (SIMULATOR_WORLDS) run gc in-process:
tests/inprocess/test_bad_input.py; those that need a fake nova, faults on the socket or
a closed port run the real gc: tests/functional/cli/test_bad_input.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from gcclient.simulator.eras import FIXED_500
from tests.functional.gcrun import Result, actions, same_request_ids
from tests.functional.worlds import (
    NIC_ERROR,
    TARGET_ERROR,
    UNKNOWN,
    World,
)

# ---- the catalogue ----------------------------------------------------------------------


@dataclass
class Case:
    id: str
    argv: list[str]
    code: int
    err: str
    world: str = "cobalt"
    match: str = "exact"  # exact stderr, "prefix" of stderr, or the "last" line only
    env: dict[str, str] = field(default_factory=dict)
    sent: str = "any"  # "nothing": no request at all; "no-action": no compute POST
    check: Callable[[World, list[dict]], None] | None = None

    def __str__(self) -> str:
        return self.id


def posts_to_fake(count: int) -> Callable[[World, list[dict]], None]:
    def check(world: World, journal: list[dict]) -> None:
        assert world.fake is not None
        assert len(world.fake.requests) == count, world.fake.requests
        auth = [e for e in journal if e["path"].endswith("/auth/tokens")]
        assert len(auth) <= 2, auth

    return check


def one_action(world: World, journal: list[dict]) -> None:
    posts = [a for a in actions(journal) if a[0] == "POST"]
    assert len(posts) == 1, posts


def one_action_eventually(world: World, journal: list[dict]) -> None:
    """The simulator journals a slow request when it ends, after gc gave up on it."""
    mark = len(world.sim.journal()) - len(journal)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        journal = world.sim.journal_since(mark)
        if any(a[0] == "POST" for a in actions(journal)):
            break
        time.sleep(0.1)
    one_action(world, journal)


def target_sent_as_512mb(world: World, journal: list[dict]) -> None:
    assert [a for a in actions(journal) if a[0] == "POST"] == [
        ("POST", f"/servers/{world.ids['blessed']}/action", {"gc_launch": {"target": "512MB"}})
    ]


def err(text: str) -> str:
    return f"ERROR: {text}\n"


def answered(text: str, status: int, request_id: bool = True) -> str:
    """An error the cloud answered: it ends with the status and the request ID it gave,
    as novaclient's and openstack's do (the ID is random: compared as ``req-...``)."""
    suffix = " (Request-ID: req-...)" if request_id else ""
    return f"ERROR: {text} (HTTP {status}){suffix}\n"


CO = {
    "already": "Instance {blessed} is already a live image.",
    "not_active": (
        "Instance {building} is not active. Cannot create a live image from a non-active instance."
    ),
    "not_image": (
        "Instance {plain} is not a live image. Please create a live image to launch from it."
    ),
    "discard_regular": "Instance {plain} is not a live image. Cannot discard a regular instance.",
    "service": "Cannot migrate to host compute-9 because it is not running the cobalt service.",
}
GC = {  # stable/folsom head (cobalt c0ceb7a gridcentric/nova/api.py): the live-image texts
    **CO,
    "service": (
        "Cannot migrate to host compute-9 because it is not running the gridcentric service."
    ),
}
CHILDREN = (
    "Instance {blessed} still has launched instances. "
    "Cannot discard an instance with remaining launched ones."
)
DELETE_BLESSED = "Server {blessed} is a blessed server (live image): use 'gc discard' to remove it"


def state_cases(era: str, texts: dict[str, str]) -> list[Case]:
    return [
        Case(
            f"{era}-bless-blessed", ["bless", "{blessed}"], 1, answered(texts["already"], 400), era
        ),
        Case(
            f"{era}-bless-building",
            ["bless", "{building}"],
            1,
            answered(texts["not_active"], 400),
            era,
        ),
        Case(
            f"{era}-launch-from-plain",
            ["launch", "{plain}"],
            1,
            answered(texts["not_image"], 400),
            era,
        ),
        Case(
            f"{era}-launch-from-launched",
            ["launch", "{child}"],
            1,
            answered(texts["not_image"].replace("{plain}", "{child}"), 400),
            era,
        ),
        Case(
            f"{era}-discard-with-children",
            ["discard", "{blessed}"],
            1,
            answered(CHILDREN, 400),
            era,
        ),
        Case(
            f"{era}-discard-regular",
            ["discard", "{plain}"],
            1,
            answered(texts["discard_regular"], 400),
            era,
        ),
        Case(
            f"{era}-delete-blessed",
            ["delete", "{blessed}"],
            1,
            err(DELETE_BLESSED),
            era,
            sent="no-action",
        ),
        Case(
            f"{era}-migrate-same-host",
            ["gc-migrate", "{plain}", "{host}"],
            1,
            answered("Unable to migrate to the same host.", 400),
            era,
        ),
        Case(
            f"{era}-migrate-unknown-host",
            ["gc-migrate", "{plain}", "compute-9"],
            1,
            answered(texts["service"], 400),
            era,
        ),
        Case(
            f"{era}-migrate-blessed",
            ["gc-migrate", "{blessed}", "compute-1"],
            1,
            answered("Unable to migrate instance {blessed} because it is not active", 400),
            era,
        ),
        Case(
            f"{era}-migrate-building",
            ["gc-migrate", "{building}", "compute-1"],
            1,
            answered("Unable to migrate instance {building} because it is not active", 400),
            era,
        ),
        Case(
            f"{era}-migrate-migrating",
            ["gc-migrate", "{mover}"],
            1,
            answered("Unable to migrate instance {mover} because it is already migrating.", 400),
            era,
        ),
        Case(
            f"{era}-unknown-uuid-action",
            ["bless", UNKNOWN],
            1,
            answered(f"Instance {UNKNOWN} could not be found.", 400),
            era,
        ),
        Case(
            f"{era}-delete-while-blessing",
            ["delete", "{blessing_source}"],
            1,
            answered("Cannot delete while blessing. Please try again later.", 400),
            era,
        ),
    ]


CASES: list[Case] = [
    # -- usage: missing or malformed arguments (argparse, exit 2) --
    Case(
        "bless-no-server",
        ["bless"],
        2,
        "gc bless: error: the following arguments are required: <instance id>",
        match="last",
        sent="nothing",
    ),
    Case(
        "launch-no-server",
        ["launch"],
        2,
        "gc launch: error: the following arguments are required: <blessed id>",
        match="last",
        sent="nothing",
    ),
    Case(
        "discard-no-server",
        ["discard"],
        2,
        "gc discard: error: the following arguments are required: <blessed id>",
        match="last",
        sent="nothing",
    ),
    Case(
        "migrate-no-server",
        ["gc-migrate"],
        2,
        "gc gc-migrate: error: the following arguments are required: <instance id>",
        match="last",
        sent="nothing",
    ),
    Case(
        "show-extra-argument",
        ["show", "a", "b"],
        2,
        "gc show: error: unrecognized arguments: b",
        match="last",
        sent="nothing",
    ),
    Case(
        "launch-num-instances-not-int",
        ["launch", "--num-instances", "two", "{blessed}"],
        2,
        "gc launch: error: argument --num-instances: invalid int value: 'two'",
        match="last",
        sent="nothing",
    ),
    Case(
        "bless-wait-timeout-not-number",
        ["bless", "--wait-timeout", "soon", "{plain}"],
        2,
        "gc bless: error: argument --wait-timeout: invalid float value: 'soon'",
        match="last",
        sent="nothing",
    ),
    Case(
        "global-timeout-not-number",
        ["--timeout", "abc", "show", "{plain}"],
        2,
        "gc: error: argument --timeout: invalid float value: 'abc'",
        match="last",
        sent="nothing",
    ),
    Case(
        "unknown-command",
        ["blesss", "{plain}"],
        2,
        "gc: 'blesss {plain}' is not a gc command. See 'gc --help'.",
        match="prefix",
        sent="nothing",
    ),
    Case(
        "export-without-file",
        ["export", "{blessed}"],
        2,
        "gc export: error: the following arguments are required: <file>",
        match="last",
        sent="nothing",
    ),
    # -- malformed options, refused before anything is sent (exit 1) --
    Case(
        "params-empty-key",
        ["launch", "--params", "=v", "{blessed}"],
        1,
        err("Invalid --params '=v': the key is empty"),
        sent="nothing",
    ),
    Case(
        "hint-without-equals",
        ["launch", "--hint", "novalue", "{blessed}"],
        1,
        err("Invalid --hint 'novalue': expected key=value"),
        sent="nothing",
    ),
    Case(
        "hint-empty-key",
        ["launch", "--hint", "=x", "{blessed}"],
        1,
        err("Invalid --hint '=x': expected key=value"),
        sent="nothing",
    ),
    Case(
        "nic-without-equals",
        ["launch", "--nic", "net-id", "{blessed}"],
        1,
        err(NIC_ERROR.format(arg="net-id")),
        sent="nothing",
    ),
    Case(
        "nic-without-net-or-port",
        ["launch", "--nic", "v4-fixed-ip=10.0.0.9", "{blessed}"],
        1,
        err(NIC_ERROR.format(arg="v4-fixed-ip=10.0.0.9")),
        sent="nothing",
    ),
    Case(
        "nic-unknown-key",
        ["launch", "--nic", "net-id=n1,mac=aa:bb", "{blessed}"],
        1,
        err(NIC_ERROR.format(arg="net-id=n1,mac=aa:bb")),
        sent="nothing",
    ),
    Case(
        "target-abc",
        ["launch", "--target", "abc", "{blessed}"],
        1,
        err(TARGET_ERROR.format(arg="abc")),
        sent="nothing",
    ),
    Case(
        "target-negative",
        ["launch", "--target=-1", "{blessed}"],
        1,
        err(TARGET_ERROR.format(arg="-1")),
        sent="nothing",
    ),
    Case(
        "target-fraction",
        ["launch", "--target", "1.5GB", "{blessed}"],
        1,
        err(TARGET_ERROR.format(arg="1.5GB")),
        sent="nothing",
    ),
    Case(
        "target-words",
        ["launch", "--target", "512megabytes", "{blessed}"],
        1,
        err(TARGET_ERROR.format(arg="512megabytes")),
        sent="nothing",
    ),
    Case(
        "target-512M-normalised",
        ["launch", "--target", "512M", "{blessed}", "-f", "value", "-c", "Name"],
        0,
        "",
        check=target_sent_as_512mb,
    ),
    Case(
        "num-instances-zero",
        ["launch", "--num-instances", "0", "{blessed}"],
        1,
        err("Invalid --num-instances '0': it must be at least 1"),
        sent="nothing",
    ),
    Case(
        "num-instances-negative",
        ["launch", "--num-instances=-3", "{blessed}"],
        1,
        err("Invalid --num-instances '-3': it must be at least 1"),
        sent="nothing",
    ),
    Case(
        "user-data-missing-file",
        ["launch", "--user-data", "/nonexistent/ud", "{blessed}"],
        1,
        err("Cannot read user data file '/nonexistent/ud': No such file or directory"),
        sent="nothing",
    ),
    Case(
        "security-groups-empty-name",
        ["launch", "--security-groups", "a,,b", "{blessed}"],
        1,
        err("Invalid --security-groups 'a,,b': empty group name"),
        sent="nothing",
    ),
    Case(
        "install-policy-missing-file",
        ["install-policy", "/nonexistent/policy.ini"],
        1,
        err("Cannot read policy file '/nonexistent/policy.ini': No such file or directory"),
        sent="nothing",
    ),
    # -- names --
    Case(
        "unknown-name",
        ["bless", "no-such-server"],
        1,
        err("No server with a name or ID of 'no-such-server' exists."),
        sent="no-action",
    ),
    Case(
        "unknown-uuid-show",
        ["show", UNKNOWN],
        1,
        err(f"No server with a name or ID of '{UNKNOWN}' exists."),
        sent="no-action",
    ),
    Case(
        "ambiguous-name",
        ["launch", "twin"],
        1,
        "ERROR: Multiple server matches found for 'twin', use an ID to be more specific: ",
        match="prefix",
        sent="no-action",
    ),
    # -- wrong states, Cobalt wording (CO-1.5) and Gridcentric wording (GC-Folsom) --
    *state_cases("cobalt", CO),
    *state_cases("folsom", GC),
    Case(
        "cobalt-get-policy-regular",
        ["get-policy", "{plain}"],
        1,
        answered(
            "Instance {plain} is not a launched instance. Only launched instances support "
            "policies.",
            400,
        ),
    ),
    Case(
        "cobalt-get-policy-blessed",
        ["get-policy", "{blessed}"],
        1,
        answered(
            "Instance {blessed} is not a launched instance. Only launched instances support "
            "policies.",
            400,
        ),
    ),
    Case(
        "cobalt-unknown-keypair",
        ["launch", "--key-name", "nokey", "{blessed}"],
        1,
        answered("Keypair nokey not found for user {user_id}", 400),
    ),
    Case(
        "cobalt-unknown-network",
        ["launch", "--nic", f"net-id={UNKNOWN}", "{blessed}"],
        1,
        answered(f"Network {UNKNOWN} could not be found.", 400),
    ),
    Case(
        "cobalt-export-regular",
        ["export", "{plain}", "/dev/null"],
        1,
        answered("Instance {plain} is not a live image. Only live images can be exported.", 400),
    ),
    Case(
        "one-host-migrate-nowhere",
        ["gc-migrate", "{plain}"],
        1,
        answered("There are no available hosts for the migration target.", 400),
        "one-host",
    ),
    Case(
        "folsom-hint-not-offered",
        ["launch", "--hint", "a=b", "{blessed}"],
        1,
        err(
            "This cloud does not support --hint: it does not advertise the "
            "'scheduler-hints' capability (see 'gc capabilities')"
        ),
        "folsom",
        sent="no-action",
    ),
    Case(
        "folsom-get-policy-not-offered",
        ["get-policy", "{child}"],
        1,
        err(
            "This cloud does not support get-policy: it does not advertise the "
            "'get-policy' capability (see 'gc capabilities')"
        ),
        "folsom",
        sent="no-action",
    ),
    # -- the seed server (essex): state errors are bare 500s with the fixed text --
    Case("essex-bless-blessed", ["bless", "{blessed}"], 1, answered(FIXED_500, 500), "essex"),
    Case("essex-launch-from-plain", ["launch", "{plain}"], 1, answered(FIXED_500, 500), "essex"),
    Case("essex-unknown-uuid-action", ["discard", UNKNOWN], 1, answered(FIXED_500, 500), "essex"),
    Case(
        "essex-migrate-without-dest",
        ["gc-migrate", "{plain}"],
        1,
        answered("Invalid destination", 401),
        "essex",
    ),
    Case(
        "essex-launch-name-not-offered",
        ["launch", "--name", "x", "{blessed}"],
        1,
        err(
            "This cloud does not support --name: it does not advertise the 'launch-name' "
            "capability (see 'gc capabilities')"
        ),
        "essex",
        sent="no-action",
    ),
    Case(
        "essex-delete-blessed",
        ["delete", "{blessed}"],
        1,
        err(DELETE_BLESSED),
        "essex",
        sent="no-action",
    ),
    # -- quota --
    Case(
        "quota-413",
        ["launch", "{blessed}"],
        1,
        answered(
            "Quota exceeded for instances: Requested 1, but already used 2 of 2 instances", 413
        ),
        "quota",
        check=one_action,
    ),
    Case(
        "quota-413-essex",
        ["launch", "{plain}"],
        1,
        answered("Quota exceeded: code=InstanceLimitExceeded", 413),
        "quota-essex",
        check=one_action,
    ),
    # -- authentication settings and reachability --
    Case(
        "missing-password",
        ["show", "{plain}"],
        1,
        err("Missing setting: --os-password or OS_PASSWORD"),
        env={"OS_PASSWORD": ""},
        sent="nothing",
    ),
    Case(
        "missing-auth-url",
        ["show", "{plain}"],
        1,
        err("Missing setting: --os-auth-url or OS_AUTH_URL (needed by auth type password)"),
        env={"OS_AUTH_URL": ""},
        sent="nothing",
    ),
    Case(
        "missing-username",
        ["show", "{plain}"],
        1,
        err("Missing setting: --os-username or OS_USERNAME (or --os-user-id)"),
        env={"OS_USERNAME": ""},
        sent="nothing",
    ),
    Case(
        "unknown-auth-type",
        ["--os-auth-type", "kerberos5", "show", "{plain}"],
        1,
        err("Unknown auth type 'kerberos5' (--os-auth-type or OS_AUTH_TYPE)"),
        sent="nothing",
    ),
    Case(
        "wrong-password",
        ["bless", "{plain}"],
        1,
        "ERROR: Authentication failed: The request you have made requires authentication. "
        "(HTTP 401)",
        match="prefix",
        env={"OS_PASSWORD": "not-the-password"},
        sent="no-action",
    ),
    Case(
        "unreachable-endpoint",
        ["bless", UNKNOWN],
        1,
        err(
            "Cannot reach http://127.0.0.1:{port}/v3/auth/tokens: connection refused; "
            "the gc_bless request was not sent"
        ),
        "closed-port",
    ),
    Case(
        "timeout-on-action",
        ["--timeout", "1", "bless", "{plain}"],
        1,
        err(
            "The gc_bless request was sent but its answer was lost (no answer within the "
            "timeout); it may have been carried out: check with gc list-blessed {plain} "
            "before retrying"
        ),
        "fault-slow",
        check=one_action_eventually,
    ),
    # -- odd answers: injected by the simulator or scripted in a fake nova --
    Case(
        "no-extension",
        ["bless", "{plain}"],
        1,
        answered(
            "This cloud does not offer the Gridcentric extension (it answered: There is no "
            "such action: gc_bless)",
            400,
            request_id=False,  # the fake cloud gives none
        ),
        "fake-no-extension",
        check=posts_to_fake(1),
    ),
    Case(
        "html-502-on-action",
        ["bless", "{plain}"],
        1,
        # Not Nova's answer: the bless may have gone through behind the gateway (issue 11).
        err(
            "The gc_bless request was answered by something other than the compute API "
            "(HTTP 502 Bad Gateway with an HTML page); it may have been carried out: check "
            "with gc list-blessed {plain} before retrying"
        ),
        "fault-html",
        check=one_action,
    ),
    Case(
        "503-on-action-not-resent",
        ["bless", "{plain}"],
        1,
        answered("Service temporarily unavailable.", 503),
        "fault-503",
        check=one_action,
    ),
    Case(
        "500-on-action",
        ["bless", "{plain}"],
        1,
        answered(FIXED_500, 500),
        "fault-500",
        check=one_action,
    ),
    Case(
        "truncated-answer",
        ["bless", "{plain}"],
        1,
        err(
            "The gc_bless request was sent but its answer was lost (the answer was cut "
            "short); it may have been carried out: check with gc list-blessed {plain} "
            "before retrying"
        ),
        "fault-truncated",
        check=one_action,
    ),
    Case(
        "reset-after-processing",
        ["launch", "{plain}"],
        1,
        err(
            "The gc_launch request was sent but its answer was lost (the connection was "
            "reset); it may have been carried out: check with gc list-launched {plain} "
            "before retrying"
        ),
        "fault-reset-after",
        check=one_action,
    ),
    Case(
        "empty-answer-to-bless",
        ["bless", "{plain}"],
        1,
        err(
            "The gc_bless request was accepted but the answer did not include the new "
            "server; it may have been carried out: check with gc list-blessed {plain}"
        ),
        "fake-empty",
        check=posts_to_fake(1),
    ),
    Case(
        "html-answer-to-launch",
        ["launch", "{plain}"],
        1,
        err(
            "The gc_launch request was accepted (HTTP 200) but its answer could not be read; "
            "it may have been carried out: check with gc list-launched {plain}"
        ),
        "fake-html",
        check=posts_to_fake(1),
    ),
    Case(
        "non-json-answer-to-list",
        ["list-launched", "{plain}"],
        1,
        err(
            "The server answered gc_list_launched with a body that is not JSON "
            "(HTTP 200, text/plain)"
        ),
        "fake-text",
        check=posts_to_fake(1),
    ),
    Case(
        "non-json-answer-to-get",
        ["show", "{plain}"],
        1,
        err(
            "The server answered GET /servers/{plain} with a body that is not JSON "
            "(HTTP 200, text/plain)"
        ),
        "fake-text",
        check=posts_to_fake(1),
    ),
    Case(
        "unexpected-json-to-get",
        ["show", "{plain}"],
        1,
        err(
            "Unexpected answer to GET /servers/{plain} from {fake}: no 'server' in it; "
            "is it the compute API's endpoint?"
        ),
        "fake-wrapped",
        check=posts_to_fake(1),
    ),
    Case(
        "500-without-message",
        ["bless", "{plain}"],
        1,
        err(
            "The gc_bless request was answered by something other than the compute API "
            "(HTTP 500 Internal Server Error without a body); it may have been carried out: "
            "check with gc list-blessed {plain} before retrying"
        ),
        "fake-500-bare",
        check=posts_to_fake(1),
    ),
    Case(
        "500-plain-text",
        ["discard", "{plain}"],
        1,
        err(
            "The gc_discard request was answered by something other than the compute API "
            "(HTTP 500 Internal Server Error without the compute API's error envelope); it "
            "may have been carried out: check with gc show {plain} before retrying"
        ),
        "fake-500-text",
        check=posts_to_fake(1),
    ),
    Case(
        "401-repeated-no-loop",
        ["bless", "{plain}"],
        1,
        answered("Token not valid here.", 401, request_id=False),
        "fake-401",
        check=posts_to_fake(2),
    ),
]


SIMULATOR_WORLDS = frozenset({"cobalt", "folsom", "essex", "one-host", "quota", "quota-essex"})


def check_case(case: Case, world: World, result: Result, journal: list[dict]) -> None:
    """Every check of a case, whichever tier ran gc: exit code, no traceback, nothing on
    stdout after a failure, the error text, the requests sent (none, or no write)."""
    expected = case.err.format(**world.ids)
    result = Result(result.code, result.out, same_request_ids(result.err))
    assert result.code == case.code, result
    assert "Traceback" not in result.err and "Traceback" not in result.out
    if case.code:
        assert result.out == ""
    if case.match == "exact":
        assert result.err == expected
    elif case.match == "prefix":
        assert result.err.startswith(expected), result.err
        if case.code == 1:
            assert result.err.count("\n") == 1, result.err
    else:
        assert result.err.splitlines()[-1] == expected, result.err
    if case.sent == "nothing":
        assert journal == []
    elif case.sent == "no-action":
        assert [a for a in actions(journal) if a[0] != "GET"] == []
    if case.check is not None:
        case.check(world, journal)
