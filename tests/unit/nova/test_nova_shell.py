"""gcclient.nova.nova_shell: the nova shell's commands (bless, launch, discard,
gc-migrate, list-launched, list-blessed): their help as the seed's, the requests
each sends and what it prints, on requests-mock."""

import argparse
import base64
import re

import pytest
from novaclient import exceptions as nova_exc

from gcclient.nova import nova_shell

from .helpers import ACTION, CHILD, UUID, actions, answer, view

# -- nova shell ------------------------------------------------------------------


HELP = {
    "bless": (
        "usage: nova bless <instance id>\n\nBless an instance\n\nPositional arguments:\n"
        "  <instance id>  ID of the instance to bless\n"
    ),
    "discard": (
        "usage: nova discard <blessed id>\n\nDiscard a blessed instance\n\n"
        "Positional arguments:\n  <blessed id>  ID of the blessed instance\n"
    ),
    "list-launched": (
        "usage: nova list-launched <blessed id>\n\n"
        "List instances launched from this blessed instance.\n\n"
        "Positional arguments:\n  <blessed id>  ID of the blessed instance\n"
    ),
    "list-blessed": (
        "usage: nova list-blessed <server id>\n\nList instances blessed from this instance.\n\n"
        "Positional arguments:\n  <server id>  ID of the instance\n"
    ),
}


@pytest.mark.parametrize("command", sorted(HELP))
def test_shell_help_matches_the_seed(parser, command, capsys):
    shell, _ = parser
    assert shell.subcommands[command].format_help() == HELP[command]


def test_shell_help_of_launch_and_gc_migrate(parser):
    shell, _ = parser
    launch = shell.subcommands["launch"].format_help()
    assert launch.startswith("usage: nova launch [--target <target memory>] [--params <key=value>]")
    assert "\n\nLaunch a new instance\n\n" in launch
    assert re.search(r"\n  <blessed id> +ID of the blessed instance\n", launch)
    assert re.search(r"\n  --target <target memory> +The memory target of the launched", launch)
    assert re.search(r"\n  --params <key=value> +Guest parameters to send to vms-agent\n", launch)
    for option in (
        "--name",
        "--num-instances",
        "--user-data",
        "--security-groups",
        "--availability-zone",
        "--key-name",
        "--hint",
        "--nic",
    ):
        assert option in launch
    migrate = shell.subcommands["gc-migrate"].format_help()
    assert migrate.startswith("usage: nova gc-migrate <instance id> [<destination host>]\n")
    assert "\n\nMigrate an instance using Gridcentric VMS\n\n" in migrate
    assert "<instance id>       ID of the instance to migrate" in migrate
    assert "<destination host>  Host to migrate to" in migrate


def run(parser, nova, argv):
    shell, subparser = parser
    args = subparser.parse_args(argv)
    args.func(nova, args)


def test_shell_launch_sends_every_option(parser, nova, requests_mock, caps, tmp_path, capsys):
    user_data = tmp_path / "ud"
    user_data.write_bytes(b"hello\n")
    answer(requests_mock, [view(CHILD, "vm", "BUILD", addresses={"net": [{"addr": "10.0.0.2"}]})])
    run(
        parser,
        nova,
        [
            "launch",
            "--target",
            "512MB",
            "--params",
            "a=b",
            "--params",
            "c=d=e",
            "--name",
            "vm",
            "--num-instances",
            "2",
            "--user-data",
            str(user_data),
            "--security-groups",
            "default,web",
            "--availability-zone",
            "nova",
            "--key-name",
            "kp",
            "--hint",
            "g=1",
            "--hint",
            "g=2",
            "--hint",
            "near=x",
            "--nic",
            "net-id=n1,v4-fixed-ip=10.0.0.9",
            "--nic",
            "port-id=p2",
            UUID,
        ],
    )
    listing = ("POST", ACTION, {"gc_list_launched": {}})  # before and after a launch of 2
    assert actions(requests_mock) == [
        listing,
        (
            "POST",
            ACTION,
            {
                "gc_launch": {
                    "target": "512MB",
                    "guest": {"a": "b", "c": "d=e"},
                    "name": "vm",
                    "num_instances": 2,
                    "user_data": base64.b64encode(b"hello\n").decode(),
                    "security_groups": ["default", "web"],
                    "availability_zone": "nova",
                    "key_name": "kp",
                    "scheduler_hints": {"g": ["1", "2"], "near": "x"},
                    "networks": [{"uuid": "n1", "fixed_ip": "10.0.0.9"}, {"port": "p2"}],
                }
            },
        ),
        listing,
    ]
    out = capsys.readouterr().out
    assert "| Property" in out
    assert "| id " in out and CHILD in out
    assert "| net network | 10.0.0.2" in out


