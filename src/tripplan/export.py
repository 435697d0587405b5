"""Exports of a plan: an iCalendar file, and the saved plan (TOML) that `--plan` reads back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tripplan.errors import DataError, Problem, UsageError
from tripplan.frozen import validate
from tripplan.i18n import N_, _
from tripplan.plain import to_plain
from tripplan.plans import (
    FORMAT,
    PATIENT_MAX,
    OpenedPlan,
    SavedPlan,
    SentEvent,
    bad_values,
    earlier_plan_id,
    record_of,
    request_from_record,
)
from tripplan.schedule import Plan

if TYPE_CHECKING:
    from tripplan.catalog import Catalog

# the saved file's comments (one line each, written as "# <text>")
HEADER = N_("A tripplan plan. Re-open it with: tripplan schedule --plan FILE")
REQUEST_NOTE = N_("What was asked: edit these to change the plan (re-open it to see the result).")
RECORD_NOTE = N_(
    "What tripplan computed from the request. Recomputed on re-open; a value edited here is listed, not used."
)


def _comment(text: str) -> str:
    """A comment line of the saved file, in the language being spoken."""
    return f"# {_(text)}\n"


ID = re.compile(r"[0-9a-f]{8,64}")  # the plan id goes into every calendar UID
EVENT_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")  # events.Event.kind: the first part of a calendar UID
DIGEST = re.compile(r"[0-9a-f]{16}")  # plans.event_digest
SEQUENCE_MAX = 2**31 - 1  # RFC 5545 3.8.7.4: SEQUENCE is a non-negative integer (icalendar's INTEGER is 32-bit)
PLAN_MAX_BYTES = 2 * 1024 * 1024  # a saved plan is a few kilobytes; anything this big is not one


def _drop_none(value: Any) -> Any:
    """TOML has no null: drop None values (the model's defaults bring them back on load)."""
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def _unwrapped(item: Any) -> Any:
    return item.unwrap() if hasattr(item, "unwrap") else item


def _update(doc: Any, data: dict[str, Any]) -> None:
    """Rewrite a tomlkit table in place: a value that did not change is not touched (its comments,
    multi-line layout and blank lines stay), tables and arrays of tables are rewritten entry by entry,
    a changed value is replaced where it was (its trailing comment kept), keys the plan no longer has
    are removed, new keys appended."""
    import tomlkit.items

    for key in [k for k in doc if k not in data]:
        del doc[key]
    for key, value in data.items():
        if key not in doc:
            doc[key] = value
            continue
        current = doc[key]
        if isinstance(value, dict) and isinstance(current, tomlkit.items.Table | tomlkit.items.InlineTable):
            _update(current, value)
        elif (
            isinstance(value, list)
            and value
            and isinstance(current, tomlkit.items.AoT)
            and all(isinstance(v, dict) for v in value)
        ):
            for table, new in zip(current, value, strict=False):
                _update(table, new)
            while len(current) > len(value):
                del current[len(current) - 1]
            for new in value[len(current) :]:
                current.append(new)
        elif _unwrapped(current) != value:
            doc[key] = value


def saved_to_toml(saved: SavedPlan, *, previous: bytes | None = None) -> bytes:
    """The saved plan as TOML; when it replaces a file (`previous`), that file's comments and layout are
    kept wherever the values under them did not change."""
    data = _drop_none(to_plain(saved))
    if previous is not None:
        import tomlkit

        try:
            doc = tomlkit.parse(previous.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            doc = None  # not a TOML file: written afresh
        if doc is not None and "format" in doc:  # an earlier layout is written afresh in this one
            _update(doc, data)
            return tomlkit.dumps(doc).encode("utf-8")
    import tomli_w

    text = tomli_w.dumps(data)
    text = text.replace("\n[request]\n", "\n" + _comment(REQUEST_NOTE) + "[request]\n", 1)
    text = text.replace("\n[record]\n", "\n" + _comment(RECORD_NOTE) + "[record]\n", 1)
    return (_comment(HEADER) + text).encode("utf-8")


def _unknown(raw: Any, plain: Any, at: str = "") -> list[str]:
    """Keys of the file that the validated plan has no place for (a typo in a hand edit)."""
    out: list[str] = []
    if isinstance(raw, dict) and isinstance(plain, dict):
        for key, value in raw.items():
            where = f"{at}.{key}" if at else key
            if key not in plain:
                out.append(where)
            else:
                out += _unknown(value, plain[key], where)
    elif isinstance(raw, list) and isinstance(plain, list):
        for i, (a, b) in enumerate(zip(raw, plain, strict=False)):
            out += _unknown(a, b, f"{at}[{i}]")
    return out


def _wrong_types(raw: Any, plain: Any, at: str = "") -> list[tuple[str, str]]:
    """Values the validation accepted only by converting them (pydantic's lax mode reads "yes" as true and
    "3" as 3): a true/false field must be true or false, a whole number a TOML integer, a number a TOML
    number. Each is (field path, reason)."""
    out: list[tuple[str, str]] = []
    if isinstance(raw, dict) and isinstance(plain, dict):
        for key, value in raw.items():
            if key in plain:
                out += _wrong_types(value, plain[key], f"{at}.{key}" if at else key)
    elif isinstance(raw, list) and isinstance(plain, list):
        for i, (a, b) in enumerate(zip(raw, plain, strict=False)):
            out += _wrong_types(a, b, f"{at}[{i}]")
    elif isinstance(plain, bool):
        if not isinstance(raw, bool):
            out.append((at, _("{value} is not true or false").format(value=repr(raw))))
    elif isinstance(plain, int):
        if isinstance(raw, bool) or not isinstance(raw, int):
            shown = f"{raw:g}" if isinstance(raw, float) else repr(raw)
            out.append((at, _("{value} is not a whole number: write it in digits only, e.g. 1500").format(value=shown)))
    elif isinstance(plain, float) and (isinstance(raw, bool) or not isinstance(raw, int | float)):
        out.append((at, _("{value} is not a number").format(value=repr(raw))))
    return out


def _calendar_problems(calendar: list[SentEvent]) -> list[tuple[str, str]]:
    """The [[calendar]] entries as tripplan writes them: an event key (it becomes a calendar UID), a
    SEQUENCE of 0 or more (RFC 5545 3.8.7.4) and a 16-digit digest. Each is (field path, reason)."""
    out: list[tuple[str, str]] = []
    for i, s in enumerate(calendar):
        if not EVENT_KEY.fullmatch(s.key):
            out.append((f"calendar[{i}].key", _("is not an event key (lowercase letters, digits and hyphens)")))
        if not 0 <= s.sequence <= SEQUENCE_MAX:
            out.append(
                (
                    f"calendar[{i}].sequence",
                    _("{n} is not a SEQUENCE (0 to {limit})").format(n=s.sequence, limit=f"{SEQUENCE_MAX:,}"),
                )
            )
        if not DIGEST.fullmatch(s.digest):
            out.append((f"calendar[{i}].digest", _("is not a digest tripplan made (16 hexadecimal digits)")))
    keys = [s.key for s in calendar]
    out += [
        (f"calendar[{keys.index(k, keys.index(k) + 1)}].key", _("{key} is listed twice").format(key=repr(k)))
        for k in dict.fromkeys(k for k in keys if keys.count(k) > 1)
    ]
    return out


def read_saved(path: Path, *, new_id: str) -> SavedPlan:
    """A saved plan, read as data: at most PLAN_MAX_BYTES, parsed, validated field by field (unknown
    keys, wrong types (a value only a conversion made valid too), control characters, calendar entries
    that are not event keys, SEQUENCEs and digests, numbers that are not finite, dates outside the years
    tripplan plans for: each a Problem naming the field). A plan saved in an earlier layout (2 or 3:
    the plan alone) is read as its record, with the request it kept or, failing that, the one its
    record implies; it gets the id its calendar UIDs carried (plans.earlier_plan_id; `new_id` is unused), and its `format` says which layout it came from."""
    from pydantic import ValidationError

    from tripplan.files import ReadError, read_regular
    from tripplan.loader import read_toml

    path = path.expanduser()
    if not path.exists() and not path.is_symlink():
        raise UsageError(
            _("there is no plan file {path}: give the file a plan was saved to").format(path=path), field="plan"
        )
    try:
        raw = read_regular(path, limit=PLAN_MAX_BYTES)
    except ReadError as e:
        raise DataError([Problem(str(path), str(e).removeprefix(f"{path} "))]) from None
    doc = read_toml(path, raw)
    earlier = "format" not in doc
    problems: list[Problem] = []

    def problem(field: str, message: str) -> None:
        problems.append(Problem(str(path), message, record="plan", field=field))

    if earlier:
        kind: Any = Plan
        problems += [
            Problem(str(path), _("unknown key"), record="plan", field=k)
            for k in doc
            if k not in [f.name for f in dataclasses.fields(Plan)]
        ]
        if doc.get("version", 3) not in (2, 3):
            problem(
                "version", _("is from another version of tripplan ({layout}, 3 or 2 expected)").format(layout=FORMAT)
            )
    else:
        kind = SavedPlan
        if doc.get("format") != FORMAT:
            problem("format", _("is from another version of tripplan (layout {layout} expected)").format(layout=FORMAT))
    if problems:
        raise DataError(problems)
    try:
        value = validate(kind, doc)
    except ValidationError as e:
        from tripplan.loader import pydantic_said

        for err in e.errors():
            problem(".".join(str(x) for x in err["loc"]), pydantic_said(err))
        raise DataError(problems) from None
    for field, reason in _wrong_types(doc, to_plain(value)):
        problem(field, reason)
    if not earlier:
        for key in _unknown(doc, to_plain(value)):
            problem(key, _("unknown key"))
        for field, reason in _calendar_problems(value.calendar):
            problem(field, reason)
        if not ID.fullmatch(value.id):
            problem("id", _("is not a plan id tripplan made (8 to 64 lowercase hexadecimal digits)"))
        if value.patient is not None and len(value.patient) > PATIENT_MAX:
            problem("patient", _("{n} characters; at most {limit}").format(n=len(value.patient), limit=PATIENT_MAX))
        if value.revision < 1:
            problem("revision", _("{n} is not a revision (1 or more)").format(n=value.revision))
    for field, reason in bad_values(value):
        problem(field, reason)
    if problems:
        raise DataError(problems)
    if not earlier:
        saved: SavedPlan = value
        return saved
    plan: Plan = value
    return SavedPlan(
        format=int(doc.get("version", 3)),
        id=earlier_plan_id(plan),
        revision=1,
        saved_on=plan.made_on,
        request=plan.request or request_from_record(plan),
        record=record_of(plan),
    )


def plan_to_ics(cat: Catalog, opened: OpenedPlan, numbered: list[SentEvent], *, now: dt.datetime) -> bytes:
    """Every dated event as a one-day event with its place, source and reminder. The UID is the event's
    stable key and the plan's id, the SEQUENCE the event's number in `numbered` (plans.number_events);
    events `numbered` lists as cancelled are written once more with STATUS:CANCELLED. `now` is only the
    DTSTAMP (RFC 5545 requires one); nothing is numbered by the clock. Text is escaped as RFC 5545
    section 3.3.11 requires (backslash, semicolon, comma, newline: by icalendar); control, bidirectional
    and zero-width characters, which TEXT may not or should not hold, are written as visible escapes
    first (textsafe.visible)."""
    import icalendar

    from tripplan.events import plan_events
    from tripplan.textsafe import visible  # RFC 5545 TEXT allows no control character; icalendar escapes the rest

    plan = opened.plan
    sequence = {s.key: s.sequence for s in numbered}
    destination = cat.country_name(plan.destination)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//tripplan//treatment trip plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if opened.patient:
        name = _("Treatment trip: {country} — {patient}").format(country=destination, patient=opened.patient)
    else:
        name = _("Treatment trip: {country}").format(country=destination)
    cal.add("x-wr-calname", visible(name))
    for e in plan_events(cat, plan):
        ev = icalendar.Event()
        ev.add("uid", f"{e.kind}-{opened.id}@tripplan")
        ev.add("dtstamp", now)
        ev.add("sequence", sequence.get(e.kind, 0))
        ev.add("summary", visible(e.title))
        day = plan.made_on + dt.timedelta(days=1) if e.overdue else e.date  # never a reminder in the past
        ev.add("dtstart", day)
        ev.add("dtend", day + dt.timedelta(days=1))
        ev.add("transp", "TRANSPARENT")
        ev.add("categories", [visible(e.group)])
        words = [e.note] if e.note else []
        words += [_("Source: {source}").format(source=e.source)] if e.source else []
        words += [_("Plan for: {patient}").format(patient=opened.patient)] if opened.patient else []
        words += [_("Made by tripplan; it gives no medical advice.")]
        ev.add("description", visible("\n".join(words)))
        if e.place:
            ev.add("location", visible(e.place))
        if e.remind_days is not None:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", visible(_("Reminder: {event}").format(event=e.title)))
            # an overdue step, moved to the day after the plan was made, reminds on that day, never before it
            alarm.add("trigger", dt.timedelta(days=0 if e.overdue else -e.remind_days))
            ev.add_component(alarm)
        cal.add_component(ev)
    for s in numbered:
        if not s.cancelled:
            continue
        ev = icalendar.Event()
        ev.add("uid", f"{s.key}-{opened.id}@tripplan")
        ev.add("dtstamp", now)
        ev.add("sequence", s.sequence)
        ev.add("status", "CANCELLED")
        ev.add("summary", visible(_("Cancelled: {event}").format(event=s.title)))
        ev.add("dtstart", s.date)
        ev.add("dtend", s.date + dt.timedelta(days=1))
        ev.add("transp", "TRANSPARENT")
        ev.add("description", _("No longer in the plan (the plan was changed)."))
        cal.add_component(ev)
    return bytes(cal.to_ical())
