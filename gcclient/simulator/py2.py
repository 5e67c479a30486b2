"""How the historical server (Python 2) turned a JSON value into text.

Error texts such as "Security group %s not found for project %s." were made with Python 2's
``%s``: a JSON string is kept as it is, but inside a list it is shown as ``u'...'``, a float
keeps 12 significant digits, and so on. The simulator words the same errors from the same
values, so it needs the same conversion.
"""

from __future__ import annotations

import math
from typing import Any

SCALARS = (str, int, float, bool, type(None))


def py2_str(value: Any) -> str:
    """Python 2's ``'%s' % value`` (``unicode(value)``) for a value decoded from JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return _float(value, 12)
    if isinstance(value, (list, dict)):
        return py2_repr(value)
    return str(value)  # None, True, False and integers read the same in Python 2


def py2_repr(value: Any) -> str:
    """Python 2's ``repr``: what ``%s`` shows for the items of a list or a dict. A dict's
    items come in the order they were sent (Python 2 used its hash order)."""
    if isinstance(value, str):
        return "u" + ascii(value)
    if isinstance(value, float):
        return _float(value, 17)
    if isinstance(value, list):
        return "[" + ", ".join(py2_repr(item) for item in value) + "]"
    if isinstance(value, dict):
        items = (f"{py2_repr(k)}: {py2_repr(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    return str(value)


def _float(value: float, digits: int) -> str:
    if math.isinf(value) or math.isnan(value):
        return {True: "inf", False: "-inf"}[value > 0] if math.isinf(value) else "nan"
    if digits == 17:
        return repr(value)  # Python 2.7's repr is the shortest round trip, as Python 3's
    text = f"{value:.{digits}g}"
    if not any(c in text for c in ".en"):
        text += ".0"
    return text


def is_scalar(value: Any) -> bool:
    return isinstance(value, SCALARS)


__all__ = ["is_scalar", "py2_repr", "py2_str"]
