"""Sphinx configuration: HTML documentation and the gc(1) man page."""

from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "_ext"))
sys.path.insert(0, os.path.dirname(HERE))

from gcclient.version import __version__  # noqa: E402

project = "gcclient"
author = "gcclient authors"
copyright = "gcclient authors"
version = release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
    "gcdocs",  # cliff.sphinxext's autoprogram-cliff, reading gc's command table
]

exclude_patterns = ["_build"]
nitpicky = False
default_role = "literal"
highlight_language = "none"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}

# Options every listing or showing command has (cliff's output formatting) are
# described once, in "Output options" of the reference, not under each command.
autoprogram_cliff_application = "gc"
autoprogram_cliff_app_dist_name = "gcclient"
autoprogram_cliff_ignored = [
    "--help",
    "--format",
    "--column",
    "--quote",
    "--noindent",
    "--max-width",
    "--fit-width",
    "--print-empty",
    "--sort-column",
    "--sort-ascending",
    "--sort-descending",
    "--prefix",
    "--variable",
]
# Option names such as --wait stay as typed (no en dashes).
smartquotes = False

html_theme = "alabaster"
html_title = f"gcclient {release}"

man_pages = [
    (
        "man/gc",
        "gc",
        "Gridcentric VMS live images on OpenStack: bless, launch, discard, migrate",
        [author],
        1,
    ),
    # The same page under the second console script's name: a distro that cannot
    # ship /usr/bin/gc (graphviz has it) ships gcclient and gcclient(1).
    (
        "man/gc",
        "gcclient",
        "Gridcentric VMS live images on OpenStack (gc under a name no other package uses)",
        [author],
        1,
    ),
]
man_show_urls = False
