"""Request bodies of the Gridcentric actions, and the parsing of their options.

Pure functions: nothing here talks to the network, so the CLI can validate
input before any request is sent.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping
from typing import Any

from gcclient.api.exceptions import CommandError, InvalidValue
from gcclient.api.launch_options import BY_KEY, LAUNCH_OPTIONS, Kind

_TARGET = re.compile(r"^(\d+)(tb|gb|mb|kb|b)?$", re.IGNORECASE)
_SHORT_UNIT = re.compile(r"^(\d+)([tgmk])$", re.IGNORECASE)

NIC_KEYS = {"net-id": "uuid", "v4-fixed-ip": "fixed_ip", "port-id": "port"}
NIC_ERROR = (
    "Invalid nic argument '{arg}'. Nic arguments must be of the form --nic "
    "<net-id=net-uuid,v4-fixed-ip=ip-addr,port-id=port-uuid>, with at minimum "
    "net-id or port-id specified."
)

# Launch keys and the /gcinfo capability each one needs (spec 5.9), from the table.
LAUNCH_CAPABILITIES = {option.key: option.capability for option in LAUNCH_OPTIONS}
BLESS_CAPABILITIES = {"name": "bless-name"}


def normalise_target(value: str) -> tuple[str, str | None]:
    """Check a memory target; return the text to send and a warning, if any.

    ``512M`` and ``2G`` become ``512MB`` and ``2GB``; a number without a unit is
    bytes, which is legal but rarely meant, hence the warning.
    """
    text = str(value).strip()
    if len(text) > 40:
        raise InvalidValue("target", "memory target", shorten(text), "too long")
    short = _SHORT_UNIT.match(text)
    if short:
        text = short.group(1) + short.group(2).upper() + "B"
    match = _TARGET.match(text)
    if not match:
        raise InvalidValue(
            "target",
            "memory target",
            str(value),
            "expected a whole number with an optional unit B, KB, MB, GB or TB (for example 512MB)",
        )
    number, unit = match.groups()
    target = number + (unit or "").upper()
    small = check_target_size(str(value), target)
    if unit is None:
        return number, f"Memory target '{value}' has no unit: it is read as {number} bytes"
    return target, small


def parse_params(items: Iterable[str] | None) -> dict[str, str]:
    """``--params key=value`` items as the ``guest`` object: split at the first '=',
    no '=' means an empty value, the last of a repeated key wins."""
    guest: dict[str, str] = {}
    for item in items or ():
        key, _, value = item.partition("=")
        if not key:
            raise InvalidValue("params", "guest parameter", item, "the key is empty")
        guest[key] = value
    return guest


def parse_hints(items: Iterable[str] | None) -> dict[str, str | list[str]]:
    """``--hint key=value`` items as ``scheduler_hints``: a repeated key becomes a list."""
    hints: dict[str, str | list[str]] = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not key or not sep:
            raise InvalidValue("scheduler_hints", "hint", item, "expected key=value")
        if key not in hints:
            hints[key] = value
        else:
            previous = hints[key]
            hints[key] = (previous if isinstance(previous, list) else [previous]) + [value]
    return hints


def parse_nic(arg: str) -> dict[str, str]:
    """One ``--nic net-id=...,v4-fixed-ip=...,port-id=...`` as a ``networks`` entry."""
    entry: dict[str, str] = {}
    for part in arg.split(","):
        key, sep, value = part.partition("=")
        if not sep or key not in NIC_KEYS:
            raise CommandError(NIC_ERROR.format(arg=arg))
        if value:
            entry[NIC_KEYS[key]] = value
    if "uuid" not in entry and "port" not in entry:
        raise CommandError(NIC_ERROR.format(arg=arg))
    return entry


def parse_security_groups(value: str | Iterable[str] | None) -> list[str] | None:
    """``a,b`` (or a list of such strings) as a list of names; None when not given."""
    if value is None:
        return None
    parts = [value] if isinstance(value, str) else list(value)
    names = [name.strip() for part in parts for name in part.split(",")]
    if not all(names):
        raise InvalidValue(
            "security_groups", "security groups", ",".join(parts), "empty group name"
        )
    return names


def encode_user_data(data: bytes | str) -> str:
    """User data as base64 text, as the launch action stores it verbatim."""
    raw = data.encode() if isinstance(data, str) else data
    return base64.b64encode(raw).decode("ascii")


def check_num_instances(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value), 10)
        except ValueError:
            raise InvalidValue(
                "num_instances", "number of instances", str(value), "expected an integer"
            ) from None
    if value < 1:
        raise InvalidValue(
            "num_instances", "number of instances", str(value), "it must be at least 1"
        )
    return value


def bless_body(name: str | None = None) -> dict[str, Any]:
    return {"gc_bless": {"name": name} if name is not None else {}}


def launch_body(
    *, target: str | None = None, guest: Mapping[str, str] | None = None, **options: Any
) -> dict[str, Any]:
    """The ``gc_launch`` body: always an object, unset keys omitted; ``options`` by the
    keys of the launch options' table (``user_data`` already base64-encoded)."""
    unknown = sorted(set(options) - set(BY_KEY))
    if unknown:
        raise TypeError(f"unknown launch option(s): {', '.join(unknown)}")
    params: dict[str, Any] = {}
    if target is not None:
        params["target"] = target
    if guest:
        params["guest"] = dict(guest)
    for option in LAUNCH_OPTIONS:
        value = options.get(option.key)
        if option.kind in (Kind.PAIRS, Kind.NIC) and not value:
            continue  # an empty mapping or list is not sent
        if value is not None:
            params[option.key] = dict(value) if option.kind is Kind.PAIRS else value
    return {"gc_launch": params}


