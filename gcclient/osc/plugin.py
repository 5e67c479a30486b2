"""python-openstackclient's plugin interface (the ``openstack.cli.extension`` entry point).

OSC calls :func:`build_option_parser` while it builds its parser, and
:func:`make_client` the first time a command reads
``self.app.client_manager.live_image``, after it has authenticated.
"""

from __future__ import annotations

import argparse
import logging
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the wire loads when the client is made, not when openstack starts
    from gcclient.api.gcwire import Wire

LOG = logging.getLogger(__name__)

API_NAME = "live_image"
API_VERSION_OPTION = "os_live_image_api_version"
DEFAULT_API_VERSION = "1"
API_VERSIONS = ("1",)


def make_client(instance: Any) -> Wire:
    """gc's :class:`~gcclient.api.gcwire.Wire` over OSC's keystoneauth session."""
    from keystoneauth1 import adapter

    from gcclient.api.gcwire import Wire
    from gcclient.version import __version__

    options = getattr(instance, "_cli_options", None)
    config = getattr(options, "config", None) or {}
    compute = adapter.Adapter(
        session=instance.session,
        service_type=config.get("compute_service_type") or "compute",
        interface=getattr(instance, "interface", None) or "public",
        region_name=getattr(instance, "region_name", None),
        endpoint_override=config.get("compute_endpoint_override"),
        # keystoneauth puts "gcclient/<version>" after openstack's own name, so a
        # cloud's logs tell the plugin's requests from openstack's.
        client_name="gcclient",
        client_version=__version__,
    )
    return Wire(compute, warn=LOG.warning)


def build_option_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The plugin's global option: the API version (only 1 exists)."""
    parser.add_argument(
        "--os-live-image-api-version",
        metavar="<live-image-api-version>",
        default=os.environ.get("OS_LIVE_IMAGE_API_VERSION"),
        help=f"Live-image API version, default={DEFAULT_API_VERSION} "
        "(Env: OS_LIVE_IMAGE_API_VERSION)",
    )
    return parser
