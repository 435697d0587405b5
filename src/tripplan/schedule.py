"""schedule: the dated plan of a treatment trip (both visits, the injection window, closures, visa, milestones)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from dateutil.relativedelta import relativedelta

from tripplan.catalog import Catalog
from tripplan.closures import ClosedDay, HolidayLookup, closures, is_open, next_open, public_holidays
from tripplan.errors import TripplanError, UsageError
from tripplan.i18n import N_, _, ngettext
from tripplan.lookup import Assumed, resolve_airport
from tripplan.models import Airport, Protocol
from tripplan.money import Home, Span
from tripplan.prices import PriceLine
from tripplan.prose import in_prose
from tripplan.protocol import check_weeks, days_after_treatment, effective_protocol, nights_before_injection, rest_hours
from tripplan.redflags import ClinicFlags
from tripplan.request import PlanRequest
from tripplan.safety import SafetySummary
from tripplan.sources import Cited, cite
from tripplan.travel import LineItem
from tripplan.trip import Reference, Trip, resolve_trip
from tripplan.visas import VisaAnswer, counted_days, last_permitted_day, visa_answer
from tripplan.zones import land_date, leave_date

FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)  # the years tripplan plans for (harvest days)
# A plan's later steps (culture, recovery, follow-ups) run past its harvest year: any date of a plan may fall up
# to this day, when it is written and when it is re-opened alike (plancheck).
LAST_PLAN_DAY = dt.date(LAST_DAY.year + 5, 12, 31)
VISA_REMINDER_DAYS = 14  # the calendar file's reminder ahead of the visa's apply-by date (weeks of paperwork)


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
class Visit:
    """One visit to the destination, with its travel days."""

    name: str
    """The visit, e.g. "Visit 1 (harvest)"."""
    leave_home: dt.date | None = None
    """The day the patient leaves home (local time at home), or null without a home airport."""
    arrive: dt.date
    """The day of arrival at the destination."""
    depart: dt.date
    """The day of the flight home."""
    arrive_home: dt.date | None = None
    """The day the patient lands at home (local time), or null."""
    nights: int
    """Nights at the destination."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """A dated step of the plan: a payment, a deadline, recovery advice, a follow-up."""

    id: str
    """The milestone's id (treatments.toml), or visa-apply."""
    date: dt.date
    """The step's day (a "permits" row: the first day the activity is permitted)."""
    end: dt.date | None = None
    """End of the step's range (a "permits" row: when it is typically permitted by)."""
    name: str
    """What to do."""
    source: str
    """Id of the step's source."""
    remind_days: int | None = None
    """Days before the step the calendar file reminds, or null."""
    kind: str = "step"
    """step (a task), permits, forbids or advice (recovery rows; see models.Milestone.kind)."""
    after: list[str] = field(default_factory=list)
    """Ids of the steps this one depends on (each is dated on or before this one)."""
    overdue: bool = False
    """The step's day is before the day the plan was made: do it now."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Cost:
    """What the planned trip costs: the resolved trip's figures, the same ones quote and compare print."""

    joint: str | None
    """The joint priced."""
    treatment: Span
    """The treatment range, USD."""
    travel: Span | None = None
    """The travel cost, USD, or null without a nationality."""
    total: Span | None = None
    """Treatment plus travel, USD, or null."""
    home: Home | None = None
    """The total in the currency shown, with its rate, or null."""
    rows: int
    """How many source rows the treatment range rests on."""
    lines: list[PriceLine] = field(default_factory=list)
    """Every source row the treatment range rests on (as quote lists them)."""
    items: list[LineItem] = field(default_factory=list)
    """The travel lines: fare, nights, daily costs, visa, with how each was computed."""
    reference: Reference | None = None
    """The same treatment's price at home, from the sources."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StayCheck:
    """One stay against the visa-free limit, counted as the destination counts it."""

    name: str
    """The visit."""
    days: int
    """Days of the stay as the destination counts them (see `VisaPlan.stay_count`)."""
    limit: int | None = None
    """Visa-free days for the passport (None: no day limit, or a visa is needed)."""
    fits: bool | None = None
    """Whether the stay fits visa-free; null when the passport is not visa-free."""
    until: dt.date | None = None
    """The last day the patient may stay visa-free on this entry ("may stay until")."""


@dataclass(frozen=True, slots=True, kw_only=True)
class VisaPlan:
    """The plan's visa check and what to apply for."""

    nationality: str | None = None
    """The passport (ISO code), or null when not given."""
    answer: VisaAnswer | None = None
    """The visa answer for the plan's stays, or null."""
    stays: list[StayCheck]
    """Each visit's stay checked against the visa-free days."""
    visa_needed: bool
    """Whether a visa (or the medical visa) must be applied for."""
    apply_by: dt.date | None = None
    """The last day to apply for the medical visa, or null."""
    advice: str
    """What to do, in words."""
    stay_count: str = "arrival-day-counted"
    """How the destination counts a stay in days (models.Country.stay_count)."""
    stay_count_source: str = "tripplan-assumptions"
    """The source of that rule (sources.toml id)."""
    counting: str = ""
    """How the stays were counted, in words (shown under the stays)."""
    too_soon: bool = False
    """The visa's apply-by date is before the day the plan was made: the harvest may be too soon."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """The dated plan of one treatment trip: what schedule prints, saves (--save) and exports (--ics, --html)."""

    version: int = 3
    """The format of a saved plan (3)."""
    made_on: dt.date
    """The day the plan was made."""
    destination: str
    """The destination country (ISO code)."""
    clinic: str | None = None
    """The clinic's id (clinics.toml), or null for the destination's usual protocol."""
    joint: str | None = None
    """The joint treated."""
    nationality: str | None = None
    """The patient's nationality (ISO code), or null when not given (no visa check, flights or travel cost)."""
    home_airport: str | None = None
    """The home airport (IATA code), or null without a nationality or --airport."""
    home_assumed: Assumed | None = None
    """How tripplan chose the home airport when none was given (data, with its source), or null."""
    destination_airport: str
    """The airport flown into (IATA code): the destination's hub nearest the clinic's city."""
    home_airport_place: str = ""
    """The home airport as a place: name (IATA), city; "" without one."""
    destination_airport_place: str = ""
    """The destination's airport as a place: name (IATA), city."""
    flight_hours: float | None = None
    """Flight time one way, hours (great-circle distance at 800 km/h plus 45 minutes), or null."""
    fly_home_after_hours: int
    """Hours after the treatment before flying home, from the protocol."""
    fly_home_source: str
    """Source id of that wait."""
    cell_source: str
    """The cells used and how they are processed, as the protocol describes them."""
    protocol_source: str
    """Source id of the protocol (visits, culture weeks)."""
    trips: int
    """How many trips to the destination: 2 for a cultured protocol (harvest, then injection), else 1."""
    harvest: dt.date
    """The harvest day (same-day protocols: the treatment day)."""
    consultation: dt.date
    """The consultation day: the open day before the harvest, else the harvest day."""
    culture_weeks: tuple[int, int] | None = None
    """The culture window [minimum, maximum], weeks after the harvest; null for a single visit."""
    injection_window: Window | None = None
    """The days the injection can be on (moved onto open clinic days), or null for a single visit."""
    injection: dt.date
    """The injection (treatment) day."""
    stay_through: bool
    """Whether the patient stays at the destination during the culture (--stay-through)."""
    at_home: bool = False
    """Treated in the patient's own country: appointments near home, no flights, visa or hotel."""
    after_harvest_days: int = 1
    """Days after a procedure before the earliest long-haul flight home (models.Protocol.after_harvest_days)."""
    after_harvest_source: str = "tripplan-assumptions"
    """The source of that rule (sources.toml id)."""
    visits: list[Visit]
    """The visits in order, with travel days."""
    closures: list[ClosedDay]
    """Clinic closures between the first arrival and the end of the window (holidays, customs, weekly closed days)."""
    steps: list[Step]
    """The dated steps: scans, payments, deadlines, the visa's apply-by date, recovery advice, follow-ups."""
    visa: VisaPlan
    """Each stay checked against the passport's visa-free days, and what to apply for."""
    cost: Cost | None = None
    """What the planned trip costs (the same figures quote prints), or null when no price applies."""
    warnings: list[str]
    """Things to confirm (a possible closure on a clinic day, a harvest day in the past)."""
    recovery_note: str | None = None
    """Said when no source gives recovery advice for the plan's joint (no general line offered instead)."""
    request: PlanRequest | None = None
    """What the plan was made from (plans saved before version 3 have none)."""
    red_flags: ClinicFlags | None = None
    """The chosen clinic's red flags, computed with the trip (none without a clinic)."""
    safety: SafetySummary | None = None
    """What tripplan's safety record holds for the destination, computed with the trip."""
    sources: list[Cited] = field(default_factory=list)
    """Every source the plan's dates and figures rest on, once, in first-use order, with title, publisher, date
    and address: computed once when the plan is made; the terminal, the calendar file and the page read it."""


