"""Records and results are standard frozen dataclasses: honest signatures and metadata, and tools that
read dataclasses (inspect, dataclasses.replace, hypothesis) work on every one of them."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

import tripplan
from tripplan.models import ClinicQuote, Source


def _records() -> list[type]:
    found = []
    for info in pkgutil.walk_packages(tripplan.__path__, "tripplan."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and dataclasses.is_dataclass(value)
                and value.__module__ == info.name
                and not issubclass(value, Exception)
            ):
                found.append(value)
    return sorted(set(found), key=lambda c: (c.__module__, c.__qualname__))


RECORDS = _records()
st.register_type_strategy(Path, st.builds(Path, st.text(alphabet="abc/", max_size=8)))  # cache.Store's folder
POSITIONAL = {"Problem"}  # errors.Problem(file, message, ...): built positionally wherever a file is read


def test_every_module_is_seen() -> None:
    names = {c.__name__ for c in RECORDS}
    assert {"Source", "Clinic", "Catalog", "Plan", "QuoteResult", "Span"} <= names


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_a_standard_frozen_slotted_keyword_only_dataclass(cls: type) -> None:
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    assert params.frozen
    assert params.eq
    assert "__slots__" in cls.__dict__
    names = [f.name for f in dataclasses.fields(cls)]
    signature = inspect.signature(cls)
    assert list(signature.parameters) == names
    keyword_only = cls.__name__ not in POSITIONAL
    assert all((p.kind is inspect.Parameter.KEYWORD_ONLY) is keyword_only for p in signature.parameters.values())


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
@settings(max_examples=1, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_hypothesis_builds_every_record(cls: type, data: st.DataObject) -> None:
    try:
        made = data.draw(st.builds(cls, **{f.name: ... for f in dataclasses.fields(cls)}))  # every field drawn
    except ValueError:  # a record's own check (__post_init__) refused the drawn values
        reject()
    assert type(made) is cls
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, dataclasses.fields(cls)[0].name, None)


def test_records_behave_as_frozen_dataclasses() -> None:
    s = Source(id="s", kind="article", title="T", publisher="P", url="https://example.org/t")
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.title = "changed"  # type: ignore[misc]
    assert dataclasses.replace(s, title="U").title == "U"
    assert s == Source(id="s", kind="article", title="T", publisher="P", url="https://example.org/t")
    assert hash(s) == hash(Source(id="s", kind="article", title="T", publisher="P", url="https://example.org/t"))
    assert repr(s).startswith("Source(id='s', kind='article'")
    with pytest.raises(TypeError, match=r"missing .*required keyword.* 'publisher'"):
        Source(id="s", kind="article", title="T")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="greater than high"):  # __post_init__ runs
        ClinicQuote(low=5, high=1, treatment="t", joints=["knee"], currency="USD")
    with pytest.raises(TypeError):
        ClinicQuote(low=1, high=2, treatment="t", joints=["knee"], currency="USD", colour="red")  # type: ignore[call-arg]


@pytest.mark.parametrize("cls", [c for c in RECORDS if c.__module__ == "tripplan.models"], ids=lambda c: c.__name__)
def test_check_fields_knows_every_annotation(cls: type) -> None:
    """Every limit and type a stored record declares has a check for records rebuilt from the cache (an
    unknown one would make every cache entry holding the record miss, silently)."""
    from tripplan.frozen import _checkers
    from tripplan.loader import _records

    assert cls in _records().values()
    assert [name for name, _ in _checkers(cls)] == [f.name for f in dataclasses.fields(cls)]


def test_check_fields_refuses_what_pydantic_refuses() -> None:
    from tripplan.frozen import check_fields

    good = ClinicQuote(low=1, high=2, treatment="t", joints=["knee"], currency="USD")
    assert check_fields(good) is good
    for change in [{"currency": "usd"}, {"low": -1}, {"joints": ("knee",)}, {"treatment": "t\x1b[2J"}]:
        with pytest.raises(ValueError, match=r"ClinicQuote\.\w+ does not hold a valid value"):
            check_fields(dataclasses.replace(good, **change))
