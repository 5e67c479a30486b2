"""gcclient/osc/plugin.py: the plugin's global option, and the client it makes over
OSC's session (the compute endpoint chosen from OSC's settings, gcclient named in the
User-Agent); requests-mock answers as nova would."""

from __future__ import annotations

import argparse
from types import SimpleNamespace

from keystoneauth1 import session as ksa_session

from gcclient.osc import plugin
from gcclient.version import __version__

NOVA = "http://nova.example/v2.1/p1"
SID = "6f3c6e1a-3c0e-4a43-9d1b-6d1f0c0b0a01"


def test_the_api_version_option_and_its_variable(monkeypatch):
    parser = plugin.build_option_parser(argparse.ArgumentParser())
    assert parser.parse_args([]).os_live_image_api_version is None
    assert parser.parse_args(["--os-live-image-api-version", "1"]).os_live_image_api_version == "1"
    monkeypatch.setenv("OS_LIVE_IMAGE_API_VERSION", "1")
    parser = plugin.build_option_parser(argparse.ArgumentParser())
    assert parser.parse_args([]).os_live_image_api_version == "1"
    assert (plugin.API_NAME, plugin.API_VERSIONS) == ("live_image", ("1",))


def instance(**config):
    return SimpleNamespace(
        session=ksa_session.Session(),
        interface="internal",
        region_name="RegionTwo",
        _cli_options=SimpleNamespace(config=config),
    )


def test_the_client_reaches_the_endpoint_override_and_names_gcclient(requests_mock):
    requests_mock.post(f"{NOVA}/servers/{SID}/action", json=[{"id": "c1"}])
    wire = plugin.make_client(instance(compute_endpoint_override=NOVA))
    assert [view["id"] for view in wire.list_launched(SID)] == ["c1"]
    (request,) = requests_mock.request_history
    assert request.json() == {"gc_list_launched": {}}
    assert f"gcclient/{__version__}" in request.headers["User-Agent"]


def test_the_client_takes_osc_interface_region_and_service_type():
    wire = plugin.make_client(instance(compute_service_type="compute-legacy"))
    compute = wire.adapter
    assert (compute.service_type, compute.interface, compute.region_name) == (
        "compute-legacy",
        "internal",
        "RegionTwo",
    )
