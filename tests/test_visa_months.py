"""Visa-free stays given in months (models.Country.stay_unit): counted to the same date that many months on,
with the destination's landing-day rule. No shipped destination gives its stays in months (no source in
tripplan's data says so), so these tests run on a test-only record: the fixture catalog's Japan with its
stay_unit set to "months"."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from tripplan.catalog import Catalog
from tripplan.quote import quote
from tripplan.request import PlanRequest, TripRequest
from tripplan.schedule import make_plan
from tripplan.visas import last_permitted_day, limit_months, stay_limit_days, visa_answer

from .conftest import TODAY


def in_months(cat: Catalog, stay_count: str = "arrival-day-not-counted") -> Catalog:
    """The fixture catalog with Japan counting its visa-free stays in calendar months (test-only record)."""
    jp = replace(cat.countries["JP"], stay_unit="months", stay_count=stay_count)
    return replace(cat, countries={**cat.countries, "JP": jp})


def test_no_shipped_destination_counts_in_months(cat: Catalog) -> None:
    assert {c.stay_unit for c in cat.countries.values()} == {"days"}
    assert limit_months(cat.countries["JP"], 90) is None


@pytest.mark.parametrize(
    ("stay_count", "arrive", "limit", "until"),
    [
        ("arrival-day-not-counted", dt.date(2027, 2, 28), 90, dt.date(2027, 5, 28)),  # 3 months: same date
        ("arrival-day-counted", dt.date(2027, 2, 28), 90, dt.date(2027, 5, 27)),  # landing day is day 1
        ("arrival-day-not-counted", dt.date(2027, 1, 31), 30, dt.date(2027, 2, 28)),  # no 31 February
        ("arrival-day-not-counted", dt.date(2028, 8, 31), 180, dt.date(2029, 2, 28)),
        ("arrival-day-not-counted", dt.date(2027, 2, 28), 100, dt.date(2027, 6, 8)),  # not whole months: days
    ],
)
def test_the_last_permitted_day_of_a_stay_in_months(
    cat: Catalog, stay_count: str, arrive: dt.date, limit: int, until: dt.date
) -> None:
    country = in_months(cat, stay_count).countries["JP"]
    assert last_permitted_day(country, arrive, limit) == until


def test_a_stay_in_months_holds_the_days_of_those_months(cat: Catalog) -> None:
    country = in_months(cat).countries["JP"]
    assert limit_months(country, 90) == 3
    assert limit_months(country, 100) is None
    assert stay_limit_days(country, dt.date(2027, 2, 28), 90) == 89  # 02-28 to 05-28
    assert stay_limit_days(country, dt.date(2027, 7, 1), 90) == 92  # 07-01 to 10-01
    assert stay_limit_days(country, None, 90) == 89  # undated: the fewest days 3 months hold (from 1 February)
    assert stay_limit_days(country, None, 100) == 100


def test_the_same_stay_fits_90_days_but_not_3_months(cat: Catalog) -> None:
    """The issue's example: arrive 2027-02-28, leave 2027-05-29 (stay-through, injection 05-27). Japan
    counts 90 days from the day after landing, so the stay fits to 05-29; a destination giving 3 months
    permits it to 05-28 only, so the same stay is too long, and quote --harvest says so too."""
    request = PlanRequest(
        destination="JP",
        joint="knee",
        nationality="US",
        harvest=dt.date(2027, 3, 1),
        stay_through=True,
        culture_weeks=(12, 13),
        inject=dt.date(2027, 5, 27),
    )
    days = make_plan(cat=cat, request=request, today=TODAY)
    assert (days.visits[0].arrive, days.visits[0].depart) == (dt.date(2027, 2, 28), dt.date(2027, 5, 29))
    assert days.visa.stays[0].until == dt.date(2027, 5, 29)
    assert days.visa.stays[0].fits is True
    assert days.visa.stays[0].limit_months is None
    months_cat = in_months(cat)
    months = make_plan(cat=months_cat, request=request, today=TODAY)
    stay = months.visa.stays[0]
    assert (stay.limit, stay.limit_months, stay.until, stay.fits) == (90, 3, dt.date(2027, 5, 28), False)
    assert months.visa.answer is not None
    assert months.visa.answer.summary == "visa-free, up to 3 months"
    assert months.visa.answer.fits_visa_free is False
    assert months.visa.visa_needed
    q = quote(cat=months_cat, request=request.trip(), destinations=["JP"], clinic=None, today=TODAY)
    trip = q.destinations[0]
    assert trip.visa is not None
    assert trip.visa.fits_visa_free is False
    assert months.cost is not None
    assert trip.total == months.cost.total  # the visa fee in both
    earlier = make_plan(cat=months_cat, request=replace(request, inject=dt.date(2027, 5, 26)), today=TODAY)
    assert earlier.visa.stays[0].fits is True  # leaving on 05-28, the last permitted day


def test_an_undated_answer_holds_a_stay_to_the_fewest_days_of_its_months(cat: Catalog) -> None:
    months_cat = in_months(cat)
    assert visa_answer(cat=months_cat, nationality="US", destination="JP", stays_days=[89]).fits_visa_free is True
    assert visa_answer(cat=months_cat, nationality="US", destination="JP", stays_days=[90]).fits_visa_free is False
    assert visa_answer(cat=cat, nationality="US", destination="JP", stays_days=[90]).fits_visa_free is True
    undated = quote(
        cat=months_cat,
        request=TripRequest(joint="knee", nationality="US", stay_through=True, culture_weeks=(12, 13)),
        destinations=["JP"],
        clinic=None,
        today=TODAY,
    ).destinations[0]
    assert undated.visa is not None
    assert undated.visa.fits_visa_free is False  # the longest stay (13 weeks and more) exceeds 89 days


def test_the_plan_says_the_limit_in_months(cat: Catalog) -> None:
    from io import StringIO

    from rich.console import Console

    from tripplan.render.schedule import render_plan

    request = PlanRequest(destination="JP", joint="knee", nationality="US", harvest=dt.date(2027, 4, 12))
    months_cat = in_months(cat)
    plan = make_plan(cat=months_cat, request=request, today=TODAY)
    assert "gives a visa-free stay in months" in plan.visa.counting
    buffer = StringIO()
    render_plan(Console(file=buffer, width=100, color_system=None), months_cat, plan, details=True)
    text = buffer.getvalue()
    assert "2 days of 3 months visa-free" in text
    assert "of 90 visa-free" not in text
