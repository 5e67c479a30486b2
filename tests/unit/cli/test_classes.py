"""gcclient.cli.classes: the bases of gc's commands (what each one mixes in) and
``alias_of``, which makes a subclass an alias with its own description."""

from __future__ import annotations

from cliff import command, lister, show

from gcclient.cli import classes
from gcclient.cli.base import Outcomes, UsesWire
from gcclient.cli.output import StructuredOutput
from gcclient.cli.startup import StaticPlugins


class ShowThing(classes.ShowOne):
    """Show a thing.

    The rest of the description.
    """


class ShowThingAlias(ShowThing, alias_of="show-thing"):
    """Replaced by alias_of."""


class ListThings(classes.Lister):
    """List things"""


class ListThingsAlias(ListThings, alias_of="list-things"):
    pass


def test_an_alias_says_which_command_it_stands_for():
    assert ShowThingAlias.__doc__ == (
        "Show a thing (alias of 'show-thing')\n\nThe rest of the description."
    )
    assert ListThingsAlias.__doc__ == "List things (alias of 'list-things')"


def test_the_original_records_its_alias_class():
    assert ShowThing.alias_class is ShowThingAlias
    assert ListThings.alias_class is ListThingsAlias
    assert classes.Command.alias_class is None


def test_a_plain_subclass_is_no_alias():
    class ShowOther(ShowThing):
        """Show another thing"""

    assert ShowOther.__doc__ == "Show another thing"
    assert ShowThing.alias_class is ShowThingAlias


def test_each_base_mixes_in_what_every_command_shares():
    shared = (StaticPlugins, StructuredOutput, classes.Aliased)
    for cls, cliff_base in (
        (classes.Command, command.Command),
        (classes.Lister, lister.Lister),
        (classes.ShowOne, show.ShowOne),
    ):
        assert all(issubclass(cls, mixin) for mixin in (*shared, Outcomes, cliff_base))
        # the mixins come before cliff's class, so that they override it
        assert cls.__mro__.index(Outcomes) < cls.__mro__.index(cliff_base)


def test_the_read_only_lister_keeps_cliffs_handling_of_errors():
    cls = classes.ReadOnlyLister
    assert issubclass(cls, UsesWire) and issubclass(cls, lister.Lister)
    assert not issubclass(cls, Outcomes)
    assert cls.run is not Outcomes.run  # no outcome telling: it sends no write
