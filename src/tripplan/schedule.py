"""schedule: the dated plan of a treatment trip (both visits, the injection window, closures, visa, milestones)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from dateutil.relativedelta import relativedelta

from tripplan.catalog import Catalog
from tripplan.closures import ClosedDay, HolidayLookup, closures, is_open, public_holidays
from tripplan.dated import LAST_DAY, Window, dated_for
from tripplan.dateformat import in_prose
from tripplan.errors import UsageError
from tripplan.i18n import N_, _, ngettext
from tripplan.lookup import Assumed, resolve_airport
from tripplan.models import Airport, Country
from tripplan.money import Home, Span
from tripplan.prices import PriceLine
from tripplan.protocol import effective_protocol, rest_hours
from tripplan.redflags import ClinicFlags
from tripplan.request import PlanRequest
from tripplan.safety import SafetySummary
from tripplan.sources import Cited, cite
from tripplan.travel import LineItem
from tripplan.trip import Reference, Trip, resolve_trip
from tripplan.visas import VisaAnswer, counted_days, last_permitted_day, limit_months, stay_limit_days, visa_answer
from tripplan.zones import land_date, leave_date

# A plan's later steps (culture, recovery, follow-ups) run past its harvest year: any date of a plan may fall up
# to this day, when it is written and when it is re-opened alike (plancheck).
LAST_PLAN_DAY = dt.date(LAST_DAY.year + 5, 12, 31)
VISA_REMINDER_DAYS = 14  # the calendar file's reminder ahead of the visa's apply-by date (weeks of paperwork)


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
    moved_from: dt.date | None = None
    """The day the step's own rule gives (anchor + offset, treatments.toml) when it was moved earlier, else
    null: a step that needs it (`after`) is dated earlier, and this one stays before it."""
    moved_by: str | None = None
    """The id of the step that moved it earlier (the views say why: "moved earlier from … before …"), or null."""
    moved_gap_days: int = 0
    """Days it stays before `moved_by`: the spacing their offsets give when both count from one anchor, else 0."""


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
    reference_home: Home | None = None
    """That price at home converted to the currency shown (computed at `home`'s rate), or null."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StayCheck:
    """One stay against the visa-free limit, counted as the destination counts it."""

    name: str
    """The visit."""
    days: int
    """Days of the stay as the destination counts them (see `VisaPlan.stay_count`)."""
    limit: int | None = None
    """Visa-free days for the passport, as the visa data set gives them (None: no day limit, or a visa is
    needed)."""
    limit_months: int | None = None
    """The same limit in calendar months where the destination gives its periods of stay in months
    (models.Country.stay_unit), else null; the stay then fits up to `until`."""
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
        "counting": _counting(country, cat.country_name(destination)),
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
    answer = visa_answer(
        cat=cat, nationality=nationality, destination=destination, stays_days=stays, arrivals=[v.arrive for v in visits]
    )
    free = answer.kind == "visa-free"
    checks = [
        StayCheck(
            name=v.name,
            days=d,
            limit=answer.days,
            limit_months=limit_months(country, answer.days) if free and answer.days else None,
            fits=None if not free else (answer.days is None or d <= stay_limit_days(country, v.arrive, answer.days)),
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

IN_MONTHS = N_("{country} gives a visa-free stay in months: it runs to the same date that many months on.")


def _counting(country: Country, name: str) -> str:
    """How the stays were counted, in words (and that a stay in months runs to the same date, where it is)."""
    text = _(COUNTING[country.stay_count]).format(country=name)
    if country.stay_unit == "months":
        text = _("{first} {second}").format(first=text, second=_(IN_MONTHS).format(country=name))
    return text


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
    if visa.apply_by is not None and visa.answer is not None and visa.answer.medical_visa is not None:
        anchors = {**anchors, "visa-apply": visa.apply_by}
    chosen = [
        m
        for m in cat.milestones
        if m.trips in (None, trips) and (not m.destinations or destination in m.destinations) and m.anchor in anchors
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
    own = {key: step.date for key, step in steps.items()}  # each step's day by its own rule (anchor + offset)
    anchor = {m.id: m.anchor for m in kept} | {"visa-apply": "visa-apply"}
    for key, step in steps.items():
        steps[key] = replace(step, date=_snap(step.date, rules.get(key, "any"), closed, consulate))
    pushed: dict[str, tuple[str, int]] = {}  # step -> (the step that pushed it earlier, the spacing kept, days)
    # A step comes no later than each step that needs it (`after`); two steps counted from the same anchor keep
    # the spacing their offsets give (send-scans -8w stays 4 weeks before choose-clinic -4w), so a step pushed
    # earlier (by the visa's apply-by day) pushes the steps it needs by as much, never onto one day.
    for _round in range(len(steps) + 1):
        moved = False
        for step in list(steps.values()):
            for dep in step.after:
                d = steps[dep]
                same = anchor.get(dep) == anchor.get(step.id)  # offsets from one anchor: their spacing is data
                gap = max(0, (own[step.id] - own[dep]).days) if same else 0
                latest = step.date - dt.timedelta(days=gap)
                if d.date > latest:
                    day = _snap(latest, rules.get(dep, "any"), closed, consulate)
                    end = d.end if d.end is None or d.end >= day else day
                    steps[dep] = replace(d, date=day, end=end)
                    pushed[dep] = (step.id, gap)
                    moved = True
        if not moved:
            break
    for key, (by, gap) in pushed.items():
        steps[key] = replace(steps[key], moved_from=own[key], moved_by=by, moved_gap_days=gap)
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


def whole_closures(closed: dict[dt.date, ClosedDay], first: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The span [first, end] widened so that a closure running across either edge (the same closure on
    consecutive days: a holiday block such as China's National Day, 2026-10-01 – 10-07, or Japan's New Year
    closure) is shown whole, not cut at the arrival or the window's end."""
    one = dt.timedelta(days=1)
    while first in closed and first - one in closed and closed[first - one].name == closed[first].name:
        first -= one
    while end in closed and end + one in closed and closed[end + one].name == closed[end].name:
        end += one
    return first, end


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


PAST_LEAVE = N_(
    "{visit}: you would leave home on {date}, before today ({today}): this visit cannot be made as planned; "
    "choose a later harvest day."
)
PAST_ARRIVE = N_(
    "{visit}: you would arrive on {date}, before today ({today}): this visit cannot be made as planned; "
    "choose a later harvest day."
)
PAST_DEPART = N_(
    "{visit}: you would fly home on {date}, before today ({today}): this visit cannot be made as planned; "
    "choose a later harvest day."
)


def _past_legs(visits: list[Visit], today: dt.date) -> list[str]:
    """One warning per visit whose first travel leg (leaving home, else arriving, else flying home) is before
    `today`: a plan that starts in the past says so, as its overdue steps do."""
    out = []
    for v in visits:
        legs = [(PAST_LEAVE, v.leave_home), (PAST_ARRIVE, v.arrive), (PAST_DEPART, v.depart)]
        past = next(((text, day) for text, day in legs if day is not None and day < today), None)
        if past is not None:
            text, day = past
            out.append(_(text).format(visit=v.name, date=in_prose(day), today=in_prose(today)))
    return out


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
        reference_home=trip.reference_home,
    )


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
    harvest = request.harvest
    destination = request.destination
    protocol = effective_protocol(cat, destination, clinic)
    dated = dated_for(
        cat=cat,
        request=request.trip(),
        harvest=harvest,
        destination=destination,
        clinic=clinic,
        protocol=protocol,
        today=today,
        holidays=holidays,
    )
    closed, window, injection, consultation, dates = (
        dated.closed,
        dated.window,
        dated.injection,
        dated.consultation,
        dated.visits,
    )
    weeks, stay_through = dated.weeks, dated.stay_through
    warnings = list(dated.warnings)
    if harvest < today:
        warnings.append(
            _("the harvest day {date} is in the past (today is {today}).").format(
                date=in_prose(harvest), today=in_prose(today)
            )
        )
    nights = dated.nights
    trip = resolve_trip(
        cat=cat, request=request.trip(), destination=destination, clinic=clinic, today=today, dated=dated
    )
    home = resolve_airport(cat, trip.home_airport) if trip.home_airport else None
    hub = cat.airports[trip.hub]
    hours = trip.flight.hours if trip.flight else None
    visits = [_visit(name, a, b, home, hub, hours) for name, a, b in dates]
    warnings += _past_legs(visits, today)
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
    first, end = whole_closures(closed, first, end)
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
            ngettext(
                "{n} step dated before today ({today}) is overdue: do it now ({steps}).",
                "{n} steps dated before today ({today}) are overdue: do them now ({steps}).",
                len(overdue),
            ).format(n=len(overdue), today=in_prose(today), steps=", ".join(x.id for x in overdue))
        )
    recovery = [x for x in steps if x.kind in ("permits", "forbids", "advice")]
    sources = [protocol.source, protocol.fly_home_source, protocol.after_harvest_source, visa.stay_count_source]
    unit = cat.countries[destination]
    sources += [unit.stay_unit_source] if unit.stay_unit == "months" else []
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
        culture_weeks=weeks,
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
