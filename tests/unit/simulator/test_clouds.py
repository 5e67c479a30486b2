"""clouds.py: a clouds.yaml entry written or merged as text, other clouds kept."""

from __future__ import annotations

import os
import stat

from gcclient.simulator.clouds import cloud_block, merge, write_clouds_yaml

ENV = {
    "OS_AUTH_URL": "http://h:1/v3",
    "OS_USERNAME": "demo",
    "OS_PASSWORD": "pw",
    "OS_PROJECT_NAME": "demo",
    "OS_USER_DOMAIN_NAME": "Default",
    "OS_PROJECT_DOMAIN_NAME": "Default",
    "OS_REGION_NAME": "RegionOne",
}

BLOCK = """\
  gc-simulator:
    auth:
      auth_url: http://h:1/v3
      username: demo
      password: pw
      project_name: demo
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
    identity_api_version: 3
"""


def test_cloud_block():
    assert "\n".join(cloud_block("gc-simulator", ENV)) + "\n" == BLOCK


def test_a_new_file_is_the_clouds_key_and_the_block():
    assert merge("", "gc-simulator", ENV) == "clouds:\n" + BLOCK


def test_a_file_without_clouds_key_keeps_its_text():
    assert merge("other: 1\n", "gc-simulator", ENV) == "other: 1\nclouds:\n" + BLOCK


def test_merge_replaces_own_entry_only():
    first = merge("", "gc-simulator", ENV)
    existing = "clouds:\n  other:\n    region_name: X\n" + first.split("clouds:\n", 1)[1]
    existing += "tail: 1\n"
    merged = merge(existing, "gc-simulator", {**ENV, "OS_AUTH_URL": "http://h:2/v3"})
    assert merged == (
        "clouds:\n" + BLOCK.replace("h:1", "h:2") + "  other:\n    region_name: X\ntail: 1\n"
    )


def test_a_quoted_name_is_the_same_entry():
    existing = "clouds:\n  'gc-simulator':\n    region_name: Old\n"
    assert merge(existing, "gc-simulator", ENV) == "clouds:\n" + BLOCK


def test_write_creates_directories_and_replaces_atomically(tmp_path):
    path = tmp_path / "etc" / "openstack" / "clouds.yaml"
    write_clouds_yaml(str(path), "gc-simulator", ENV)
    assert path.read_text() == "clouds:\n" + BLOCK
    write_clouds_yaml(str(path), "second", ENV)
    text = path.read_text()
    assert text.startswith("clouds:\n  second:\n") and text.count("gc-simulator:") == 1
    assert os.listdir(path.parent) == ["clouds.yaml"]  # no .tmp left
    assert stat.S_ISREG(path.stat().st_mode)
