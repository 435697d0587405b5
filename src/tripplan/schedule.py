"""schedule: the dated plan of a treatment trip (both visits, the injection window, closures, visa, milestones)."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from tripplan.catalog import Catalog
from tripplan.closures import ClosedDay, HolidayLookup, closures, is_open, next_open, public_holidays
from tripplan.errors import TripplanError, UsageError
from tripplan.lookup import home_airport
from tripplan.models import Airport, Clinic
from tripplan.protocol import effective_protocol, visit_nights
from tripplan.travel import Frozen, flight, nearest_hub
from tripplan.visas import VisaAnswer, visa_answer
from tripplan.zones import land_date, leave_date

SCANS_WEEKS_BEFORE = 8  # assumption: send scans two months before the first visit
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)  # the years tripplan plans for
MIN_WEEKS, MAX_WEEKS = 1, 26  # a culture window outside this is a typing error, not a protocol


class NoOpenDayError(TripplanError):
    """The culture window holds no day the clinic is open (exit 1)."""


class Window(Frozen):
    earliest: dt.date
    latest: dt.date
    weeks: tuple[int, int]


class Visit(Frozen):
    name: str
    leave_home: dt.date | None = None
    arrive: dt.date
    depart: dt.date
    arrive_home: dt.date | None = None
    nights: int


class Milestone(Frozen):
    date: dt.date
    end: dt.date | None = None
    name: str
    source: str


class StayCheck(Frozen):
    name: str
    days: int
    limit: int | None = None
    fits: bool | None = None


class VisaPlan(Frozen):
    nationality: str | None = None
    answer: VisaAnswer | None = None
    stays: list[StayCheck]
    visa_needed: bool
    apply_by: dt.date | None = None
    advice: str


class Plan(Frozen):
    version: int = 1
    made_on: dt.date
    destination: str
    clinic: str | None = None
    nationality: str | None = None
    home_airport: str | None = None
    destination_airport: str
    flight_hours: float | None = None
    trips: int
    harvest: dt.date
    consultation: dt.date
    culture_weeks: tuple[int, int] | None = None
    injection_window: Window | None = None
    injection: dt.date
    stay_through: bool
    visits: list[Visit]
    closures: list[ClosedDay]
    milestones: list[Milestone]
    visa: VisaPlan
    warnings: list[str]


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
            "choose another harvest day or widen the window with --culture-weeks"
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
            advice=f"Give --from NATIONALITY to check each stay against your visa-free days, or run 'tripplan visa --from XX --to {destination}'.",
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


def _milestones(
    first: Visit, harvest: dt.date, injection: dt.date, visit2_arrive: dt.date, visa: VisaPlan, trips: int
) -> list[Milestone]:
    m = [
        Milestone(
            date=first.arrive - dt.timedelta(weeks=SCANS_WEEKS_BEFORE),
            name=f"Send MRI/X-ray scans for remote review ({SCANS_WEEKS_BEFORE} weeks ahead: assumption)",
            source="seed-degenerative-us",
        ),
    ]
    if visa.apply_by is not None:
        m.append(
            Milestone(
                date=visa.apply_by, name="Apply for the visa (Visa for Medical Stay)", source="mofa-medical-stay-visa"
            )
        )
    if trips == 2:
        m.append(Milestone(date=harvest, name="Pay the deposit for culturing", source="seed-planning-trip"))
        m.append(
            Milestone(date=visit2_arrive, name="Pay the balance before the injection", source="seed-planning-trip")
        )
    m += [
        Milestone(
            date=injection,
            end=injection + dt.timedelta(days=2),
            name="Rest 24-48 hours; avoid long walks and standing",
            source="seed-knee-pain",
        ),
        Milestone(
            date=injection + dt.timedelta(weeks=4), name="Light training may begin", source="seed-sports-trauma-us"
        ),
        Milestone(
            date=injection + dt.timedelta(weeks=4),
            end=injection + dt.timedelta(weeks=8),
            name="Moderate activity resumes",
            source="seed-sports-beijing",
        ),
        Milestone(
            date=injection + relativedelta(months=3),
            end=injection + relativedelta(months=6),
            name="Return to full-impact sport",
            source="seed-sports-trauma-us",
        ),
        Milestone(
            date=injection + relativedelta(months=6),
            name="Follow-up with the clinic (6 months)",
            source="seed-planning-trip",
        ),
        Milestone(
            date=injection + relativedelta(months=12),
            name="Follow-up with the clinic (12 months)",
            source="seed-planning-trip",
        ),
    ]
    return sorted(m, key=lambda x: x.date)


def _visit(name: str, arrive: dt.date, nights: int, home: Airport | None, hub: Airport, hours: float | None) -> Visit:
    depart = arrive + dt.timedelta(days=nights)
    leave = land = None
    if home is not None and hours is not None:
        leave, land = leave_date(arrive, home, hub, hours), land_date(depart, hub, home, hours)
    return Visit(name=name, leave_home=leave, arrive=arrive, depart=depart, arrive_home=land, nights=nights)


def make_plan(
    *,
    cat: Catalog,
    harvest: dt.date,
    destination: str,
    clinic: Clinic | None,
    nationality: str | None,
    airport: str | None,
    culture_weeks: tuple[int, int] | None,
    inject: dt.date | None,
    stay_through: bool,
    today: dt.date,
    holidays: HolidayLookup = public_holidays,
) -> Plan:
    if not FIRST_DAY <= harvest <= LAST_DAY:
        raise UsageError(f"harvest day {harvest} is outside the years tripplan plans for ({FIRST_DAY} to {LAST_DAY})")
    country = cat.countries[destination]
    protocol = effective_protocol(cat, destination, clinic)
    weeks = culture_weeks or protocol.culture_weeks
    if weeks is not None and weeks[0] > weeks[1]:
        raise UsageError(f"culture window {weeks[0]}-{weeks[1]} weeks: the minimum is greater than the maximum")
    if weeks is not None and not (weeks[0] >= MIN_WEEKS and weeks[1] <= MAX_WEEKS):
        raise UsageError(
            f"culture window {weeks[0]}-{weeks[1]} weeks: give weeks between {MIN_WEEKS} and {MAX_WEEKS}, e.g. 3-6"
        )
    two = protocol.trips == 2 and weeks is not None
    span_end = harvest + dt.timedelta(weeks=(weeks[1] if two and weeks else 0) + 2)
    closed = closures(country, clinic, range(harvest.year - 1, span_end.year + 2), holidays)
    warnings: list[str] = []
    if not is_open(harvest, closed):
        raise UsageError(
            f"the clinic is closed on {harvest} ({closed[harvest].name}); open days after it: {', '.join(_open_days_after(harvest, closed))}"
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
                f"--inject needs a two-visit protocol; {country.name} treats on the same visit ({harvest})"
            )
        if not window.earliest <= inject <= window.latest:
            raise UsageError(f"--inject {inject} is outside the injection window {window.earliest} to {window.latest}")
        if not is_open(inject, closed):
            raise UsageError(
                f"the clinic is closed on {inject} ({closed[inject].name}); open days after it: {', '.join(_open_days_after(inject, closed))}"
            )
        injection = inject
    if injection != harvest and injection in closed:
        warnings.append(f"{injection}: {closed[injection].name}: confirm with the clinic that it is open.")

    nights = visit_nights(protocol)
    consultation = harvest - dt.timedelta(days=1)
    if not is_open(consultation, closed):
        consultation = harvest
    home = home_airport(cat, nationality, airport) if (nationality or airport) else None
    hub = (
        nearest_hub(cat, home, destination, clinic.city if clinic else None) if home else cat.airports[country.hubs[0]]
    )
    hours = flight(home, hub).hours if home else None
    arrive1 = harvest - dt.timedelta(days=1)
    if window is None:
        visits = [_visit("Treatment visit", arrive1, max(nights[0][0], 2), home, hub, hours)]
    elif stay_through:
        last = injection + dt.timedelta(days=nights[-1][0] - 1)
        visits = [_visit("Stay (harvest to injection)", arrive1, (last - arrive1).days, home, hub, hours)]
    else:
        visits = [
            _visit("Visit 1 (harvest)", arrive1, nights[0][0], home, hub, hours),
            _visit("Visit 2 (injection)", injection - dt.timedelta(days=1), nights[-1][0], home, hub, hours),
        ]
    visa = _visa_plan(cat, nationality, destination, visits, today)
    first, end = visits[0].arrive, visits[-1].depart
    if window is not None:
        end = max(end, window.latest + dt.timedelta(days=nights[-1][1]))
    shown = [c for d, c in closed.items() if first <= d <= end]
    return Plan(
        made_on=today,
        destination=destination,
        clinic=clinic.id if clinic else None,
        nationality=nationality,
        home_airport=home.iata if home else None,
        destination_airport=hub.iata,
        flight_hours=hours,
        trips=len(visits) if not stay_through else 2,
        harvest=harvest,
        consultation=consultation,
        culture_weeks=weeks if two else None,
        injection_window=window,
        injection=injection,
        stay_through=stay_through,
        visits=visits,
        closures=shown,
        milestones=_milestones(
            visits[0], harvest, injection, injection - dt.timedelta(days=1), visa, 2 if window else 1
        ),
        visa=visa,
        warnings=warnings,
    )
