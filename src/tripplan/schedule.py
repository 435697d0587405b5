"""schedule: the dated plan of a treatment trip (both visits, the injection window, closures, visa, milestones)."""

from __future__ import annotations

import datetime as dt
from dataclasses import field

from dateutil.relativedelta import relativedelta

from tripplan.catalog import Catalog
from tripplan.closures import ClosedDay, HolidayLookup, closures, is_open, next_open, public_holidays
from tripplan.errors import TripplanError, UsageError
from tripplan.frozen import frozen
from tripplan.lookup import Assumed, resolve_airport
from tripplan.models import Airport, Clinic
from tripplan.money import Span
from tripplan.prices import PriceLine
from tripplan.redflags import ClinicFlags
from tripplan.safety import SafetySummary
from tripplan.sources import Cited, cite
from tripplan.travel import LineItem, Overrides
from tripplan.trip import Home, Reference, Trip, resolve_trip
from tripplan.visas import VisaAnswer, visa_answer
from tripplan.zones import land_date, leave_date

FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)  # the years tripplan plans for (harvest days)
# A plan's later steps (culture, recovery, follow-ups) run past its harvest year: any date of a plan may fall up
# to this day, when it is written and when it is re-opened alike (plancheck).
LAST_PLAN_DAY = dt.date(LAST_DAY.year + 5, 12, 31)
MIN_WEEKS, MAX_WEEKS = 1, 26
VISA_REMINDER_DAYS = 14  # the calendar file's reminder ahead of the visa's apply-by date (weeks of paperwork)  # a culture window outside this is a typing error, not a protocol


class NoOpenDayError(TripplanError):
    """The culture window holds no day the clinic is open (exit 1)."""


@frozen
class Window:
    """The days the injection can be on."""

    earliest: dt.date
    """The first open day of the window."""
    latest: dt.date
    """The last open day of the window."""
    weeks: tuple[int, int]
    """[minimum, maximum] weeks after the harvest."""


@frozen
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


@frozen
class Step:
    """A dated step of the plan: a payment, a deadline, recovery advice, a follow-up."""

    id: str
    """The milestone's id (treatments.toml), or visa-apply."""
    date: dt.date
    """The day of the step (the first day of a range)."""
    end: dt.date | None = None
    """The last day of a range, or null."""
    name: str
    """What to do."""
    source: str
    """Id of the step's source."""
    remind_days: int | None = None
    """Days before the step the calendar file reminds, or null."""


@frozen
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


@frozen
class StayCheck:
    """One stay checked against the passport's visa-free days."""

    name: str
    """The visit."""
    days: int
    """Days of the stay (arrival and departure counted)."""
    limit: int | None = None
    """Visa-free days allowed, or null."""
    fits: bool | None = None
    """Whether the stay fits visa-free; null when the passport is not visa-free."""


@frozen
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


@frozen
class PlanRequest:
    """What a plan was made from, kept in the saved plan: re-opening it with options re-makes it from this."""

    destination: str
    """The destination (ISO code)."""
    clinic: str | None = None
    """The clinic's id, or null."""
    joint: str | None = None
    """The joint, or null."""
    condition: str | None = None
    """The condition, or null."""
    nationality: str | None = None
    """The patient's nationality (ISO code), or null."""
    airport: str | None = None
    """The home airport the user gave (none: the nationality's principal airport, from data)."""
    companion: bool = False
    """Whether a second traveller comes along."""
    currency: str | None = None
    """The currency asked for (ISO code), or null for the home currency."""
    harvest: dt.date
    """The harvest day asked for."""
    culture_weeks: tuple[int, int] | None = None
    """The culture window asked for, [minimum, maximum] weeks, or null for the protocol's."""
    inject: dt.date | None = None
    """The injection day asked for, or null for the window's first open day."""
    stay_through: bool = False
    """Whether --stay-through was asked for."""
    overrides: Overrides = field(default_factory=Overrides)
    """The travel figures given on the command line."""


@frozen
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
            f"the clinic is closed on every day from {lo} to {hi} ({weeks[0]}-{weeks[1]} weeks after harvest); "
            "choose another harvest day or widen the culture window"
        )
    return Window(earliest=earliest, latest=latest, weeks=weeks)


