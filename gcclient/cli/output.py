"""How servers are shown: the seed's list columns and a property/value view."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from cliff import columns

LIST_COLUMNS = ("ID", "Name", "Status", "Networks")
_HIDDEN = ("links", "addresses", "metadata", "image", "flavor", "fault")


class DictColumn(columns.FormattableColumn):
    """A mapping: ``k='v', k2='v2'`` in tables, the mapping itself in JSON and YAML."""

    def human_readable(self) -> str:
        return ", ".join(f"{key}='{value}'" for key, value in sorted((self._value or {}).items()))

    def machine_readable(self) -> Any:
        return dict(self._value or {})


class ListColumn(columns.FormattableColumn):
    """A list: names (or values) joined by commas in tables, the list itself in JSON."""

    def human_readable(self) -> str:
        items = self._value or []
        return ", ".join(
            str(item.get("name", item)) if isinstance(item, dict) else str(item) for item in items
        )

    def machine_readable(self) -> Any:
        return list(self._value or [])


def addresses(view: dict[str, Any]) -> dict[str, list[str]]:
    """Network label to its addresses."""
    found = {}
    for label, entries in sorted((view.get("addresses") or {}).items()):
        found[label] = [str(e.get("addr")) for e in entries or () if isinstance(e, dict)]
    return found


def networks(view: dict[str, Any]) -> str:
    """``label=addr1, addr2; label2=addr3`` like the historical list."""
    return "; ".join(f"{label}={', '.join(addrs)}" for label, addrs in addresses(view).items())


class NetworksColumn(columns.FormattableColumn):
    """Networks: the historical ``label=addr, addr; label2=addr`` text in the table, value
    and csv; a mapping of network name to addresses in JSON and YAML, as openstack gives."""

    structured = True

    def human_readable(self) -> str:
        return "; ".join(f"{label}={', '.join(addrs)}" for label, addrs in self._value.items())

    def machine_readable(self) -> Any:
        return {label: list(addrs) for label, addrs in self._value.items()}


STRUCTURED_FORMATS = ("json", "yaml")
# Formats read on a terminal: server-provided text is escaped there (JSON and YAML
# escape it themselves; CSV is for programs and keeps it as it is).
TERMINAL_FORMATS = ("table", "value")


def terminal_safe(text: str) -> str:
    """``text`` with every control or other non-printable character escaped
    (``\\x1b``, ``\\u202e``): a server name such as ``"\\x1b[2J"`` must not clear
    or rewrite the user's terminal. Printable text, any script, is kept."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escaped(ch) for ch in text)


def _escaped(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


class _TerminalSafeColumn(columns.FormattableColumn):
    """A column whose table text is escaped (its machine-readable value is kept)."""

    def human_readable(self) -> str:
        return terminal_safe(str(self._value.human_readable()))

    def machine_readable(self) -> Any:
        return self._value.machine_readable()


class StructuredOutput:
    """Mixed into every gc command: cliff's value and csv formatters print a column's
    machine_readable(); columns marked ``structured`` keep their text there and give
    their structure only to JSON and YAML. In table and value output, text from the
    server is escaped (``terminal_safe``)."""

    def produce_output(self, parsed_args: Any, column_names: Any, data: Any) -> int:
        formatter = getattr(parsed_args, "formatter", None)
        if formatter not in STRUCTURED_FORMATS:
            from cliff import show

            safe = formatter in TERMINAL_FORMATS
            if isinstance(self, show.ShowOne):
                data = tuple(_text(cell, safe) for cell in data)
            else:
                data = [tuple(_text(cell, safe) for cell in row) for row in data]
        return super().produce_output(parsed_args, column_names, data)  # type: ignore[misc]


def _text(cell: Any, safe: bool = False) -> Any:
    if getattr(cell, "structured", False):
        cell = cell.human_readable()
    if not safe:
        return cell
    if isinstance(cell, str):
        return terminal_safe(cell)
    if isinstance(cell, columns.FormattableColumn):
        return _TerminalSafeColumn(cell)
    return cell


def list_row(view: dict[str, Any]) -> tuple[str, str, str, NetworksColumn]:
    return (
        str(view.get("id", "")),
        str(view.get("name", "")),
        str(view.get("status", "")),
        NetworksColumn(addresses(view)),
    )


PROJECT_COLUMN = "Project"


def project_of(view: dict[str, Any]) -> str:
    """The project a server belongs to (nova's ``tenant_id``)."""
    return str(view.get("tenant_id") or "")


def server_list(
    views: Iterable[dict[str, Any]], *, project: bool = False
) -> tuple[Sequence[str], list[tuple]]:
    """The seed's columns, sorted by ID; ``project`` adds the Project column
    (--all-projects)."""
    extra = (lambda v: (project_of(v),)) if project else (lambda v: ())
    rows: list[tuple] = sorted((list_row(v) + extra(v) for v in views), key=lambda row: row[0])
    return (*LIST_COLUMNS, *((PROJECT_COLUMN,) if project else ())), rows


def _ref_id(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("id", ""))
    return "" if value in (None, "") else str(value)


def server_properties(view: dict[str, Any]) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """Property/value pairs sorted by property, one row per network. A view that is
    only a create answer (no status, no image: the server was never read back, e.g.
    its wait failed at once) shows what the cloud answered and nothing made up."""
    if "status" not in view and "image" not in view:
        known = {k: v for k, v in view.items() if k not in ("links",) and v is not None}
        names = tuple(sorted(known))
        return names, tuple(known[name] for name in names)
    props: dict[str, Any] = {
        key: value for key, value in view.items() if key not in _HIDDEN and value is not None
    }
    for key, value in props.items():
        if isinstance(value, list):
            props[key] = ListColumn(value)
        elif isinstance(value, dict):
            props[key] = DictColumn(value)
    props["metadata"] = DictColumn(view.get("metadata") or {})
    image = _ref_id(view.get("image"))
    props["image"] = image or "Attempt to boot from volume - no image supplied"
    props["flavor"] = _ref_id(view.get("flavor"))
    for label, addrs in addresses(view).items():
        props[f"{label} network"] = ", ".join(addrs)
    fault = view.get("fault")
    if isinstance(fault, dict) and fault.get("message"):
        props["fault"] = fault["message"]
    names = tuple(sorted(props))
    return names, tuple(props[name] for name in names)
