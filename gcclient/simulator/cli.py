"""``gc-simulator`` command line."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import IO

from .app import DEFAULT_HOSTS, App, Config
from .clouds import write_clouds_yaml
from .eras import ERAS
from .faults import KINDS, FaultPlan, parse_kinds
from .identity import USERS, credentials_env
from .journal import Journal
from .server import Runtime, SimulatorServer
from .store import Store, default_state_path


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


def _kinds(text: str) -> tuple[str, ...]:
    try:
        return parse_kinds(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gc-simulator",
        description="A local Keystone + Nova + Gridcentric/Cobalt extension endpoint.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8774, help="port (0 = any free port)")
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
        "--fault-kinds", type=_kinds, default=KINDS, help=f"comma list from {','.join(KINDS)}"
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
    store = Store(state)
    journal = Journal(args.journal) if args.journal else None
    access_log: IO[str] | None = None
    if not args.quiet:
        access_log = sys.stderr if args.access_log == "-" else open(args.access_log, "a")  # noqa: SIM115
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
        server = SimulatorServer((args.host, args.port), runtime)
    except OSError as exc:
        print(f"gc-simulator: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        store.close()
        return 1
    port = server.server_address[1]
    runtime.base_url = f"http://{_advertised(args.host)}:{port}"
    auth_url = f"{runtime.base_url}/v3"
    if args.clouds_yaml:
        write_clouds_yaml(
            args.clouds_yaml, args.cloud_name, credentials_env(USERS["demo"], auth_url)
        )
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


def _install_signals(server: SimulatorServer) -> None:
    def stop(signum: int, frame: object) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
