"""The configuration files of each service, written from the stack's record.

Rendered again at every start (the ports may have changed); sqlite everywhere,
loopback only, oslo.messaging's in-process ``fake://`` transport, no memcached.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from .stack import MAX_LIMIT, TOKEN_CACHE_SECONDS, Layout

HOST = "127.0.0.1"


def url(record: dict[str, Any], service: str, host: str = HOST) -> str:
    return f"http://{host}:{record['ports'][service]}"


def _authtoken(record: dict[str, Any], service: str) -> str:
    keystone = url(record, "keystone")
    return f"""
[keystone_authtoken]
www_authenticate_uri = {keystone}/v3
auth_url = {keystone}/v3
auth_type = password
username = {service}
password = {record["passwords"][service]}
project_name = service
user_domain_name = Default
project_domain_name = Default
region_name = RegionOne
service_token_roles_required = true
# keystonemiddleware caches validations for 300 s by default: a revoked token goes on
# working at Nova that long (real behaviour). Shorter here, so that a revocation test
# waits TOKEN_CACHE_SECONDS instead of five minutes.
token_cache_time = {TOKEN_CACHE_SECONDS}
"""


def _service_auth(record: dict[str, Any], section: str, user: str = "nova") -> str:
    keystone = url(record, "keystone")
    return f"""
[{section}]
auth_type = password
auth_url = {keystone}/v3
username = {user}
password = {record["passwords"][user]}
project_name = service
user_domain_name = Default
project_domain_name = Default
region_name = RegionOne
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.lstrip())
    path.chmod(0o600)


def keystone(lay: Layout, record: dict[str, Any]) -> None:
    data = lay.data / "keystone"
    _write(
        lay.etc("keystone") / "keystone.conf",
        f"""
[DEFAULT]
use_stderr = true
[database]
connection = sqlite:///{data}/keystone.db
[token]
provider = fernet
expiration = 3600
[fernet_tokens]
key_repository = {data}/fernet-keys
[fernet_receipts]
key_repository = {data}/fernet-receipts
[credential]
key_repository = {data}/credential-keys
[cache]
enabled = false
[identity]
# bcrypt's minimum: every password login costs a hash (12 rounds by default, ~0.3 s).
password_hash_rounds = 4
""",
    )


def nova(lay: Layout, record: dict[str, Any]) -> None:
    etc, data = lay.etc("nova"), lay.data / "nova"
    paste = lay.venv("nova") / "etc" / "nova" / "api-paste.ini"
    etc.mkdir(parents=True, exist_ok=True)
    shutil.copy(paste, etc / "api-paste.ini")
    _write(
        etc / "nova.conf",
        f"""
[DEFAULT]
transport_url = fake://
use_stderr = true
state_path = {data}
[api]
max_limit = {MAX_LIMIT}
[api_database]
connection = sqlite:///{data}/nova_api.db
[database]
connection = sqlite:///{data}/nova.db
[wsgi]
api_paste_config = {etc}/api-paste.ini
[oslo_concurrency]
lock_path = {data}/locks
[oslo_messaging_notifications]
driver = noop
[scheduler]
discover_hosts_in_cells_interval = -1
[glance]
region_name = RegionOne
[cinder]
os_region_name = RegionOne
"""
        + _authtoken(record, "nova")
        + _service_auth(record, "placement")
        + _service_auth(record, "neutron")
        + _service_auth(record, "service_user")
        + "send_service_user_token = false\n",
    )


def placement(lay: Layout, record: dict[str, Any]) -> None:
    data = lay.data / "placement"
    _write(
        lay.etc("placement") / "placement.conf",
        f"""
[DEFAULT]
use_stderr = true
[api]
auth_strategy = keystone
[placement_database]
connection = sqlite:///{data}/placement.db
"""
        + _authtoken(record, "placement"),
    )


def glance(lay: Layout, record: dict[str, Any]) -> None:
    etc, data = lay.etc("glance"), lay.data / "glance"
    paste = lay.venv("glance") / "etc" / "glance" / "glance-api-paste.ini"
    etc.mkdir(parents=True, exist_ok=True)
    shutil.copy(paste, etc / "glance-api-paste.ini")
    _write(
        etc / "glance-api.conf",
        f"""
[DEFAULT]
use_stderr = true
enabled_backends = fs:file
bind_host = {HOST}
bind_port = {record["ports"]["glance"]}
[database]
connection = sqlite:///{data}/glance.db
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = {data}/images
[os_glance_staging_store]
filesystem_store_datadir = {data}/staging
[os_glance_tasks_store]
filesystem_store_datadir = {data}/tasks
[paste_deploy]
flavor = keystone
[oslo_concurrency]
lock_path = {data}/locks
"""
        + _authtoken(record, "glance"),
    )


def write_all(lay: Layout, record: dict[str, Any]) -> None:
    for service in ("keystone", "nova", "placement", "glance"):
        (lay.data / service).mkdir(parents=True, exist_ok=True)
    keystone(lay, record)
    nova(lay, record)
    placement(lay, record)
    glance(lay, record)
    wrapper = lay.run / "wsgi" / "gcrs_wsgi.py"
    wrapper.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(Path(__file__).with_name("wsgi_wrapper.py"), wrapper)
