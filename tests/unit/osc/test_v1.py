"""The openstack commands' parsers fill the attributes gc's take_action reads, spelled
as OSC's guide asks (the check_parser idiom of python-openstackclient's tests)."""

from __future__ import annotations

import argparse

import pytest

from gcclient.osc import v1


def parse(cls: type, argv: list[str]) -> argparse.Namespace:
    return cls(None, None).get_parser("openstack").parse_args(argv)


def test_live_image_create_takes_the_name_and_the_server_option():
    parsed = parse(v1.CreateLiveImage, ["--server", "web", "golden", "--wait"])
    assert (parsed.server, parsed.name, parsed.wait) == ("web", "golden", True)
    assert parse(v1.CreateLiveImage, ["--server", "web"]).name is None


def test_live_image_server_create_options():
    parsed = parse(
        v1.CreateLiveImageServer,
        ["--live-image", "golden", "clone", "--security-group", "a", "--security-group", "b",
         "--param", "k=v", "--param", "flag", "--hint", "group=g", "--num-instances", "2"],
    )  # fmt: skip
    assert parsed.server == "golden" and parsed.name == "clone"
    assert parsed.security_groups == ["a", "b"]
    assert parsed.params == ["k=v", "flag"] and parsed.hint == ["group=g"]
    assert parsed.num_instances == 2 and parsed.ensure is None
    assert parse(v1.CreateLiveImageServer, ["--live-image", "g"]).security_groups is None


@pytest.mark.parametrize(
    "cls,argv",
    [
        (v1.CreateLiveImage, ["web"]),  # --server is required
        (v1.CreateLiveImageServer, ["golden"]),  # --live-image is required
        (v1.CreateLiveImageServer, ["--live-image", "g", "--security-groups", "a,b"]),
        (v1.CreateLiveImageServer, ["--live-image", "g", "--ensure", "1", "--num-instances", "2"]),
        (v1.MigrateVmsServer, ["web", "host-2"]),  # the host is --host
    ],
)
def test_usage_errors(cls, argv, capsys):
    with pytest.raises(SystemExit) as exc:
        parse(cls, argv)
    assert exc.value.code == 2


def test_lists_take_no_positional():
    assert parse(v1.ListLiveImage, []).server is None
    assert parse(v1.ListLiveImage, ["--server", "web", "--all-projects"]).all_projects
    assert parse(v1.ListLiveImageServer, ["--live-image", "golden"]).live_image == "golden"


def test_migrate_host_option():
    parsed = parse(v1.MigrateVmsServer, ["web", "--host", "compute-2", "--wait"])
    assert (parsed.server, parsed.dest, parsed.wait) == ("web", "compute-2", True)


def test_words_name_the_osc_options():
    assert v1.OSC_WORDS.options["security_groups"] == "--security-group"
    assert v1.OSC_WORDS.options["name"] == "<name>"
    assert "openstack live image delete" in v1.OSC_WORDS.options["discard"]
