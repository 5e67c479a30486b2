"""gcclient.session.connect: the session and compute adapter built from Settings, and
the token cache that feeds them (no request is sent by ``connect`` itself)."""

from __future__ import annotations

import pytest

from gcclient.session import connect as conn
from gcclient.session.settings import Settings
from gcclient.version import __version__

NOVA = "http://nova.test/v2.1/p1"


def password(**extra) -> Settings:
    auth = {"auth_url": "http://k/v3", "username": "u", "password": "p"}
    return Settings(
        auth={**auth, "user_domain_name": "Default"}, use_cache=False, use_env=False, **extra
    )


class FakeCache:
    def __init__(self, state=None):
        self.state = state
        self.saved: list[str] = []
        self.dropped = 0

    def load(self):
        return self.state

    def save(self, state):
        self.saved.append(state)

    def drop(self):
        self.dropped += 1


@pytest.fixture
def cache(monkeypatch):
    """The cache connect() asks token_cache_for for, with the key arguments it was given."""
    made = FakeCache()
    asked: list[tuple] = []

    def token_cache_for(auth_type, options):
        asked.append((auth_type, dict(options)))
        return made

    monkeypatch.setattr(conn, "token_cache_for", token_cache_for)
    made.asked = asked
    return made


def test_the_request_timeout_is_60_seconds_unless_set():
    assert conn.connect(password()).session.timeout == 60.0
    assert conn.connect(password(timeout=2.5)).session.timeout == 2.5


def test_tls_settings_become_verify_and_cert():
    assert conn.connect(password()).session.verify is True
    assert conn.connect(password(cacert="/ca.pem")).session.verify == "/ca.pem"
    assert conn.connect(password(insecure=True, cacert="/ca.pem")).session.verify is False
    assert conn.connect(password(cert="/c.pem")).session.cert == "/c.pem"
    assert conn.connect(password(cert="/c.pem", key="/k.pem")).session.cert == ("/c.pem", "/k.pem")
    assert conn.connect(password(key="/k.pem")).session.cert is None


def test_the_adapter_defaults_to_the_public_compute_endpoint():
    compute = conn.connect(password()).adapter
    assert (compute.service_type, compute.interface) == ("compute", "public")
    assert (compute.region_name, compute.endpoint_override) == (None, None)
    chosen = conn.connect(
        password(
            interface="internal",
            compute_service_type="compute_legacy",
            region_name="R2",
            endpoint_override=NOVA,
        )
    ).adapter
    assert (chosen.service_type, chosen.interface) == ("compute_legacy", "internal")
    assert (chosen.region_name, chosen.endpoint_override) == ("R2", NOVA)


def test_the_plugin_is_the_chosen_auth_type():
    connection = conn.connect(password())
    assert type(connection.plugin).__module__ == "keystoneauth1.identity.v3.password"
    assert connection.plugin.auth_url == "http://k/v3"
    assert connection.cache is None


def test_requests_carry_gcclients_user_agent(requests_mock):
    requests_mock.get(f"{NOVA}/servers", json={"servers": []})
    settings = Settings(
        auth_type="admin_token", auth={"token": "t-1"}, endpoint_override=NOVA, use_env=False
    )
    connection = conn.connect(settings)
    assert connection.adapter.get("/servers").json() == {"servers": []}
    sent = requests_mock.request_history[0]
    assert (sent.method, sent.url) == ("GET", f"{NOVA}/servers")
    assert sent.headers["User-Agent"].startswith(f"gcclient/{__version__} keystoneauth1/")
    assert sent.headers["X-Auth-Token"] == "t-1"


def test_a_cached_token_state_is_given_to_the_plugin(cache, monkeypatch):
    from keystoneauth1.identity import base

    given: list[str] = []
    monkeypatch.setattr(base.BaseIdentityPlugin, "set_auth_state", lambda _, s: given.append(s))
    conn.connect(password())  # use_cache=False: the cache is not asked
    assert cache.asked == []
    cache.state = '{"auth_token": "t"}'
    settings = password()
    settings.use_cache = True
    connection = conn.connect(settings)
    assert connection.cache is cache
    assert given == ['{"auth_token": "t"}']
    assert cache.asked == [
        (
            "v3password",
            {
                "auth_url": "http://k/v3",
                "username": "u",
                "password": "p",
                "user_domain_name": "Default",
            },
        )
    ]
    assert cache.dropped == 0


def test_a_cached_state_the_plugin_refuses_is_dropped(cache):
    cache.state = "{not json"
    settings = password()
    settings.use_cache = True
    connection = conn.connect(settings)
    assert cache.dropped == 1
    assert connection.plugin.get_auth_state() is None


def test_tokenless_auth_types_have_no_cache(cache):
    for auth_type in ("none", "admin_token"):
        auth = {"token": "t"} if auth_type == "admin_token" else {}
        settings = Settings(auth_type=auth_type, auth=auth, endpoint_override=NOVA, use_env=False)
        assert conn.connect(settings).cache is None
    assert cache.asked == []


def test_gc_no_token_cache_disables_the_cache(monkeypatch):
    monkeypatch.setenv("GC_NO_TOKEN_CACHE", "1")
    assert conn.token_cache_for("v3password", {"auth_url": "http://k/v3"}) is None


def test_save_token_saves_the_plugins_state_when_there_is_a_cache():
    class Plugin:
        def __init__(self, state):
            self.state = state

        def get_auth_state(self):
            if isinstance(self.state, Exception):
                raise self.state
            return self.state

    cache = FakeCache()
    conn.Connection(session=None, adapter=None, plugin=Plugin("s1"), cache=cache).save_token()
    conn.Connection(
        session=None, adapter=None, plugin=Plugin(ValueError()), cache=cache
    ).save_token()
    conn.Connection(session=None, adapter=None, plugin=None, cache=cache).save_token()
    conn.Connection(session=None, adapter=None, plugin=Plugin("s2"), cache=None).save_token()
    assert cache.saved == ["s1"]
