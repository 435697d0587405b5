"""The pydantic bridge: how a standard dataclass record is validated when data is read.

Every record (models.py), the catalog and every computed result is a standard
`@dataclass(frozen=True, slots=True, kw_only=True)`, and a command that reads its catalog from the cache
never imports pydantic. Where data comes from a file (the TOML data, a saved plan, `clinics add`),
`validate` hands the class to pydantic, which reads the same annotations: `Constraint` and `Check` in
`Annotated[...]` carry the field's limits, `__post_init__` checks that span fields, and `Record` refuses
unknown fields and control characters in any text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import types
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Union, get_args, get_origin, get_type_hints

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema


class Constraint:
    """A field's limits (ge, gt, le, pattern, min_length, allow_inf_nan…), applied by pydantic on validation."""

    __slots__ = ("limits",)

    def __init__(self, **limits: Any) -> None:
        self.limits = limits

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return {**handler(source), **self.limits}


class Check:
    """A function run on a field's value after its type is validated; a ValueError is the field's error."""

    __slots__ = ("func",)

    def __init__(self, func: Callable[[Any], Any]) -> None:
        self.func = func

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.func, handler(source))


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def no_control(value: Any) -> Any:
    """Text from data reaches terminals and pages: a control character (a terminal escape) is refused."""
    texts = value if isinstance(value, list | tuple) else [value]
    for text in texts:
        if isinstance(text, str) and _CONTROL.search(text):
            raise ValueError("contains a control character (such as a terminal escape); remove it")
    return value


class Record:
    """Base of every data record: unknown fields are errors, no control characters in any text field."""

    __slots__ = ()
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema

        schema = handler(source)
        target = handler.resolve_ref_schema(schema)
        args = target.get("schema", {})
        if target.get("type") == "dataclass" and args.get("type") == "dataclass-args":
            for f in args["fields"]:
                if not f.get("metadata", {}).get("tripplan_clean"):
                    inner = f["schema"] if f["schema"]["type"] == "default" else f  # a default stays outside
                    inner["schema"] = core_schema.no_info_after_validator_function(no_control, inner["schema"])
                    f["metadata"] = {**f.get("metadata", {}), "tripplan_clean": True}
        return schema


@cache
def _adapter(kind: Any) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(kind)


def validate(kind: Any, data: Any) -> Any:
    """`data` (parsed from a file or typed by the user) validated into `kind`; raises pydantic's ValidationError."""
    return _adapter(kind).validate_python(data)


# The same field checks without pydantic, for records rebuilt from a cache entry: types (as they are
# stored, no coercion), Literal choices, every Constraint limit and Check, and no control character in
# the text of a Record. pydantic is not imported on a warm run; these checks cost microseconds a record.
_LIMITS: dict[str, Callable[[Any, Any], bool]] = {
    "ge": lambda v, n: v >= n,
    "gt": lambda v, n: v > n,
    "le": lambda v, n: v <= n,
    "lt": lambda v, n: v < n,
    "min_length": lambda v, n: len(v) >= n,
    "max_length": lambda v, n: len(v) <= n,
    "pattern": lambda v, p: re.search(p, v) is not None,
    "allow_inf_nan": lambda v, ok: ok or math.isfinite(v),
}


def _value_ok(hint: Any, value: Any, clean: bool) -> bool:
    origin, args = get_origin(hint), get_args(hint)
    if origin is Annotated:
        if not _value_ok(args[0], value, clean):
            return False
        for meta in args[1:]:
            if isinstance(meta, Constraint):
                for name, limit in meta.limits.items():
                    if not _LIMITS[name](value, limit):
                        return False
            elif isinstance(meta, Check):
                try:
                    meta.func(value)
                except ValueError:
                    return False
        return True
    if origin is Literal:
        return value in args
    if origin is Union or origin is types.UnionType:
        return any(_value_ok(a, value, clean) for a in args)
    if origin is list:
        return type(value) is list and all(_value_ok(args[0], v, clean) for v in value)
    if origin is tuple:
        if type(value) is not tuple:
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_value_ok(args[0], v, clean) for v in value)
        return len(args) == len(value) and all(_value_ok(a, v, clean) for a, v in zip(args, value, strict=True))
    if origin is dict:
        return type(value) is dict and all(
            _value_ok(args[0], k, clean) and _value_ok(args[1], v, clean) for k, v in value.items()
        )
    if origin is frozenset:
        return type(value) is frozenset and all(_value_ok(args[0], v, clean) for v in value)
    if hint is Any or hint is object:
        return True
    if hint is None or hint is type(None):
        return value is None
    if hint is str:
        return type(value) is str and not (clean and _CONTROL.search(value))
    if hint is float:
        return type(value) in (float, int)
    if hint is int or hint is bool or hint is dt.date:
        return type(value) is hint
    if isinstance(hint, type):
        return isinstance(value, hint)  # a nested record: checked when it was made
    raise TypeError(f"no check for a field of type {hint!r}")


_HINTS: dict[type[Any], tuple[tuple[str, Any], ...]] = {}


def _hints(cls: type[Any]) -> tuple[tuple[str, Any], ...]:
    """(field name, annotation) of every field of a record class, worked out once."""
    found = _HINTS.get(cls)
    if found is None:
        hints = get_type_hints(cls, include_extras=True)
        found = _HINTS[cls] = tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))
    return found


def check_fields(record: Any) -> Any:
    """`record` if every field holds what its annotation allows (type, choices, limits, no control
    character in a Record's text); else ValueError naming the class and field. For records rebuilt
    from stored data, which pydantic does not see again."""
    clean = isinstance(record, Record)
    for name, hint in _hints(type(record)):
        if not _value_ok(hint, getattr(record, name), clean):
            raise ValueError(f"{type(record).__name__}.{name} does not hold a valid value")
    return record