def migrate_body(dest: str | None = None) -> dict[str, Any]:
    return {"gc_migrate": {"dest": dest} if dest else {}}


def simple_body(action: str) -> dict[str, Any]:
    """Discard, the lists, export and get-policy take no parameters: send ``{}``."""
    return {action: {}}


# ---- limits checked before sending (issue 16) -------------------------------------------

NAME_MAX = 255  # Nova's limit on a server name
TARGET_MAX = 64 * 1024**4  # 64 TB: far above any host, below any overflow
TARGET_SMALL = 64 * 1024**2  # under 64 MB a launched instance hardly runs
USER_DATA_MAX = 65535  # Nova's limit, on the base64-encoded text
USER_DATA_RAW_MAX = USER_DATA_MAX // 4 * 3  # the most raw bytes that fit once encoded
FILE_MAX = 1024 * 1024  # policy and export files
PATH_SHOWN = 200  # a file name in an error is shown whole up to this length
_UNIT_BYTES = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}


def shorten(value: str, limit: int = 40) -> str:
    """A value as it may be quoted in an error: escaped, at most ``limit`` characters
    (undecodable bytes as \\xNN, control characters escaped)."""
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        value = value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    text = value.encode("unicode_escape").decode("ascii") if not value.isprintable() else value
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def target_bytes(target: str) -> int:
    """The size a normalised target (``512MB``, ``4096``) stands for, in bytes."""
    match = _TARGET.match(target)
    if not match:
        raise CommandError(f"Invalid memory target '{shorten(target)}'")
    number, unit = match.groups()
    return int(number) * _UNIT_BYTES[(unit or "B").upper()]


def check_target_size(value: str, target: str) -> str | None:
    """Refuse a target of 0 or above 64 TB; a warning under 64 MB."""
    size = target_bytes(target)
    if size <= 0:
        raise InvalidValue("target", "memory target", shorten(value), "it must be greater than 0")
    if size > TARGET_MAX:
        raise InvalidValue("target", "memory target", shorten(value), "it must be at most 64TB")
    if size < TARGET_SMALL:
        return f"Memory target '{shorten(value)}' is less than 64MB: the instance may not run"
    return None


def check_name(value: str, option: str = "--name") -> str:
    """A server name Nova accepts: 1 to 255 characters, no control characters."""
    if not value.strip():
        raise CommandError(f"Invalid {option} '{shorten(value)}': the name is empty")
    if len(value) > NAME_MAX:
        raise CommandError(
            f"Invalid {option} '{shorten(value)}': {len(value)} characters, "
            f"at most {NAME_MAX} are allowed"
        )
    if not value.isprintable():
        raise CommandError(f"Invalid {option} '{shorten(value)}': it holds control characters")
    return value


def check_host(value: str | None) -> str | None:
    """A migration destination: absent (the cloud picks one) or a non-empty host name."""
    if value is None:
        return None
    if not value.strip():
        raise CommandError(
            "Invalid destination host '': it is empty (leave it out to let the cloud choose)"
        )
    if len(value) > NAME_MAX or not value.isprintable():
        raise CommandError(f"Invalid destination host '{shorten(value)}': not a host name")
    return value


def check_seconds(value: str | float, option: str) -> float:
    """A duration: a finite number of seconds greater than 0."""
    import math

    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise CommandError(f"Invalid {option} '{shorten(str(value))}': not a number") from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise CommandError(
            f"Invalid {option} '{shorten(str(value))}': it must be a finite number of "
            "seconds greater than 0"
        )
    return seconds


def check_user_data(raw: bytes, source: str) -> bytes:
    """User data Nova accepts: at most 65535 bytes once base64-encoded."""
    if len(raw) > USER_DATA_RAW_MAX:
        shown = shorten(source, PATH_SHOWN)
        rule = (
            f"more than {USER_DATA_RAW_MAX} bytes ({USER_DATA_MAX} once base64-encoded "
            "is Nova's limit)"
        )
        raise InvalidValue(
            "user_data",
            "user data",
            shown,
            f"it is too large: {rule}",
            plain=f"User data '{shown}' is too large: {rule}",
        )
    return raw


def check_file_size(size: int, exact: bool, what: str, source: str) -> None:
    """Policy and export files: at most 1 MiB."""
    if size > FILE_MAX:
        told = f"{size} bytes" if exact else f"more than {FILE_MAX} bytes"
        raise CommandError(
            f"The {what} file '{shorten(source, PATH_SHOWN)}' is too large: {told} "
            f"(at most {FILE_MAX} bytes)"
        )
