"""gcclient.api.exceptions: each error's text in a front-end's Words (the core never
words a message itself), str() in PLAIN words, and the status classes."""

from __future__ import annotations

import pytest

from gcclient.api import exceptions as exc

# A front-end's words, made up for these tests: every template is filled, so that a
# message that ignored one would show it.
TOOL = exc.Words(
    checks={"show": "tool show {server}", "list": "tool list"},
    options={
        "name": "--name",
        "discard": "use 'tool discard'",
        "cached_catalog": "try --no-cache",
        "tls": "see --cacert",
    },
    capabilities="tool caps",
    resume="tool wait {servers}",
    resume_gone="tool wait --gone {servers}",
    setting="--os-{option} or {variable}",
    setting_option="--os-{option}",
)


def test_words_name_a_setting_in_full_and_short():
    assert TOOL.name_setting("project_id") == "--os-project-id or OS_PROJECT_ID"
    assert TOOL.name_setting("project_id", short=True) == "--os-project-id"
    assert exc.PLAIN.name_setting("project_id") == "project_id"
    assert exc.PLAIN.name_setting("project_id", short=True) == "project_id"


def test_words_check_and_option_fall_back_to_plain_phrases():
    assert TOOL.check(exc.Check("show", "s1")) == "tool show s1"
    assert TOOL.check(exc.Check("show")) == "tool show <server>"
    assert TOOL.check(exc.Check("get-policy", "s1")) == "server s1"
    assert TOOL.check(None) == "the servers"
    assert exc.PLAIN.check(exc.Check("list-launched", "b1")) == "the servers launched from b1"
    assert TOOL.option("name") == "--name"
    assert TOOL.option("user_data") == "the 'user_data' parameter"


def test_a_plain_error_has_one_text():
    error = exc.CommandError("Bad input")
    assert (str(error), error.render(TOOL), error.message) == ("Bad input",) * 3
    assert isinstance(error, exc.GcError)


def test_invalid_value_is_named_by_the_option_or_the_noun():
    error = exc.InvalidValue("name", "server name", "a/b", "no slashes")
    assert error.render(TOOL) == "Invalid --name 'a/b': no slashes"
    assert str(error) == "Invalid server name 'a/b': no slashes"
    plain = exc.InvalidValue("target", "memory target", "0", "> 0", plain="Target must be > 0")
    assert plain.render(TOOL) == "Target must be > 0"
    assert str(plain) == "Target must be > 0"


def test_capability_error_names_the_feature_and_where_to_look():
    error = exc.CapabilityError("name", "launch-name")
    assert error.render(TOOL) == (
        "This cloud does not support --name: it does not advertise the 'launch-name' "
        "capability (see tool caps)"
    )
    assert str(error) == (
        "This cloud does not support the 'name' parameter: it does not advertise the "
        "'launch-name' capability"
    )
    assert isinstance(error, exc.CommandError)


def test_blessed_delete_says_to_discard():
    error = exc.BlessedDelete("b1")
    assert error.render(TOOL) == "Server b1 is a blessed server (live image): use 'tool discard'"
    assert str(error) == "Server b1 is a blessed server (live image): discard it instead"


def test_auth_settings_error_words_each_setting():
    error = exc.AuthSettingsError(
        "Missing setting: ", exc.Setting("username"), " (or ", exc.Setting("user_id", True), ")"
    )
    assert error.render(TOOL) == ("Missing setting: --os-username or OS_USERNAME (or --os-user-id)")
    assert str(error) == "Missing setting: username (or user_id)"


def test_connection_failure_hints_at_a_cached_catalog_only_when_it_was_one():
    error = exc.ConnectionFailure("Unable to connect to http://n:8774")
    assert (error.sent, error.reason, error.url) == (True, "", "")
    assert error.render(TOOL) == "Unable to connect to http://n:8774"
    error.cached_catalog = True
    assert error.render(TOOL) == "Unable to connect to http://n:8774 (try --no-cache)"
    assert str(error) == "Unable to connect to http://n:8774"


def test_tls_failure_text_and_hint():
    error = exc.TLSVerificationFailed("self-signed certificate")
    assert error.render(TOOL) == "TLS verification failed: self-signed certificate (see --cacert)"
    assert str(error) == "TLS verification failed: self-signed certificate"
    own = exc.TLSVerificationFailed("wrong version", text="http:// on a TLS port")
    assert own.render(TOOL) == "http:// on a TLS port"
    assert isinstance(own, exc.ConnectionFailure)


