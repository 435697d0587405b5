"""Every dated event of a plan, once: the terminal table, the calendar file and the HTML page list these.

Each event has a stable `kind` (never its position): a calendar file builds its UIDs from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tripplan.catalog import Catalog
from tripplan.schedule import Plan, Step

TRAVEL_REMINDER_DAYS = 1  # a departure or clinic day: remind the day before
Kind = str


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    kind: Kind
    """Stable key of the event within its plan, e.g. leave-home-1, injection, deposit, closed-2027-03-22."""
    date: dt.date
    title: str
    note: str = ""
    source: str = ""
    place: str = ""
    remind_days: int | None = None
    group: str
    """travel, clinic, payment, deadline, recovery, follow-up or closure."""
    overdue: bool = False
    """A step dated before the day the plan was made: the calendar file reminds on the next day instead."""


_GROUPS = {"deposit": "payment", "balance": "payment"}
# the order of a day's events: travel there, the clinic's day, its payments and steps, then travel home
_ORDER = (
    "closed-",
    "leave-home-",
    "arrive-",
    "window-",
    "consultation",
    "harvest",
    "balance",
    "treatment",
    "injection",
)
_LATE = ("fly-home-", "back-home-")


def _group(step: Step) -> str:
    if step.kind != "step":
        return "recovery"
    if step.id in _GROUPS:
        return _GROUPS[step.id]
    if step.id.startswith("follow-up"):
        return "follow-up"
    return "deadline"


def day_order(kind: Kind) -> int:
    """Where an event sits within its day: arrive → consultation → procedure → steps → fly home → back home."""
    for i, prefix in enumerate(_ORDER):
        if kind.startswith(prefix):
            return i
    for i, prefix in enumerate(_LATE):
        if kind.startswith(prefix):
            return len(_ORDER) + 1 + i
    return len(_ORDER)


def _step_note(m: Step) -> str:
    if m.overdue:
        return f"overdue — do it now (was due {m.date})"
    if m.kind == "permits" and m.end:
        return f"permitted from {m.date}; typically by {m.end}"
    if m.kind == "forbids" and m.end:
        return f"from {m.date} until at least {m.end}"
    return f"until {m.end}" if m.end else ""


def clinic_place(cat: Catalog, plan: Plan) -> str:
    """Where the clinic days happen: the clinic's name and city, else the destination's treatment city."""
    country = cat.countries.get(plan.destination)
    name = country.name if country else plan.destination
    clinic = cat.clinics.get(plan.clinic) if plan.clinic else None
    if clinic is not None:
        return f"{clinic.name}, {clinic.city}, {name}"
    city = country.cities[0] if country and country.cities else ""
    return f"{city}, {name}" if city else name


def plan_events(cat: Catalog, plan: Plan) -> list[Event]:
    """Every dated item of the plan in date order: travel, clinic days, payments, deadlines, recovery,
    follow-ups and closures, each with its source or note and, where it has one, its place."""
    home, there, clinic = plan.home_airport_place, plan.destination_airport_place, clinic_place(cat, plan)
    out: list[Event] = []
    for i, v in enumerate(plan.visits, 1):
        if plan.at_home:
            continue  # appointments near home: no travel events
        if v.leave_home:
            hours = f", {plan.flight_hours:g} h" if plan.flight_hours is not None else ""
            out.append(
                Event(
                    kind=f"leave-home-{i}",
                    date=v.leave_home,
                    title=f"Leave home: {v.name}",
                    note=f"{plan.home_airport} → {plan.destination_airport}{hours}",
                    place=home,
                    remind_days=TRAVEL_REMINDER_DAYS,
                    group="travel",
                )
            )
        out.append(
            Event(
                kind=f"arrive-{i}",
                date=v.arrive,
                title=f"Arrive: {v.name}",
                note=f"{v.nights} night{'s' if v.nights != 1 else ''}, until {v.depart}",
                place=there,
                group="travel",
            )
        )
        out.append(
            Event(
                kind=f"fly-home-{i}",
                date=v.depart,
                title=f"Fly home: {v.name}",
                note=f"{plan.destination_airport} → {plan.home_airport}" if plan.home_airport else "",
                place=there,
                remind_days=TRAVEL_REMINDER_DAYS,
                group="travel",
            )
        )
        if v.arrive_home:
            out.append(Event(kind=f"back-home-{i}", date=v.arrive_home, title="Back home", place=home, group="travel"))
    out.append(
        Event(
            kind="consultation",
            date=plan.consultation,
            title="Consultation at the clinic",
            source=plan.protocol_source,
            place=clinic,
            remind_days=TRAVEL_REMINDER_DAYS,
            group="clinic",
        )
    )
    if plan.injection_window:
        w = plan.injection_window
        out.append(
            Event(
                kind="harvest",
                date=plan.harvest,
                title=f"Harvest ({plan.cell_source}); cells go to the lab",
                note=f"culture {w.weeks[0]}-{w.weeks[1]} weeks",
                source=plan.protocol_source,
                place=clinic,
                remind_days=TRAVEL_REMINDER_DAYS,
                group="clinic",
            )
        )
        out.append(
            Event(
                kind="window-opens",
                date=w.earliest,
                title="Injection window opens",
                note=f"first open day, {w.weeks[0]} weeks after the harvest; closes {w.latest}",
                source=plan.protocol_source,
                group="clinic",
            )
        )
        out.append(
            Event(
                kind="window-closes",
                date=w.latest,
                title="Injection window closes",
                note=f"last open day, {w.weeks[1]} weeks after the harvest",
                source=plan.protocol_source,
                group="clinic",
            )
        )
        out.append(
            Event(
                kind="injection",
                date=plan.injection,
                title="Injection",
                note="" if plan.at_home else f"fly home after {plan.fly_home_after_hours} h",
                source=plan.fly_home_source,
                place=clinic,
                remind_days=TRAVEL_REMINDER_DAYS,
                group="clinic",
            )
        )
    else:
        out.append(
            Event(
                kind="treatment",
                date=plan.injection,
                title="Treatment",
                note="" if plan.at_home else f"fly home after {plan.fly_home_after_hours} h",
                source=plan.fly_home_source,
                place=clinic,
                remind_days=TRAVEL_REMINDER_DAYS,
                group="clinic",
            )
        )
    for m in plan.steps:
        out.append(
            Event(
                kind=m.id,
                date=m.date,
                title=("Overdue: " if m.overdue else "") + m.name,
                note=_step_note(m),
                source=m.source,
                remind_days=m.remind_days,
                group=_group(m),
                overdue=m.overdue,
            )
        )
    for c in plan.closures:
        title = ("Closed: " if c.certain else "Possibly closed: ") + c.name
        out.append(
            Event(
                kind=f"closed-{c.date.isoformat()}",
                date=c.date,
                title=title,
                source=c.source,
                place=clinic,
                group="closure",
            )
        )
    return sorted(out, key=lambda e: (e.date, day_order(e.kind)))
