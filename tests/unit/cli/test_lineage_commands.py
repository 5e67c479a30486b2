"""gcclient.cli.lineage_commands: ``gc lineage``'s take_action on a fake wire: the
tree's rows per format, --root, --max-depth, narrow terminals (the parser is in
test_lineage_commands_parsers.py)."""

from __future__ import annotations

import io
import json

import pytest

from gcclient.api.exceptions import CommandError, NotFound
from gcclient.cli import lineage_commands as lc

from ..fakes import FakeWire, command, view

LONG = "0123456789abcdef-0000-0000-0000-00000000000"


def family() -> FakeWire:
    """web (s1) -> img (b1) -> two launched (l1, l2); img2 (b2) blessed from l1."""
    return FakeWire(
        [
            view("s1", "web"),
            view("b1", "img", "BLESSED", blessed_from="s1"),
            view("l1", "child-1", launched_from="b1"),
            view("l2", "child-2", launched_from="b1"),
            view("b2", "img2", "BLESSED", blessed_from="l1"),
        ]
    )


def lineage(wire: FakeWire, *argv: str, stdout=None):
    cmd, args = command(lc.ShowLineage, wire, "lineage", list(argv))
    if stdout is not None:
        cmd.app.stdout = stdout
    return cmd.take_action(args)


def utf8() -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8")


def test_other_formats_get_plain_names_depth_and_parent():
    wire = family()
    columns, rows = lineage(wire, "web", "-f", "json")
    assert columns == ("Server", "ID", "Status", "Kind", "Depth", "Parent")
    assert rows == [
        ("web", "s1", "ACTIVE", "source", 0, ""),
        ("img", "b1", "BLESSED", "blessed", 1, "s1"),
        ("child-1", "l1", "ACTIVE", "launched", 2, "b1"),
        ("img2", "b2", "BLESSED", "blessed", 3, "l1"),
        ("child-2", "l2", "ACTIVE", "launched", 2, "b1"),
    ]
    assert wire.calls[0] == ("find", "web")


def test_the_table_draws_the_tree_in_the_server_column():
    columns, rows = lineage(family(), "web", stdout=utf8())
    assert columns == ("Server", "ID", "Status", "Kind")
    assert [row[0] for row in rows] == [
        "web",
        "└── img",
        "    ├── child-1",
        "    │   └── img2",
        "    └── child-2",
    ]
    assert rows[1] == ("└── img", "b1", "BLESSED", "blessed")


def test_ascii_when_asked_or_when_stdout_cannot_encode_the_drawing():
    asked = [row[0] for row in lineage(family(), "web", "--ascii", stdout=utf8())[1]]
    ascii_out = [row[0] for row in lineage(family(), "web", stdout=io.StringIO())[1]]
    expected = ["web", "`-- img", "    |-- child-1", "    |   `-- img2", "    `-- child-2"]
    assert asked == ascii_out == expected


def test_root_starts_from_the_oldest_ancestor():
    wire = family()
    _, rows = lineage(wire, "b2", "--root", "-f", "value")
    assert [row[1] for row in rows] == ["s1", "b1", "l1", "b2", "l2"]
    assert wire.calls[:4] == [("find", "b2"), ("get", "l1"), ("get", "b1"), ("get", "s1")]


def test_max_depth_marks_servers_whose_children_were_not_fetched():
    _, rows = lineage(family(), "web", "--max-depth", "1", "--ascii")
    assert rows == [("web", "s1", "ACTIVE", "source"), ("`-- img ...", "b1", "BLESSED", "blessed")]


def test_a_negative_max_depth_is_refused_before_any_request():
    wire = family()
    with pytest.raises(CommandError) as err:
        lineage(wire, "web", "--max-depth", "-1")
    assert str(err.value) == "--max-depth must be 0 or more"
    assert wire.calls == []


