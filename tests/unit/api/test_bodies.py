import pytest

from gcclient.api import bodies
from gcclient.api.exceptions import CommandError


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("512MB", "512MB"),
        ("512mb", "512MB"),
        ("512M", "512MB"),
        ("2G", "2GB"),
        ("2g", "2GB"),
        ("1TB", "1TB"),
        ("20KB", "20KB"),
        ("12288b", "12288B"),
        ("1", "1"),
        ("64TB", "64TB"),
    ],
)
def test_target_is_normalised(given, sent):
    assert bodies.normalise_target(given)[0] == sent


def test_target_without_unit_warns_that_it_is_bytes():
    assert bodies.normalise_target("4096") == (
        "4096",
        "Memory target '4096' has no unit: it is read as 4096 bytes",
    )


@pytest.mark.parametrize("bad", ["abc", "-1", "1.5GB", "512megabytes", "-512MB", "", "12 GB", "5X"])
def test_bad_targets_are_refused(bad):
    with pytest.raises(CommandError) as err:
        bodies.normalise_target(bad)
    assert str(err.value) == (
        f"Invalid memory target '{bad}': expected a whole number with an optional unit "
        "B, KB, MB, GB or TB (for example 512MB)"
    )


def test_params_split_at_first_equals_and_last_wins():
    assert bodies.parse_params(["a=b", "url=x=y", "flag", "a=c"]) == {
        "a": "c",
        "url": "x=y",
        "flag": "",
    }


def test_params_with_empty_key_are_refused():
    with pytest.raises(CommandError, match="Invalid guest parameter '=v': the key is empty"):
        bodies.parse_params(["=v"])


def test_repeated_hint_becomes_a_list_in_order():
    assert bodies.parse_hints(["group=g1", "near=a", "near=b", "near=c"]) == {
        "group": "g1",
        "near": ["a", "b", "c"],
    }


@pytest.mark.parametrize("bad", ["nokey", "=v"])
def test_bad_hints_are_refused(bad):
    with pytest.raises(CommandError, match="Invalid hint"):
        bodies.parse_hints([bad])


def test_nic_keys_are_renamed_and_empty_values_omitted():
    assert bodies.parse_nic("net-id=n1,v4-fixed-ip=10.0.0.5,port-id=") == {
        "uuid": "n1",
        "fixed_ip": "10.0.0.5",
    }
    assert bodies.parse_nic("port-id=p1") == {"port": "p1"}


@pytest.mark.parametrize("bad", ["v4-fixed-ip=10.0.0.1", "net=abc", "net-id", "foo=1,net-id=n"])
def test_bad_nics_give_the_historical_error(bad):
    with pytest.raises(CommandError) as err:
        bodies.parse_nic(bad)
    assert str(err.value) == (
        f"Invalid nic argument '{bad}'. Nic arguments must be of the form --nic "
        "<net-id=net-uuid,v4-fixed-ip=ip-addr,port-id=port-uuid>, with at minimum net-id "
        "or port-id specified."
    )


def test_security_groups_are_split_on_commas():
    assert bodies.parse_security_groups("default, web") == ["default", "web"]
    assert bodies.parse_security_groups(["a,b", "c"]) == ["a", "b", "c"]
    assert bodies.parse_security_groups(None) is None
    with pytest.raises(CommandError):
        bodies.parse_security_groups("a,,b")


def test_num_instances_must_be_a_positive_integer():
    assert bodies.check_num_instances(3) == 3
    assert bodies.check_num_instances("2") == 2
    for bad in (0, -1, "x", "1.5"):
        with pytest.raises(CommandError):
            bodies.check_num_instances(bad)


def test_launch_body_omits_unset_keys_and_is_always_an_object():
    assert bodies.launch_body() == {"gc_launch": {}}
    assert bodies.launch_body(target="512MB", guest={"a": "b"}, num_instances=2) == {
        "gc_launch": {"target": "512MB", "guest": {"a": "b"}, "num_instances": 2}
    }
    assert bodies.launch_body(name=None, networks=[], scheduler_hints={}) == {"gc_launch": {}}


def test_bless_and_migrate_bodies():
    assert bodies.bless_body() == {"gc_bless": {}}
    assert bodies.bless_body("img") == {"gc_bless": {"name": "img"}}
    assert bodies.migrate_body() == {"gc_migrate": {}}
    assert bodies.migrate_body("host2") == {"gc_migrate": {"dest": "host2"}}
    assert bodies.simple_body("gc_discard") == {"gc_discard": {}}


def test_user_data_is_base64():
    assert bodies.encode_user_data(b"#!/bin/sh\n") == "IyEvYmluL3NoCg=="


@pytest.mark.parametrize(
    ("bad", "rule"),
    [
        ("0", "it must be greater than 0"),
        ("0MB", "it must be greater than 0"),
        ("65TB", "it must be at most 64TB"),
        ("9999999TB", "it must be at most 64TB"),
        ("70369744177665", "it must be at most 64TB"),
    ],
)
def test_targets_out_of_bounds_are_refused(bad, rule):
    with pytest.raises(CommandError) as err:
        bodies.normalise_target(bad)
    assert str(err.value) == f"Invalid memory target '{bad}': {rule}"


def test_small_target_is_sent_with_a_warning():
    assert bodies.normalise_target("1B") == (
        "1B",
        "Memory target '1B' is less than 64MB: the instance may not run",
    )
    assert bodies.normalise_target("64MB") == ("64MB", None)


def test_names_are_bounded_and_printable():
    assert bodies.check_name("a" * 255) == "a" * 255
    with pytest.raises(CommandError, match=r"^Invalid --name 'a{37}\.\.\.': 256 characters, at"):
        bodies.check_name("a" * 256)
    with pytest.raises(CommandError, match="the name is empty"):
        bodies.check_name(" ")
    with pytest.raises(CommandError, match=r"Invalid --name 'a\\nb': it holds control"):
        bodies.check_name("a\nb")


@pytest.mark.parametrize("bad", ["0", "-5", "nan", "inf", "-inf"])
def test_seconds_must_be_finite_and_positive(bad):
    with pytest.raises(CommandError, match="finite number of seconds greater than 0"):
        bodies.check_seconds(bad, "--wait-timeout")


def test_user_data_limit_is_on_the_base64_text():
    raw = b"x" * bodies.USER_DATA_RAW_MAX
    assert len(bodies.encode_user_data(raw)) <= bodies.USER_DATA_MAX
    assert len(bodies.encode_user_data(raw + b"x")) > bodies.USER_DATA_MAX
    with pytest.raises(CommandError, match="too large"):
        bodies.check_user_data(raw + b"x", "ud")


def test_shorten_escapes_undecodable_bytes_and_control_characters():
    assert bodies.shorten("ab\udcffcd") == "ab\\xffcd"
    assert bodies.shorten("a\tb") == "a\\tb"
    assert bodies.shorten("x" * 100) == "x" * 37 + "..."


def test_api_launch_params_apply_the_same_limits():
    """The Python API's launch (a LaunchRequest, the one place launches are checked)."""
    from gcclient.core.launch_request import LaunchRequest

    with pytest.raises(CommandError, match="^Invalid name 'a{37}...': 256 characters"):
        LaunchRequest.build(name="a" * 256)
    with pytest.raises(CommandError, match="^User data 'user_data' is too large"):
        LaunchRequest.build(user_data=b"x" * (bodies.USER_DATA_RAW_MAX + 1))
    with pytest.raises(CommandError, match="it must be greater than 0"):
        LaunchRequest.build(target="0")
