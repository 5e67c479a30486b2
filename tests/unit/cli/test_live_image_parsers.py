"""gcclient.cli.live_image: the parsers of bless, launch, discard, list-launched, list-blessed."""

from __future__ import annotations

import pytest

from .parsers import check_parser, usage_error


def test_bless_defaults_and_options():
    check_parser(
        "bless",
        ["web"],
        {"server": ["web"], "name": None, "wait": False, "wait_timeout": 600.0, "parallel": 32},
    )
    check_parser(
        "bless",
        ["a", "b", "--name", "img", "--wait", "--wait-timeout", "30", "--parallel", "3"],
        {"server": ["a", "b"], "name": "img", "wait": True, "wait_timeout": 30.0, "parallel": 3},
    )


def test_launch_defaults_and_every_option():
    check_parser(
        "launch",
        ["img"],
        {
            "server": "img",
            "target": None,
            "params": [],
            "name": None,
            "num_instances": None,
            "user_data": None,
            "security_groups": None,
            "availability_zone": None,
            "key_name": None,
            "hint": [],
            "nic": [],
            "wait": False,
            "wait_timeout": 600.0,
        },
    )
    argv = [
        "img", "--target", "0", "--params", "a=1", "--params", "b=2", "--name", "c",
        "--num-instances", "3", "--user-data", "u.txt", "--security-groups", "s1,s2",
        "--availability-zone", "nova", "--key-name", "k", "--hint", "h=1", "--nic", "net-id=n",
        "--wait", "--wait-timeout", "9",
    ]  # fmt: skip
    check_parser(
        "launch",
        argv,
        {
            "server": "img",
            "target": "0",
            "params": ["a=1", "b=2"],
            "name": "c",
            "num_instances": 3,
            "user_data": "u.txt",
            "security_groups": "s1,s2",
            "availability_zone": "nova",
            "key_name": "k",
            "hint": ["h=1"],
            "nic": ["net-id=n"],
            "wait": True,
            "wait_timeout": 9.0,
        },
    )


def test_discard_options():
    check_parser(
        "discard",
        ["i1", "i2", "--delete-launched", "--wait"],
        {"server": ["i1", "i2"], "delete_launched": True, "wait": True, "parallel": 32},
    )


@pytest.mark.parametrize("name", ["list-launched", "list-blessed"])
def test_list_commands_take_one_server(name, capsys):
    check_parser(name, ["web"], {"server": "web"})
    usage_error(name, [], capsys)
    usage_error(name, ["a", "b"], capsys)


@pytest.mark.parametrize(
    ("name", "argv", "option"),
    [
        ("bless", [], "arguments are required"),
        ("bless", ["web", "--parallel", "65"], "--parallel"),
        ("bless", ["web", "--parallel", "0"], "--parallel"),
        ("bless", ["web", "--wait-timeout", "soon"], "--wait-timeout"),
        ("launch", [], "arguments are required"),
        ("launch", ["img", "--num-instances", "two"], "--num-instances"),
        ("launch", ["img", "--bogus"], "--bogus"),
        ("discard", [], "arguments are required"),
        ("discard", ["i1", "--parallel", "x"], "--parallel"),
    ],
)
def test_usage_errors_name_the_option(name, argv, option, capsys):
    assert option in usage_error(name, argv, capsys)
