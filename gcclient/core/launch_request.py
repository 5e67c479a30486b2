"""The typed launch request: built once from any front-end's input, validated once.

The options are the rows of :data:`gcclient.api.launch_options.LAUNCH_OPTIONS`;
each :class:`~gcclient.api.launch_options.Kind` is read here, from Python values
(:meth:`LaunchRequest.build`) and from command-line syntax
(:meth:`LaunchRequest.from_arguments`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from gcclient.api import bodies
from gcclient.api.exceptions import PLAIN, Words
from gcclient.api.launch_options import BY_KEY, LAUNCH_OPTIONS, Kind, LaunchOption

# The Python types each kind takes (a command line always gives the first); anything
# else is a TypeError before a request, as a misspelled keyword is. A count has its
# own check (bodies.check_num_instances), which also reads "3".
_TYPES: dict[Kind, tuple[tuple[type, ...], type | None, str]] = {
    # kind: (the value's types, each item's type when it is a list, the words)
    Kind.TEXT: ((str,), None, "a str"),
    Kind.NAME: ((str,), None, "a str"),
    Kind.LIST: ((str, list, tuple), str, "a str or a list of str"),
    Kind.FILE: ((str, bytes), None, "bytes or a str"),
    Kind.PAIRS: ((Mapping,), None, "a mapping"),
    Kind.NIC: ((list, tuple), Mapping, "a list of mappings"),
}


def _check_type(option: LaunchOption, value: Any) -> None:
    """Refuse a value of the wrong Python type, naming the keyword and what it takes
    (``name=5`` raised AttributeError from deep inside, ``key_name=['k']`` was sent)."""
    if option.kind not in _TYPES:
        return
    types, item_type, wanted = _TYPES[option.kind]
    if not isinstance(value, types):
        raise TypeError(f"launch option {option.key} must be {wanted}, not {type(value).__name__}")
    if item_type is None or isinstance(value, str):
        return
    for item in cast("Iterable[Any]", value):  # a list or tuple: checked above
        if not isinstance(item, item_type):
            raise TypeError(
                f"launch option {option.key} must be {wanted}, "
                f"not a list holding {type(item).__name__}"
            )


def _from_python(option: LaunchOption, value: Any, words: Words) -> Any:
    """An option's value checked and normalised (None: not sent)."""
    _check_type(option, value)
    kind = option.kind
    if kind is Kind.NAME:
        return bodies.check_name(value, words.options.get(option.key, option.key))
    if kind is Kind.COUNT:
        return bodies.check_num_instances(value)
    if kind is Kind.LIST:
        return bodies.parse_security_groups(value)
    if kind is Kind.FILE:
        raw = value.encode() if isinstance(value, str) else value
        bodies.check_user_data(raw, words.options.get(option.key, option.key))
        return raw
    if kind is Kind.PAIRS:
        return dict(value) if value else None
    if kind is Kind.NIC:
        return [dict(n) for n in value] if value else None
    return value


def _from_argument(option: LaunchOption, value: Any) -> Any:
    """A command line's value as the Python API takes it."""
    if option.kind is Kind.PAIRS:
        return bodies.parse_hints(value or ()) or None
    if option.kind is Kind.NIC:
        return [bodies.parse_nic(nic) for nic in value or ()] or None
    return value


@dataclass
class LaunchRequest:
    """What a launch asks for, checked and normalised: ``target`` as sent, the
    guest parameters, and the options by body key (raw ``user_data``); ``warnings``
    are what validation noticed but allowed."""

    target: str | None = None
    guest: dict[str, str] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list, compare=False)

    @classmethod
    def build(
        cls,
        *,
        target: str | None = None,
        params: Mapping[str, Any] | None = None,
        guest_params: Mapping[str, Any] | None = None,
        words: Words = PLAIN,
        **options: Any,
    ) -> LaunchRequest:
        """The request from Python values (the API and every front-end end here);
        ``options`` are keywords of the launch options' table; ``words`` names the
        options in validation errors."""
        unknown = sorted(set(options) - set(BY_KEY))
        if unknown:
            raise TypeError(f"unknown launch option(s): {', '.join(unknown)}")
        warnings: list[str] = []
        sent_target = None
        if target is not None:
            sent_target, warning = bodies.normalise_target(target)
            if warning:
                warnings.append(warning)
        guest = {str(k): str(v) for k, v in dict(params or {}).items()}
        guest.update({str(k): str(v) for k, v in dict(guest_params or {}).items()})
        checked = {}
        for option in LAUNCH_OPTIONS:
            value = options.get(option.key)
            if value is not None:
                value = _from_python(option, value, words)
            if value is not None:
                checked[option.key] = value
        return cls(target=sent_target, guest=guest, options=checked, warnings=warnings)

    @classmethod
    def from_arguments(
        cls,
        *,
        target: str | None = None,
        params: Iterable[str] = (),
        words: Words = PLAIN,
        **arguments: Any,
    ) -> LaunchRequest:
        """The request from command-line syntax (``key=value`` items, ``--nic`` specs),
        which gc and the nova shell share; ``arguments`` by each option's
        ``argument_name``, a file's content already read."""
        by_argument = {option.argument_name: option for option in LAUNCH_OPTIONS}
        unknown = sorted(set(arguments) - set(by_argument))
        if unknown:
            raise TypeError(f"unknown launch argument(s): {', '.join(unknown)}")
        options = {
            option.key: _from_argument(option, arguments[name])
            for name, option in by_argument.items()
            if name in arguments
        }
        return cls.build(target=target, params=bodies.parse_params(params), words=words, **options)

    @property
    def count(self) -> int:
        return int(self.options.get("num_instances") or 1)

    def body(self) -> dict[str, Any]:
        """The ``gc_launch`` body."""
        sent = dict(self.options)
        if "user_data" in sent:
            sent["user_data"] = bodies.encode_user_data(sent["user_data"])
        return bodies.launch_body(target=self.target, guest=self.guest or None, **sent)
