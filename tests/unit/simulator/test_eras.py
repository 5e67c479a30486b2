"""eras.py: the per-era tables (labels, action keys, resources, capabilities, texts) that
the rest of the simulator reads; wording per /work/shared/gridcentric-api.md §2-§3."""

from __future__ import annotations

import pytest

from gcclient.simulator.eras import (
    CO_15_CAPS,
    COBALT,
    ERAS,
    ESSEX,
    FOLSOM,
    GC_FOLSOM_CAPS,
    get_era,
)


def test_era_names_and_labels():
    assert sorted(ERAS) == ["cobalt", "essex", "folsom"]
    assert get_era("folsom") is FOLSOM
    with pytest.raises(KeyError):
        get_era("grizzly")
    assert (ESSEX.label, FOLSOM.label, COBALT.label) == ("seed", "GC-Folsom", "CO-1.5")
    assert (ESSEX.alias, FOLSOM.alias, COBALT.alias) == ("GC", "GC", "CO")
    assert (COBALT.gridcentric, FOLSOM.gridcentric, ESSEX.gridcentric) == (False, True, True)


def test_action_keys():
    assert ESSEX.action_keys == {
        "gc_bless": "bless",
        "gc_launch": "launch",
        "gc_discard": "discard",
        "gc_migrate": "migrate",
        "gc_list_launched": "list_launched",
        "gc_list_blessed": "list_blessed",
    }
    assert FOLSOM.action_keys == {**ESSEX.action_keys, "gc_export": "export"}
    assert COBALT.action_keys == {
        **FOLSOM.action_keys,
        **{k.replace("gc_", "co_"): v for k, v in FOLSOM.action_keys.items()},
        "co_get_policy": "get_policy",
    }


def test_resources():
    assert ESSEX.resources == {"gcservers": "servers"}
    assert FOLSOM.resources == {
        "gcinfo": "info",
        "gcservers": "servers",
        "gc-import-server": "import",
        "gcpolicy": "policy",
    }
    assert COBALT.resources == {
        **FOLSOM.resources,
        "cobaltinfo": "info",
        "coservers": "servers",
        "co-import-server": "import",
        "copolicy": "policy",
    }


def test_capabilities_and_has():
    assert ESSEX.capabilities is None and not ESSEX.has("user-data")
    assert FOLSOM.capabilities == GC_FOLSOM_CAPS
    assert FOLSOM.has("import-export") and not FOLSOM.has("get-policy")
    assert COBALT.capabilities == CO_15_CAPS
    assert COBALT.has("get-policy") and COBALT.has("launch-nics")
    assert not COBALT.has("security-groups")  # CO-1.5 dropped it from the list


def test_texts_are_formatted_per_era():
    assert ESSEX.text("delete_blessed", uuid="u") == (
        "Cannot delete a live image. Please discard it instead."
    )
    assert COBALT.text("delete_blessed", uuid="u") == (
        "Cannot delete a live image u. Please discard it instead."
    )
    assert ESSEX.text("already_blessed", uuid="u") == (
        "Instance u is already blessed. Cannot rebless an instance."
    )
    assert FOLSOM.text("already_blessed", uuid="u") == "Instance u is already a live image."
    assert FOLSOM.text("migrate_service", host="h") == (
        "Cannot migrate to host h because it is not running the gridcentric service."
    )
    assert COBALT.text("migrate_service", host="h") == (
        "Cannot migrate to host h because it is not running the cobalt service."
    )
    assert COBALT.text("url_project", url="a", token="b") == (
        "Malformed request URL: URL's project_id 'a' doesn't match Context's project_id 'b'"
    )
    assert FOLSOM.text("url_project") == "Malformed request url"
    assert COBALT.text("quota", requested=2, used=1, allowed=2) == (
        "Quota exceeded for instances: Requested 2, but already used 1 of 2 instances"
    )


def test_every_era_words_every_text_it_is_asked_for():
    keys = set(COBALT.texts)
    for era in ERAS.values():
        assert keys <= set(era.texts) | {"forced_host"}, era.name


def test_seed_differences_are_data():
    assert (ESSEX.state_status, ESSEX.not_found_status) == (500, 500)
    assert (FOLSOM.state_status, COBALT.not_found_status) == (400, 400)
    assert ESSEX.launch_keys == ("target", "guest") and COBALT.launch_keys is None
    assert (ESSEX.guards_delete, FOLSOM.guards_delete) == (False, True)
    assert COBALT.default_groups == ("default",) and FOLSOM.default_groups is None
    assert (ESSEX.no_host_text, FOLSOM.no_host_text, COBALT.no_host_text) == (
        None,
        "no_hosts_az",
        "no_valid_host",
    )


def test_descriptor():
    assert COBALT.descriptor() == {
        "name": "Cobalt",
        "alias": "CO",
        "namespace": "http://docs.gridcentric.com/openstack/ext/api/v1",
        "updated": "2013-04-10T13:52:50-07:00",
        "description": "The Cobalt extension.",
        "links": [],
    }
    assert ESSEX.descriptor()["namespace"] == "http://www.gridcentric.com"
