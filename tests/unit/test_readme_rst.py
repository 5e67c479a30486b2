"""README.rst is the package's long description and CHANGELOG.rst the release notes:
both must be valid reStructuredText."""

import os

import docutils.core
import docutils.utils
import docutils.writers.null
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.parametrize("name", ["README.rst", "CHANGELOG.rst"])
def test_renders_without_warnings(name):
    with open(os.path.join(ROOT, name), encoding="utf-8") as handle:
        text = handle.read()
    docutils.core.publish_string(
        text,
        writer=docutils.writers.null.Writer(),
        settings_overrides={"report_level": 2, "halt_level": 2},
    )
