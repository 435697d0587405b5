"""Exports of a plan: an iCalendar file and a TOML file that `--plan` reads back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tripplan.errors import DataError, Problem
from tripplan.schedule import FIRST_DAY, LAST_DAY, Plan


def _drop_none(value: Any) -> Any:
    """TOML has no null: drop None values (the model's defaults bring them back on load)."""
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def plan_to_toml(plan: Plan) -> bytes:
    import tomli_w

    header = "# A tripplan plan. Re-open it with: tripplan schedule --plan FILE\n"
    return (header + tomli_w.dumps(_drop_none(plan.model_dump(mode="json")))).encode("utf-8")


def plan_from_toml(path: Path) -> Plan:
    from tripplan.loader import read_toml

    doc = read_toml(path.expanduser())
    try:
        plan = Plan.model_validate(doc)
    except ValidationError as e:
        problems = [
            Problem(str(path), err["msg"], record="plan", field=".".join(str(x) for x in err["loc"]))
            for err in e.errors()
        ]
        raise DataError(problems) from None
    dates = [plan.harvest, plan.injection, plan.consultation, *(d for v in plan.visits for d in (v.arrive, v.depart))]
    if any(not FIRST_DAY <= d <= LAST_DAY for d in dates):
        raise DataError(
            [
                Problem(
                    str(path),
                    f"has dates outside {FIRST_DAY} to {LAST_DAY}, the years tripplan plans for",
                    record="plan",
                )
            ]
        )
    return plan


def plan_to_ics(plan: Plan, *, now: dt.datetime) -> bytes:
    """Both visits, the injection, its window and the milestones as all-day events."""
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", "-//tripplan//treatment trip plan//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Treatment trip: {plan.destination}")

    def event(uid: str, summary: str, start: dt.date, end: dt.date | None = None, description: str = "") -> None:
        ev = icalendar.Event()
        ev.add("uid", f"{uid}-{plan.harvest.isoformat()}@tripplan")
        ev.add("dtstamp", now)
        ev.add("summary", summary)
        ev.add("dtstart", start)
        ev.add("dtend", (end or start) + dt.timedelta(days=1))
        if description:
            ev.add("description", description)
        cal.add_component(ev)

    for i, v in enumerate(plan.visits, 1):
        if v.leave_home:
            event(
                f"leave-{i}",
                f"Leave home ({v.name})",
                v.leave_home,
                description=f"Fly {plan.home_airport} to {plan.destination_airport}",
            )
        event(f"visit-{i}", f"{v.name} in {plan.destination}", v.arrive, v.depart, f"{v.nights} nights")
    event("consultation", "Consultation at the clinic", plan.consultation)
    if plan.trips == 2:
        event("harvest", "Harvest of the cells", plan.harvest, description=plan.cell_source)
    if plan.injection_window:
        w = plan.injection_window
        event("window", "Injection window", w.earliest, w.latest, f"{w.weeks[0]}-{w.weeks[1]} weeks of culture")
    event("injection", "Injection of the cells" if plan.trips == 2 else "Treatment", plan.injection)
    for m in plan.steps:
        event(m.id, m.name, m.date, m.end, f"Source: {m.source}")
    return bytes(cal.to_ical())