def test_all_projects_asks_across_projects_and_adds_the_project():
    class Projects(FakeWire):
        def across_projects(self):
            self.calls.append(("across_projects",))
            return self

    wire = Projects([{**view("s1", "web"), "tenant_id": "p1"}])
    columns, rows = lineage(wire, "web", "--all-projects", "-f", "csv")
    assert columns == ("Server", "ID", "Status", "Kind", "Depth", "Parent", "Project")
    assert rows == [("web", "s1", "ACTIVE", "source", 0, "", "p1")]
    columns, rows = lineage(wire, "web", "--all-projects", "--ascii")
    assert (columns[-1], rows) == ("Project", [("web", "s1", "ACTIVE", "source", "p1")])
    assert wire.calls[0] == ("across_projects",)


def test_a_narrow_terminal_shortens_the_ids_first(monkeypatch):
    wire = FakeWire([view(LONG, "web"), view(LONG[:-1] + "1", "img", "BLESSED", blessed_from=LONG)])
    _, wide = lineage(wire, "web", "--ascii")
    assert wide[0][1] == LONG
    monkeypatch.setattr(lc, "_terminal_width", lambda stream: 40)
    _, narrow = lineage(wire, "web", "--ascii")
    assert [row[:2] for row in narrow] == [("web", "01234567"), ("`-- img", "01234567")]
    _, flat = lineage(wire, "web", "-f", "value")
    assert flat[0][1] == LONG  # only the table gives way


def test_rows_stay_in_tree_order():
    cmd, _ = command(lc.ShowLineage, family(), "lineage", ["web"])
    assert cmd.need_sort_by_cliff is False


def test_table_width_is_cliffs():
    rows = [("web", "s1"), ("`-- image", "b1")]
    assert lc.table_width(("Server", "ID"), rows) == len("| `-- image | ID |")
    assert lc.short_id(LONG) == "01234567"


def test_the_terminal_width_only_for_a_terminal():
    assert lc._terminal_width(io.StringIO()) is None
    assert lc._terminal_width(object()) is None


# Moved from test_commands.py: through gc's app, output as cliff writes it.
def run(monkeypatch, wire, *argv):
    from gcclient.cli import application as app
    from gcclient.cli import base

    monkeypatch.setattr(base, "wire", lambda command: wire)
    gc = app.GcApp()
    out, err = io.StringIO(), io.StringIO()
    gc.stdout, gc.stderr = out, err
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    code = gc.run(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_lineage_json_is_rows_and_only_the_table_is_drawn(monkeypatch):
    wire = FakeWire()
    code, out, _ = run(monkeypatch, wire, "lineage", "web", "-f", "json")
    assert code == 0
    assert json.loads(out) == [
        {"Server": "web", "ID": "s1", "Status": "ACTIVE", "Kind": "source", "Depth": 0,
         "Parent": ""},
        {"Server": "img", "ID": "b1", "Status": "BLESSED", "Kind": "blessed", "Depth": 1,
         "Parent": "s1"},
    ]  # fmt: skip
    assert wire.calls == [("find", "web"), ("list_blessed", "s1"), ("list_launched", "b1")]
    code, out, _ = run(monkeypatch, FakeWire(), "lineage", "web", "--ascii", "-f", "csv")
    assert out.splitlines() == [
        '"Server","ID","Status","Kind","Depth","Parent"',
        '"web","s1","ACTIVE","source",0,""',
        '"img","b1","BLESSED","blessed",1,"s1"',
    ]
    code, out, _ = run(monkeypatch, FakeWire(), "lineage", "web", "--ascii", "-f", "table")
    assert [line.split("|")[1].strip() for line in out.splitlines()[3:-1]] == ["web", "`-- img"]


def test_lineage_of_a_missing_server_fails(monkeypatch):
    code, _, err = run(monkeypatch, FakeWire(), "lineage", "missing")
    assert code == 1
    assert "No server with a name or ID of 'missing' exists." in err
    with pytest.raises(NotFound):
        lineage(FakeWire(), "missing")
