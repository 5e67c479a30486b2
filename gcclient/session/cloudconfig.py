"""``--os-cloud`` / ``OS_CLOUD``: settings from clouds.yaml and secure.yaml.

openstacksdk's config loader finds and reads the files (``OS_CLIENT_CONFIG_FILE``,
``./clouds.yaml``, ``$XDG_CONFIG_HOME/openstack/``, ``/etc/openstack/``, and
``secure.yaml`` beside them), applies vendor profiles and picks the region. It is
imported only here, and this module only when a cloud is named, so that runs
without ``--os-cloud`` do not pay for it (0.3-0.5 s of imports). It is a dependency
of gcclient; the ``cloud`` extra is kept, empty, for old install commands.

Precedence, as in ``openstack``: a ``--os-*`` option or ``OS_*`` variable given
to ``gc`` wins over the cloud's value; ``--os-region-name`` picks one of the
cloud's regions (the first one when it is not given).
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any

from gcclient.api import exceptions
from gcclient.api.bodies import check_seconds
from gcclient.api.exceptions import Setting
from gcclient.session.settings import Settings

# Said when openstacksdk cannot be imported; each front-end words the settings.
INSTALL_HINT: tuple[str | Setting, ...] = (
    Setting("cloud", short=True),
    " needs openstacksdk, a dependency of gcclient that cannot be imported here: "
    "pip install openstacksdk (or give ",
    Setting("auth_url", short=True),
    " and the other ",
    Setting("*", short=True),
    " options)",
)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def load_cloud(cloud: str, region_name: str | None = None) -> dict[str, Any]:
    """The cloud's settings as openstacksdk resolves them (``CloudRegion.config``)."""
    try:
        from openstack import exceptions as sdk_exceptions
        from openstack.config import loader
    except ImportError:
        raise exceptions.AuthSettingsError(*INSTALL_HINT) from None

    try:
        config = loader.OpenStackConfig(app_name="gcclient")
    except Exception as exc:  # a YAML or JSON syntax error, an unreadable file
        raise exceptions.AuthSettingsError(f"Cannot read clouds.yaml: {_one_line(exc)}") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openstacksdk's deprecations are not ours
            # No validation here: connect() checks the merged settings and names
            # the missing option.
            region = config.get_one(cloud=cloud, region_name=region_name or None, validate=False)
    except sdk_exceptions.SDKException as exc:
        where = getattr(config, "config_filename", None)
        if where and "not found" in str(exc):
            raise exceptions.AuthSettingsError(
                f"Cloud '{cloud}' is not in {where} (", Setting("cloud"), ")"
            ) from None
        if not where and "not found" in str(exc):
            raise exceptions.AuthSettingsError(
                f"Cloud '{cloud}' not found: no clouds.yaml "
                "(looked in OS_CLIENT_CONFIG_FILE, ., ~/.config/openstack, /etc/openstack)"
            ) from None
        raise exceptions.AuthSettingsError(f"Cloud '{cloud}': {_one_line(exc)}") from None
    values = dict(region.config)
    values["region_name"] = region.region_name or values.get("region_name")
    return values


def _cloud_auth_type(value: Any) -> str | None:
    return None if value in (None, "", "password") else str(value)


def merge(settings: Settings, cloud: str) -> Settings:
    """The settings with the cloud's values filled in where the command line or the
    ``OS_*`` variables gave none."""
    values = load_cloud(cloud, settings.region_name)
    cloud_auth = {k: v for k, v in (values.get("auth") or {}).items() if v not in (None, "")}
    timeout = settings.timeout
    if timeout is None and values.get("api_timeout") not in (None, ""):
        timeout = check_seconds(values["api_timeout"], f"api_timeout of cloud '{cloud}'")
    verify = values.get("verify", True)
    return dataclasses.replace(
        settings,
        # openstacksdk says "password" when the cloud names no type: gc then picks the
        # versioned plugin from the URL, as without a cloud.
        auth_type=settings.auth_type or _cloud_auth_type(values.get("auth_type")),
        auth={**cloud_auth, **settings.auth},
        region_name=settings.region_name or values.get("region_name") or None,
        interface=settings.interface or values.get("interface"),
        compute_service_type=settings.compute_service_type or values.get("compute_service_type"),
        endpoint_override=settings.endpoint_override or values.get("compute_endpoint_override"),
        cacert=settings.cacert or values.get("cacert"),
        insecure=settings.insecure or verify is False or str(verify).lower() == "false",
        cert=settings.cert or values.get("cert"),
        key=settings.key or values.get("key"),
        timeout=timeout,
    )
