"""Which days a clinic is open: weekly closed days, public holidays and known closures."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tripplan.i18n import DEFAULT, N_, _, current
from tripplan.models import Clinic, Country

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True, kw_only=True)
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
# the `holidays` package's language for the names closures() reads (its rules match English names), whatever
# the machine's locale: the package otherwise names them from LANG (Japanese names with no LANG set), and the
# snapshot and cache keep one name per day
HOLIDAY_NAMES = "en_US"


def public_holidays(calendar: str, years: list[int]) -> dict[dt.date, str]:
    """The public holidays of a country in the years, from the `holidays` package: {date: name}.

    `calendar` is the country's holiday calendar ("JP": names in English, whatever the machine's locale,
    since closures() reads them), or it and a language of the package ("JP@zh_CN"): names in that language
    where the package has it, else in the country's own language (Japan's in Japanese), never machine-made."""
    import holidays  # heavy: imported only when dates are needed

    code, _at, language = calendar.partition("@")
    entity = holidays.country_holidays(code)
    wanted: str | None = language or HOLIDAY_NAMES
    if wanted not in entity.supported_languages:
        wanted = entity.default_language  # the country's own language
    return dict(holidays.country_holidays(code, years=years, language=wanted).items())


def holidays_language() -> str:
    """The `holidays` package's language for holiday names in the language being spoken ("zh_CN"), from the
    language's catalog."""
    # TRANSLATORS: not words: the `holidays` package's language code for holiday names in this language
    # (Simplified Chinese: zh_CN); a country the package has no such names for keeps its own language's names
    return _("en_US")


_SUBSTITUTED = re.compile(r"substituted from (\d\d)/(\d\d)/(\d{4})")


def _weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


def make_up_days(listed: dict[dt.date, str]) -> set[dt.date]:
    """Weekend days worked in exchange for a day off (调休): the `holidays` package names each such day off
    "Day off (substituted from MM/DD/YYYY)", the date being the weekend day worked."""
    out = set()
    for name in listed.values():
        if m := _SUBSTITUTED.search(name):
            out.add(dt.date(int(m.group(3)), int(m.group(1)), int(m.group(2))))
    return out


def holiday_blocks(listed: dict[dt.date, str]) -> list[tuple[dt.date, dt.date, str]]:
    """The holiday blocks (first day, last day, name) of a country that closes each block as a whole: listed
    holidays separated only by weekend days form one block, and the weekend days next to a block belong to
    it, but a make-up working day never does. Reproduces the State Council's arrangements for 2025 and 2026
    (cn-holidays-2025, cn-holidays-2026; tested) from the `holidays` package's listing."""
    worked = make_up_days(listed)

    def free(d: dt.date) -> bool:
        return _weekend(d) and d not in worked

    blocks: list[list[dt.date]] = []
    for day in sorted(listed):
        if blocks:
            gap = [blocks[-1][-1] + dt.timedelta(days=i) for i in range(1, (day - blocks[-1][-1]).days)]
            if all(free(d) for d in gap):
                blocks[-1].append(day)
                continue
        blocks.append([day])
    out = []
    for block in blocks:
        first, last = block[0], block[-1]
        while free(first - dt.timedelta(days=1)):
            first -= dt.timedelta(days=1)
        while free(last + dt.timedelta(days=1)):
            last += dt.timedelta(days=1)
        names = [listed[d] for d in block if not _SUBSTITUTED.search(listed[d])] or [listed[block[0]]]
        plain = [re.sub(r"\s*\(observed\)", "", n) for n in names]
        name = max(plain, key=plain.count)  # the block's holiday, not its eve
        out.append((first, last, name))
    return out


def _block_source(sources: list[str], year: int) -> str:
    return next((s for s in sources if s.endswith(str(year))), sources[0])


BLOCK = N_("{holiday} holiday ({first} – {last})")
BLOCK_ESTIMATED = N_("{holiday} holiday ({first} – {last}), estimated: the {year} schedule is not yet published")
CLOSED_WEEKDAY = (
    N_("clinic closed on Mon"),
    N_("clinic closed on Tue"),
    N_("clinic closed on Wed"),
    N_("clinic closed on Thu"),
    N_("clinic closed on Fri"),
    N_("clinic closed on Sat"),
    N_("clinic closed on Sun"),
)


def closures(
    country: Country, clinic: Clinic | None, years: Iterable[int], lookup: HolidayLookup = public_holidays
) -> dict[dt.date, ClosedDay]:
    """Every closed or possibly closed day in the years: certain closures win over possible ones. Where the
    country closes holiday blocks as a whole (`holiday_blocks_sources`), every day of a block is closed,
    named "<holiday> holiday (<first> – <last>)", and a make-up working day stays open even when the clinic
    closes on that weekday."""
    years = sorted(set(years))
    out: dict[dt.date, ClosedDay] = {}

    def add(day: ClosedDay) -> None:
        old = out.get(day.date)
        if old is None or (day.certain and not old.certain):
            out[day.date] = day

    listed = lookup(country.holiday_calendar, years)
    local = listed if current() == DEFAULT else lookup(f"{country.holiday_calendar}@{holidays_language()}", years)
    local_of = {name: local.get(day, name) for day, name in sorted(listed.items(), reverse=True)}
    published = country.holidays_official_through

    def estimated(day: dt.date) -> bool:
        return published is not None and day.year > published

    worked: set[dt.date] = set()
    if country.holiday_blocks_sources:
        worked = make_up_days(listed)
        for first, last_day, name in holiday_blocks(listed):
            block = BLOCK_ESTIMATED if estimated(first) else BLOCK
            label = _(block).format(
                holiday=local_of.get(name, name),
                first=first.isoformat(),
                last=last_day.strftime("%m-%d"),
                year=first.year,
            )
            source = (
                country.holidays_source or "holidays package"
                if estimated(first)
                else _block_source(country.holiday_blocks_sources, first.year)
            )
            d = first
            while d <= last_day:
                add(ClosedDay(date=d, name=label, certain=not estimated(first), source=source))
                d += dt.timedelta(days=1)
    for day, english in listed.items():
        name = local.get(day, english)
        if estimated(day):  # not yet published: the package's estimate, to confirm
            what = _("{holiday} (public holiday, estimated: the {year} schedule is not yet published)").format(
                holiday=name, year=day.year
            )
            add(ClosedDay(date=day, name=what, certain=False, source=country.holidays_source or "holidays package"))
        else:
            what = _("{holiday} (public holiday)").format(holiday=name)
            add(ClosedDay(date=day, name=what, certain=True, source="holidays package"))
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
            if d.weekday() in closed and d not in worked:
                add(
                    ClosedDay(
                        date=d,
                        name=_(CLOSED_WEEKDAY[d.weekday()]),
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
    for _step in range(400):
        if limit is not None and (d > limit if step > 0 else d < limit):
            return None
        if is_open(d, closed):
            return d
        d += dt.timedelta(days=step)
    return None
