"""A request's dated visits: from its harvest day (and injection day), the days of each visit, laid out as the
clinic's closures allow. One computation: schedule dates its plan from it, and quote and compare count the
nights of the same visits when the request gives a harvest day, so all three print the same total."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tripplan.catalog import Catalog
from tripplan.closures import ClosedDay, HolidayLookup, closures, is_open, next_open, public_holidays
from tripplan.dateformat import in_prose
from tripplan.errors import TripplanError, UsageError
from tripplan.i18n import N_, _
from tripplan.models import Clinic, Protocol
from tripplan.protocol import check_weeks, days_after_treatment, nights_before_injection

if TYPE_CHECKING:
    from tripplan.request import TripRequest

FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)  # the years tripplan plans for (harvest days)


class NoOpenDayError(TripplanError):
    """The culture window holds no day the clinic is open (exit 1)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Window:
    """The days the injection can be on."""

    earliest: dt.date
    """The first open day of the window."""
    latest: dt.date
    """The last open day of the window."""
    weeks: tuple[int, int]
    """[minimum, maximum] weeks after the harvest."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Dated:
    """The visits a request's days make (see dated_visits)."""

    closed: dict[dt.date, ClosedDay]
    """The clinic's closed and possibly closed days around the plan."""
    weeks: tuple[int, int] | None
    """The culture window in weeks, or None for a one-visit protocol."""
    stay_through: bool
    """One stay from the harvest to the injection (two-visit protocols only)."""
    window: Window | None
    """The days the injection can be on, or None for a one-visit protocol."""
    injection: dt.date
    """The injection (treatment) day: the request's, else the window's first open day, else the harvest."""
    consultation: dt.date
    """The consultation day."""
    visits: list[tuple[str, dt.date, dt.date]]
    """Each visit's (name, arrival day, departure day), in order."""
    warnings: list[str]
    """A procedure day that may be closed (a possible closure to confirm with the clinic)."""

    @property
    def nights(self) -> list[tuple[int, int]]:
        """Nights of each visit, as (n, n): the shape trip.resolve_trip costs."""
        return [((b - a).days, (b - a).days) for _, a, b in self.visits]


def open_days_after(
    day: dt.date, closed: dict[dt.date, ClosedDay], today: dt.date, n: int = 3, until: dt.date | None = None
) -> list[str]:
    """The first `n` open clinic days after `day`, never before `today` and never after `until` (the
    injection window's last day): the nearest days a refusal offers instead (ISO dates; fewer than `n`
    when the span holds fewer)."""
    out: list[str] = []
    d = max(day, today - dt.timedelta(days=1))
    while len(out) < n and (until is None or d < until):
        d += dt.timedelta(days=1)
        if is_open(d, closed):
            out.append(d.isoformat())
    return out


def open_days_near(day: dt.date, closed: dict[dt.date, ClosedDay], today: dt.date, n: int = 3) -> list[str]:
    """The open clinic day nearest before `day` and the first `n` - 1 after it (ISO dates, in order): what a
    refusal of a closed harvest day offers around the day asked for, a past day as a future one (the plan
    then warns that it is past). The day before is left out when it has passed and `day` has not (a plan
    for the coming days is not offered yesterday): then the first `n` after it."""
    one = dt.timedelta(days=1)
    before: list[str] = []
    d = day
    for _attempt in range(60):
        d -= one
        if is_open(d, closed):
            before = [d.isoformat()] if d >= today or day < today else []
            break
    after: list[str] = []
    d = day
    for _attempt in range(120):
        if len(after) >= n - len(before):
            break
        d += one
        if is_open(d, closed):
            after.append(d.isoformat())
    return before + after