def test_shell_seed_commands(parser, nova, requests_mock, capsys):
    answer(requests_mock, [view(CHILD, "b", "BUILD")])
    run(parser, nova, ["bless", UUID])
    run(parser, nova, ["launch", "--target", "512MB", "--params", "a=b", UUID])
    run(parser, nova, ["list-launched", UUID])
    run(parser, nova, ["list-blessed", UUID])
    answer(requests_mock, "null")
    run(parser, nova, ["discard", UUID])
    answer(requests_mock, "")
    run(parser, nova, ["gc-migrate", UUID, "host2"])
    run(parser, nova, ["gc-migrate", UUID])
    assert [body for _, _, body in actions(requests_mock)] == [
        {"gc_bless": {}},
        {"gc_launch": {"target": "512MB", "guest": {"a": "b"}}},
        {"gc_list_launched": {}},
        {"gc_list_blessed": {}},
        {"gc_discard": {}},
        {"gc_migrate": {"dest": "host2"}},
        {"gc_migrate": {}},
    ]


def test_shell_list_output_is_sorted_by_id(parser, nova, requests_mock, capsys):
    answer(
        requests_mock,
        [
            view("b" * 8, "second", addresses={"n1": [{"addr": "1.1.1.1"}, {"addr": "::1"}]}),
            view("a" * 8, "first", addresses=None),
        ],
    )
    run(parser, nova, ["list-launched", UUID])
    lines = capsys.readouterr().out.splitlines()
    assert [cell.strip() for cell in lines[1].split("|")[1:5]] == [
        "ID",
        "Name",
        "Status",
        "Networks",
    ]
    assert lines[3].startswith("| aaaaaaaa | first")
    assert lines[4].startswith("| bbbbbbbb | second | ACTIVE | n1=1.1.1.1, ::1 |")


def test_shell_server_display_survives_odd_views(capsys):
    nova_shell.print_server(
        {"id": "x", "image": "", "flavor": None, "addresses": "junk", "links": [], "fault": {}}
    )
    out = capsys.readouterr().out
    assert "Attempt to boot from volume - no image supplied" in out
    assert "| fault    | {}" in out


def test_shell_input_errors_are_command_errors(parser, nova, requests_mock):
    for argv in (
        ["launch", "--target", "lots", UUID],
        ["launch", "--num-instances", "two", UUID],
        ["launch", "--nic", "foo=bar", UUID],
        ["launch", "--hint", "nokey", UUID],
        ["launch", "--user-data", "/nonexistent/file", UUID],
    ):
        with pytest.raises(nova_exc.CommandError):
            run(parser, nova, argv)
    assert requests_mock.request_history == []


def test_shell_warns_on_a_target_without_unit(parser, nova, requests_mock, capsys):
    answer(requests_mock, [view(CHILD)])
    run(parser, nova, ["launch", "--target", "4096", UUID])
    assert "read as 4096 bytes" in capsys.readouterr().err
    assert actions(requests_mock)[0][2] == {"gc_launch": {"target": "4096"}}


def test_namespace_parsing_is_argparse(parser):
    _, subparser = parser
    assert isinstance(subparser, argparse.ArgumentParser)


def test_an_unreadable_user_data_file_is_named(parser, nova, requests_mock, tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(nova_exc.CommandError) as err:
        run(parser, nova, ["launch", "--user-data", str(missing), UUID])
    assert str(err.value) == f"Cannot read user data file '{missing}': No such file or directory"
    assert requests_mock.request_history == []


def test_shell_server_display_of_references_and_networks(capsys):
    nova_shell.print_server(
        {
            "id": "x",
            "name": "a\rb",
            "image": {"id": "i-1"},
            "flavor": {"original_name": "m1.tiny"},
            "metadata": {"k": "v"},
            "addresses": {"net": [{"addr": "10.0.0.1"}, {"addr": ""}, "10.0.0.3"], "bad": "x"},
        }
    )
    rows = {
        cells[0]: cells[1]
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("| ") and (cells := [c.strip() for c in line.strip("|").split("|")])
    }
    assert rows["image"] == "i-1"
    assert rows["flavor"] == "m1.tiny"
    assert rows["name"] == "ab"
    assert (nova_shell._text("a\rb"), nova_shell._text(None)) == ("ab", "-")
    assert rows["metadata"] == '{"k": "v"}'
    assert rows["net network"] == "10.0.0.1, 10.0.0.3"
    assert rows["bad network"] == ""


def test_ctrl_c_during_a_write_says_what_it_left(parser, nova, requests_mock, capsys):
    """_cli's handling: the interruption here comes out of the request in flight."""
    requests_mock.post(ACTION, exc=KeyboardInterrupt)
    with pytest.raises(SystemExit) as exit_:
        run(parser, nova, ["discard", UUID])
    assert exit_.value.code == 130
    assert capsys.readouterr().err == (
        f"Interrupted: the discard of {UUID} was sent and may have been carried out: "
        f"check with nova show {UUID}\n"
    )
    assert nova.gridcentric.ledger is None  # one ledger per command
