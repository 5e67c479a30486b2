"""Write or merge a clouds.yaml entry (plain text, no YAML library)."""

from __future__ import annotations

import os


def cloud_block(name: str, env: dict[str, str]) -> list[str]:
    return [
        f"  {name}:",
        "    auth:",
        f"      auth_url: {env['OS_AUTH_URL']}",
        f"      username: {env['OS_USERNAME']}",
        f"      password: {env['OS_PASSWORD']}",
        f"      project_name: {env['OS_PROJECT_NAME']}",
        f"      user_domain_name: {env['OS_USER_DOMAIN_NAME']}",
        f"      project_domain_name: {env['OS_PROJECT_DOMAIN_NAME']}",
        f"    region_name: {env['OS_REGION_NAME']}",
        "    identity_api_version: 3",
    ]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def merge(text: str, name: str, env: dict[str, str]) -> str:
    lines = text.splitlines()
    block = cloud_block(name, env)
    try:
        start = next(i for i, line in enumerate(lines) if line.rstrip() == "clouds:")
    except StopIteration:
        return "\n".join([*lines, "clouds:", *block]).lstrip("\n") + "\n"
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > 0):
        end += 1
    section = lines[start + 1 : end]
    kept: list[str] = []
    skipping = False
    for line in section:
        if line.strip() and _indent(line) <= 2:
            skipping = line.strip().rstrip(":").strip("'\"") == name
        if not skipping:
            kept.append(line)
    return "\n".join([*lines[: start + 1], *block, *kept, *lines[end:]]) + "\n"


def write_clouds_yaml(path: str, name: str, env: dict[str, str]) -> None:
    text = ""
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(merge(text, name, env))
    os.replace(tmp, path)
