"""Frozen records: the shared constructor and the compiled one a busy class gets behave the same."""

from __future__ import annotations

import dataclasses

import pytest

from tripplan import frozen as fz
from tripplan.models import ClinicQuote, Source


def _build(n: int) -> list[ClinicQuote]:
    return [ClinicQuote(low=i, high=i + 1, treatment="t", joints=["knee"], currency="USD") for i in range(n)]


def test_the_compiled_constructor_matches_the_shared_one() -> None:
    fz._built.pop(ClinicQuote, None)
    made = _build(fz.HOT + 5)  # the class gets its compiled constructor on the way
    assert ClinicQuote.__init__ is not fz._init
    assert made[0] == ClinicQuote(low=0, high=1, treatment="t", joints=["knee"], currency="USD")
    last = made[-1]
    assert (last.quoted_on, last.note) == (None, "")  # defaults
    with pytest.raises(ValueError, match="greater than high"):  # __post_init__ still runs
        ClinicQuote(low=5, high=1, treatment="t", joints=["knee"], currency="USD")
    with pytest.raises(TypeError):
        ClinicQuote(low=1, high=2, treatment="t", joints=["knee"], currency="USD", colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        ClinicQuote(low=1, high=2)  # type: ignore[call-arg]


def test_records_are_frozen_dataclasses() -> None:
    s = Source(id="s", kind="article", title="T", publisher="P", url="https://example.org/t")
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.title = "changed"  # type: ignore[misc]
    assert dataclasses.replace(s, title="U").title == "U"
    assert s == Source(id="s", kind="article", title="T", publisher="P", url="https://example.org/t")
    assert hash(s) == hash(Source(id="s", kind="article", title="T", publisher="P", url="https://example.org/t"))
    assert repr(s).startswith("Source(id='s', kind='article'")
    with pytest.raises(TypeError, match=r"missing .*required keyword.* 'publisher'"):
        Source(id="s", kind="article", title="T")  # type: ignore[call-arg]
