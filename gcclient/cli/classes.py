"""The base classes of gc's commands: a command is a class in a module of
``gcclient/cli`` that subclasses one of these, named in ``commands.COMMANDS``.

Each base carries what every gc command shares: cliff's start-up without entry-point
scans (:class:`~gcclient.cli.startup.StaticPlugins`), the structured output of
columns (:class:`~gcclient.cli.output.StructuredOutput`), the outcome of every write
told however the command ends (:class:`~gcclient.cli.base.Outcomes`) and the command's
``wire``. :class:`ReadOnlyLister` is for listings that send no write and keep cliff's
own handling of errors and signals.

An alias (``live-image-create`` for ``bless``) is a subclass declared with
``alias_of``: ``class BlessAlias(BlessServer, alias_of="bless")``; its description
says which command it stands for.
"""

from __future__ import annotations

import inspect
from typing import Any

from cliff import command, lister, show

from gcclient.cli.base import Outcomes, UsesWire
from gcclient.cli.output import StructuredOutput
from gcclient.cli.startup import StaticPlugins


class Aliased:
    """``alias_of``: the subclass is an alias of its parent command, which records it
    as ``alias_class`` for the command table."""

    alias_class: type | None = None

    def __init_subclass__(cls, alias_of: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if alias_of is None:
            return
        original = cls.__mro__[1]
        first, _, rest = (inspect.getdoc(original) or "").partition("\n")
        cls.__doc__ = f"{first.rstrip('.')} (alias of '{alias_of}')" + (f"\n{rest}" if rest else "")
        original.alias_class = cls  # type: ignore[attr-defined]


class Command(StaticPlugins, StructuredOutput, Outcomes, Aliased, command.Command):
    """A gc command that outputs nothing (its writes' outcome goes to stderr)."""


class Lister(StaticPlugins, StructuredOutput, Outcomes, Aliased, lister.Lister):
    """A gc command that outputs a table."""


class ShowOne(StaticPlugins, StructuredOutput, Outcomes, Aliased, show.ShowOne):
    """A gc command that outputs one record."""


class ReadOnlyLister(StaticPlugins, StructuredOutput, UsesWire, Aliased, lister.Lister):
    """A gc listing that sends no write: cliff's own handling of errors and signals."""
