"""Every dated event of a plan, once: the terminal table, the calendar file and the HTML page list these.

Each event has a stable `kind` (never its position): a calendar file builds its UIDs from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from tripplan.catalog import Catalog
from tripplan.i18n import _, ngettext
from tripplan.schedule import Plan, Step
from tripplan.wording import place

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
    facts: tuple[str, ...] = ()
    """What the title and note say, as values no language changes (dates, counts, ids): with `kind`, `date`,
    `source`, `remind_days`, `group` and `overdue`, what the calendar's SEQUENCE numbering compares
    (plans.event_digest), so a plan exported in one language and then another keeps its numbers."""


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


def _moved_note(m: Step, names: dict[str, str], dates: dict[str, dt.date]) -> str:
    """Why a step is earlier than its own rule dates it (schedule: Step.moved_by), or ""."""
    if m.moved_from is None or m.moved_by is None:
        return ""
    values = {"own": m.moved_from, "step": names.get(m.moved_by, m.moved_by), "date": dates.get(m.moved_by)}
    if m.moved_gap_days == 0:
        return _("moved earlier from {own}: it comes before “{step}” ({date})").format(**values)
    line = ngettext(
        "moved earlier from {own}: it comes {n} day before “{step}” ({date})",
        "moved earlier from {own}: it comes {n} days before “{step}” ({date})",
        m.moved_gap_days,
    )
    return line.format(**values, n=m.moved_gap_days)


def _step_note(m: Step) -> str:
    if m.overdue:
        return _("overdue — do it now (was due {date})").format(date=m.date)
    if m.kind == "permits" and m.end:
        return _("permitted from {date}; typically by {end}").format(date=m.date, end=m.end)
    if m.kind == "forbids" and m.end:
        return _("from {date} until at least {end}").format(date=m.date, end=m.end)
    return _("until {end}").format(end=m.end) if m.end else ""


def clinic_place(cat: Catalog, plan: Plan) -> str:
    """Where the clinic days happen: the clinic's name and city, else the destination's treatment city."""
    country = cat.countries.get(plan.destination)
    name = country.name if country else plan.destination
    clinic = cat.clinics.get(plan.clinic) if plan.clinic else None
    if clinic is not None:
        return place(clinic.name, clinic.city, name)
    city = country.cities[0] if country and country.cities else ""
    return place(city, name)


def plan_events(cat: Catalog, plan: Plan) -> list[Event]:
    """Every dated item of the plan in date order: travel, clinic days, payments, deadlines, recovery,
    follow-ups and closures, each with its source or note and, where it has one, its place."""
    home, there, clinic = plan.home_airport_place, plan.destination_airport_place, clinic_place(cat, plan)
    out: list[Event] = []
    for i, v in enumerate(plan.visits, 1):
        if plan.at_home:
            continue  # appointments near home: no travel events
        if v.leave_home:
            route = f"{plan.home_airport} → {plan.destination_airport}"
            out.append(
                Event(
                    kind=f"leave-home-{i}",
                    date=v.leave_home,
                    title=_("Leave home: {visit}").format(visit=v.name),
                    note=_("{route}, {hours:g} h").format(route=route, hours=plan.flight_hours)
                    if plan.flight_hours is not None
                    else route,
                    facts=(route, f"{plan.flight_hours}"),
                    place=home,
                    remind_days=TRAVEL_REMINDER_DAYS,
                    group="travel",
                )
            )
        out.append(
            Event(
                kind=f"arrive-{i}",
                date=v.arrive,
                title=_("Arrive: {visit}").format(visit=v.name),
                note=ngettext("{n} night, until {date}", "{n} nights, until {date}", v.nights).format(
                    n=v.nights, date=v.depart
                ),
                facts=(str(v.nights), v.depart.isoformat()),
                place=there,
                group="travel",
            )
        )
        out.append(
            Event(
                kind=f"fly-home-{i}",
                date=v.depart,
                title=_("Fly home: {visit}").format(visit=v.name),
                note=f"{plan.destination_airport} → {plan.home_airport}" if plan.home_airport else "",
                place=there,
                remind_days=TRAVEL_REMINDER_DAYS,
                group="travel",
            )
        )
        if v.arrive_home:
            out.append(
                Event(kind=f"back-home-{i}", date=v.arrive_home, title=_("Back home"), place=home, group="travel")
            )
    out.append(
        Event(
            kind="consultation",
            date=plan.consultation,
            title=_("Consultation at the clinic"),
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
                title=_("Harvest ({cells}); cells go to the lab").format(cells=plan.cell_source),
                note=_("culture {low}-{high} weeks").format(low=w.weeks[0], high=w.weeks[1]),
                facts=(str(w.weeks[0]), str(w.weeks[1])),
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
                title=_("Injection window opens"),
                note=_("first open day, {weeks} weeks after the harvest; closes {date}").format(
                    weeks=w.weeks[0], date=w.latest
                ),
                facts=(str(w.weeks[0]), w.latest.isoformat()),
                source=plan.protocol_source,
                group="clinic",
            )
        )
        out.append(
            Event(
                kind="window-closes",
                date=w.latest,
                title=_("Injection window closes"),
                note=_("last open day, {weeks} weeks after the harvest").format(weeks=w.weeks[1]),
                facts=(str(w.weeks[1]),),
                source=plan.protocol_source,
                group="clinic",
            )
        )
        out.append(
            Event(
                kind="injection",
                date=plan.injection,
                title=_("Injection"),
                note="" if plan.at_home else _("fly home after {hours} h").format(hours=plan.fly_home_after_hours),
                facts=(str(plan.at_home), str(plan.fly_home_after_hours)),
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
                title=_("Treatment"),
                note="" if plan.at_home else _("fly home after {hours} h").format(hours=plan.fly_home_after_hours),
                facts=(str(plan.at_home), str(plan.fly_home_after_hours)),
                source=plan.fly_home_source,
                place=clinic,
                remind_days=TRAVEL_REMINDER_DAYS,
                group="clinic",
            )
        )
    names = {m.id: m.name for m in plan.steps}
    dates = {m.id: m.date for m in plan.steps}
    for m in plan.steps:
        out.append(
            Event(
                kind=m.id,
                date=m.date,
                title=_("Overdue: {step}").format(step=m.name) if m.overdue else m.name,
                note="; ".join(x for x in (_step_note(m), _moved_note(m, names, dates)) if x),
                facts=(m.kind, m.end.isoformat() if m.end else ""),
                source=m.source,
                remind_days=m.remind_days,
                group=_group(m),
                overdue=m.overdue,
            )
        )
    for c in plan.closures:
        title = (_("Closed: {why}") if c.certain else _("Possibly closed: {why}")).format(why=c.name)
        out.append(
            Event(
                kind=f"closed-{c.date.isoformat()}",
                date=c.date,
                title=title,
                source=c.source,
                place=clinic,
                group="closure",
                facts=(str(c.certain),),
            )
        )
    where = {
        home: plan.home_airport or "",
        there: plan.destination_airport,
        clinic: f"{plan.destination} {plan.clinic}",
    }
    out = [replace(e, facts=(*e.facts, where.get(e.place, ""))) for e in out]
    return sorted(out, key=lambda e: (e.date, day_order(e.kind)))
