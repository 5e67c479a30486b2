"""python-openstackclient's ``check_parser`` for gc: parse argv with a command's own parser
and compare the namespace's attributes, or check that argparse refuses it with exit 2."""

from __future__ import annotations

import argparse

import pytest

from gcclient.cli import application as app
from gcclient.cli import commands


def parser_of(name: str) -> argparse.ArgumentParser:
    cls = commands.LazyCommand(name, commands.all_commands()[name]).load()
    return cls(app.GcApp(), None, cmd_name=name).get_parser(f"gc {name}")


def check_parser(name: str, argv: list[str], verify: dict) -> argparse.Namespace:
    """Parse ``argv`` as ``gc name`` does and assert each attribute in ``verify``."""
    parsed = parser_of(name).parse_args(argv)
    for attr, value in verify.items():
        assert getattr(parsed, attr) == value, (attr, getattr(parsed, attr), value)
    return parsed


def usage_error(name: str, argv: list[str], capsys) -> str:
    """The usage error argparse prints for ``argv``; asserts it exits 2."""
    with pytest.raises(SystemExit) as exc:
        parser_of(name).parse_args(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.strip()
    return err