def test_no_project_scope_names_both_project_settings():
    error = exc.NoProjectScope("The service catalog is empty.")
    assert error.render(TOOL) == (
        "No compute endpoint found: The service catalog is empty: the token is scoped to "
        "no project because no project was given (set --os-project-name or OS_PROJECT_NAME, "
        "or --os-project-id)"
    )
    assert str(error).endswith("(set project_name, or project_id)")
    assert isinstance(error, exc.EndpointNotFound)


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (
            "lost",
            "The gc_launch request was sent but its answer was lost (timed out); it may "
            "have been carried out: check tool show b1 before retrying",
        ),
        (
            "gateway",
            "The gc_launch request was answered by something other than the compute API "
            "(timed out); it may have been carried out: check tool show b1 before retrying",
        ),
        (
            "unreadable",
            "The gc_launch request was accepted (timed out) but its answer could not be "
            "read; it may have been carried out: check tool show b1",
        ),
        (
            "empty",
            "The gc_launch request was accepted but the answer did not include the new "
            "server; it may have been carried out: check tool show b1",
        ),
    ],
)
def test_unknown_outcome_says_it_may_have_been_carried_out(kind, text):
    error = exc.UnknownOutcome(
        "gc_launch", server="b1", check=exc.Check("show", "b1"), kind=kind, reason="timed out"
    )
    assert error.render(TOOL) == text
    assert (error.sent, error.action, error.server) == (True, "gc_launch", "b1")


def test_unknown_outcome_without_a_check_names_the_servers_in_plain_words():
    error = exc.UnknownOutcome("delete", reason="reset")
    assert str(error) == (
        "The delete request was sent but its answer was lost (reset); it may have been "
        "carried out: check the servers before retrying"
    )


def test_wait_failed_says_what_was_done_and_how_to_resume():
    cause = exc.WaitError("Server s2 went to ERROR")
    error = exc.WaitFailed("launch", [{"id": "s1", "name": "a"}, {"id": "s2"}], cause)
    assert error.ids == ["s1", "s2"]
    assert error.render(TOOL) == (
        "The launch was carried out (s1, s2); only the wait failed: Server s2 went to "
        "ERROR; resume it with tool wait s1 s2"
    )
    assert str(error) == (
        "The launch was carried out (s1, s2); only the wait failed: Server s2 went to ERROR"
    )


def test_wait_failed_for_gone_servers_and_with_a_plain_cause():
    gone = exc.WaitFailed("delete", [{"id": "s1"}], TimeoutError("600 s"), gone=True)
    assert gone.render(TOOL) == (
        "The delete was carried out (s1); only the wait failed: 600 s; "
        "resume it with tool wait --gone s1"
    )
    nothing = exc.WaitFailed("delete", [], exc.WaitError("x"))
    assert nothing.render(TOOL) == "The delete was carried out (no server); only the wait failed: x"


def test_wait_failed_renders_its_cause_in_the_same_words():
    cause = exc.CapabilityError("name", "launch-name")
    error = exc.WaitFailed("bless", [{"id": "b1"}], cause)
    assert "does not support --name" in error.render(TOOL)
    assert "does not support the 'name' parameter" in str(error)


def test_output_failed_says_what_was_done():
    error = exc.OutputFailed("Broken pipe", "launched s1")
    assert str(error) == "The output could not be written (Broken pipe); launched s1"
    assert (error.reason, error.done) == ("Broken pipe", "launched s1")


def test_an_answered_error_ends_with_status_and_request_id_once():
    error = exc.BadRequest("Invalid key", request_id="req-1", answered=True)
    assert str(error) == "Invalid key (HTTP 400) (Request-ID: req-1)"
    assert error.render(TOOL) == str(error)
    assert error.code == 400
    stored = exc.BadRequest(str(error), request_id="req-1", answered=True)
    assert str(stored) == "Invalid key (HTTP 400) (Request-ID: req-1)"


def test_a_status_already_in_the_message_or_not_from_the_cloud_is_not_added():
    assert str(exc.ServerError("Boom (HTTP 500)", answered=True)) == "Boom (HTTP 500)"
    assert str(exc.NotFound("No server named 'x'")) == "No server named 'x'"
    assert str(exc.NotFound("gone", request_id="req-9")) == "gone (Request-ID: req-9)"
    odd = exc.ClientException("Teapot", http_status=418, answered=True)
    assert (str(odd), odd.code) == ("Teapot (HTTP 418)", 418)


def test_token_rejected_asks_for_a_new_token():
    error = exc.TokenRejected("Failed to validate token", 404)
    assert error.render(TOOL) == (
        "The token is expired, revoked or invalid: Keystone answered 'Failed to validate "
        "token' (HTTP 404); get a new --os-token or OS_TOKEN"
    )
    assert str(error).endswith("(HTTP 404); get a new token")
    assert isinstance(error, exc.Unauthorized) and error.code == 404


def test_no_unique_match_keeps_the_name():
    error = exc.NoUniqueMatch("Several servers are named 'web'", name="web")
    assert (str(error), error.name) == ("Several servers are named 'web'", "web")
    assert exc.NoUniqueMatch("x").name is None


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, exc.BadRequest),
        (401, exc.Unauthorized),
        (403, exc.Forbidden),
        (404, exc.NotFound),
        (409, exc.Conflict),
        (413, exc.OverLimit),
        (500, exc.ServerError),
        (503, exc.ServiceUnavailable),
        (502, exc.ServerError),
        (504, exc.ServerError),
        (418, exc.ClientException),
        (429, exc.ClientException),
    ],
)
def test_for_status(status, cls):
    assert exc.for_status(status) is cls
