"""One trip, one answer: quote, compare and schedule present the same resolved trip."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from tripplan.catalog import Catalog
from tripplan.compare import compare
from tripplan.models import JOINTS
from tripplan.money import Span
from tripplan.quote import quote
from tripplan.schedule import make_plan
from tripplan.travel import Overrides
from tripplan.trip import resolve_trip

from .conftest import TODAY

NATIONALITIES = ["US", "CN", "GB", "AU", "KR", "DE", "IN", "BR", "NG", "JP", "MX", "TH"]
DESTINATIONS = ["JP", "MX", "KR", "TH"]
spans = st.none() | st.tuples(st.integers(0, 5000), st.integers(0, 5000)).map(lambda p: Span(low=min(p), high=max(p)))
overrides = st.builds(
    Overrides,
    fare=spans,
    nightly=spans,
    daily=spans,
    visa_fee=spans,
    rate=st.none() | st.floats(0.01, 2000, allow_nan=False),
)


def _sum(items: list[Span]) -> Span:
    total = Span(low=0, high=0)
    for s in items:
        total = total + s
    return total


@settings(max_examples=60, deadline=None)
@given(
    joint=st.sampled_from(JOINTS),
    nationality=st.sampled_from(NATIONALITIES),
    destination=st.sampled_from(DESTINATIONS),
    ov=overrides,
    companion=st.booleans(),
)
def test_quote_compare_schedule_agree(
    cat: Catalog, joint: str, nationality: str, destination: str, ov: Overrides, companion: bool
) -> None:
    q = quote(
        cat=cat,
        joint=joint,
        condition=None,
        nationality=nationality,
        destinations=[destination],
        clinic=None,
        airport=None,
        companion=companion,
        currency=None,
        overrides=ov,
        today=TODAY,
    ).destinations[0]
    c = (
        compare(
            cat=cat,
            codes=[destination],
            joint=joint,
            nationality=nationality,
            airport=None,
            sort="given",
            companion=companion,
            overrides=ov,
            today=TODAY,
        )
        .countries[0]
        .trip
    )
    trip = resolve_trip(
        cat=cat,
        destination=destination,
        clinic=None,
        joint=joint,
        condition=None,
        nationality=nationality,
        airport=None,
        travellers=2 if companion else 1,
        currency=None,
        overrides=ov,
        today=TODAY,
    )
    plan = make_plan(
        cat=cat,
        trip=trip,
        clinic=None,
        harvest=dt.date(2027, 3, 3),  # a Wednesday open in every destination
        culture_weeks=None,
        inject=None,
        stay_through=False,
        today=TODAY,
    )
    assert q.total == c.total
    assert q.home == c.home
    assert q.treatment == c.treatment
    if q.treatment is None:
        assert plan.cost is None
        return
    assert plan.cost is not None
    assert plan.cost.total == q.total
    assert plan.cost.treatment == q.treatment.span
    assert plan.cost.home == q.home
    assert q.travel is not None
    assert q.total is not None
    # each total is the sum of its lines
    assert q.travel.total == _sum([i.amount for i in q.travel.items])
    assert q.total == q.treatment.span + q.travel.total
    assert q.treatment.low == min(x.low for x in q.treatment.sources)
    assert q.treatment.high == max(x.high for x in q.treatment.sources)


def test_compare_and_quote_list_the_same_rows(cat: Catalog) -> None:
    """The reported bug: compare priced 'single joint' rows while quote priced the knee's."""
    q = quote(
        cat=cat,
        joint="knee",
        condition=None,
        nationality="US",
        destinations=["JP", "MX", "KR"],
        clinic=None,
        airport=None,
        companion=False,
        currency=None,
        overrides=Overrides(),
        today=TODAY,
    )
    c = compare(
        cat=cat, codes=["JP", "MX", "KR"], joint="knee", nationality="US", airport=None, sort="given", today=TODAY
    )
    by_code = {t.destination: t for t in q.destinations}
    for col in c.countries:
        assert col.trip.treatment == by_code[col.code].treatment
        assert col.trip.total == by_code[col.code].total
    jp = by_code["JP"]
    assert jp.total is not None
    assert (jp.total.low, jp.total.high) == (9080, 36550)
