"""The README's Python API example runs as written against gc-simulator."""

import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


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
