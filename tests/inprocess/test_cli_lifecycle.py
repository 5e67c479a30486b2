"""The seed's whole scenario with gc run in-process against the simulator's App.

Moved from tests/functional/cli/test_cli_lifecycle.py with the same assertions (every
write in the journal, outputs, exit codes); the same lifecycle with real gc processes is
the README's main command there (examples/lifecycle.py)."""

from tests.functional.gcrun import actions
from tests.inprocess.insim import run_gc as gc


def test_seed_scenario_with_gc_alone(simulator):
    source = simulator.boot("scenario")
    mark = simulator.mark()

    blessed = gc(
        simulator, "bless", source["id"], "--wait", "-f", "value", "-c", "ID", "-c", "Status"
    )
    assert blessed.code == 0, blessed.err
    blessed_id, status = blessed.out.split()
    assert status == "BLESSED"

    first = gc(simulator, "launch", blessed_id, "--wait", "-f", "value", "-c", "ID")
    second = gc(simulator, "launch", "scenario-0", "--wait", "-f", "value", "-c", "ID")
    assert first.code == second.code == 0, first.err + second.err
    launched = sorted([first.out.strip(), second.out.strip()])

    listing = gc(simulator, "list-launched", blessed_id, "-f", "json")
    assert sorted(row["ID"] for row in listing.json()) == launched
    assert {row["Status"] for row in listing.json()} == {"ACTIVE"}

    deleted = gc(simulator, "delete", "--parallel", "1", "--wait", *launched)
    assert deleted.code == 0, deleted.err
    assert gc(simulator, "list-launched", blessed_id, "-f", "json").json() == []

    assert gc(simulator, "delete", "--wait", source["id"]).code == 0
    discarded = gc(simulator, "discard", "--wait", blessed_id)
    assert (discarded.code, discarded.out, discarded.err) == (0, "", "")
    gone = gc(simulator, "show", blessed_id)
    assert gone.code == 1
    assert gone.err == f"ERROR: No server with a name or ID of '{blessed_id}' exists.\n"

    bodies = [
        (method, path, body)
        for method, path, body in actions(simulator.journal_since(mark))
        if method != "GET"
    ]
    assert bodies == [
        ("POST", f"/servers/{source['id']}/action", {"gc_bless": {}}),
        ("POST", f"/servers/{blessed_id}/action", {"gc_launch": {}}),
        ("POST", f"/servers/{blessed_id}/action", {"gc_launch": {}}),
        ("POST", f"/servers/{blessed_id}/action", {"gc_list_launched": {}}),
        ("DELETE", f"/servers/{launched[0]}", None),
        ("DELETE", f"/servers/{launched[1]}", None),
        ("POST", f"/servers/{blessed_id}/action", {"gc_list_launched": {}}),
        ("DELETE", f"/servers/{source['id']}", None),
        ("POST", f"/servers/{blessed_id}/action", {"gc_discard": {}}),
    ]
