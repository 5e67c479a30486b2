"""gcclient.cli.completion: the bash script ``gc complete`` writes, generated from the
command table and the parsers (tests/functional/cli/test_completion.py loads it in
bash and completes on a pty)."""

from __future__ import annotations

import io

import pytest

from gcclient.cli import application as app
from gcclient.cli import commands
from gcclient.cli import completion as comp

from .parsers import parser_of


def script(*argv: str) -> list[str]:
    gc = app.GcApp()
    gc.NAME = "gc"
    gc.stdout = io.StringIO()
    cmd = comp.CompleteCommand(gc, None, cmd_name="complete")
    assert cmd.take_action(cmd.get_parser("gc complete").parse_args(list(argv))) == 0
    return gc.stdout.getvalue().splitlines()


def variables(lines: list[str]) -> dict[str, list[str]]:
    """The script's ``  [local ]name='words'`` lines, split into words."""
    found = {}
    for line in lines:
        text = line.strip().removeprefix("local ")
        name, eq, value = text.partition("=")
        if eq and value.startswith("'") and name.isidentifier():
            found[name] = value.strip("'").split()
    return found


def test_the_script_starts_with_its_one_line_header_and_ends_with_complete():
    lines = script()
    assert lines[0] == (
        "# gc bash completion; needs the bash-completion package (_get_comp_words_by_ref). "
        "Load it with: source <(gc complete)"
    )
    assert lines[1:6] == [
        "_gc()",
        "{",
        "  local cur prev words cword",
        "  COMPREPLY=()",
        "  _get_comp_words_by_ref -n : cur prev words cword",
    ]
    assert lines[-1] == "complete -F _gc gc"


def test_a_name_of_its_own():
    lines = script("--name", "my-gc")
    assert lines[1] == "_my_gc()"
    assert lines[-1] == "complete -F _my_gc my-gc"


def test_every_command_and_alias_is_offered():
    names = variables(script())["cmds"]
    assert names == sorted(names)
    assert set(commands.all_commands()) <= set(names)
    assert {"complete", "help"} <= set(names)


def test_each_commands_options_come_from_its_parser():
    found = variables(script())
    for name in ("show", "list", "launch", "delete"):
        parser = parser_of(name)
        options = [o for action in parser._actions for o in action.option_strings]
        assert found[f"cmds_{name}"] == options
    assert {"--live-images", "--launched", "--all", "--long", "--status", "--name"} <= set(
        found["cmds_list"]
    )
    assert found["cmds_gc_migrate"] == found["cmds_cobalt_migrate"]


def test_format_values_per_command_and_in_all():
    found = variables(script())
    assert found["fmts_list"] == ["csv", "json", "table", "value", "yaml"]
    assert found["fmts_show"] == ["json", "shell", "table", "value", "yaml"]
    assert found["formats"] == ["csv", "json", "shell", "table", "value", "yaml"]
    assert "fmts_delete" not in found  # no output: no -f


def test_global_options_come_from_gcs_parser():
    found = variables(script())["globals"]
    assert {"--os-auth-url", "--os-cloud", "--debug", "--no-cache", "--endpoint-type"} <= set(found)
    assert found[:2] == ["--version", "-v"]


def test_after_format_it_offers_the_values_not_file_names():
    lines = script()
    assert "  if [[ ${prev} == -f || ${prev} == --format ]]; then" in lines
    assert '    COMPREPLY=( $(compgen -W "${!v:-${formats}}" -- "${cur}") )' in lines


@pytest.mark.parametrize("shell", ["none"])
def test_other_shells_are_cliffs_script(shell):
    lines = script("--shell", shell)
    assert "_get_comp_words_by_ref -n : cur prev words cword" not in lines
    assert lines and not lines[0].startswith("# gc bash completion")
