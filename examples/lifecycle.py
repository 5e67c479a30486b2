"""The whole Gridcentric lifecycle, driven with ``gc`` against a local gc-simulator.

    python examples/lifecycle.py            # starts its own throwaway simulator
    python examples/lifecycle.py --keep     # ... and leaves it running at the end

Every command is printed before it runs, with its output, as a user would type it.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import time

BIN = os.path.dirname(os.path.abspath(sys.executable))


def tool(name: str) -> str:
    path = os.path.join(BIN, name)
    return path if os.path.exists(path) else name


def start_simulator(build_time: float) -> tuple[subprocess.Popen, dict[str, str]]:
    proc = subprocess.Popen(
        [
            tool("gc-simulator"),
            "--port",
            "0",
            "--state",
            ":memory:",
            "--quiet",
            "--build-time",
            str(build_time),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    env: dict[str, str] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        print(line.rstrip())
        if line.startswith("export "):
            key, _, value = line[len("export ") :].strip().partition("=")
            env[key] = value
        elif line.startswith("#"):
            break
    if not env:
        raise SystemExit("gc-simulator did not start")
    return proc, env


class Session:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        self.env.update(env)
        self.env["GC_NO_TOKEN_CACHE"] = "1"

    def gc(self, *args: str, quiet: bool = False) -> str:
        print(f"\n$ gc {shlex.join(args)}", flush=True)
        proc = subprocess.run(
            [tool("gc"), *args], env=self.env, capture_output=True, text=True, check=False
        )
        if not quiet or proc.returncode:
            sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr)
        if proc.returncode:
            raise SystemExit(f"gc {args[0]} failed with exit code {proc.returncode}")
        return proc.stdout.strip()


def lifecycle(s: Session) -> None:
    server = s.gc(
        "boot",
        "--image",
        "cirros-0.3",
        "--flavor",
        "m1.tiny",
        "--wait",
        "-f",
        "value",
        "-c",
        "id",
        "demo-server",
    )
    s.gc("show", server, "-c", "id", "-c", "name", "-c", "status")
    blessed = s.gc("bless", server, "--wait", "-f", "value", "-c", "ID")
    s.gc("list-blessed", server)
    first = s.gc(
        "launch",
        "--target",
        "512MB",
        "--params",
        "role=web",
        "--wait",
        "-f",
        "value",
        "-c",
        "ID",
        blessed,
    )
    second = s.gc("launch", "--name", "demo-clone-2", "--wait", "-f", "value", "-c", "ID", blessed)
    s.gc("list-launched", blessed)
    s.gc("delete", "--wait", first, second)
    s.gc("list-launched", "--print-empty", blessed)
    s.gc("delete", "--wait", server)
    s.gc("discard", "--wait", blessed)
    print(f"\nThe blessed server {blessed} is gone: the lifecycle is complete.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="leave the simulator running")
    parser.add_argument(
        "--build-time",
        type=float,
        default=1.0,
        help="simulated seconds for each transition (default 1)",
    )
    args = parser.parse_args()
    proc, env = start_simulator(args.build_time)
    started = time.monotonic()
    try:
        lifecycle(Session(env))
        print(f"({time.monotonic() - started:.1f} s)")
    finally:
        if args.keep:
            print(f"\ngc-simulator keeps running (pid {proc.pid}); the exports above reach it.")
        else:
            proc.terminate()
            proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
