"""One write through the Python API (``gcclient.Client``), for the fault matrix: the
connection from the OS_* variables, the result's IDs as JSON on stdout (exit 0), a
gcclient error as one ``ERROR: <message>`` line in the API's words (exit 1).

    python -m tests.functional.frontends.api_runner bless <server>
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def client() -> Any:
    from gcclient import Client

    env = os.environ
    return Client(
        auth_url=env["OS_AUTH_URL"],
        username=env["OS_USERNAME"],
        password=env["OS_PASSWORD"],
        project_name=env["OS_PROJECT_NAME"],
        user_domain_name=env["OS_USER_DOMAIN_NAME"],
        project_domain_name=env["OS_PROJECT_DOMAIN_NAME"],
    ).gridcentric


def ids(found: Any) -> Any:
    if isinstance(found, list):
        return [getattr(s, "id", s) for s in found]
    return getattr(found, "id", found)


def main(argv: list[str]) -> int:
    from gcclient.api.exceptions import GcError

    operation, argument = argv
    try:
        api = client()
        if operation == "launch3":
            result = api.launch(argument, num_instances=3)
        elif operation == "import":
            with open(argument) as handle:
                result = api.import_server(json.load(handle))
        elif operation == "install_policy":
            with open(argument) as handle:
                result = api.install_policy(handle.read())
        else:
            result = getattr(api, operation)(argument)
    except GcError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(ids(result) if not isinstance(result, dict) else "exported"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
