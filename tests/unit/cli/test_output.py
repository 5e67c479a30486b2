from gcclient.cli import output as views


def readable(value):
    return value.human_readable() if hasattr(value, "human_readable") else value


def machine(value):
    return value.machine_readable() if hasattr(value, "machine_readable") else value


VIEW = {
    "id": "x",
    "name": "web",
    "status": "ACTIVE",
    "links": [{"href": "http://n/x"}],
    "security_groups": [{"name": "default"}, {"name": "web"}],
    "metadata": {"launched_from": "b1", "a": "1"},
    "image": {"id": "img", "links": []},
    "flavor": {"id": "1", "links": []},
    "addresses": {"private": [{"addr": "10.0.0.1"}, {"addr": "10.0.0.2"}], "pub": []},
    "fault": {"message": "boom", "code": 500},
}


def test_properties_are_sorted_with_one_row_per_network():
    names, values = views.server_properties(VIEW)
    shown = {n: readable(v) for n, v in zip(names, values, strict=True)}
    assert list(names) == sorted(names)
    assert shown == {
        "fault": "boom",
        "flavor": "1",
        "id": "x",
        "image": "img",
        "metadata": "a='1', launched_from='b1'",
        "name": "web",
        "private network": "10.0.0.1, 10.0.0.2",
        "pub network": "",
        "security_groups": "default, web",
        "status": "ACTIVE",
    }
    machines = {n: machine(v) for n, v in zip(names, values, strict=True)}
    assert machines["metadata"] == {"launched_from": "b1", "a": "1"}
    assert machines["security_groups"] == [{"name": "default"}, {"name": "web"}]


def test_boot_from_volume_has_no_image():
    names, values = views.server_properties({"id": "x", "image": ""})
    assert (
        dict(zip(names, values, strict=True))["image"]
        == "Attempt to boot from volume - no image supplied"
    )


def test_list_rows_are_sorted_by_id_with_networks():
    columns, rows = views.server_list(
        [
            {"id": "b", "name": "two", "status": "BUILD", "addresses": {}},
            {"id": "a", "name": "one", "status": "ACTIVE", "addresses": VIEW["addresses"]},
        ]
    )
    assert columns == ("ID", "Name", "Status", "Networks")
    assert [row[:3] for row in rows] == [("a", "one", "ACTIVE"), ("b", "two", "BUILD")]
    assert rows[0][3].human_readable() == "private=10.0.0.1, 10.0.0.2; pub="
    assert rows[0][3].machine_readable() == {"private": ["10.0.0.1", "10.0.0.2"], "pub": []}
    assert (rows[1][3].human_readable(), rows[1][3].machine_readable()) == ("", {})