def _visa_plan(
    cat: Catalog, nationality: str | None, destination: str, visits: list[Visit], today: dt.date
) -> VisaPlan:
    if nationality is None:
        return VisaPlan(
            nationality=None,
            answer=None,
            stays=[],
            visa_needed=False,
            apply_by=None,
            advice="Give your nationality to check each stay against your visa-free days.",
        )
    stays = [(v.depart - v.arrive).days + 1 for v in visits]
    answer = visa_answer(cat=cat, nationality=nationality, destination=destination, stays_days=stays)
    checks = [
        StayCheck(
            name=v.name,
            days=d,
            limit=answer.days,
            fits=None if answer.kind != "visa-free" else (answer.days is None or d <= answer.days),
        )
        for v, d in zip(visits, stays, strict=True)
    ]
    needed = answer.fee_applies
    apply_by = None
    advice = f"{answer.summary}: every stay fits." if not needed else ""
    if needed and answer.medical_visa is not None:
        apply_by = visits[0].arrive - dt.timedelta(weeks=answer.medical_visa.apply_weeks_before)
        advice = (
            f"Apply for the {answer.medical_visa.name} by {apply_by} ({answer.medical_visa.apply_weeks_before} weeks before the first arrival). "
            f"It needs: {'; '.join(answer.medical_visa.needs)}."
        )
    elif needed:
        advice = f"{answer.summary}: apply through the embassy of {cat.country_name(destination)} before travelling."
    if apply_by is not None and apply_by < today:
        advice += (
            f" The apply-by date has passed (today is {today}): ask the clinic's guarantor about processing time now."
        )
    return VisaPlan(
        nationality=nationality, answer=answer, stays=checks, visa_needed=needed, apply_by=apply_by, advice=advice
    )


_UNITS = {"d": "days", "w": "weeks", "m": "months"}


def shift(day: dt.date, offset: str) -> dt.date:
    """A day moved by an offset such as +4w, -8w, +3m or +2d."""
    amount = int(offset[:-1])
    return day + relativedelta(**{_UNITS[offset[-1]]: amount})  # type: ignore[arg-type]


def _steps(
    cat: Catalog, plan_joint: str | None, anchors: dict[str, dt.date], visa: VisaPlan, trips: int, destination: str
) -> list[Step]:
    """The catalog's milestones for this plan: a joint-specific record replaces the general one it names."""
    chosen = [
        m for m in cat.milestones if m.trips in (None, trips) and (not m.destinations or destination in m.destinations)
    ]
    specific = [m for m in chosen if m.joints and plan_joint in m.joints]
    replaced = {m.replaces for m in specific}
    steps = [
        Step(
            id=m.id,
            date=shift(anchors[m.anchor], m.start),
            end=shift(anchors[m.anchor], m.end) if m.end else None,
            name=m.name,
            source=m.source,
            remind_days=m.remind_days,
        )
        for m in chosen
        if (not m.joints and m.id not in replaced) or m in specific
    ]
    answer = visa.answer
    if visa.apply_by is not None and answer is not None and answer.medical_visa is not None:
        mv = answer.medical_visa
        steps.append(
            Step(
                id="visa-apply",
                date=visa.apply_by,
                name=f"Apply for the {mv.name}",
                source=mv.sources[0],
                remind_days=VISA_REMINDER_DAYS,
            )
        )
    return sorted(steps, key=lambda x: (x.date, x.id))


def airport_place(a: Airport) -> str:
    """An airport as a calendar place: its name and code, and its city when the name lacks it."""
    return f"{a.name} ({a.iata}), {a.city}" if a.city and a.city not in a.name else f"{a.name} ({a.iata})"


def _visit(name: str, arrive: dt.date, nights: int, home: Airport | None, hub: Airport, hours: float | None) -> Visit:
    depart = arrive + dt.timedelta(days=nights)
    leave = land = None
    if home is not None and hours is not None:
        leave, land = leave_date(arrive, home, hub, hours), land_date(depart, hub, home, hours)
    return Visit(name=name, leave_home=leave, arrive=arrive, depart=depart, arrive_home=land, nights=nights)


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


