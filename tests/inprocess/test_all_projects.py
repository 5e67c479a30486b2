"""``--all-projects`` (admin): listings and name lookups send ``all_tenants=1`` and the
output gains a Project column; a member is refused by nova's policy (403, as the real
Nova answers: /work/shared/real-openstack.md, tests/realstack/probes.py "GET
/servers?all_tenants=1 as member").

Cobalt's list-launched and list-blessed filter on the metadata with the caller's context
(cobalt/nova/api.py, list_launched_instances: compute_api.get_all without a project
filter), so an admin sees every project's children and a member only its own.

In-process tier (tests/inprocess/insim.py): moved from tests/functional/cli with the same
assertions; only the gc runner and the simulator fixtures are the tier's.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from tests.functional.gcrun import make_blessed
from tests.inprocess.insim import run_gc as gc


@pytest.fixture(scope="module")
def family(simulator):
    """demo's source ap-web, its live image ap-web-0 and one clone, as the demo user."""
    image = make_blessed(simulator, "ap-web")
    code, body = simulator.action(image["id"], {"gc_launch": {}})
    assert code == 200, body
    clone = simulator.wait_status(body[0]["id"], "ACTIVE")
    return image, clone


def queries(sim, mark: int) -> list[dict[str, list[str]]]:
    """The query strings of the GET /servers/detail requests since ``mark``."""
    return [
        parse_qs(entry["query"])
        for entry in sim.journal_since(mark)
        if entry["method"] == "GET" and entry["path"].endswith("/servers/detail")
    ]


def test_list_all_projects_as_admin(simulator, family):
    image, _ = family
    mark = simulator.mark()
    result = gc(simulator, "list", "--all-projects", "-f", "json", user="admin")
    assert result.code == 0, result.err
    rows = {row["ID"]: row for row in result.json()}
    assert rows[image["id"]]["Project"] == image["tenant_id"]
    assert all(q.get("all_tenants") == ["1"] for q in queries(simulator, mark))
    assert queries(simulator, mark)


def test_list_launched_of_another_project(simulator, family):
    image, clone = family
    mark = simulator.mark()
    result = gc(
        simulator, "list-launched", "ap-web-0", "--all-projects", "-f", "json", user="admin"
    )
    assert result.code == 0, result.err
    assert result.json() == [
        {
            "ID": clone["id"],
            "Name": clone["name"],
            "Status": "ACTIVE",
            "Networks": {"private": [clone["addresses"]["private"][0]["addr"]]},
            "Project": image["tenant_id"],
        }
    ]
    # The name was looked up across projects.
    assert [q["all_tenants"] for q in queries(simulator, mark)] == [["1"]]


def test_without_all_projects_the_name_is_the_admins_project_only(simulator, family):
    result = gc(simulator, "list-launched", "ap-web-0", user="admin")
    assert result.code == 1
    assert "ap-web-0" in result.err
    # By ID, the admin's list-launched already answers every project's clones.
    image, clone = family
    by_id = gc(simulator, "list-launched", image["id"], "-f", "json", user="admin")
    assert [row["ID"] for row in by_id.json()] == [clone["id"]]
    assert "Project" not in by_id.json()[0]


def test_list_blessed_all_projects(simulator, family):
    image, _ = family
    result = gc(simulator, "list-blessed", "ap-web", "--all-projects", "-f", "value", user="admin")
    assert result.code == 0, result.err
    assert result.out.split()[0] == image["id"]
    assert result.out.split()[-1] == image["tenant_id"]


def test_lineage_all_projects(simulator, family):
    image, clone = family
    result = gc(simulator, "lineage", "ap-web", "--all-projects", "-f", "json", user="admin")
    assert result.code == 0, result.err
    rows = result.json()
    assert [row["ID"] for row in rows][1:] == [image["id"], clone["id"]]
    assert {row["Project"] for row in rows} == {image["tenant_id"]}
    table = gc(simulator, "lineage", "ap-web", "--all-projects", "--ascii", user="admin")
    assert table.code == 0, table.err
    assert "| Project" in table.out and image["tenant_id"] in table.out


@pytest.mark.parametrize(
    "argv",
    [
        ("list", "--all-projects"),
        ("list-launched", "ap-web-0", "--all-projects"),
        ("lineage", "ap-web", "--all-projects"),
    ],
)
def test_member_is_refused(simulator, family, argv):
    mark = simulator.mark()
    result = gc(simulator, *argv)
    assert result.code == 1
    assert "os_compute_api:servers:index:get_all_tenants" in result.err, result.err
    assert "Traceback" not in result.err
    statuses = [e["status"] for e in simulator.journal_since(mark) if "/servers" in e["path"]]
    assert statuses == [403]
