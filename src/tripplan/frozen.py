"""Frozen records and results: plain dataclasses that pydantic validates only when data is read.

Every record (models.py), the catalog and every computed result is a frozen, slotted, keyword-only
dataclass. Building one costs what a tuple does, and a command that reads its catalog from the cache
never imports pydantic. Where data comes from a file (the TOML data, a saved plan, `clinics add`),
`validate` hands the class to pydantic, which reads the same annotations: `Constraint` and `Check` in
`Annotated[...]` carry the field's limits, `__post_init__` checks that span fields, and `Record` refuses
unknown fields and control characters in any text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, dataclass_transform

from tripplan.textsafe import REFUSED, refused

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema

T = TypeVar("T")


_MISSING: Any = dataclasses.MISSING


def _spec(cls: type[Any]) -> tuple[tuple[str, Any, Any], ...]:
    """(name, default, default factory) of every field, worked out once per class."""
    found = cls.__dict__.get("_frozen_spec")
    if found is None:
        found = tuple((f.name, f.default, f.default_factory) for f in dataclasses.fields(cls))
        type.__setattr__(cls, "_frozen_spec", found)
    return found


HOT = 200  # records of one class built before it gets a compiled constructor
_built: dict[type[Any], int] = {}


def _compiled_init(cls: type[Any]) -> Any:
    """The constructor the standard decorator would write for `cls`, compiled when a command turns out to
    build many records of it (a large user catalog): the shared one is slower per record."""
    scope: dict[str, Any] = {"_put": object.__setattr__, "_none": _MISSING}
    params, body = [], []
    for i, (name, default, factory) in enumerate(_spec(cls)):
        if default is not _MISSING:
            scope[f"_d{i}"] = default
            params.append(f"{name}=_d{i}")
        elif factory is not _MISSING:
            scope[f"_f{i}"] = factory
            params.append(f"{name}=_none")
            body.append(f"    if {name} is _none:\n        {name} = _f{i}()")
        else:
            params.append(name)
        slot = next((k.__dict__[name] for k in cls.__mro__ if name in k.__dict__), None)
        if isinstance(slot, types.MemberDescriptorType):  # set the slot directly: half the cost of _put
            scope[f"_s{i}"] = slot.__set__
            body.append(f"    _s{i}(self, {name})")
        else:
            body.append(f"    _put(self, {name!r}, {name})")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    exec(f"def __init__(self, *, {', '.join(params)}):\n" + "\n".join(body or ["    pass"]), scope)
    return scope["__init__"]


def _init(self: Any, **values: Any) -> None:
    cls = type(self)
    count = _built.get(cls, 0) + 1
    _built[cls] = count
    if count == HOT:
        type.__setattr__(cls, "__init__", _compiled_init(cls))
    put = object.__setattr__
    for name, default, factory in _spec(cls):
        if name in values:
            value = values.pop(name)
        elif default is not _MISSING:
            value = default
        elif factory is not _MISSING:
            value = factory()
        else:
            raise TypeError(f"{cls.__name__}() missing required keyword argument: '{name}'")
        put(self, name, value)
    if values:
        raise TypeError(f"{cls.__name__}() got an unexpected keyword argument '{next(iter(values))}'")
    check = getattr(self, "__post_init__", None)
    if check is not None:
        check()


def _setattr(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field '{name}'")


def _delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field '{name}'")


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return all(getattr(self, n) == getattr(other, n) for n, _, _ in _spec(type(self)))


def _hash(self: Any) -> int:
    return hash(tuple(getattr(self, n) for n, _, _ in _spec(type(self))))


def _repr(self: Any) -> str:
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self) if f.repr)
    return f"{type(self).__qualname__}({shown})"


_METHODS = {
    "__init__": _init,
    "__setattr__": _setattr,
    "__delattr__": _delattr,
    "__eq__": _eq,
    "__hash__": _hash,
    "__repr__": _repr,
}


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(dataclasses.field,))
def frozen(cls: type[T]) -> type[T]:
    """A frozen, slotted, keyword-only dataclass whose methods are shared, not generated: the standard
    decorator compiles six methods per class, which for tripplan's ~80 classes costs more at start-up
    than all of a command's own work. Fields, defaults, `dataclasses.fields`/`replace` and pydantic's
    validation of dataclasses work as for any dataclass; `__post_init__` runs after the fields are set."""
    for name, method in _METHODS.items():
        setattr(cls, name, method)
    return dataclasses.dataclass(init=False, repr=False, eq=False, slots=True, kw_only=True)(cls)


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


def field_names(cls: type[Any]) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def shallow(obj: Any) -> dict[str, Any]:
    """A record's fields as a dict, values as they are."""
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


def replace(obj: T, **changes: Any) -> T:
    """A copy with some fields changed (a frozen dataclass's `dataclasses.replace`)."""
    return dataclasses.replace(obj, **changes)  # type: ignore[type-var]


def to_plain(value: Any, *, exclude_defaults: bool = False) -> Any:
    """JSON-ready data: records as dicts in field order, dates as ISO text, tuples and sets as lists."""
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
