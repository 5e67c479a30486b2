"""The typed launch request: built once from any front-end's input, validated once.

Adding a launch option: one field here (and its line in :meth:`LaunchRequest.body`),
one body rule in :mod:`gcclient.api.bodies`, one option per front-end.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gcclient.api import bodies
from gcclient.api.exceptions import PLAIN, Words


@dataclass
class LaunchRequest:
    """What a launch asks for, checked and normalised (``target`` as sent, raw
    ``user_data``); ``warnings`` are what validation noticed but allowed."""

    target: str | None = None
    guest: dict[str, str] = field(default_factory=dict)
    name: str | None = None
    user_data: bytes | None = None
    security_groups: list[str] | None = None
    num_instances: int | None = None
    availability_zone: str | None = None
    key_name: str | None = None
    scheduler_hints: dict[str, Any] | None = None
    networks: list[dict[str, str]] | None = None
    warnings: list[str] = field(default_factory=list, compare=False)

    @classmethod
    def build(
        cls,
        *,
        target: str | None = None,
        params: Mapping[str, Any] | None = None,
        guest_params: Mapping[str, Any] | None = None,
        name: str | None = None,
        user_data: bytes | str | None = None,
        security_groups: str | Iterable[str] | None = None,
        num_instances: Any = None,
        availability_zone: str | None = None,
        key_name: str | None = None,
        scheduler_hints: Mapping[str, Any] | None = None,
        networks: Iterable[Mapping[str, str]] | None = None,
        words: Words = PLAIN,
    ) -> LaunchRequest:
        """The request from Python values (the API and every front-end end here);
        ``words`` names the options in validation errors."""
        warnings: list[str] = []
        sent_target = None
        if target is not None:
            sent_target, warning = bodies.normalise_target(target)
            if warning:
                warnings.append(warning)
        if name is not None:
            bodies.check_name(name, words.options.get("name", "name"))
        raw = user_data.encode() if isinstance(user_data, str) else user_data
        if raw is not None:
            bodies.check_user_data(raw, words.options.get("user_data", "user_data"))
        guest = {str(k): str(v) for k, v in dict(params or {}).items()}
        guest.update({str(k): str(v) for k, v in dict(guest_params or {}).items()})
        return cls(
            target=sent_target,
            guest=guest,
            name=name,
            user_data=raw,
            security_groups=bodies.parse_security_groups(security_groups),
            num_instances=(
                bodies.check_num_instances(num_instances) if num_instances is not None else None
            ),
            availability_zone=availability_zone,
            key_name=key_name,
            scheduler_hints=dict(scheduler_hints) if scheduler_hints else None,
            networks=[dict(n) for n in networks] if networks else None,
            warnings=warnings,
        )

    @classmethod
    def from_arguments(
        cls,
        *,
        target: str | None = None,
        params: Iterable[str] = (),
        name: str | None = None,
        user_data: bytes | None = None,
        security_groups: str | None = None,
        num_instances: Any = None,
        availability_zone: str | None = None,
        key_name: str | None = None,
        hints: Iterable[str] = (),
        nics: Iterable[str] = (),
        words: Words = PLAIN,
    ) -> LaunchRequest:
        """The request from command-line syntax (``key=value`` items, ``--nic`` specs),
        which gc and the nova shell share."""
        return cls.build(
            target=target,
            params=bodies.parse_params(params),
            name=name,
            user_data=user_data,
            security_groups=security_groups,
            num_instances=num_instances,
            availability_zone=availability_zone,
            key_name=key_name,
            scheduler_hints=bodies.parse_hints(hints) or None,
            networks=[bodies.parse_nic(nic) for nic in nics] or None,
            words=words,
        )

    @property
    def count(self) -> int:
        return self.num_instances or 1

    def body(self) -> dict[str, Any]:
        """The ``gc_launch`` body."""
        return bodies.launch_body(
            target=self.target,
            guest=self.guest or None,
            name=self.name,
            user_data=(
                bodies.encode_user_data(self.user_data) if self.user_data is not None else None
            ),
            security_groups=self.security_groups,
            num_instances=self.num_instances,
            availability_zone=self.availability_zone,
            key_name=self.key_name,
            scheduler_hints=self.scheduler_hints,
            networks=self.networks,
        )