def _window(harvest: dt.date, weeks: tuple[int, int], closed: dict[dt.date, ClosedDay]) -> Window:
    lo, hi = harvest + dt.timedelta(weeks=weeks[0]), harvest + dt.timedelta(weeks=weeks[1])
    earliest = next_open(lo, closed, limit=hi)
    latest = next_open(hi, closed, step=-1, limit=lo)
    if earliest is None or latest is None:
        raise NoOpenDayError(
            _(
                "the clinic is closed on every day from {first} to {last} ({low}-{high} weeks after harvest); "
                "choose another harvest day or widen the culture window"
            ).format(first=in_prose(lo), last=in_prose(hi), low=weeks[0], high=weeks[1])
        )
    return Window(earliest=earliest, latest=latest, weeks=weeks)


def layout(
    *,
    protocol: Protocol,
    harvest: dt.date,
    injection: dt.date,
    two: bool,
    stay_through: bool,
    closed: dict[dt.date, ClosedDay],
    fly_early: bool = False,
) -> tuple[dt.date, list[tuple[str, dt.date, dt.date]]]:
    """The consultation day and each visit's (name, arrival, departure), laid out day by day:

    arrive → consultation (the latest open clinic day before the harvest that visit 1's longest stay
    allows, else the harvest day itself) → harvest → at least `after_harvest_days` before flying home
    (tripplan's assumption from seed-degenerative-us: days in the city after the harvest); visit 2:
    arrive the day before the injection (with `fly_early`, possibly on its day: protocol.nights_before_injection),
    fly home after the fly-home rule (protocol.days_after_treatment).
    Each visit lasts at least the protocol's shortest visit."""
    one_day = dt.timedelta(days=1)
    after_t = days_after_treatment(protocol, fly_early=fly_early)
    after_first = protocol.after_harvest_days if two else after_t
    before_max = max(1, protocol.visit1_days[1] - 1 - after_first)
    earlier = (harvest - k * one_day for k in range(1, before_max + 1))
    consultation = next((d for d in earlier if is_open(d, closed)), harvest)
    arrive1 = min(consultation, harvest - one_day)

    def depart(arrive: dt.date, procedure: dt.date, after: int, min_days: int) -> dt.date:
        return max(procedure + after * one_day, arrive + (min_days - 1) * one_day)

    v1_min = protocol.visit1_days[0]
    if not two:
        return consultation, [(_("Treatment visit"), arrive1, depart(arrive1, harvest, after_t, v1_min))]
    if stay_through:
        return consultation, [(_("Stay (harvest to injection)"), arrive1, injection + after_t * one_day)]
    v2_min = protocol.visit2_days[0] if protocol.visit2_days else 1
    arrive2 = injection - nights_before_injection(protocol, fly_early=fly_early) * one_day
    return consultation, [
        (_("Visit 1 (harvest)"), arrive1, depart(arrive1, harvest, protocol.after_harvest_days, v1_min)),
        (_("Visit 2 (injection)"), arrive2, depart(arrive2, injection, after_t, v2_min)),
    ]


CLOSED_ON = N_("the clinic is closed on {date} ({why}); open days after it: {days}")
CLOSED_NEAR = N_("the clinic is closed on {date} ({why}); the nearest open days: {days}")
CONFIRM_OPEN = N_("{date}: {why}: confirm with the clinic that it is open.")


def dated_for(
    *,
    cat: Catalog,
    request: TripRequest,
    harvest: dt.date,
    destination: str,
    clinic: Clinic | None,
    protocol: Protocol,
    today: dt.date,
    holidays: HolidayLookup = public_holidays,
) -> Dated:
    """dated_visits for a request's days and options (its injection day, culture weeks, stay-through and
    fly-early): schedule and the trip quote and compare resolve date a plan by this one call."""
    return dated_visits(
        cat=cat,
        destination=destination,
        clinic=clinic,
        protocol=protocol,
        harvest=harvest,
        inject=request.inject,
        culture_weeks=request.culture_weeks,
        stay_through=request.stay_through,
        fly_early=request.overrides.fly_early,
        today=today,
        holidays=holidays,
    )


