"""Which days a clinic is open: weekly closed days, public holidays and known closures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from tripplan.frozen import frozen
from tripplan.models import Clinic, Country

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@frozen
class ClosedDay:
    """A day the clinic is (or may be) closed."""

    date: dt.date
    """The day."""
    name: str
    """Why the clinic is closed (the holiday's name, a custom, a weekly closed day)."""
    certain: bool
    """false for a possible closure to confirm with the clinic (e.g. Obon)."""
    source: str
    """Id of the closure's source ("holidays package" for public holidays)."""


def _md(year: int, md: str) -> dt.date | None:
    month, day = (int(x) for x in md.split("-"))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


HolidayLookup = Callable[[str, list[int]], dict[dt.date, str]]


def public_holidays(calendar: str, years: list[int]) -> dict[dt.date, str]:
    """The public holidays of a country in the years, from the `holidays` package."""
    import holidays  # heavy: imported only when dates are needed

    return dict(holidays.country_holidays(calendar, years=years).items())


def closures(
    country: Country, clinic: Clinic | None, years: Iterable[int], lookup: HolidayLookup = public_holidays
) -> dict[dt.date, ClosedDay]:
    """Every closed or possibly closed day in the years: certain closures win over possible ones."""
    years = sorted(set(years))
    out: dict[dt.date, ClosedDay] = {}

    def add(day: ClosedDay) -> None:
        old = out.get(day.date)
        if old is None or (day.certain and not old.certain):
            out[day.date] = day

    last = country.holidays_official_through
    for day, name in lookup(country.holiday_calendar, years).items():
        if last is not None and day.year > last:  # not yet published: the package's estimate, to confirm
            what = f"{name} (public holiday, estimated: the {day.year} schedule is not yet published)"
            add(ClosedDay(date=day, name=what, certain=False, source=country.holidays_source or "holidays package"))
        else:
            add(ClosedDay(date=day, name=f"{name} (public holiday)", certain=True, source="holidays package"))
    for c in country.closures:
        for year in [years[0] - 1, *years]:
            start, end = _md(year, c.start), _md(year, c.end)
            if start is None or end is None:
                continue
            if end < start:  # wraps the year end (Dec 29 - Jan 3)
                end = end.replace(year=year + 1)
            d = start
            while d <= end:
                if d.year in years:
                    add(ClosedDay(date=d, name=c.name, certain=c.certain, source=c.source))
                d += dt.timedelta(days=1)
    if clinic is not None and clinic.closed_weekdays:
        closed = {WEEKDAYS.index(w) for w in clinic.closed_weekdays}
        d = dt.date(years[0], 1, 1)
        while d.year <= years[-1]:
            if d.weekday() in closed:
                add(
                    ClosedDay(
                        date=d,
                        name=f"clinic closed on {WEEKDAYS[d.weekday()].title()}",
                        certain=True,
                        source=f"clinic {clinic.id}",
                    )
                )
            d += dt.timedelta(days=1)
    return dict(sorted(out.items()))


def is_open(day: dt.date, closed: dict[dt.date, ClosedDay]) -> bool:
    c = closed.get(day)
    return c is None or not c.certain


def next_open(
    day: dt.date, closed: dict[dt.date, ClosedDay], *, step: int = 1, limit: dt.date | None = None
) -> dt.date | None:
    """The first open day from `day` on (step=1) or back (step=-1), not passing `limit`."""
    d = day
    for _ in range(400):
        if limit is not None and (d > limit if step > 0 else d < limit):
            return None
        if is_open(d, closed):
            return d
        d += dt.timedelta(days=step)
    return None
