"""Exports of a plan: an iCalendar file and a TOML file that `--plan` reads back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tripplan.errors import DataError, Problem
from tripplan.frozen import validate
from tripplan.plain import to_plain
from tripplan.schedule import Plan

if TYPE_CHECKING:
    from tripplan.catalog import Catalog

HEADER = "# A tripplan plan. Re-open it with: tripplan schedule --plan FILE\n"
SEQUENCE_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def _drop_none(value: Any) -> Any:
    """TOML has no null: drop None values (the model's defaults bring them back on load)."""
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def _update(doc: Any, data: dict[str, Any]) -> None:
    """Rewrite a tomlkit table in place: keys kept where they were (with their comments), values replaced,
    keys the plan no longer has removed, new keys appended."""
    for key in [k for k in doc if k not in data]:
        del doc[key]
    for key, value in data.items():
        if key in doc and isinstance(value, dict) and hasattr(doc[key], "items"):
            _update(doc[key], value)
        else:
            doc[key] = value


def plan_to_toml(plan: Plan, *, previous: bytes | None = None) -> bytes:
    """The plan as TOML; when it replaces a file (`previous`), that file's comments and layout are kept."""
    data = _drop_none(to_plain(plan))
    if previous is not None:
        import tomlkit

        try:
            doc = tomlkit.parse(previous.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            doc = None  # not a TOML file: written afresh
        if doc is not None:
            _update(doc, data)
            return tomlkit.dumps(doc).encode("utf-8")
    import tomli_w

    return (HEADER + tomli_w.dumps(data)).encode("utf-8")


def plan_from_toml(path: Path) -> Plan:
    """A saved plan, validated: unknown keys (a typo in a hand edit) and wrong types are problems."""
    from pydantic import ValidationError

    from tripplan.loader import read_toml

    doc = read_toml(path.expanduser())
    unknown = [k for k in doc if k not in [f.name for f in dataclasses.fields(Plan)]]
    problems = [Problem(str(path), "unknown key", record="plan", field=k) for k in unknown]
    if doc.get("version", 3) not in (2, 3):
        problems.append(
            Problem(str(path), "is from another version of tripplan (2 or 3 expected)", record="plan", field="version")
        )
    try:
        plan: Plan = validate(Plan, doc)
    except ValidationError as e:
        problems += [
            Problem(str(path), err["msg"], record="plan", field=".".join(str(x) for x in err["loc"]))
            for err in e.errors()
        ]
    if problems:
        raise DataError(problems)
    return plan


def plan_key(plan: Plan) -> str:
    """What identifies a plan across re-exports: who travels from where, to which clinic, on which harvest."""
    who = "|".join(
        str(x) for x in (plan.nationality, plan.home_airport, plan.destination, plan.clinic, plan.harvest.isoformat())
    )
    return hashlib.sha256(who.encode("utf-8")).hexdigest()[:16]


def plan_to_ics(cat: Catalog, plan: Plan, *, now: dt.datetime) -> bytes:
    """Every dated event as a one-day event with its place, source and reminder. UIDs come from the plan's
    identity and the event's kind, so a re-export updates the same events (SEQUENCE grows with time)."""
    import icalendar

    from tripplan.events import plan_events

    cal = icalendar.Calendar()
    cal.add("prodid", "-//tripplan//treatment trip plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Treatment trip: {cat.country_name(plan.destination)}")
    key = plan_key(plan)
    sequence = int((now - SEQUENCE_EPOCH).total_seconds() // 60)
    for e in plan_events(cat, plan):
        ev = icalendar.Event()
        ev.add("uid", f"{e.kind}-{key}@tripplan")
        ev.add("dtstamp", now)
        ev.add("last-modified", now)
        ev.add("sequence", sequence)
        ev.add("summary", e.title)
        ev.add("dtstart", e.date)
        ev.add("dtend", e.date + dt.timedelta(days=1))
        ev.add("transp", "TRANSPARENT")
        ev.add("categories", [e.group])
        words = [e.note] if e.note else []
        words += [f"Source: {e.source}"] if e.source else []
        words += ["Made by tripplan; it gives no medical advice."]
        ev.add("description", "\n".join(words))
        if e.place:
            ev.add("location", e.place)
        if e.remind_days is not None:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Reminder: {e.title}")
            alarm.add("trigger", dt.timedelta(days=-e.remind_days))
            ev.add_component(alarm)
        cal.add_component(ev)
    return bytes(cal.to_ical())
