"""README.rst is the package's long description: it must be valid reStructuredText."""

import os

import docutils.core
import docutils.utils

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_readme_renders_without_warnings():
    with open(os.path.join(ROOT, "README.rst"), encoding="utf-8") as handle:
        text = handle.read()
    docutils.core.publish_string(
        text,
        writer_name="null",
        settings_overrides={"report_level": 2, "halt_level": 2},
    )
