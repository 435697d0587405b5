"""The pydantic bridge: how a standard dataclass record is validated when data is read.

Every record (models.py), the catalog and every computed result is a standard
`@dataclass(frozen=True, slots=True, kw_only=True)`, and a command that reads its catalog from the cache
never imports pydantic. Where data comes from a file (the TOML data, a saved plan, `clinics add`),
`validate` hands the class to pydantic, which reads the same annotations: `Constraint` and `Check` in
`Annotated[...]` carry the field's limits, `__post_init__` checks that span fields, and `Record` refuses
unknown fields and control characters in any text.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import datetime as dt
import math
import re
import types
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Union, get_args, get_origin, get_type_hints

from tripplan.textsafe import REFUSED, refused

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


def no_control(value: Any) -> Any:
    """Text from data reaches terminals and pages: a control character (a terminal escape) or a
    bidirectional control is refused (textsafe.refused names it)."""
    texts = value if isinstance(value, list | tuple) else [value]
    for text in texts:
        if isinstance(text, str) and REFUSED.search(text):
            raise ValueError(refused(text))
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


Test = Callable[[Any], bool]


def _all(test: Test) -> Test:
    return lambda values: all(map(test, values))


def _checker(hint: Any, clean: bool) -> Test:
    """A test of one value against its annotation, built once per field (a value is then checked in
    microseconds)."""
    origin, args = get_origin(hint), get_args(hint)
    if origin is Annotated:
        tests = [_checker(args[0], clean)]
        for meta in args[1:]:
            if isinstance(meta, Constraint):
                tests += [_limit(_LIMITS[name], limit) for name, limit in meta.limits.items()]
            elif isinstance(meta, Check):
                tests.append(_limit(_passes, meta.func, swap=True))
        return lambda v: all(t(v) for t in tests)
    if origin is Literal:
        choices = frozenset(args)
        return lambda v: v in choices
    if origin is Union or origin is types.UnionType:
        branches = [_checker(a, clean) for a in args]
        return lambda v: any(t(v) for t in branches)
    if origin is list or origin is frozenset:
        each, kind = _all(_checker(args[0], clean)), origin
        return lambda v: type(v) is kind and each(v)
    if origin is collections.abc.Sequence:  # a read-only list (Catalog's Records)
        each = _all(_checker(args[0], clean))
        return lambda v: isinstance(v, collections.abc.Sequence) and not isinstance(v, str | bytes) and each(v)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            each = _all(_checker(args[0], clean))
            return lambda v: type(v) is tuple and each(v)
        parts = [_checker(a, clean) for a in args]
        return lambda v: type(v) is tuple and len(v) == len(parts) and all(t(x) for t, x in zip(parts, v, strict=False))
    if origin is dict:
        keys, values = _all(_checker(args[0], clean)), _all(_checker(args[1], clean))
        return lambda v: type(v) is dict and keys(v) and values(v.values())
    if hint is Any or hint is object:
        return lambda v: True
    if hint is None or hint is type(None):
        return lambda v: v is None
    if hint is str:
        if clean:
            return lambda v: type(v) is str and not REFUSED.search(v)
        return lambda v: type(v) is str
    if hint is float:
        return lambda v: type(v) is float or type(v) is int
    if hint is int or hint is bool or hint is dt.date:
        return lambda v: type(v) is hint
    if isinstance(hint, type):
        return lambda v: isinstance(v, hint)  # a nested record: checked when it was made
    raise TypeError(f"no check for a field of type {hint!r}")


def _limit(test: Callable[[Any, Any], bool], limit: Any, *, swap: bool = False) -> Test:
    if swap:
        return lambda v: test(limit, v)
    return lambda v: test(v, limit)


def _passes(func: Callable[[Any], Any], value: Any) -> bool:
    try:
        func(value)
    except ValueError:
        return False
    return True


_CHECKERS: dict[type[Any], tuple[tuple[str, Test], ...]] = {}


def _checkers(cls: type[Any]) -> tuple[tuple[str, Test], ...]:
    """(field name, test) of every field of a record class, built once."""
    found = _CHECKERS.get(cls)
    if found is None:
        hints = get_type_hints(cls, include_extras=True)
        clean = issubclass(cls, Record)
        found = _CHECKERS[cls] = tuple((f.name, _checker(hints[f.name], clean)) for f in dataclasses.fields(cls))
    return found


def check_fields(record: Any) -> Any:
    """`record` if every field holds what its annotation allows (type, choices, limits, no control
    character in a Record's text); else ValueError naming the class and field. For records rebuilt
    from stored data, which pydantic does not see again."""
    for name, test in _checkers(type(record)):
        if not test(getattr(record, name)):
            raise ValueError(f"{type(record).__name__}.{name} does not hold a valid value")
    return record
