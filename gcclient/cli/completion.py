"""``gc complete``: a bash completion script for gc's commands, their options, the
global options and the ``-f``/``--format`` values.

cliff's script completes commands and their options only, and offers file names
after ``-f``; this one is generated from the same command table and parsers.
"""

from __future__ import annotations

import argparse
from typing import Any

from cliff import complete

from gcclient.cli.startup import StaticPlugins

HEADER = (
    "# gc bash completion; needs the bash-completion package (_get_comp_words_by_ref). "
    "Load it with: source <(gc complete)\n"
)

FUNCTION = r"""
  local cmd="" w v
  for w in "${words[@]:1:cword-1}"; do
    v="cmds_${w//-/_}"
    if [[ -z "${cmd}" && ${w} != -* && -n "${!v+x}" ]]; then
      cmd="${w}"
    fi
  done
  if [[ ${prev} == -f || ${prev} == --format ]]; then
    v="fmts_${cmd//-/_}"
    COMPREPLY=( $(compgen -W "${!v:-${formats}}" -- "${cur}") )
  elif [[ -z "${cmd}" && ${cur} == -* ]]; then
    COMPREPLY=( $(compgen -W "${globals}" -- "${cur}") )
  elif [[ -z "${cmd}" ]]; then
    COMPREPLY=( $(compgen -W "${cmds}" -- "${cur}") )
  elif [[ ${cur} == -* ]]; then
    v="cmds_${cmd//-/_}"
    COMPREPLY=( $(compgen -W "${!v}" -- "${cur}") )
  else
    COMPREPLY=( $(compgen -f -- "${cur}") )
  fi
  return 0
}
"""


def _option_strings(parser: argparse.ArgumentParser) -> list[str]:
    return [o for action in parser._actions for o in action.option_strings]  # argparse's list


def _format_choices(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._actions:
        if "--format" in action.option_strings and action.choices:
            return sorted(str(choice) for choice in action.choices)
    return []


class CompleteCommand(StaticPlugins, complete.CompleteCommand):
    """print bash completion command"""

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        if parsed_args.shell != "bash":
            return super().take_action(parsed_args)
        name = parsed_args.name or self.app.NAME
        out = self.app.stdout
        names = sorted(command for command, _ in self.app.command_manager)
        formats: set[str] = set()
        lines = []
        for command in names:
            parser = self._parser(command)
            variable = command.replace("-", "_")
            lines.append(f"  cmds_{variable}='{' '.join(_option_strings(parser))}'\n")
            choices = _format_choices(parser)
            if choices:
                formats.update(choices)
                lines.append(f"  fmts_{variable}='{' '.join(choices)}'\n")
        function = "_" + name.replace("-", "_")
        out.write(HEADER)
        out.write(f"{function}()\n{{\n  local cur prev words cword\n  COMPREPLY=()\n")
        out.write("  _get_comp_words_by_ref -n : cur prev words cword\n")
        out.write(f"  local globals='{' '.join(_option_strings(self.app.parser))}'\n")
        out.write(f"  local formats='{' '.join(sorted(formats))}'\n")
        out.write(f"  local cmds='{' '.join(names)}'\n")
        out.writelines(lines)
        out.write(FUNCTION)
        out.write(f"complete -F {function} {name}\n")
        return 0

    def _parser(self, command: str) -> Any:
        factory, cmd_name, _ = self.app.command_manager.find_command([command])
        return factory(self.app, None, cmd_name=cmd_name).get_parser(f"{self.app.NAME} {cmd_name}")
