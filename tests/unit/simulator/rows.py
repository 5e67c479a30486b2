"""Server rows for the store and view tests: clones of one live image."""

from __future__ import annotations

IMAGE = "11111111-1111-4111-8111-111111111111"


def server_row(number: int, *, launched_from: str = IMAGE, project: str = "p1") -> dict:
    return {
        "id": f"00000000-0000-4000-8000-{number:012d}",
        "project_id": project,
        "user_id": "u1",
        "name": f"clone-{number}",
        "vm_state": "active",
        "host": "compute-1",
        "metadata": {"launched_from": launched_from},
        "security_groups": ["default"],
        "created": "2026-12-05T00:00:00Z",
        "updated": "2026-12-05T00:00:00Z",
    }