def _open_days_after(day: dt.date, closed: dict[dt.date, ClosedDay], n: int = 3) -> list[str]:
    out: list[str] = []
    d = day
    while len(out) < n:
        d += dt.timedelta(days=1)
        if is_open(d, closed):
            out.append(d.isoformat())
    return out


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


def _visa_plan(
    cat: Catalog,
    nationality: str | None,
    destination: str,
    visits: list[Visit],
    today: dt.date,
    at_home: bool,
    consulate: set[dt.date],
) -> VisaPlan:
    """Each stay counted as the destination counts it (visas.counted_days), with its last permitted day; the
    apply-by date on the weekday before it that is no holiday at the destination or at home (`consulate`)."""
    country = cat.countries[destination]
    how: dict[str, Any] = {
        "stay_count": country.stay_count,
        "stay_count_source": country.stay_count_source,
        "counting": _(COUNTING[country.stay_count]).format(country=cat.country_name(destination)),
    }
    if nationality is None:
        return VisaPlan(
            nationality=None,
            answer=None,
            stays=[],
            visa_needed=False,
            apply_by=None,
            advice=_("Give your nationality to check each stay against your visa-free days."),
            **how,
        )
    if at_home:
        return VisaPlan(
            nationality=nationality,
            answer=None,
            stays=[],
            visa_needed=False,
            apply_by=None,
            advice=_("Treated in your own country: no visa and no flights."),
            **how,
        )
    stays = [counted_days(country, v.arrive, v.depart) for v in visits]
    answer = visa_answer(cat=cat, nationality=nationality, destination=destination, stays_days=stays)
    free = answer.kind == "visa-free"
    checks = [
        StayCheck(
            name=v.name,
            days=d,
            limit=answer.days,
            fits=None if not free else (answer.days is None or d <= answer.days),
            until=last_permitted_day(country, v.arrive, answer.days) if free and answer.days else None,
        )
        for v, d in zip(visits, stays, strict=True)
    ]
    needed = answer.fee_applies and not at_home
    apply_by = None
    advice = _("{summary}: every stay fits.").format(summary=answer.summary) if not needed else ""
    if needed and answer.medical_visa is not None:
        lead = dt.timedelta(weeks=answer.medical_visa.apply_weeks_before)
        apply_by = _snap(visits[0].arrive - lead, "consulate", {}, consulate)
        advice = ngettext(
            "Apply for the {visa} by {date} ({n} week before the first arrival). It needs: {documents}.",
            "Apply for the {visa} by {date} ({n} weeks before the first arrival). It needs: {documents}.",
            answer.medical_visa.apply_weeks_before,
        ).format(
            visa=answer.medical_visa.name,
            date=in_prose(apply_by),
            n=answer.medical_visa.apply_weeks_before,
            documents=_("; ").join(answer.medical_visa.needs),
        )
    elif needed:
        advice = _("{summary}: apply through the embassy of {country} before travelling.").format(
            summary=answer.summary, country=cat.country_name(destination)
        )
    too_soon = apply_by is not None and apply_by < today
    if too_soon:
        passed = _(
            "The apply-by date has passed (today is {today}): the harvest may be too soon for the visa's lead "
            "time; ask the clinic's guarantor about processing time now, or choose a later harvest day."
        ).format(today=in_prose(today))
        # TRANSLATORS: two sentences one after the other (English puts a space between them)
        advice = _("{first} {second}").format(first=advice, second=passed)
    return VisaPlan(
        nationality=nationality,
        answer=answer,
        stays=checks,
        visa_needed=needed,
        apply_by=apply_by,
        advice=advice,
        too_soon=too_soon,
        **how,
    )


