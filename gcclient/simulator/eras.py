"""Per-era behaviour of the Gridcentric / Cobalt extension (spec §1, §2.6, §3)."""

from __future__ import annotations

from dataclasses import dataclass, field

FIXED_500 = "The server has either erred or is incapable of performing the requested operation."
# webob's HTTPBadRequest without an explanation: what nova answered for a TypeError raised in a
# handler (nova 2014.1 wsgi.py:691-695, 2012.2 wsgi.py:656-660, 2012.1 wsgi.py:580-583).
GENERIC_400 = (
    "The server could not comply with the request since it is either malformed or otherwise "
    "incorrect."
)

GC_TEXTS = {
    "already_blessed": "Instance {uuid} is already blessed. Cannot rebless an instance.",
    "bless_not_active": "Instance {uuid} is not active. Cannot bless a non-active instance.",
    "bless_launched": "Instance {uuid} has been launched. Cannot bless a launched instance.",
    "launch_not_blessed": (
        "Instance {uuid} is not blessed. Please bless the instance before launching from it."
    ),
    "discard_not_blessed": (
        "Instance {uuid} is not blessed. Cannot discard an non-blessed instance."
    ),
    "migrate_service": (
        "Cannot migrate to host {host} because it is not running the gridcentric service."
    ),
    "delete_blessed": "Cannot delete a live image. Please discard it instead.",
}

CO_TEXTS = {
    "already_blessed": "Instance {uuid} is already a live image.",
    "bless_not_active": (
        "Instance {uuid} is not active. Cannot create a live image from a non-active instance."
    ),
    "bless_launched": GC_TEXTS["bless_launched"],
    "launch_not_blessed": (
        "Instance {uuid} is not a live image. Please create a live image to launch from it."
    ),
    "discard_not_blessed": (
        "Instance {uuid} is not a live image. Cannot discard a regular instance."
    ),
    "migrate_service": (
        "Cannot migrate to host {host} because it is not running the cobalt service."
    ),
    "delete_blessed": "Cannot delete a live image {uuid}. Please discard it instead.",
    "gcservers_host": "Only able to launch on hosts running the cobalt service.",
    "show_not_found": "Instance could not be found",
    "delete_not_found": "Instance could not be found",
    "forced_host": "Policy doesn't allow compute:create:forced_host to be performed.",
    "url_project": (
        "Malformed request URL: URL's project_id '{url}' doesn't match Context's project_id "
        "'{token}'"
    ),
}

# stable/folsom at its head (c0ceb7a): commit 3b8c8fd moved all six texts to "live image" at
# once, so this era takes the CO wording where it exists and keeps the gridcentric service name.
FOLSOM_TEXTS = {
    **GC_TEXTS,
    "already_blessed": CO_TEXTS["already_blessed"],
    "bless_not_active": CO_TEXTS["bless_not_active"],
    "launch_not_blessed": CO_TEXTS["launch_not_blessed"],
    "discard_not_blessed": CO_TEXTS["discard_not_blessed"],
}

COMMON_TEXTS = {
    "not_found": "Instance {uuid} could not be found.",
    "discard_children": (
        "Instance {uuid} still has launched instances. "
        "Cannot discard an instance with remaining launched ones."
    ),
    "migrating": "Unable to migrate instance {uuid} because it is already migrating.",
    "migrate_not_active": "Unable to migrate instance {uuid} because it is not active",
    "no_hosts": "There are no available hosts for the migration target.",
    "same_host": "Unable to migrate to the same host.",
    "export_not_blessed": (
        "Instance {uuid} is not a live image. Only live images can be exported."
    ),
    "not_launched": (
        "Instance {uuid} is not a launched instance. Only launched instances support policies."
    ),
    "delete_blessing": "Cannot delete while blessing. Please try again later.",
    "num_not_int": "num_instances must be an integer",
    "num_too_small": "num_instances must be at least 1",
    "keypair": "Keypair {name} not found for user {user_id}",
    "secgroup": "Security group {name} not found for project {project_id}.",
    "networks": (
        "All networks need to be specified for the new instance. "
        "Expected {expected} but only {given} specified."
    ),
    "quota": (
        "Quota exceeded for instances: Requested {requested}, "
        "but already used {used} of {allowed} instances"
    ),
    "quota_essex": "Quota exceeded: code=InstanceLimitExceeded",
    "admin_only": "This feature is restricted to only admin users.",
    "gcservers_host": "Only able to launch on hosts running the gridcentric service.",
    "no_hosts_az": "No hosts found",
    "no_valid_host": "No valid host was found. ",
    "show_not_found": "The resource could not be found.",
    "delete_not_found": "The resource could not be found.",
    "metadata_not_found": "Server does not exist",
    "url_project": "Malformed request url",
    "import_flavor": "Flavor could not be found: {name}",
    "import_secgroup": "Security group could not be found: {name}",
    "policy_one": "Failed to install policy on host {host}: {err}",
    "policy_many": "Failed to install policy on {count} hosts, faults:\n{faults}",
}

GC_ESSEX_CAPS = (
    "user-data",
    "launch-name",
    "security-groups",
    "num-instances",
    "bless-name",
    "launch-key",
)
GC_FOLSOM_CAPS = GC_ESSEX_CAPS + (
    "availability-zone",
    "import-export",
    "install-policy",
    "supports-volumes",
)
CO_15_CAPS = (
    "user-data",
    "launch-name",
    "availability-zone",
    "num-instances",
    "bless-name",
    "launch-key",
    "import-export",
    "scheduler-hints",
    "install-policy",
    "supports-volumes",
    "get-policy",
    "launch-nics",
)

