"""gc import --override parsing and application."""

from __future__ import annotations

import pytest

from gcclient.api.exceptions import CommandError
from gcclient.cli import transfer

DATA = {
    "fields": {"display_name": "web-0", "memory_mb": 512, "nested": {"x": "1"}},
    "security_group_names": ["default"],
    "flavor_name": "m1.tiny",
}


def test_pairs_split_on_semicolons_and_the_first_equals():
    assert transfer.parse_overrides(["a=1;b.c=x=y", "d="]) == [
        ("a", "1"),
        ("b.c", "x=y"),
        ("d", ""),
    ]


def test_empty_parts_are_skipped():
    assert transfer.parse_overrides(["a=1;;", ""]) == [("a", "1")]


@pytest.mark.parametrize("bad", ["novalue", "=x", "a..b=1", ".a=1"])
def test_bad_pairs_are_refused(bad):
    with pytest.raises(CommandError, match="^Invalid --override "):
        transfer.parse_overrides([bad])


def test_dotted_keys_walk_nested_objects_and_the_original_is_untouched():
    pairs = transfer.parse_overrides(["fields.display_name=foo;fields.nested.x=2;flavor_name=m1"])
    result = transfer.apply_overrides(DATA, pairs)
    assert result["fields"]["display_name"] == "foo"
    assert result["fields"]["nested"] == {"x": "2"}
    assert result["flavor_name"] == "m1"
    assert DATA["fields"]["display_name"] == "web-0"


def test_a_value_replacing_a_list_is_split_on_commas():
    result = transfer.apply_overrides(DATA, [("security_group_names", "web,default")])
    assert result["security_group_names"] == ["web", "default"]


def test_a_value_replacing_a_string_keeps_its_commas():
    result = transfer.apply_overrides(DATA, [("flavor_name", "a,b")])
    assert result["flavor_name"] == "a,b"


def test_missing_objects_are_created():
    result = transfer.apply_overrides({}, [("metadata.owner", "me")])
    assert result == {"metadata": {"owner": "me"}}


def test_walking_through_a_non_object_is_refused():
    with pytest.raises(CommandError, match="'flavor_name' is not an object"):
        transfer.apply_overrides(DATA, [("flavor_name.x", "1")])


@pytest.mark.parametrize(
    ("key", "message"),
    [
        # issue 25: the whole key is suggested, not its first level ('fields')
        (
            "field.display_name",
            "the export has no field 'field'; did you mean 'fields.display_name'?",
        ),
        (
            "fields.display_nme",
            "the export has no field 'fields.display_nme'; did you mean 'fields.display_name'?",
        ),
        ("zzz", "the export has no field 'zzz'"),
    ],
)
def test_keys_that_are_not_in_the_export_are_refused(key, message):
    with pytest.raises(CommandError) as caught:
        transfer.apply_overrides(DATA, [(key, "x")])
    assert str(caught.value) == f"Invalid --override '{key}': {message}"