def make_plan(
    *,
    cat: Catalog,
    trip: Trip,
    clinic: Clinic | None,
    harvest: dt.date,
    culture_weeks: tuple[int, int] | None,
    inject: dt.date | None,
    stay_through: bool,
    today: dt.date,
    holidays: HolidayLookup = public_holidays,
    request: PlanRequest | None = None,
) -> Plan:
    """The dated plan of a resolved trip from its harvest (or treatment) day."""
    if not FIRST_DAY <= harvest <= LAST_DAY:
        raise UsageError(
            f"harvest day {harvest} is outside the years tripplan plans for ({FIRST_DAY} to {LAST_DAY})",
            field="harvest",
        )
    destination = trip.destination
    country = cat.countries[destination]
    protocol = trip.protocol
    weeks = culture_weeks or protocol.culture_weeks
    if weeks is not None and weeks[0] > weeks[1]:
        raise UsageError(
            f"culture window {weeks[0]}-{weeks[1]} weeks: the minimum is greater than the maximum",
            field="culture_weeks",
        )
    if weeks is not None and not (weeks[0] >= MIN_WEEKS and weeks[1] <= MAX_WEEKS):
        raise UsageError(
            f"culture window {weeks[0]}-{weeks[1]} weeks: give weeks between {MIN_WEEKS} and {MAX_WEEKS}, e.g. 3-6",
            field="culture_weeks",
        )
    two = protocol.trips == 2 and weeks is not None
    span_end = harvest + dt.timedelta(weeks=(weeks[1] if two and weeks else 0) + 2)
    closed = closures(country, clinic, range(harvest.year - 1, span_end.year + 2), holidays)
    warnings: list[str] = []
    if not is_open(harvest, closed):
        raise UsageError(
            f"the clinic is closed on {harvest} ({closed[harvest].name}); open days after it: {', '.join(_open_days_after(harvest, closed))}",
            field="harvest",
        )
    if harvest in closed:
        warnings.append(f"{harvest}: {closed[harvest].name}: confirm with the clinic that it is open.")
    if harvest < today:
        warnings.append(f"the harvest day {harvest} is in the past (today is {today}).")
    window = _window(harvest, weeks, closed) if two and weeks else None
    injection = window.earliest if window else harvest
    if inject is not None:
        if window is None:
            raise UsageError(
                f"an injection day needs a two-visit protocol; {country.name} treats on the same visit ({harvest})",
                field="inject",
            )
        if not window.earliest <= inject <= window.latest:
            raise UsageError(
                f"{inject} is outside the injection window {window.earliest} to {window.latest}", field="inject"
            )
        if not is_open(inject, closed):
            raise UsageError(
                f"the clinic is closed on {inject} ({closed[inject].name}); open days after it: {', '.join(_open_days_after(inject, closed))}",
                field="inject",
            )
        injection = inject
    if injection != harvest and injection in closed:
        warnings.append(f"{injection}: {closed[injection].name}: confirm with the clinic that it is open.")

    nights = trip.nights_per_trip
    consultation = harvest - dt.timedelta(days=1)
    if not is_open(consultation, closed):
        consultation = harvest
    home = resolve_airport(cat, trip.home_airport) if trip.home_airport else None
    hub = cat.airports[trip.hub]
    hours = trip.flight.hours if trip.flight else None
    arrive1 = harvest - dt.timedelta(days=1)
    if window is None:
        visits = [_visit("Treatment visit", arrive1, nights[0][0], home, hub, hours)]
    elif stay_through:
        last = injection + dt.timedelta(days=nights[-1][0] - 1)
        visits = [_visit("Stay (harvest to injection)", arrive1, (last - arrive1).days, home, hub, hours)]
    else:
        visits = [
            _visit("Visit 1 (harvest)", arrive1, nights[0][0], home, hub, hours),
            _visit("Visit 2 (injection)", injection - dt.timedelta(days=1), nights[-1][0], home, hub, hours),
        ]
    visa = _visa_plan(cat, trip.nationality, destination, visits, today)
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
    steps = _steps(cat, trip.joint, anchors, visa, 2 if window else 1, destination)
    sources = [protocol.source, protocol.fly_home_source] + [s.source for s in steps] + [c.source for c in shown]
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
        fly_home_after_hours=protocol.fly_home_after_hours,
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
        visits=visits,
        closures=shown,
        steps=steps,
        visa=visa,
        cost=_cost(trip),
        warnings=[*trip.warnings, *warnings],
        request=request,
        red_flags=trip.red_flags,
        safety=trip.safety,
        sources=cite(cat, sources, named=True),
    )


def plan_for(*, cat: Catalog, request: PlanRequest, today: dt.date, holidays: HolidayLookup = public_holidays) -> Plan:
    """The plan a request makes: the trip resolved once (as quote and compare resolve it), then dated."""
    clinic = cat.clinics.get(request.clinic) if request.clinic else None
    if request.clinic and clinic is None:
        raise UsageError(f"unknown clinic '{request.clinic}'", field="clinic")
    if clinic is not None and clinic.country != request.destination:
        raise UsageError(f"clinic {clinic.id} is in {clinic.country}, not {request.destination}", field="destination")
    trip = resolve_trip(
        cat=cat,
        destination=request.destination,
        clinic=clinic,
        joint=request.joint,
        condition=request.condition,
        nationality=request.nationality,
        airport=request.airport,
        travellers=2 if request.companion else 1,
        currency=request.currency,
        overrides=request.overrides,
        today=today,
    )
    return make_plan(
        cat=cat,
        trip=trip,
        clinic=clinic,
        harvest=request.harvest,
        culture_weeks=request.culture_weeks,
        inject=request.inject,
        stay_through=request.stay_through,
        today=today,
        holidays=holidays,
        request=request,
    )
