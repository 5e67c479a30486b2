"""The README's Python API example runs as written against gc-simulator."""

import os
import re
import subprocess
import sys

from tests.functional.gcrun import literal_block_after, readme_console, shell

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def python_blocks() -> list[str]:
    with open(os.path.join(ROOT, "README.rst"), encoding="utf-8") as handle:
        text = handle.read()
    blocks = re.findall(r"\.\. code-block:: python\n\n((?:   .*\n|\n)+)", text)
    return [re.sub(r"^   ", "", block, flags=re.M) for block in blocks]


def test_python_api_example(simulator):
    example = next(block for block in python_blocks() if "from gcclient import Client" in block)
    example = example.replace("http://127.0.0.1:8774/v3", simulator.env["OS_AUTH_URL"])
    simulator.boot("web")
    proc = subprocess.run(
        [sys.executable, "-c", example],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, GC_NO_TOKEN_CACHE="1"),
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "['web-0-clone']\n"


def console_commands(section: str) -> list[str]:
    """The ``$ gc ...`` lines of a README section's console block, continuations joined,
    comments dropped."""
    return [line for line in readme_console(section) if line.startswith("gc")]


def test_readme_shell_examples_run_as_written(simulator_factory, tmp_path):
    """The launch example, then every line of "More commands" in order: the names they
    use exist (the 3 clones are all named web-clone), and each one exits 0."""
    from gcclient.simulator.fixtures import NETWORK_ID

    simulator = simulator_factory(era="cobalt", build_time=0.05)
    simulator.boot("web")
    (tmp_path / "cloud-init.yaml").write_text("#cloud-config\n")
    (tmp_path / "policy.ini").write_text("[policy]\nmemory = 512MB\n")
    seed = [c for c in console_commands("The seed's six operations") if "--name web-golden" in c]
    launch = console_commands("Launch options")
    more = console_commands("More commands")
    assert len(seed) == 1 and len(launch) == 1 and len(more) == 13, (seed, launch, more)
    for command in seed + launch + more:
        command = command.replace("<net-uuid>", NETWORK_ID)
        user = "admin" if "--host" in command and command.startswith("gc boot") else "demo"
        proc = shell(command, simulator, cwd=str(tmp_path), user=user)
        assert proc.code == 0, (command, proc.out, proc.err)
        assert "ERROR" not in proc.err, (command, proc.err)
    status, body = simulator.request("GET", "/servers/detail", None)
    assert status == 200
    names = sorted(server["name"] for server in body["servers"])
    assert names == ["web", "web-copy"], (
        names
    )  # the clones and web-golden are gone (vm1 is admin's)


def test_by_hand_recipe_runs_as_written(tmp_path):
    """ "Trying gc by hand", line by line in one bash, from a checkout whose .venv is
    this one: the simulator is quiet (no access log among gc's output), its
    environment is awaited rather than slept for, and the simulator is stopped."""
    lines = literal_block_after("Trying ``gc`` by hand")
    assert "--quiet" in lines[0] and lines[-1].startswith("kill %1")
    env_file = tmp_path / "sim.env"
    script = "\n".join(line.replace("/tmp/sim.env", str(env_file)) for line in lines)
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    (checkout / ".venv").symlink_to(os.path.dirname(os.path.dirname(sys.executable)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env["GC_NO_TOKEN_CACHE"] = "1"
    proc = subprocess.run(
        # The harness's own trap stops the simulator if a line fails before "kill %1".
        ["bash", "-e", "-c", "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n" + script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=checkout,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, (proc.stdout, proc.stderr)
    assert "BLESSED" in proc.stdout and "web-0" in proc.stdout
    assert "/v3/auth/tokens" not in proc.stderr and "GET /" not in proc.stderr, proc.stderr