COUNTING = {
    "arrival-day-not-counted": N_(
        "Stays counted as {country} counts a period of stay: from the day after landing "
        "(the landing day is not counted)."
    ),
    "arrival-day-counted": N_(
        "Stays counted with the arrival and departure days both counted (tripplan's "
        "conservative assumption: no source gives {country}'s rule)."
    ),
}

_UNITS = {"d": "days", "w": "weeks", "m": "months"}


def shift(day: dt.date, offset: str) -> dt.date:
    """A day moved by an offset such as +4w, -8w, +3m or +2d."""
    amount = int(offset[:-1])
    return day + relativedelta(**{_UNITS[offset[-1]]: amount})  # type: ignore[arg-type]


def _snap(day: dt.date, rule: str, closed: dict[dt.date, ClosedDay], consulate: set[dt.date]) -> dt.date:
    """The step's day, moved back to the day before it that its rule allows (clinic open; consulate open)."""
    for _attempt in range(60):
        if (rule == "clinic" and not is_open(day, closed)) or (
            rule == "consulate" and (day.weekday() >= 5 or day in consulate)
        ):
            day -= dt.timedelta(days=1)
        else:
            break
    return day


def _steps(
    cat: Catalog,
    plan_joint: str | None,
    anchors: dict[str, dt.date],
    visa: VisaPlan,
    trips: int,
    destination: str,
    closed: dict[dt.date, ClosedDay],
    consulate: set[dt.date],
    today: dt.date,
) -> list[Step]:
    """The catalog's milestones for this plan: a joint-specific record replaces the general one it names.
    Each step falls on a day its `open_day` rule allows; a step another depends on (`after`) is moved to
    no later than it; a step dated before `today` is overdue."""
    chosen = [
        m for m in cat.milestones if m.trips in (None, trips) and (not m.destinations or destination in m.destinations)
    ]
    specific = [m for m in chosen if m.joints and plan_joint in m.joints]
    replaced = {m.replaces for m in specific}
    kept = [m for m in chosen if (not m.joints and m.id not in replaced) or m in specific]
    rules = {m.id: m.open_day for m in kept}
    steps = {
        m.id: Step(
            id=m.id,
            date=shift(anchors[m.anchor], m.start),
            end=shift(anchors[m.anchor], m.end) if m.end else None,
            name=m.name,
            source=m.source,
            remind_days=m.remind_days,
            kind=m.kind,
            after=[a for a in m.after if a in {k.id for k in kept}],
        )
        for m in kept
    }
    answer = visa.answer
    if visa.apply_by is not None and answer is not None and answer.medical_visa is not None:
        mv = answer.medical_visa
        rules["visa-apply"] = "consulate"
        steps["visa-apply"] = Step(
            id="visa-apply",
            date=visa.apply_by,
            name=_("Apply for the {visa}").format(visa=mv.name),
            source=mv.sources[0],
            remind_days=VISA_REMINDER_DAYS,
            after=[a for a in mv.after if a in steps],
        )
    for key, step in steps.items():
        steps[key] = replace(step, date=_snap(step.date, rules.get(key, "any"), closed, consulate))
    for _round in range(len(steps)):  # dependencies first: a step moves no later than one that needs it
        moved = False
        for step in list(steps.values()):
            for dep in step.after:
                d = steps[dep]
                if d.date > step.date:
                    day = _snap(step.date, rules.get(dep, "any"), closed, consulate)
                    end = d.end if d.end is None or d.end >= day else day
                    steps[dep] = replace(d, date=day, end=end)
                    moved = True
        if not moved:
            break
    depth: dict[str, int] = {}

    def rank(key: str, seen: frozenset[str] = frozenset()) -> int:
        if key not in depth:
            depth[key] = 1 + max((rank(a, seen | {key}) for a in steps[key].after if a not in seen), default=-1)
        return depth[key]

    out = [replace(x, overdue=x.kind == "step" and x.date < today) for x in steps.values()]
    return sorted(out, key=lambda x: (x.date, rank(x.id), x.id))


