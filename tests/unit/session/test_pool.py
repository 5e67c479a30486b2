"""session/pool.py: the pool sized to --parallel, the environment read once per host."""

from __future__ import annotations

from keystoneauth1 import adapter, session

from gcclient.session import pool


def compute() -> adapter.Adapter:
    return adapter.Adapter(session=session.Session(), service_type="compute")


def test_a_pool_as_large_as_the_workers():
    client = compute()
    assert pool.size_pool(client, 32)
    mounted = client.session.session.adapters["https://"]
    assert isinstance(mounted, session.TCPKeepAliveAdapter)  # keep-alive kept
    assert mounted._pool_maxsize == 32
    assert client.session.session.adapters["http://"] is mounted


def test_the_default_pool_when_the_workers_fit_in_it():
    client = compute()
    before = client.session.session.adapters["https://"]
    assert not pool.size_pool(client, 10)
    assert client.session.session.adapters["https://"] is before


def test_environment_read_once_per_host(monkeypatch):
    client = compute()
    requests_session = client.session.session
    calls = []
    original = requests_session.merge_environment_settings

    def counting(*args):
        calls.append(args[0])
        return original(*args)

    monkeypatch.setattr(requests_session, "merge_environment_settings", counting)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    pool.environment_once(client)
    merge = requests_session.merge_environment_settings
    first = merge("https://nova.example/v2.1/servers/a", {}, False, True, None)
    second = merge("https://nova.example/v2.1/servers/b", {}, False, True, None)
    other = merge("https://other.example/x", {}, False, True, None)
    assert first == second and first["proxies"]["https"] == "http://proxy.example:3128"
    assert other["proxies"]["https"] == "http://proxy.example:3128"
    assert calls == ["https://nova.example/v2.1/servers/a", "https://other.example/x"]
