"""``gc-simulator`` command line."""

from __future__ import annotations

import argparse
import signal
import sqlite3
import sys
import threading
from typing import IO, NoReturn

from .app import DEFAULT_HOSTS, App, Config
from .clouds import write_clouds_yaml
from .eras import ERAS
from .faults import KINDS, RATE_LIMIT_KINDS, FaultPlan, parse_kinds
from .httpd import Runtime, SimulatorServer
from .identity import USERS, credentials_env
from .journal import Journal
from .store import Store, default_state_path
from .wire import MAX_CONNECTIONS


def _probability(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _positive(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}")
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 65535")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid count {text!r}")
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


class _Parser(argparse.ArgumentParser):
    """Usage errors are one line naming the option, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _kinds(text: str) -> tuple[str, ...]:
    try:
        return parse_kinds(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="gc-simulator",
        description="A local Keystone + Nova + Gridcentric/Cobalt extension endpoint.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=_port, default=8774, help="port (0 = any free port)")
    parser.add_argument(
        "--state",
        default=None,
        help=f"SQLite state file (default {default_state_path()}; ':memory:' = throwaway)",
    )
    parser.add_argument("--era", choices=sorted(ERAS), default="cobalt")
    parser.add_argument(
        "--build-time",
        type=_positive,
        default=1.0,
        metavar="SECONDS",
        help="duration of asynchronous transitions",
    )
    parser.add_argument(
        "--latency",
        type=_positive,
        default=0.0,
        metavar="MS",
        help="latency added to every response",
    )
    parser.add_argument(
        "--hosts",
        default=",".join(DEFAULT_HOSTS),
        help="comma-separated compute hosts running the VMS service",
    )
    parser.add_argument("--token-ttl", type=_positive, default=3600.0, metavar="SECONDS")
    parser.add_argument("--quota-instances", type=int, default=100000, metavar="N")
    parser.add_argument("--journal", metavar="PATH", help="append a JSON line per request")
    parser.add_argument(
        "--access-log", default="-", metavar="PATH|-", help="access log file ('-' = stderr)"
    )
    parser.add_argument("--quiet", action="store_true", help="no access log")
    parser.add_argument("--clouds-yaml", metavar="PATH", help="write a clouds.yaml entry")
    parser.add_argument("--cloud-name", default="gc-simulator")
    parser.add_argument("--fault-rate", type=_probability, default=0.0, metavar="P")
    parser.add_argument(
        "--fault-kinds",
        type=_kinds,
        default=KINDS,
        help=f"comma list from {','.join(KINDS + RATE_LIMIT_KINDS)}",
    )
    parser.add_argument("--fault-seed", type=int, default=None)
    parser.add_argument(
        "--fault-match",
        default=None,
        metavar="REGEX",
        help="'METHOD /path' requests eligible for faults (default: compute API)",
    )
    parser.add_argument("--slow-seconds", type=_positive, default=3.0)
    parser.add_argument(
        "--fault-skip", type=int, default=0, metavar="N", help="the first N eligible pass"
    )
    parser.add_argument(
        "--fault-limit", type=int, default=None, metavar="N", help="at most N faults in all"
    )
    parser.add_argument(
        "--max-connections",
        type=_count,
        default=MAX_CONNECTIONS,
        metavar="N",
        help=f"concurrent connections; more are answered 503 (default {MAX_CONNECTIONS})",
    )
    return parser


def _advertised(host: str) -> str:
    return "127.0.0.1" if host in ("", "0.0.0.0") else ("[::1]" if host == "::" else host)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    state = args.state or default_state_path()
    hosts = [h.strip() for h in args.hosts.split(",") if h.strip()]
    config = Config(
        host=args.host,
        port=args.port,
        state=state,
        era=args.era,
        build_time=args.build_time,
        latency_ms=args.latency,
        hosts=hosts,
        token_ttl=args.token_ttl,
        quota_instances=args.quota_instances,
    )
    try:
        store = Store(state)
    except (sqlite3.Error, OSError) as exc:
        return _startup_error(f"--state {state}: not a usable state file ({_why(exc)})")
    journal: Journal | None = None
    access_log: IO[str] | None = None
    try:
        journal = Journal(args.journal) if args.journal else None
    except OSError as exc:
        store.close()
        return _startup_error(f"--journal {args.journal}: cannot open ({_why(exc)})")
    if not args.quiet and args.access_log != "-":
        try:
            access_log = open(args.access_log, "a")  # noqa: SIM115
        except OSError as exc:
            store.close()
            return _startup_error(f"--access-log {args.access_log}: cannot open ({_why(exc)})")
    elif not args.quiet:
        access_log = sys.stderr
    runtime = Runtime(
        app=App(config, store),
        faults=FaultPlan(
            args.fault_rate,
            args.fault_kinds,
            args.fault_seed,
            args.fault_match,
            args.slow_seconds,
            skip=args.fault_skip,
            limit=args.fault_limit,
        ),
        journal=journal,
        access_log=access_log,
        latency=args.latency / 1000.0,
    )
    try:
        server = SimulatorServer((args.host, args.port), runtime, args.max_connections)
    except (OSError, OverflowError) as exc:
        store.close()
        return _startup_error(
            f"--host/--port: cannot listen on {args.host}:{args.port} ({_why(exc)})"
        )
    port = server.server_address[1]
    runtime.base_url = f"http://{_advertised(args.host)}:{port}"
    auth_url = f"{runtime.base_url}/v3"
    if args.clouds_yaml:
        try:
            write_clouds_yaml(
                args.clouds_yaml, args.cloud_name, credentials_env(USERS["demo"], auth_url)
            )
        except (OSError, ValueError) as exc:
            server.server_close()
            store.close()
            return _startup_error(f"--clouds-yaml {args.clouds_yaml}: cannot write ({_why(exc)})")
    _install_signals(server)
    env = credentials_env(USERS["demo"], auth_url)
    lines = [f"export {key}={value}" for key, value in env.items()]
    lines.append(
        f"# gc-simulator ready: era {args.era}, state {state}, hosts {','.join(hosts)} "
        "(Ctrl-C to stop)"
    )
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        store.close()
        if journal is not None:
            journal.close()
        if access_log is not None and access_log is not sys.stderr:
            access_log.close()
    return 0


def _why(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _startup_error(message: str) -> int:
    sys.stderr.write(f"gc-simulator: {message}\n")
    return 1


def _install_signals(server: SimulatorServer) -> None:
    def stop(signum: int, frame: object) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