def airport_place(a: Airport) -> str:
    """An airport as a calendar place: its name and code, and its city when the name lacks it."""
    return f"{a.name} ({a.iata}), {a.city}" if a.city and a.city not in a.name else f"{a.name} ({a.iata})"


def _visit(
    name: str, arrive: dt.date, depart: dt.date, home: Airport | None, hub: Airport, hours: float | None
) -> Visit:
    leave = land = None
    if home is not None and hours is not None:
        leave, land = leave_date(arrive, home, hub, hours), land_date(depart, hub, home, hours)
    return Visit(
        name=name, leave_home=leave, arrive=arrive, depart=depart, arrive_home=land, nights=(depart - arrive).days
    )


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


HOME_HOLIDAY_LEAVE = N_(
    "{visit}: you leave home on {date}, {holiday} in {country}: expect crowded flights and dearer fares; "
    "move the dates if you can."
)
HOME_HOLIDAY_BACK = N_(
    "{visit}: you fly back home on {date}, {holiday} in {country}: expect crowded flights and dearer fares; "
    "move the dates if you can."
)
HOME_EVE_LEAVE = N_(
    "{visit}: you leave home on {date}, the eve of {holiday} in {country}: expect crowded flights and dearer "
    "fares; move the dates if you can."
)
HOME_EVE_BACK = N_(
    "{visit}: you fly back home on {date}, the eve of {holiday} in {country}: expect crowded flights and "
    "dearer fares; move the dates if you can."
)


