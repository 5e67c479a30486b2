"""cli.py: gc-simulator's options (one-line usage errors, exit 2), its start-up errors (one
line naming the option, exit 1) and what it prints when ready. ``serve_forever`` is replaced
so that ``main`` returns at once; the signal handlers are recorded, not installed."""

from __future__ import annotations

import signal
import threading

import pytest

from gcclient.simulator import cli
from gcclient.simulator.faults import KINDS
from gcclient.simulator.httpd import SimulatorServer


def usage_error(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as caught:
        cli.build_parser().parse_args(list(argv))
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err  # one line, no usage block
    return err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--fault-rate", "2"), "argument --fault-rate: must be between 0 and 1"),
        (("--build-time", "-1"), "argument --build-time: must not be negative"),
        (("--port", "x"), "argument --port: invalid port 'x'"),
        (("--port", "70000"), "argument --port: 70000 is not between 0 and 65535"),
        (("--max-connections", "0"), "argument --max-connections: must be at least 1"),
        (("--max-connections", "y"), "argument --max-connections: invalid count 'y'"),
        (("--fault-kinds", "500,boom"), "argument --fault-kinds: unknown fault kind(s): boom"),
        (("--era", "grizzly"), "argument --era: invalid choice: 'grizzly'"),
    ],
)
def test_usage_errors_are_one_line_exit_2(capsys, argv, message):
    err = usage_error(capsys, *argv)
    assert err.startswith(f"gc-simulator: error: {message}")


def test_defaults():
    args = cli.build_parser().parse_args([])
    assert (args.port, args.era, args.build_time, args.hosts) == (
        8774,
        "cobalt",
        1.0,
        "compute-1,compute-2,compute-3",
    )
    assert (args.fault_kinds, args.max_connections, args.access_log) == (KINDS, 1000, "-")


def test_advertised_host():
    assert cli._advertised("") == "127.0.0.1"
    assert cli._advertised("0.0.0.0") == "127.0.0.1"
    assert cli._advertised("::") == "[::1]"
    assert cli._advertised("10.1.2.3") == "10.1.2.3"


@pytest.fixture
def no_serving(monkeypatch):
    """serve_forever returns at once (as after Ctrl-C); the handlers main installs are kept."""
    handlers: dict[int, object] = {}
    closed: list[SimulatorServer] = []
    real_close = SimulatorServer.server_close

    def close(server):
        closed.append(server)
        real_close(server)

    def interrupted(server, poll_interval=0.5):
        raise KeyboardInterrupt

    monkeypatch.setattr(SimulatorServer, "serve_forever", interrupted)
    monkeypatch.setattr(SimulatorServer, "server_close", close)
    monkeypatch.setattr(
        cli.signal, "signal", lambda num, handler: handlers.__setitem__(num, handler)
    )
    return handlers, closed


def test_ready_output_and_clouds_yaml(tmp_path, capsys, no_serving):
    handlers, closed = no_serving
    clouds = tmp_path / "clouds.yaml"
    argv = [
        "--port",
        "0",
        "--state",
        ":memory:",
        "--era",
        "folsom",
        "--hosts",
        "a, b,",
        "--clouds-yaml",
        str(clouds),
        "--cloud-name",
        "mine",
        "--quiet",
    ]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out.splitlines()
    port = closed[0].server_address[1]
    assert out == [
        f"export OS_AUTH_URL=http://127.0.0.1:{port}/v3",
        "export OS_USERNAME=demo",
        "export OS_PASSWORD=demo-password",
        "export OS_PROJECT_NAME=demo",
        "export OS_USER_DOMAIN_NAME=Default",
        "export OS_PROJECT_DOMAIN_NAME=Default",
        "export OS_REGION_NAME=RegionOne",
        "# gc-simulator ready: era folsom, state :memory:, hosts a,b (Ctrl-C to stop)",
    ]
    assert clouds.read_text().startswith("clouds:\n  mine:\n")
    assert f"auth_url: http://127.0.0.1:{port}/v3" in clouds.read_text()
    assert set(handlers) == {signal.SIGTERM, signal.SIGINT}


def test_the_signal_handler_shuts_the_server_down_from_another_thread(no_serving):
    handlers, _ = no_serving
    calls: list[str] = []
    done = threading.Event()

    class Server:
        def shutdown(self) -> None:
            calls.append(threading.current_thread().name)
            done.set()

    cli._install_signals(Server())  # type: ignore[arg-type]
    handlers[signal.SIGTERM](signal.SIGTERM, None)  # type: ignore[operator]
    assert done.wait(5) and calls != [threading.current_thread().name]


def test_state_default_path_and_access_log_file(tmp_path, monkeypatch, capsys, no_serving):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    log = tmp_path / "access.log"
    assert cli.main(["--port", "0", "--access-log", str(log)]) == 0
    assert f"state {tmp_path}/xdg/gc-simulator/state.db" in capsys.readouterr().out
    assert (tmp_path / "xdg" / "gc-simulator" / "state.db").exists()
    assert log.exists() and oct(log.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--state", "--state {d}: not a usable state file ("),
        ("--journal", "--journal {d}: cannot open (Is a directory)"),
        ("--access-log", "--access-log {d}: cannot open (Is a directory)"),
        ("--clouds-yaml", "--clouds-yaml {d}: cannot write (Is a directory)"),
    ],
)
def test_startup_errors_name_the_option(tmp_path, capsys, no_serving, option, message):
    directory = tmp_path / "dir"
    directory.mkdir()
    argv = ["--port", "0", "--state", ":memory:", option, str(directory)]
    assert cli.main(argv) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("gc-simulator: " + message.format(d=directory))
    assert captured.err.count("\n") == 1 and captured.out == ""


def test_a_port_in_use_is_a_startup_error(capsys, no_serving):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["--port", str(port), "--state", ":memory:", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"gc-simulator: --host/--port: cannot listen on 127.0.0.1:{port} (")
