"""The launch options: one row each, from which everything else is derived.

A row names the ``gc_launch`` body key (also the Python keyword), the ``/gcinfo``
capability it needs (spec 5.9), how its value is read (:class:`Kind`), the option
name gc and nova give it, the keyword of :meth:`LaunchRequest.from_arguments
<gcclient.core.launch_request.LaunchRequest.from_arguments>`, and each front-end's metavar
and help. From the table come: the body (:func:`gcclient.api.bodies.launch_body`),
the capability gate (:data:`gcclient.api.bodies.LAUNCH_CAPABILITIES`), the checks of
:class:`~gcclient.core.launch_request.LaunchRequest`, the keywords of the Python API's
``launch``, gc's and nova's options, and the words each front-end's errors use.

Adding a launch option is adding a row here (plus its tests and docs); a new
:class:`Kind` also needs its conversion in ``gcclient/core/launch_request.py`` and its
command-line form in each front-end.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Kind(enum.Enum):
    """How an option's value is read, from Python and from a command line."""

    TEXT = "text"  # a string, sent as it is
    NAME = "name"  # a server name (1-255 printable characters)
    COUNT = "count"  # a whole number >= 1
    LIST = "list"  # comma-separated text, or a list of strings
    FILE = "file"  # raw bytes, read from a file on a command line; sent base64-encoded
    PAIRS = "pairs"  # repeated key=value (a repeated key makes a list), or a mapping
    NIC = "nic"  # repeated net-id=...,v4-fixed-ip=...,port-id=..., or a list of mappings


@dataclass(frozen=True)
class Spelling:
    """How one front-end shows an option: its metavar and help text."""

    metavar: str
    help: str


@dataclass(frozen=True)
class LaunchOption:
    """One launch option (see the module's description)."""

    key: str
    capability: str
    kind: Kind
    option: str  # gc's and nova's option, without the dashes
    gc: Spelling
    nova: Spelling
    argument: str = ""  # the keyword of from_arguments (default: the key)

    @property
    def argument_name(self) -> str:
        return self.argument or self.key

    @property
    def dest(self) -> str:
        """The attribute of a parsed command line (argparse's dest of the option)."""
        return self.option.replace("-", "_")


LAUNCH_OPTIONS: tuple[LaunchOption, ...] = (
    LaunchOption(
        "name",
        "launch-name",
        Kind.NAME,
        "name",
        gc=Spelling("<name>", "Name of the new instance (default: <blessed>-clone)"),
        nova=Spelling("<name>", "Name of the new instance"),
    ),
    LaunchOption(
        "num_instances",
        "num-instances",
        Kind.COUNT,
        "num-instances",
        gc=Spelling("<count>", "Number of instances to launch (default: 1)"),
        nova=Spelling("<number>", "Number of instances to launch (each one made is shown)"),
    ),
    LaunchOption(
        "user_data",
        "user-data",
        Kind.FILE,
        "user-data",
        gc=Spelling(
            "<file>",
            "File of user data to pass to the new instance ('-' reads standard input); at "
            "most 49149 bytes (65535 once base64-encoded)",
        ),
        nova=Spelling("<file>", "File with user data for the instance"),
    ),
    LaunchOption(
        "security_groups",
        "security-groups",
        Kind.LIST,
        "security-groups",
        gc=Spelling("<group,group>", "Comma-separated security groups of the new instance"),
        nova=Spelling("<security groups>", "Comma-separated security group names"),
    ),
    LaunchOption(
        "availability_zone",
        "availability-zone",
        Kind.TEXT,
        "availability-zone",
        gc=Spelling("<zone[:host]>", "Availability zone (or zone:host) to launch in"),
        nova=Spelling("<zone>", "Availability zone (zone or zone:host)"),
    ),
    LaunchOption(
        "key_name",
        "launch-key",
        Kind.TEXT,
        "key-name",
        gc=Spelling("<key-name>", "Keypair to inject"),
        nova=Spelling("<key name>", "Key pair to inject"),
    ),
    LaunchOption(
        "scheduler_hints",
        "scheduler-hints",
        Kind.PAIRS,
        "hint",
        argument="hints",
        gc=Spelling("<key=value>", "Scheduler hint (repeat for more; a repeated key makes a list)"),
        nova=Spelling("<key=value>", "Scheduler hint (repeatable; a repeated key gives a list)"),
    ),
    LaunchOption(
        "networks",
        "launch-nics",
        Kind.NIC,
        "nic",
        argument="nics",
        gc=Spelling(
            "<net-id=net-uuid,v4-fixed-ip=ip-addr,port-id=port-uuid>",
            "A network of the new instance (repeat for more); net-id or port-id is required",
        ),
        nova=Spelling(
            "<net-id=net-uuid,v4-fixed-ip=ip-addr,port-id=port-uuid>",
            "A network of the new instance (repeatable, one per network of the blessed instance)",
        ),
    ),
)
BY_KEY = {option.key: option for option in LAUNCH_OPTIONS}