def _home_notes(
    cat: Catalog, nationality: str | None, visits: list[Visit], holidays: HolidayLookup
) -> tuple[list[str], set[dt.date]]:
    """Travel notes for leave-home and back-home days in the home country's holidays (its blocks where it
    closes them as a whole), and the home country's closed days (for consulate steps)."""
    home = cat.countries.get(nationality) if nationality else None
    if home is None or not visits:
        return [], set()
    years = range(visits[0].arrive.year - 1, visits[-1].depart.year + 2)
    closed = closures(home, None, years, holidays)
    notes = []
    country = cat.country_name(nationality) if nationality else home.name
    for v in visits:
        for leaving, day in ((True, v.leave_home), (False, v.arrive_home)):
            if day is None:
                continue
            eve = day + dt.timedelta(days=1)
            if day in closed:
                holiday, text = closed[day].name, (_(HOME_HOLIDAY_LEAVE) if leaving else _(HOME_HOLIDAY_BACK))
            elif eve in closed:
                holiday, text = closed[eve].name, (_(HOME_EVE_LEAVE) if leaving else _(HOME_EVE_BACK))
            else:
                continue
            notes.append(text.format(visit=v.name, date=in_prose(day), holiday=holiday, country=country))
    return notes, set(closed)


def _cost(trip: Trip) -> Cost | None:
    if trip.treatment is None:
        return None
    return Cost(
        joint=trip.joint,
        treatment=trip.treatment.span,
        travel=trip.travel.total if trip.travel else None,
        total=trip.total,
        home=trip.home,
        rows=len(trip.treatment.sources),
        lines=trip.treatment.sources,
        items=trip.travel.items if trip.travel else [],
        reference=trip.reference,
    )


