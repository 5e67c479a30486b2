"""Help texts: the seed's descriptions, metavars and argument help."""

import subprocess

import pytest

from tests.functional.gcrun import GC

SEED = {
    "bless": ("Bless an instance", ["<instance id>", "ID of the instance to bless"]),
    "launch": (
        "Launch a new instance",
        [
            "--target <target memory>",
            "The memory target of the launched instance",
            "--params <key=value>",
            "Guest parameters to send to vms-agent",
            "<blessed id>",
            "ID of the blessed instance",
        ],
    ),
    "discard": ("Discard a blessed instance", ["<blessed id>", "ID of the blessed instance"]),
    "gc-migrate": (
        "Migrate an instance using Gridcentric VMS",
        [
            "<instance id>",
            "ID of the instance to migrate",
            "<destination host>",
            "Host to migrate to",
        ],
    ),
    "list-launched": (
        "List instances launched from this blessed instance.",
        ["<blessed id>", "ID of the blessed instance"],
    ),
    "list-blessed": (
        "List instances blessed from this instance.",
        ["<server id>", "ID of the instance"],
    ),
}


def run(*args):
    return subprocess.run([GC, *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("name", sorted(SEED))
def test_seed_help_texts(name):
    description, fragments = SEED[name]
    result = run("help", name)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"usage: gc {name}")
    assert description in lines
    text = " ".join(result.stdout.split())
    for fragment in fragments:
        assert fragment in text


def test_top_level_help_lists_the_commands():
    result = run("--help")
    assert result.returncode == 0
    listing = [" ".join(line.split()) for line in result.stdout.splitlines()]
    for name, (description, _) in SEED.items():
        assert f"{name} {description.rstrip('.')}" in listing
    assert "show" in result.stdout and "delete" in result.stdout


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("gc ")
