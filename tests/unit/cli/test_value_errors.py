"""A value refused before sending names its option in gc's words (issue 25: "Invalid
memory target '0'" did not say which option), and keeps plain words in the Python API."""

from __future__ import annotations

import pytest

from gcclient.api import bodies
from gcclient.api.exceptions import PLAIN, InvalidValue
from gcclient.cli.base import GC_WORDS


@pytest.mark.parametrize(
    ("check", "gc", "plain"),
    [
        (
            lambda: bodies.normalise_target("0"),
            "Invalid --target '0': it must be greater than 0",
            "Invalid memory target '0': it must be greater than 0",
        ),
        (
            lambda: bodies.check_user_data(b"x" * 50_000, "/dev/zero"),
            "Invalid --user-data '/dev/zero': it is too large: more than 49149 bytes "
            "(65535 once base64-encoded is Nova's limit)",
            "User data '/dev/zero' is too large: more than 49149 bytes "
            "(65535 once base64-encoded is Nova's limit)",
        ),
        (
            lambda: bodies.parse_params(["=v"]),
            "Invalid --params '=v': the key is empty",
            "Invalid guest parameter '=v': the key is empty",
        ),
        (
            lambda: bodies.check_num_instances(0),
            "Invalid --num-instances '0': it must be at least 1",
            "Invalid number of instances '0': it must be at least 1",
        ),
        (
            lambda: bodies.parse_hints(["x"]),
            "Invalid --hint 'x': expected key=value",
            "Invalid hint 'x': expected key=value",
        ),
    ],
)
def test_value_errors_name_their_option(check, gc, plain):
    with pytest.raises(InvalidValue) as err:
        check()
    assert err.value.render(GC_WORDS) == gc
    assert str(err.value) == plain
    assert err.value.render(PLAIN) == plain
