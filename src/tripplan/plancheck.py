"""The rules every plan keeps, the same ones `schedule` enforces when it makes a plan: a property test
checks every plan schedule makes against them. (A saved plan is not trusted but recomputed from its
request on re-open: see plans.py.) Each broken rule is a (field, reason) pair."""

from __future__ import annotations

import datetime as dt
import math

from tripplan.catalog import Catalog
from tripplan.closures import HolidayLookup, closures, is_open, public_holidays
from tripplan.dated import FIRST_DAY, LAST_DAY
from tripplan.schedule import LAST_PLAN_DAY, Plan

Broken = tuple[str, str]


def _in_range(plan: Plan) -> list[Broken]:
    """Harvest days in the years tripplan plans for; every other date up to LAST_PLAN_DAY, as schedule
    writes them (follow-ups of a late harvest run into the next years)."""
    broken: list[Broken] = []
    if not FIRST_DAY <= plan.harvest <= LAST_DAY:
        broken.append(
            ("harvest", f"{plan.harvest} is outside the years tripplan plans for ({FIRST_DAY} to {LAST_DAY})")
        )
    days: list[tuple[str, dt.date | None]] = [
        ("injection", plan.injection),
        ("consultation", plan.consultation),
    ]
    for i, v in enumerate(plan.visits):
        days += [(f"visits[{i}].{k}", getattr(v, k)) for k in ("leave_home", "arrive", "depart", "arrive_home")]
    days += [(f"steps[{i}].date", s.date) for i, s in enumerate(plan.steps)]
    return broken + [
        (name, f"{day} is outside the dates a plan may hold ({FIRST_DAY} to {LAST_PLAN_DAY})")
        for name, day in days
        if day is not None and not FIRST_DAY <= day <= LAST_PLAN_DAY
    ]


def _visits(plan: Plan) -> list[Broken]:
    out: list[Broken] = []
    if not plan.visits:
        return [("visits", "a plan needs at least one visit")]
    for i, v in enumerate(plan.visits):
        at = f"visits[{i}]"
        if v.depart < v.arrive:
            out.append((f"{at}.depart", f"{v.name}: leaves on {v.depart}, before it arrives on {v.arrive}"))
        if (v.depart - v.arrive).days != v.nights:
            out.append(
                (
                    f"{at}.nights",
                    f"{v.name}: {v.nights} nights, but {v.arrive} to {v.depart} is {(v.depart - v.arrive).days}",
                )
            )
        if v.leave_home is not None and v.leave_home > v.arrive:
            out.append((f"{at}.leave_home", f"{v.name}: leaves home on {v.leave_home}, after arriving on {v.arrive}"))
        if v.arrive_home is not None and v.arrive_home < v.depart:
            out.append(
                (f"{at}.arrive_home", f"{v.name}: back home on {v.arrive_home}, before flying home on {v.depart}")
            )
    for i, (a, b) in enumerate(zip(plan.visits, plan.visits[1:], strict=False)):
        if b.arrive <= a.depart:
            out.append(
                (f"visits[{i + 1}].arrive", f"{b.name} arrives on {b.arrive}, before {a.name} ends on {a.depart}")
            )
    return out


def _treatment(plan: Plan) -> list[Broken]:
    out: list[Broken] = []
    first, last = plan.visits[0], plan.visits[-1]
    if not first.arrive <= plan.consultation <= plan.harvest:
        out.append(
            (
                "consultation",
                f"the consultation ({plan.consultation}) must fall between the arrival ({first.arrive}) and the harvest ({plan.harvest})",
            )
        )
    if not first.arrive <= plan.harvest <= first.depart:
        out.append(
            ("harvest", f"the harvest ({plan.harvest}) is not during {first.name} ({first.arrive} to {first.depart})")
        )
    if plan.injection < plan.harvest:
        out.append(("injection", f"the injection ({plan.injection}) is before the harvest ({plan.harvest})"))
    if not last.arrive <= plan.injection <= last.depart:
        out.append(
            (
                "injection",
                f"the injection ({plan.injection}) is not during {last.name} ({last.arrive} to {last.depart})",
            )
        )
    if not plan.at_home and plan.harvest >= first.depart:
        out.append(
            (
                "visits",
                f"{first.name} flies home on {first.depart}, the day of the harvest ({plan.harvest}) or before it; "
                f"the earliest flight home is {plan.after_harvest_days} day(s) after it [{plan.after_harvest_source}]",
            )
        )
    rest = math.ceil(plan.fly_home_after_hours / 24)
    if last.depart < plan.injection + dt.timedelta(days=rest):
        out.append(
            (
                "visits",
                f"{last.name} flies home on {last.depart}, less than {plan.fly_home_after_hours} h after the injection on {plan.injection} [{plan.fly_home_source}]",
            )
        )
    w = plan.injection_window
    if w is not None:
        weeks = plan.culture_weeks or w.weeks
        lo, hi = plan.harvest + dt.timedelta(weeks=weeks[0]), plan.harvest + dt.timedelta(weeks=weeks[1])
        if not lo <= w.earliest <= w.latest <= hi:
            out.append(
                (
                    "injection_window",
                    f"the window {w.earliest} to {w.latest} is not inside {weeks[0]}-{weeks[1]} weeks after the harvest ({lo} to {hi})",
                )
            )
        if not w.earliest <= plan.injection <= w.latest:
            out.append(
                (
                    "injection",
                    f"the injection ({plan.injection}) is outside the injection window {w.earliest} to {w.latest}",
                )
            )
    elif plan.trips == 2 and not plan.stay_through:
        out.append(("injection_window", "a two-visit plan needs its injection window"))
    return out


def _known(cat: Catalog, plan: Plan) -> list[Broken]:
    out: list[Broken] = []
    if plan.destination not in cat.countries:
        out.append(("destination", f"unknown destination '{plan.destination}'"))
    if plan.clinic is not None and plan.clinic not in cat.clinics:
        out.append(("clinic", f"unknown clinic '{plan.clinic}' (not in the shipped data nor in yours)"))
    if plan.nationality is not None and plan.nationality not in cat.country_names:
        out.append(("nationality", f"unknown country code '{plan.nationality}'"))
    return out


def _request(plan: Plan) -> list[Broken]:
    """The recorded request must describe this plan (options given with --plan re-make it from there)."""
    r = plan.request
    if r is None:
        return []
    return [
        (f"request.{name}", f"{getattr(r, name)} differs from the plan's {name} {getattr(plan, name)}")
        for name in ("destination", "clinic", "harvest")
        if getattr(r, name) != getattr(plan, name)
    ]


def check_plan(*, cat: Catalog, plan: Plan, holidays: HolidayLookup = public_holidays) -> list[Broken]:
    """Every rule the plan breaks; an empty list for a plan schedule could have made."""
    broken = _in_range(plan) or (_visits(plan) + _known(cat, plan))
    if broken:
        return broken  # the checks below rely on sane visits, dates and names
    broken = _treatment(plan)
    country = cat.countries[plan.destination]
    clinic = cat.clinics.get(plan.clinic) if plan.clinic else None
    closed = closures(country, clinic, range(plan.harvest.year - 1, plan.injection.year + 2), holidays)
    for name, day in (("harvest", plan.harvest), ("injection", plan.injection)):
        if not is_open(day, closed):
            broken.append((name, f"the clinic is closed on {day} ({closed[day].name})"))
    return broken + _request(plan)