CLOSED_ON = N_("the clinic is closed on {date} ({why}); open days after it: {days}")
CONFIRM_OPEN = N_("{date}: {why}: confirm with the clinic that it is open.")


def make_plan(
    *,
    cat: Catalog,
    request: PlanRequest,
    today: dt.date,
    holidays: HolidayLookup = public_holidays,
) -> Plan:
    """The plan a request makes: dated day by day from its harvest (or treatment) day, then the trip
    resolved for the plan's shape (its visits and nights) as quote and compare resolve it. Refuses (usage
    error) a harvest or injection day the clinic is closed, naming the open days after it; raises
    NoOpenDayError when the culture window holds no open day."""
    clinic = cat.clinics.get(request.clinic) if request.clinic else None
    if request.clinic and clinic is None:
        raise UsageError(_("unknown clinic '{clinic}'").format(clinic=request.clinic), field="clinic")
    if clinic is not None and clinic.country != request.destination:
        raise UsageError(
            _("clinic {clinic} is in {country}, not {destination}").format(
                clinic=clinic.id, country=clinic.country, destination=request.destination
            ),
            field="destination",
        )
    harvest, inject = request.harvest, request.inject
    if not FIRST_DAY <= harvest <= LAST_DAY:
        raise UsageError(
            _("harvest day {date} is outside the years tripplan plans for ({first} to {last})").format(
                date=harvest, first=FIRST_DAY, last=LAST_DAY
            ),
            field="harvest",
        )
    destination = request.destination
    country = cat.countries[destination]
    protocol = effective_protocol(cat, destination, clinic)
    weeks = request.culture_weeks or protocol.culture_weeks
    check_weeks(weeks)
    two = protocol.trips == 2 and weeks is not None
    stay_through = request.stay_through and two
    span_end = harvest + dt.timedelta(weeks=(weeks[1] if two and weeks else 0) + 2)
    closed = closures(country, clinic, range(harvest.year - 1, span_end.year + 2), holidays)
    warnings: list[str] = []
    if not is_open(harvest, closed):
        raise UsageError(
            _(CLOSED_ON).format(
                date=in_prose(harvest), why=closed[harvest].name, days=", ".join(_open_days_after(harvest, closed))
            ),
            field="harvest",
        )
    if harvest in closed:
        warnings.append(_(CONFIRM_OPEN).format(date=in_prose(harvest), why=closed[harvest].name))
    if harvest < today:
        warnings.append(
            _("the harvest day {date} is in the past (today is {today}).").format(
                date=in_prose(harvest), today=in_prose(today)
            )
        )
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
            raise UsageError(
                _(CLOSED_ON).format(
                    date=in_prose(inject), why=closed[inject].name, days=", ".join(_open_days_after(inject, closed))
                ),
                field="inject",
            )
        injection = inject
    if injection != harvest and injection in closed:
        warnings.append(_(CONFIRM_OPEN).format(date=in_prose(injection), why=closed[injection].name))

    consultation, dates = layout(
        protocol=protocol,
        harvest=harvest,
        injection=injection,
        two=two,
        stay_through=stay_through,
        closed=closed,
        fly_early=request.overrides.fly_early,
    )
    nights = [((b - a).days, (b - a).days) for _, a, b in dates]
    trip = resolve_trip(
        cat=cat, request=request.trip(), destination=destination, clinic=clinic, today=today, nights_per_trip=nights
    )
    home = resolve_airport(cat, trip.home_airport) if trip.home_airport else None
    hub = cat.airports[trip.hub]
    hours = trip.flight.hours if trip.flight else None
    visits = [_visit(name, a, b, home, hub, hours) for name, a, b in dates]
    notes, home_closed = _home_notes(cat, trip.nationality, visits if not trip.at_home else [], holidays)
    warnings += notes
    consulate = {d for d, c in closed.items() if c.certain and not c.source.startswith("clinic ")} | home_closed
    visa = _visa_plan(cat, trip.nationality, destination, visits, today, trip.at_home, consulate)
    if visa.too_soon and visa.apply_by is not None:
        warnings.append(
            _("the visa's apply-by date {date} has passed: the harvest may be too soon for it.").format(
                date=in_prose(visa.apply_by)
            )
        )
    first, end = visits[0].arrive, visits[-1].depart
    if window is not None:
        end = max(end, window.latest + dt.timedelta(days=nights[-1][1]))
    shown = [c for d, c in closed.items() if first <= d <= end]
    anchors = {
        "first-arrival": visits[0].arrive,
        "harvest": harvest,
        "last-arrival": injection - dt.timedelta(days=1),
        "treatment": injection,
    }
    steps = _steps(cat, trip.joint, anchors, visa, 2 if window else 1, destination, closed, consulate, today)
    overdue = [x for x in steps if x.overdue]
    if overdue:
        warnings.append(
            _("{n} step(s) dated before today ({today}) are overdue: do them now ({steps}).").format(
                n=len(overdue), today=in_prose(today), steps=", ".join(x.id for x in overdue)
            )
        )
    recovery = [x for x in steps if x.kind in ("permits", "forbids", "advice")]
    sources = [protocol.source, protocol.fly_home_source, protocol.after_harvest_source, visa.stay_count_source]
    sources += [s.source for s in steps] + [c.source for c in shown]
    sources += (visa.answer.sources if visa.answer else []) + trip.sources
    return Plan(
        made_on=today,
        destination=destination,
        clinic=clinic.id if clinic else None,
        joint=trip.joint,
        nationality=trip.nationality,
        home_airport=trip.home_airport,
        home_assumed=trip.home_assumed,
        destination_airport=hub.iata,
        home_airport_place=airport_place(home) if home else "",
        destination_airport_place=airport_place(hub),
        flight_hours=hours,
        fly_home_after_hours=rest_hours(protocol, fly_early=request.overrides.fly_early),
        fly_home_source=protocol.fly_home_source,
        cell_source=protocol.cell_source,
        protocol_source=protocol.source,
        trips=len(visits) if not stay_through else 2,
        harvest=harvest,
        consultation=consultation,
        culture_weeks=weeks if two else None,
        injection_window=window,
        injection=injection,
        stay_through=stay_through,
        at_home=trip.at_home,
        after_harvest_days=protocol.after_harvest_days,
        after_harvest_source=protocol.after_harvest_source,
        visits=visits,
        closures=shown,
        steps=steps,
        visa=visa,
        cost=_cost(trip),
        warnings=[*trip.warnings, *warnings],
        recovery_note=None if recovery else no_recovery_advice(trip.joint),
        request=request,
        red_flags=trip.red_flags,
        safety=trip.safety,
        sources=cite(cat, sources),
    )


def no_recovery_advice(joint: str | None) -> str:
    """What the plan says when no source gives recovery advice for the joint (rather than a general line)."""
    if joint:
        return _(
            "No source in tripplan's data gives recovery advice for the {joint}: ask the clinic for its "
            "rehabilitation plan."
        ).format(joint=joint)
    return _(
        "No source in tripplan's data gives recovery advice for this treatment: ask the clinic for its "
        "rehabilitation plan."
    )


plan_for = make_plan