GC_ACTIONS = (
    "bless",
    "launch",
    "discard",
    "migrate",
    "list_launched",
    "list_blessed",
)


@dataclass(frozen=True)
class Era:
    name: str
    label: str
    ext_name: str
    alias: str
    namespace: str
    updated: str
    capabilities: tuple[str, ...] | None
    action_keys: dict[str, str]
    resources: dict[str, str]
    texts: dict[str, str] = field(repr=False)
    state_status: int = 400
    not_found_status: int = 400
    seed: bool = False
    cobalt: bool = False
    # Differences that are data, not logic (defaults: GC-Folsom).
    bless_params: bool = True  # the seed ignores the bless body
    bless_refuses_launched: bool = False
    bless_reserves: bool = True  # quota and the source's task state "blessing"
    lineage_in_system_metadata: bool = False
    clones_copy_user_data: bool = False  # the seed's copies keep the source's user data
    launch_keys: tuple[str, ...] | None = None  # the only launch keys read (None: all)
    launch_quota_first: bool = False  # quota before the live-image check
    launch_task_state: str | None = None
    default_groups: tuple[str, ...] | None = None  # None: inherit the live image's groups
    zone_for_first_only: bool = True  # only the first of N clones honours the zone
    no_host_text: str | None = "no_hosts_az"  # None: answered, the clones fail later
    unknown_lineage_is_empty: bool = False  # list actions on an unknown UUID give []
    transfer_system_metadata: bool = False  # export/import carry system_metadata
    guards_delete: bool = True  # DELETE refuses live images and sources being blessed

    @property
    def gridcentric(self) -> bool:
        return not self.cobalt

    def text(self, key: str, **values: object) -> str:
        return self.texts[key].format(**values)

    def has(self, capability: str) -> bool:
        return self.capabilities is not None and capability in self.capabilities

    def descriptor(self) -> dict:
        return {
            "name": self.ext_name,
            "alias": self.alias,
            "namespace": self.namespace,
            "updated": self.updated,
            "description": f"The {self.ext_name} extension.",
            "links": [],
        }


def _keys(prefixes: tuple[str, ...], extra: tuple[str, ...]) -> dict[str, str]:
    keys = {f"{p}_{a}": a for p in prefixes for a in extra}
    return keys


def _resources(prefixes: tuple[str, ...], names: tuple[str, ...]) -> dict[str, str]:
    table = {
        "info": {"gc": "gcinfo", "co": "cobaltinfo"},
        "servers": {"gc": "gcservers", "co": "coservers"},
        "import": {"gc": "gc-import-server", "co": "co-import-server"},
        "policy": {"gc": "gcpolicy", "co": "copolicy"},
    }
    return {table[n][p]: n for n in names for p in prefixes}


ESSEX = Era(
    name="essex",
    label="seed",
    ext_name="Gridcentric",
    alias="GC",
    namespace="http://www.gridcentric.com",
    updated="2012-03-14T18:33:34-07:00",
    capabilities=None,
    action_keys=_keys(("gc",), GC_ACTIONS),
    resources=_resources(("gc",), ("servers",)),
    texts={**COMMON_TEXTS, **GC_TEXTS},
    state_status=500,
    not_found_status=500,
    seed=True,
    bless_params=False,
    bless_refuses_launched=True,
    bless_reserves=False,
    clones_copy_user_data=True,
    launch_keys=("target", "guest"),
    launch_quota_first=True,
    no_host_text=None,
    unknown_lineage_is_empty=True,
    guards_delete=False,
)

FOLSOM = Era(
    name="folsom",
    label="GC-Folsom",
    ext_name="Gridcentric",
    alias="GC",
    namespace="http://docs.gridcentric.com/openstack/ext/api/v1",
    updated="2012-07-17T13:52:50-07:00",
    capabilities=GC_FOLSOM_CAPS,
    action_keys=_keys(("gc",), GC_ACTIONS + ("export",)),
    resources=_resources(("gc",), ("info", "servers", "import", "policy")),
    texts={**COMMON_TEXTS, **FOLSOM_TEXTS},
)

COBALT = Era(
    name="cobalt",
    label="CO-1.5",
    ext_name="Cobalt",
    alias="CO",
    namespace="http://docs.gridcentric.com/openstack/ext/api/v1",
    updated="2013-04-10T13:52:50-07:00",
    capabilities=CO_15_CAPS,
    action_keys={
        **_keys(("gc", "co"), GC_ACTIONS + ("export",)),
        "co_get_policy": "get_policy",
    },
    resources=_resources(("gc", "co"), ("info", "servers", "import", "policy")),
    texts={**COMMON_TEXTS, **CO_TEXTS},
    cobalt=True,
    lineage_in_system_metadata=True,
    launch_task_state="scheduling",
    default_groups=("default",),
    zone_for_first_only=False,
    no_host_text="no_valid_host",
    transfer_system_metadata=True,
)

ERAS = {era.name: era for era in (ESSEX, FOLSOM, COBALT)}


def get_era(name: str) -> Era:
    return ERAS[name]
