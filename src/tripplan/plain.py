"""Records as plain data: the small serializer JSON output, saved plans and `clinics add` share.

`dataclasses.asdict` would do for most of it, but it copies every value deeply and leaves dates, tuples
and sets as they are; JSON and TOML want ISO dates and lists, and `clinics add` leaves out defaults.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any


def shallow(obj: Any) -> dict[str, Any]:
    """A record's fields as a dict, values as they are (not converted, not copied)."""
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


def to_plain(value: Any, *, exclude_defaults: bool = False) -> Any:
    """JSON-ready data: records as dicts in field order, dates as ISO text, tuples as lists, sets as sorted
    lists; `exclude_defaults` leaves out fields that hold their default."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            if exclude_defaults and _is_default(f, v):
                continue
            out[f.name] = to_plain(v, exclude_defaults=exclude_defaults)
        return out
    if isinstance(value, dict):
        return {str(k): to_plain(v, exclude_defaults=exclude_defaults) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(v, exclude_defaults=exclude_defaults) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(to_plain(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _is_default(f: dataclasses.Field[Any], value: Any) -> bool:
    if f.default is not dataclasses.MISSING:
        return bool(value == f.default)
    if f.default_factory is not dataclasses.MISSING:
        return bool(value == f.default_factory())
    return False