def dated_visits(
    *,
    cat: Catalog,
    destination: str,
    clinic: Clinic | None,
    protocol: Protocol,
    harvest: dt.date,
    inject: dt.date | None = None,
    culture_weeks: tuple[int, int] | None = None,
    stay_through: bool = False,
    fly_early: bool = False,
    today: dt.date,
    holidays: HolidayLookup = public_holidays,
) -> Dated:
    """The visits a harvest day (and an injection day inside the window) make at a destination (or clinic):
    its closures (closures.closures), the injection window moved onto open days, the consultation and each
    visit's arrival and departure (layout). Usage errors (field harvest or inject): a harvest outside
    FIRST_DAY-LAST_DAY, a harvest day the clinic is closed (naming the open days around it: a past harvest day is
    planned, with schedule's warning), an injection day the clinic is closed (naming the open days after it,
    never before `today`), an injection day outside the window or for a one-visit protocol; NoOpenDayError when the
    culture window holds no open day; check_weeks' errors for the culture window."""
    if not FIRST_DAY <= harvest <= LAST_DAY:
        raise UsageError(
            _("harvest day {date} is outside the years tripplan plans for ({first} to {last})").format(
                date=harvest, first=FIRST_DAY, last=LAST_DAY
            ),
            field="harvest",
        )
    country = cat.countries[destination]
    weeks = culture_weeks or protocol.culture_weeks
    check_weeks(weeks)
    two = protocol.trips == 2 and weeks is not None
    through = stay_through and two
    span_end = harvest + dt.timedelta(weeks=(weeks[1] if two and weeks else 0) + 2)
    closed = closures(country, clinic, range(harvest.year - 1, span_end.year + 2), holidays)
    warnings: list[str] = []
    if not is_open(harvest, closed):
        raise UsageError(
            _(CLOSED_NEAR).format(
                date=in_prose(harvest), why=closed[harvest].name, days=", ".join(open_days_near(harvest, closed, today))
            ),
            field="harvest",
        )
    if harvest in closed:
        warnings.append(_(CONFIRM_OPEN).format(date=in_prose(harvest), why=closed[harvest].name))
    window = _window(harvest, weeks, closed) if two and weeks else None
    injection = window.earliest if window else harvest
    if inject is not None:
        if window is None:
            raise UsageError(
                _("an injection day needs a two-visit protocol; {country} treats on the same visit ({date})").format(
                    country=cat.country_name(destination), date=in_prose(harvest)
                ),
                field="inject",
            )
        if not window.earliest <= inject <= window.latest:
            raise UsageError(
                _("{date} is outside the injection window {first} to {last}").format(
                    date=in_prose(inject), first=in_prose(window.earliest), last=in_prose(window.latest)
                ),
                field="inject",
            )
        if not is_open(inject, closed):
            ahead = open_days_after(inject, closed, today, until=window.latest)
            if not ahead:
                raise UsageError(
                    _(
                        "the clinic is closed on {date} ({why}), and no open day of the injection window after it "
                        "is still ahead (today is {today})"
                    ).format(date=in_prose(inject), why=closed[inject].name, today=in_prose(today)),
                    field="inject",
                )
            raise UsageError(
                _(CLOSED_ON).format(date=in_prose(inject), why=closed[inject].name, days=", ".join(ahead)),
                field="inject",
            )
        injection = inject
    if injection != harvest and injection in closed:
        warnings.append(_(CONFIRM_OPEN).format(date=in_prose(injection), why=closed[injection].name))
    consultation, visits = layout(
        protocol=protocol,
        harvest=harvest,
        injection=injection,
        two=two,
        stay_through=through,
        closed=closed,
        fly_early=fly_early,
    )
    return Dated(
        closed=closed,
        weeks=weeks if two else None,
        stay_through=through,
        window=window,
        injection=injection,
        consultation=consultation,
        visits=visits,
        warnings=warnings,
    )
