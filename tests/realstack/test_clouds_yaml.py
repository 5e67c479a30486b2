"""clouds.yaml and OS_CLOUD against the real stack (the file ``up`` writes)."""

from __future__ import annotations

import shutil

import pytest

from .checks import names, one_error
from .rest import gc
from .stack import layout

pytestmark = pytest.mark.usefixtures("rest")


@pytest.fixture(scope="module")
def marker(rest):
    demo = rest.boot("clouds-demo-marker")
    dom2 = rest.boot("clouds-dom2-marker", who="dom2")
    yield
    rest.delete(demo["id"])
    rest.delete(dom2["id"], who="dom2")


def _cloud(name: str) -> dict[str, str]:
    return {"OS_CLIENT_CONFIG_FILE": str(layout().clouds_yaml), "OS_CLOUD": name}


@pytest.mark.parametrize(
    "cloud, expected",
    [
        ("realstack", "clouds-demo-marker"),
        ("realstack-dom2", "clouds-dom2-marker"),
        ("realstack-appcred", "clouds-demo-marker"),
        ("realstack-region-two", "clouds-demo-marker"),
    ],
)
def test_os_cloud(stack, marker, cloud, expected):
    result = gc(stack, "list", "--all", "-f", "json", who=None, env=_cloud(cloud))
    assert names(result) == [expected]


def test_os_cloud_option(stack, marker):
    env = {"OS_CLIENT_CONFIG_FILE": str(layout().clouds_yaml)}
    result = gc(
        stack, "--os-cloud", "realstack-dom2", "list", "--all", "-f", "json", who=None, env=env
    )
    assert names(result) == ["clouds-dom2-marker"]


def test_clouds_yaml_in_the_users_config_directory(stack, marker, home):
    (home / ".config" / "openstack").mkdir(parents=True)
    shutil.copy(layout().clouds_yaml, home / ".config" / "openstack" / "clouds.yaml")
    result = gc(
        stack, "list", "--all", "-f", "json", who=None, home=home, env={"OS_CLOUD": "realstack"}
    )
    assert names(result) == ["clouds-demo-marker"]


def test_unknown_cloud(stack):
    result = gc(stack, "list", who=None, env=_cloud("no-such-cloud"))
    assert "no-such-cloud" in one_error(result, code=result.code)
    assert result.code in (1, 2)
