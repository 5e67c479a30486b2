"""capabilities, export/import, install-policy/get-policy, boot, lineage and every alias,
with gc run in this process against the simulator's App (cobalt, folsom and essex eras):
the real wire format without sockets or processes (tests/inprocess/insim.py).

Moved from tests/functional/cli with the same assertions; the era simulators are the
in-process tier's fixtures (tests/inprocess/conftest.py), one per test."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from gcclient.cli import commands
from gcclient.simulator.eras import CO_15_CAPS, GC_FOLSOM_CAPS
from gcclient.simulator.fixtures import IMAGES
from tests.functional.gcrun import bless_and_wait, make_blessed, python_client, requests_since
from tests.inprocess.insim import run_gc as gc

IMAGE_ID, IMAGE = next(iter(IMAGES.items()))


def launch(sim, blessed_id: str, name: str | None = None) -> dict:
    code, body = sim.action(blessed_id, {"gc_launch": {"name": name} if name else {}})
    assert code == 200, body
    return sim.wait_status(body[0]["id"], "ACTIVE")


def queries(sim, mark) -> list[tuple[str, str, dict]]:
    found = []
    for entry in sim.journal_since(mark):
        parts = entry["path"].split("/")
        if len(parts) > 3 and parts[1] in ("v2", "v1.1"):
            query = urllib.parse.parse_qs(entry.get("query") or "")
            found.append((entry["method"], "/" + "/".join(parts[3:]), query))
    return found


# -- capabilities -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("era", "expected"),
    [("cobalt", CO_15_CAPS), ("folsom", GC_FOLSOM_CAPS), ("essex", ())],
)
def test_capabilities_per_era(request, era, expected):
    sim = request.getfixturevalue(era)
    mark = sim.mark()
    result = gc(sim, "capabilities", "-f", "value")
    assert result.code == 0, result.err
    assert result.out.split() == sorted(expected)
    asked = [("GET", "/gcinfo")]
    if not expected:  # no /gcinfo (essex): the extension list tells it is there
        asked.append(("GET", "/extensions"))
    assert [(m, p) for m, p, _ in requests_since(sim, mark)] == asked


def test_capabilities_all_marks_what_is_advertised(folsom):
    result = gc(folsom, "cobalt-capabilities", "--all", "-f", "json")
    assert result.code == 0, result.err
    rows = {row["Capability"]: row for row in result.json()}
    assert rows["import-export"] == {
        "Capability": "import-export",
        "Advertised": True,
        "Gates": "export, import",
    }
    assert rows["launch-nics"]["Advertised"] is False
    assert rows["security-groups"]["Advertised"] is True
    assert set(rows) >= set(GC_FOLSOM_CAPS) | set(CO_15_CAPS)


def test_capabilities_all_on_essex_advertises_nothing(essex):
    result = gc(essex, "capabilities", "--all", "-f", "value", "-c", "Advertised")
    assert result.code == 0, result.err
    assert set(result.out.split()) == {"False"}


# -- export and import ---------------------------------------------------------------------------


@pytest.mark.parametrize("era", ["cobalt", "folsom"])
def test_export_writes_sorted_indented_json_and_shows_the_image(request, era, tmp_path):
    sim = request.getfixturevalue(era)
    image = make_blessed(sim, f"export-{era}")
    path = tmp_path / "export.json"
    mark = sim.mark()
    result = gc(sim, "export", image["name"], str(path), "-f", "json")
    assert result.code == 0, result.err
    assert [(m, p, b) for m, p, b in requests_since(sim, mark) if m == "POST"] == [
        ("POST", f"/servers/{image['id']}/action", {"gc_export": {}})
    ]
    text = path.read_text()
    data = json.loads(text)
    assert text == json.dumps(data, sort_keys=True, indent=4) + "\n"
    assert data["fields"]["display_name"] == image["name"]
    shown = result.json()
    assert shown == {
        "export_image_id": data["export_image_id"],
        "file": str(path),
        "server": image["id"],
    }
    assert result.err == f"Instance data is being exported to image {data['export_image_id']}\n"
    quiet = gc(sim, "-q", "export", image["id"], str(path), "-f", "value", "-c", "file")
    assert quiet.code == 0 and quiet.out == f"{path}\n" and quiet.err == ""


def test_export_of_a_regular_server_fails(cobalt, tmp_path):
    server = cobalt.boot("not-blessed")
    path = tmp_path / "x.json"
    result = gc(cobalt, "export", server["id"], str(path))
    assert result.code == 1
    assert f"Instance {server['id']} is not a live image. Only live images can be exported." in (
        result.err
    )
    assert not path.exists()


def test_export_and_import_are_refused_on_essex(essex, tmp_path):
    image = make_blessed(essex, "essex-export")
    mark = essex.mark()
    result = gc(essex, "export", image["id"], str(tmp_path / "e.json"))
    assert result.code == 1
    assert "does not support export: it does not advertise the 'import-export'" in result.err
    (tmp_path / "i.json").write_text("{}")
    result = gc(essex, "import", str(tmp_path / "i.json"))
    assert result.code == 1
    assert "does not support import" in result.err
    # Only /gcinfo, once per gc run.
    assert requests_since(essex, mark) == [("GET", "/gcinfo", None)] * 2


@pytest.mark.parametrize("era", ["cobalt", "folsom"])
def test_import_with_overrides_sends_the_edited_data(request, era, tmp_path):
    sim = request.getfixturevalue(era)
    image = make_blessed(sim, f"import-{era}")
    path = tmp_path / "export.json"
    assert gc(sim, "export", image["id"], str(path)).code == 0
    exported = json.loads(path.read_text())
    mark = sim.mark()
    result = gc(
        sim,
        "gc-import",
        str(path),
        "--override",
        "fields.display_name=imported;fields.display_description=copy",
        "--override",
        "metadata.team=blue",
        "-f",
        "json",
    )
    assert result.code == 0, result.err
    expected = json.loads(json.dumps(exported))
    expected["fields"]["display_name"] = "imported"
    expected["fields"]["display_description"] = "copy"
    expected["metadata"]["team"] = "blue"
    posts = [(p, b) for m, p, b in requests_since(sim, mark) if m == "POST"]
    assert posts == [("/gc-import-server", {"data": expected})]
    shown = result.json()
    assert shown["name"] == "imported"
    assert shown["metadata"]["team"] == "blue"
    assert shown["status"] in ("BUILD", "BLESSED")


def test_import_override_of_a_list_is_split_on_commas(folsom, tmp_path):
    image = make_blessed(folsom, "import-list")
    path = tmp_path / "export.json"
    assert gc(folsom, "export", image["id"], str(path)).code == 0
    data = json.loads(path.read_text())
    assert isinstance(data["security_group_names"], list)
    mark = folsom.mark()
    result = gc(
        folsom,
        "live-image-import",
        str(path),
        "--override",
        "security_group_names=default,web",
        "--wait",
        "-f",
        "value",
        "-c",
        "status",
    )
    assert result.code == 0, result.err
    assert result.out == "BLESSED\n"
    body = next(b for m, p, b in requests_since(folsom, mark) if p == "/gc-import-server")
    assert body["data"]["security_group_names"] == ["default", "web"]


def test_import_errors(cobalt, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("not json")
    result = gc(cobalt, "import", str(bad))
    assert result.code == 1 and "is not JSON" in result.err
    bad.write_text("[1]")
    result = gc(cobalt, "import", str(bad))
    assert result.code == 1 and "does not hold a JSON object" in result.err
    result = gc(cobalt, "import", str(tmp_path / "missing.json"))
    assert result.code == 1 and "Cannot read export file" in result.err
    bad.write_text("{}")
    result = gc(cobalt, "import", str(bad), "--override", "novalue")
    assert result.code == 1 and "Invalid --override 'novalue'" in result.err


# -- install-policy and get-policy -------------------------------------------------------------


POLICY = "[policy]\nmemory = 512MB\n"


@pytest.mark.parametrize(("argv", "wait"), [([], False), (["--wait"], True)])
def test_install_policy_sends_the_text_and_the_wait_flag(cobalt, tmp_path, argv, wait):
    path = tmp_path / "policy.ini"
    path.write_text(POLICY)
    mark = cobalt.mark()
    result = gc(cobalt, "install-policy", *argv, str(path))
    assert result.code == 0, result.err
    assert result.out == ""
    assert [(m, p, b) for m, p, b in requests_since(cobalt, mark) if m == "POST"] == [
        ("POST", "/gcpolicy", {"policy_ini_string": POLICY, "wait": wait})
    ]


def test_install_policy_failure_is_shown(cobalt, tmp_path):
    path = tmp_path / "policy.ini"
    path.write_text("this is [not an ini\n")
    result = gc(cobalt, "install-policy", "--wait", str(path))
    assert result.code == 1
    assert "Failed to install policy on" in result.err


def test_get_policy_lists_the_lines_of_a_launched_server(cobalt, tmp_path):
    path = tmp_path / "policy.ini"
    path.write_text(POLICY)
    assert gc(cobalt, "install-policy", "--wait", str(path)).code == 0
    image = make_blessed(cobalt, "policy-src")
    child = launch(cobalt, image["id"], "policy-child")
    mark = cobalt.mark()
    result = gc(cobalt, "get-policy", child["id"], "-f", "value")
    assert result.code == 0, result.err
    assert result.out.splitlines() == POLICY.splitlines()
    assert [(m, p, b) for m, p, b in requests_since(cobalt, mark) if m == "POST"] == [
        ("POST", f"/servers/{child['id']}/action", {"co_get_policy": {}})
    ]
    result = gc(cobalt, "get-policy", image["id"])
    assert result.code == 1
    assert "Only launched instances support policies." in result.err


def test_get_policy_is_refused_where_not_advertised(folsom):
    image = make_blessed(folsom, "folsom-policy")
    child = launch(folsom, image["id"])
    mark = folsom.mark()
    result = gc(folsom, "get-policy", child["id"])
    assert result.code == 1
    assert "does not support get-policy: it does not advertise the 'get-policy'" in result.err
    assert [m for m, _, _ in requests_since(folsom, mark)] == ["GET"]


def test_install_policy_is_refused_on_essex(essex, tmp_path):
    path = tmp_path / "p.ini"
    path.write_text(POLICY)
    result = gc(essex, "install-policy", str(path))
    assert result.code == 1
    assert "does not advertise the 'install-policy' capability" in result.err


# -- boot ----------------------------------------------------------------------------------------


def test_boot_on_a_host_by_ids(cobalt):
    mark = cobalt.mark()
    result = gc(
        cobalt,
        "boot",
        "--image", IMAGE_ID,
        "--flavor", "1",
        "--host", "compute-2",
        "--wait",
        "booted",
        "-f", "json",
        user="admin",
    )  # fmt: skip
    assert result.code == 0, result.err
    reqs = queries(cobalt, mark)
    assert reqs[0][:2] == ("POST", "/gcservers")
    body = next(b for m, p, b in requests_since(cobalt, mark) if p == "/gcservers")
    assert body == {
        "server": {
            "name": "booted",
            "imageRef": IMAGE_ID,
            "flavorRef": "1",
            "metadata": {"gc:target_host": "compute-2"},
        }
    }
    shown = result.json()
    assert shown["status"] == "ACTIVE"
    assert shown["name"] == "booted"
    assert shown["OS-EXT-SRV-ATTR:host"] == "compute-2"
    assert shown["adminPass"]


def test_boot_by_names_costs_one_lookup_each(cobalt):
    mark = cobalt.mark()
    result = gc(
        cobalt,
        "gc-boot",
        "--image", IMAGE.name,
        "--flavor", "m1.small",
        "--host", "compute-1",
        "byname",
        "-f", "value", "-c", "name",
        user="admin",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.out == "byname\n"
    reqs = queries(cobalt, mark)
    assert reqs[0] == ("GET", "/images/detail", {"name": [IMAGE.name]})
    assert reqs[1][:2] == ("GET", "/flavors/detail")
    assert reqs[2][:2] == ("POST", "/gcservers")
    body = next(b for m, p, b in requests_since(cobalt, mark) if p == "/gcservers")
    assert body["server"]["imageRef"] == IMAGE_ID
    assert body["server"]["flavorRef"] == "2"


def test_boot_errors(cobalt):
    result = gc(cobalt, "boot", "--image", IMAGE_ID, "--flavor", "1", "--host", "compute-1", "x")
    assert result.code == 1
    assert "This feature is restricted to only admin users." in result.err
    result = gc(
        cobalt, "boot", "--image", "nope", "--flavor", "1", "--host", "compute-1", "x",
        user="admin",
    )  # fmt: skip
    assert result.code == 1
    assert "No image with a name or ID of 'nope' exists." in result.err
    result = gc(cobalt, "boot", "--image", IMAGE_ID, "x")
    assert result.code == 2


# -- lineage -------------------------------------------------------------------------------------


@pytest.fixture
def family(cobalt):
    """source → img-a → (a-1 → img-a1 → a1-x), a-2; source → img-b"""
    source = cobalt.boot("family")
    img_a = make_blessed_from(cobalt, source["id"], "img-a")
    a1 = launch(cobalt, img_a["id"], "a-1")
    a2 = launch(cobalt, img_a["id"], "a-2")
    img_a1 = make_blessed_from(cobalt, a1["id"], "img-a1")
    a1x = launch(cobalt, img_a1["id"], "a1-x")
    img_b = make_blessed_from(cobalt, source["id"], "img-b")
    return {
        "source": source,
        "img-a": img_a,
        "a-1": a1,
        "a-2": a2,
        "img-a1": img_a1,
        "a1-x": a1x,
        "img-b": img_b,
    }


def make_blessed_from(sim, source_id: str, name: str) -> dict:
    return bless_and_wait(sim, source_id, {"name": name})


def test_lineage_table_is_a_tree_and_a_small_one_costs_a_request_per_node(cobalt, family):
    mark = cobalt.mark()
    result = gc(
        cobalt, "lineage", family["source"]["id"], "-f", "table", "-c", "Server", "-c", "Kind"
    )
    assert result.code == 0, result.err
    servers = [line.split("|")[1].rstrip() for line in result.out.splitlines()[3:-1]]
    assert servers == [
        " family",
        " ├── img-a",
        " │   ├── a-1",
        " │   │   └── img-a1",
        " │   │       └── a1-x",
        " │   └── a-2",
        " └── img-b",
    ]
    reqs = requests_since(cobalt, mark)
    assert reqs[0][:2] == ("GET", f"/servers/{family['source']['id']}")
    kinds = [next(iter(b)) for _, _, b in reqs[1:]]
    # No level of this tree has more than 4 servers: one list request per server.
    assert len(kinds) == 7
    assert kinds.count("gc_list_blessed") == 4  # family, a-1, a-2, a1-x
    assert kinds.count("gc_list_launched") == 3  # img-a, img-a1, img-b


def test_lineage_csv_has_plain_names_with_depth_and_parent(cobalt, family):
    result = gc(cobalt, "lineage", family["source"]["id"], "-f", "csv", "-c", "Server",
                "-c", "Kind", "-c", "Depth", "-c", "Parent")  # fmt: skip
    assert result.code == 0, result.err
    ids = {name: view["id"] for name, view in family.items()}
    assert result.out.splitlines() == [
        '"Server","Kind","Depth","Parent"',
        '"family","source",0,""',
        f'"img-a","blessed",1,"{ids["source"]}"',
        f'"a-1","launched",2,"{ids["img-a"]}"',
        f'"img-a1","blessed",3,"{ids["a-1"]}"',
        f'"a1-x","launched",4,"{ids["img-a1"]}"',
        f'"a-2","launched",2,"{ids["img-a"]}"',
        f'"img-b","blessed",1,"{ids["source"]}"',
    ]


def test_lineage_json_is_rows_with_depth_and_parent(cobalt, family):
    result = gc(cobalt, "lineage", "img-a", "-f", "json")
    assert result.code == 0, result.err
    rows = result.json()
    assert [(r["Server"], r["Kind"], r["Depth"]) for r in rows] == [
        ("img-a", "blessed", 0),
        ("a-1", "launched", 1),
        ("img-a1", "blessed", 2),
        ("a1-x", "launched", 3),
        ("a-2", "launched", 1),
    ]
    assert rows[0] == {
        "Server": "img-a",
        "ID": family["img-a"]["id"],
        "Status": "BLESSED",
        "Kind": "blessed",
        "Depth": 0,
        "Parent": "",
    }
    assert rows[4]["Parent"] == family["img-a"]["id"]


def test_lineage_root_and_max_depth(cobalt, family):
    result = gc(
        cobalt, "lineage", "--root", "--max-depth", "1", "--ascii", family["a1-x"]["id"],
        "-f", "table", "-c", "Server",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert [line[1:-1].strip() for line in result.out.splitlines()[3:-1]] == [
        "family", "|-- img-a ...", "`-- img-b ...",
    ]  # fmt: skip
    result = gc(cobalt, "lineage", "--root", "--max-depth", "1", family["a1-x"]["id"],
                "-f", "value", "-c", "Server", "-c", "Depth")  # fmt: skip
    assert result.out.splitlines() == ["family 0", "img-a 1", "img-b 1"]


def test_lineage_yaml(cobalt, family):
    import yaml

    result = gc(cobalt, "lineage", family["img-b"]["id"], "-f", "yaml")
    assert result.code == 0, result.err
    assert yaml.safe_load(result.out) == [
        {
            "Server": "img-b",
            "ID": family["img-b"]["id"],
            "Status": "BLESSED",
            "Kind": "blessed",
            "Depth": 0,
            "Parent": "",
        }
    ]


def test_lineage_of_an_unknown_server(cobalt):
    result = gc(cobalt, "lineage", "nobody-here")
    assert result.code == 1
    assert "No server with a name or ID of 'nobody-here' exists." in result.err


# -- aliases ------------------------------------------------------------------------------------


def test_live_image_aliases_send_the_same_actions(cobalt):
    source = cobalt.boot("alias-src")
    mark = cobalt.mark()
    created = gc(cobalt, "live-image-create", "--wait", source["id"], "-f", "value", "-c", "ID")
    assert created.code == 0, created.err
    image_id = created.out.strip()
    listed = gc(cobalt, "live-image-list", source["id"], "-f", "value", "-c", "ID")
    assert listed.out.strip() == image_id
    started = gc(cobalt, "live-image-start", "--wait", image_id, "-f", "value", "-c", "ID")
    assert started.code == 0, started.err
    child = started.out.strip()
    servers = gc(cobalt, "live-image-servers", image_id, "-f", "value", "-c", "ID")
    assert servers.out.strip() == child
    deleted = gc(cobalt, "live-image-delete", "--delete-launched", "--wait", image_id)
    assert deleted.code == 0, deleted.err
    names = [next(iter(b)) for m, p, b in requests_since(cobalt, mark) if p.endswith("/action")]
    assert [n for n in names if n != "gc_list_launched"] == [
        "gc_bless",
        "gc_list_blessed",
        "gc_launch",
        "gc_discard",
    ]
    assert cobalt.get(image_id) is None


@pytest.mark.parametrize("alias", ["migrate", "cobalt-migrate", "gc-migrate"])
def test_migrate_aliases(cobalt, alias):
    server = cobalt.boot(f"alias-{alias}")
    mark = cobalt.mark()
    result = gc(cobalt, alias, server["id"])
    assert result.code == 0, result.err
    assert requests_since(cobalt, mark) == [
        ("POST", f"/servers/{server['id']}/action", {"gc_migrate": {}})
    ]


@pytest.mark.parametrize("alias", ["gc-export", "live-image-export"])
def test_export_aliases(cobalt, alias, tmp_path):
    image = make_blessed(cobalt, f"alias-{alias}")
    mark = cobalt.mark()
    result = gc(cobalt, alias, image["id"], str(tmp_path / "x.json"), "-f", "value")
    assert result.code == 0, result.err
    assert ("POST", f"/servers/{image['id']}/action", {"gc_export": {}}) in requests_since(
        cobalt, mark
    )


def test_cobalt_capabilities_alias(cobalt):
    mark = cobalt.mark()
    result = gc(cobalt, "cobalt-capabilities", "-f", "value")
    assert result.code == 0
    assert "get-policy" in result.out.split()
    assert requests_since(cobalt, mark) == [("GET", "/gcinfo", None)]


# -- help ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(commands.all_commands()))
def test_help_of_every_command(cobalt, name):
    result = gc(cobalt, "help", name)
    assert result.code == 0, result.err
    cls = commands.LazyCommand(name, commands.all_commands()[name]).load()
    first = cls.__doc__.strip().splitlines()[0]
    assert first.rstrip(".") in " ".join(result.out.split())
    assert result.out.startswith(f"usage: gc {name} ")
    if name in commands.ALIASES:
        assert f"(alias of '{commands.ALIASES[name]}')" in result.out


def test_lineage_through_the_python_api(cobalt, family):
    client = python_client(cobalt)
    tree = client.gridcentric.lineage("img-a1")
    assert [(depth, node.name, node.kind) for depth, node in tree.walk()] == [
        (0, "img-a1", "blessed"),
        (1, "a1-x", "launched"),
    ]
    assert client.gridcentric.lineage(family["source"]["id"], max_depth=1).count() == 3
