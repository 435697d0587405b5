"""Saved plans: a plan's identity, the request apart from the record, the rules for re-opening one, and
the calendar's event numbering. Pure: no I/O, no clock; export.py reads and writes the file, cli.py
parses options into `Changes`, calls `open_plan` and renders.

A saved plan is what the user asked (`PlanRequest`) plus what tripplan computed from it (the `Plan`,
kept as its `record`). Re-opening never trusts the record: the plan is recomputed from the request and
today's catalog, and every value where the record differs is listed (`changed_since_saved`).
Identity (issue 24): `id` is random and made once, when a plan is first made (the caller passes a fresh
one in); `revision` grows by one on each save or export that changes the plan, never by the clock.
Calendar UIDs are `<event key>-<plan id>@tripplan`; each event's SEQUENCE grows by one when that event
changes; an event an edit removes is exported once more as cancelled, then forgotten.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

from tripplan.catalog import Catalog
from tripplan.closures import HolidayLookup, public_holidays
from tripplan.dated import FIRST_DAY, LAST_DAY
from tripplan.dateformat import in_prose
from tripplan.errors import TripplanError, UsageError
from tripplan.i18n import DEFAULT, _, current, ngettext
from tripplan.money import Span, fmt_span
from tripplan.plain import to_plain
from tripplan.request import PlanRequest
from tripplan.schedule import LAST_PLAN_DAY, Plan, plan_for
from tripplan.textsafe import HIDDEN, visible
from tripplan.travel import Overrides

FORMAT = 4
"""The saved plan's layout: 4 = request + record + identity + calendar (2 and 3 kept only the plan)."""
DEFAULT_DESTINATION = "JP"  # tripplan's first destination: a new plan without one goes there
DEFAULT_JOINT = "knee"  # the joint of a new plan that names none (as compare defaults)
PATIENT_MAX = 80  # characters of the --patient label
TEXT_MAX = 4000  # characters of any text read back from a saved plan
NUMBER_MAX = 10**12  # a saved number beyond this is not a figure tripplan wrote
LIST_MAX = 2000  # items of any list in a saved plan
IGNORED = ("made_on", "warnings", "request", "version")
"""Record fields never compared on re-open: the day it was made, the warnings (recomputed for today),
the request (kept apart) and the record's own layout number."""


class SavedPlanError(TripplanError):
    """A saved plan that cannot be re-opened: each problem is (field, reason); the CLI names the file."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{f}: {r}" for f, r in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True, kw_only=True)
class Changes:
    """What one command line asks of a plan; None (or an empty `Overrides` field) means not given."""

    harvest: dt.date | None = None
    destination: str | None = None
    clinic: str | None = None
    clinic_country: str | None = None
    """The chosen clinic's country (a clinic decides the destination)."""
    nationality: str | None = None
    joint: str | None = None
    condition: str | None = None
    airport: str | None = None
    companion: bool | None = None
    currency: str | None = None
    culture_weeks: tuple[int, int] | None = None
    inject: dt.date | None = None
    stay_through: bool | None = None
    overrides: Overrides = field(default_factory=Overrides)

    def given(self) -> set[str]:
        """The request fields this command line sets."""
        names = {f.name for f in dataclasses.fields(self) if f.name not in ("overrides", "clinic_country")}
        found = {n for n in names if getattr(self, n) is not None}
        found |= {f"overrides.{f.name}" for f in dataclasses.fields(Overrides) if getattr(self.overrides, f.name)}
        return found | ({"destination"} if self.clinic is not None else set())


@dataclass(frozen=True, slots=True, kw_only=True)
class SentEvent:
    """One calendar event as last exported: its key (the UID's first part), SEQUENCE and a digest of what
    it said; a cancelled one keeps its date and title so the cancellation can be exported."""

    key: str
    sequence: int
    digest: str
    date: dt.date
    title: str
    cancelled: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedPlan:
    """A saved plan file, validated (see export.read_saved)."""

    format: int = FORMAT
    id: str
    """Random, made once when the plan was first made: the calendar UIDs carry it."""
    revision: int
    """1 when made; one more on each save or export that changed the plan."""
    saved_on: dt.date
    patient: str | None = None
    """The coordinator's label for whose plan it is; personal data, never in --json unless asked."""
    language: str = DEFAULT
    """The language the record's words were written in ("en", "zh"): re-opened in another one, only the
    record's facts are compared (see WORDS_IN_RECORD), never its words."""
    record_digest: str = ""
    """SHA-256 of the record as tripplan wrote it: a record that no longer matches was edited by hand."""
    request_digest: str = ""
    """SHA-256 of the request as tripplan wrote it: a request that no longer matches was edited, and the
    record (made from the old request) is not compared."""
    request: PlanRequest
    """What the user asked: edit these to change the plan."""
    record: Plan
    """What tripplan computed: recomputed on re-open, differences listed."""
    calendar: list[SentEvent] = field(default_factory=list)
    """The calendar events as last numbered (for SEQUENCE and cancellations)."""
    safety_actions: list[str] | None = None
    """Ids of the destination's safety actions the catalog listed when the plan was saved (None: not
    recorded, as in earlier layouts)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Difference:
    """One value of the saved record that the recomputation does not give."""

    field: str
    """Dotted path in the record, e.g. cost.total, visits[1].arrive, flight_hours."""
    saved: str
    """The value as the file has it (as text)."""
    recomputed: str
    """The value tripplan computes today and uses (as text)."""
    edited: bool
    """True when the file was edited by hand; False when the catalog (or today) changed the figure."""

    @property
    def said(self) -> str:
        """How the saved value is introduced: a hand edit or an older catalog."""
        return _("the file said") if self.edited else _("saved as")

    def __str__(self) -> str:
        if self.edited:
            text = _("{field}: the file said {saved}; recomputed {recomputed}")
        else:
            text = _("{field}: saved as {saved}; recomputed {recomputed}")
        return text.format(field=self.field, saved=self.saved, recomputed=self.recomputed)


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenedPlan:
    """A plan made or re-opened: the plan, its identity, and what changed since it was saved."""

    plan: Plan
    id: str
    """The plan's identity: random, made once, kept across saves (calendar UIDs start with it)."""
    revision: int
    """One more on each save or export that changes the plan (1 for a new plan)."""
    patient: str | None = None
    """Whose plan it is (--patient), or null; in --json only with --json-patient."""
    saved_on: dt.date | None = None
    """When the re-opened plan was saved (None: a new plan)."""
    earlier_format: int | None = None
    """The layout the file was saved in, when older than FORMAT."""
    changed_since_saved: list[Difference] = field(default_factory=list)
    """Values of the saved record that the recomputation does not give (empty for a new plan)."""
    notes: list[str] = field(default_factory=list)
    """Sentences about the re-open: an older layout, a catalog that changed since the plan was saved."""
    calendar: list[SentEvent] = field(default_factory=list)
    """The calendar numbering the plan was saved with (empty for a new plan)."""
    safety_actions: list[str] = field(default_factory=list)
    """Ids of the destination's safety actions in today's catalog (kept when the plan is saved)."""


def check_patient(label: str | None) -> str | None:
    """The --patient label, trimmed; refused (UsageError, field "patient") when too long, or with a control
    character, a bidirectional control or a zero-width or other invisible character (textsafe.HIDDEN: it is
    shown in calendars and pages, where such a character could display another name, e.g. "Bob\u202eecilA")."""
    if label is None:
        return None
    text = label.strip()
    if not text:
        return None
    if len(text) > PATIENT_MAX:
        raise UsageError(
            _("the patient label is {n} characters; at most {limit}").format(n=len(text), limit=PATIENT_MAX),
            field="patient",
        )
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text):
        raise UsageError(_("the patient label contains a control character"), field="patient")
    hidden = HIDDEN.search(text)
    if hidden:
        raise UsageError(
            _("the patient label contains an invisible or bidirectional character ({character})").format(
                character=visible(hidden.group())
            ),
            field="patient",
        )
    return text


def plan_request(*, cat: Catalog, saved: PlanRequest | None, changes: Changes) -> PlanRequest:
    """The request a command line makes, alone (`saved` None: a new plan) or applied to a saved plan's.

    The re-open rules, one place: a clinic sets the destination (a different destination given with it is
    refused, field "destination"); a new plan needs a harvest day (field "harvest") and goes to
    DEFAULT_DESTINATION for DEFAULT_JOINT unless told otherwise; on a saved plan, a changed destination
    drops the saved clinic unless one is given, a changed harvest, culture window, clinic or destination
    drops the saved injection day (it belonged to the old window) unless one is given, and overrides
    are merged field by field (a fare given now replaces the saved fare; the saved nightly rate stays)."""
    values: dict[str, Any] = {
        f.name: getattr(changes, f.name)
        for f in dataclasses.fields(changes)
        if f.name not in ("overrides", "clinic_country") and getattr(changes, f.name) is not None
    }
    if changes.clinic is not None:
        country = changes.clinic_country or (
            cat.clinics[changes.clinic].country if changes.clinic in cat.clinics else None
        )
        if changes.destination is not None and country is not None and changes.destination != country:
            raise UsageError(
                _("clinic {clinic} is in {country}, not {destination}").format(
                    clinic=changes.clinic, country=country, destination=changes.destination
                ),
                field="destination",
            )
        if country is not None:
            values["destination"] = country
    if saved is None:
        if changes.harvest is None:
            raise UsageError(_("a harvest day is required to make a plan (or re-open a saved one)"), field="harvest")
        return PlanRequest(
            **{"destination": DEFAULT_DESTINATION, "joint": DEFAULT_JOINT, **values, "overrides": changes.overrides}
        )
    moved = values.get("destination", saved.destination) != saved.destination
    if moved and "clinic" not in values:
        values["clinic"] = None
    window = ("harvest", "culture_weeks", "clinic")  # each of these remakes the injection window
    if (moved or any(k in values and values[k] != getattr(saved, k) for k in window)) and "inject" not in values:
        values["inject"] = None
    given = {f.name: getattr(changes.overrides, f.name) for f in dataclasses.fields(Overrides)}
    merged = dataclasses.replace(  # a flag given (--fly-early) only ever turns its option on
        saved.overrides, **{k: v for k, v in given.items() if v is not None and v is not False}
    )
    return dataclasses.replace(saved, **values, overrides=merged)


def request_from_record(plan: Plan) -> PlanRequest:
    """The request of a plan saved before requests were kept (layout 2): what its record says was asked.
    The home airport counts as asked only when tripplan did not assume it."""
    return PlanRequest(
        destination=plan.destination,
        clinic=plan.clinic,
        joint=plan.joint,
        nationality=plan.nationality,
        airport=plan.home_airport if plan.home_assumed is None else None,
        harvest=plan.harvest,
        culture_weeks=plan.culture_weeks,
        inject=plan.injection if plan.injection_window is not None else None,
        stay_through=plan.stay_through,
    )


def record_of(plan: Plan) -> Plan:
    """The plan as kept in a file's record: without its request (the file keeps that apart)."""
    return dataclasses.replace(plan, request=None)


def digest(value: Any) -> str:
    """SHA-256 of a value's strict JSON form (sorted keys): the same data always gives the same digest."""
    text = json.dumps(to_plain(value), sort_keys=True, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _show(value: Any, *, currency: str = "USD") -> str:
    if value is None:
        return _("none")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dict) and {"low", "high"} <= value.keys():
        span = Span(low=int(value["low"]), high=int(value["high"]), open_high=bool(value.get("open_high")))
        return fmt_span(span, str(value.get("currency", currency)))
    if isinstance(value, dict):
        return "; ".join(f"{k} {_show(v)}" for k, v in value.items() if v is not None) or _("none")
    if isinstance(value, list):
        if value and all(isinstance(v, dict) and "date" in v for v in value):
            return ", ".join(str(v["date"]) for v in value)
        return ", ".join(_show(v) for v in value) or _("none")
    return str(value)


def _dated(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and "date" in v for v in value)


def _item(value: dict[str, Any], keys: list[str]) -> str:
    """A dated item as "date key value; …" for `keys`, or "date label" (its name, title or kind)."""
    if keys:
        return f"{value['date']} " + "; ".join(f"{k} {_show(value.get(k))}" for k in keys)
    label = next((value[k] for k in ("name", "title", "what", "key", "kind", "id") if value.get(k)), "")
    return f"{value['date']} {label}".strip()


def _show_pair(saved: Any, fresh: Any, *, currency: str = "USD") -> tuple[str, str]:
    """The saved and recomputed values as a difference shows them. Two lists of dated items (closures,
    steps) show only the items that differ, by date; an item on the same date in both shows only its
    fields that differ (an edited closure name shows both names, not the unchanged dates)."""
    if not (_dated(saved) or _dated(fresh)) or not isinstance(saved, list) or not isinstance(fresh, list):
        return _show(saved, currency=currency), _show(fresh, currency=currency)
    old = [v for v in saved if v not in fresh]
    new = [v for v in fresh if v not in saved]
    shown_old, shown_new = [], []
    for a in old:
        b = next((x for x in new if isinstance(x, dict) and x.get("date") == a.get("date")), None)
        if b is None:
            shown_old.append(_item(a, []))
            continue
        new.remove(b)
        keys = [k for k in dict.fromkeys([*a, *b]) if k != "date" and a.get(k) != b.get(k)]
        shown_old.append(_item(a, keys))
        shown_new.append(_item(b, keys))
    shown_new += [_item(b, []) for b in new]
    return ", ".join(shown_old) or _("none"), ", ".join(shown_new) or _("none")


def _leaf(value: Any) -> bool:
    if isinstance(value, dict):
        return {"low", "high"} <= value.keys()
    if isinstance(value, list):
        return any(isinstance(v, dict) and "date" in v for v in value) or not all(isinstance(v, dict) for v in value)
    return True


def differences(saved: Any, fresh: Any, *, at: str = "") -> list[tuple[str, Any, Any]]:
    """(path, saved value, recomputed value) for every value that differs: records by field, lists of
    records of the same length by position; a money range, a list of dated items or of plain values is
    one value."""
    if saved == fresh:
        return []
    if isinstance(saved, dict) and isinstance(fresh, dict) and not (_leaf(saved) or _leaf(fresh)):
        out = []
        for key in dict.fromkeys([*fresh, *saved]):
            out += differences(saved.get(key), fresh.get(key), at=f"{at}.{key}" if at else str(key))
        return out
    if (
        isinstance(saved, list)
        and isinstance(fresh, list)
        and len(saved) == len(fresh)
        and not (_leaf(saved) or _leaf(fresh))
    ):
        out = []
        for i, (a, b) in enumerate(zip(saved, fresh, strict=True)):
            out += differences(a, b, at=f"{at}[{i}]")
        return out
    return [(at, saved, fresh)]


def _lacked(saved: SavedPlan) -> set[str]:
    """Record fields a plan of an earlier layout did not have: those it holds at their default (empty) value.
    They are not differences (the old layout could not say them); nor is any nested value it holds empty.
    Empty for a plan of the current layout."""
    if saved.format >= FORMAT:
        return set()
    out = {"format"}
    for f in dataclasses.fields(saved.record):
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        if default is not dataclasses.MISSING and getattr(saved.record, f.name) == default:
            out.add(f.name)
    return out


WORDS_IN_RECORD = frozenset(
    {
        "advice",
        "basis",
        "cell_source",
        "check",
        "companion",
        "confirm",
        "counting",
        "destination_airport_place",
        "guarantor",
        "home_airport_place",
        "message",
        "multiple_entry",
        "name",
        "needs",
        "note",
        "notes",
        "periods",
        "publisher",
        "recovery_note",
        "summary",
        "text",
        "title",
        "treatment",
        "unit",
        "warnings",
        "what",
    }
)
"""Fields of a plan's record (at any depth) that hold words in the language the plan was made in, from
tripplan's messages or the catalog's translated text: a record re-opened in another language compares
everything else (dates, figures, ids, codes), never these (tests/test_document_lang.py checks that a plan
made in English and in Chinese differs in these fields only)."""


def facts_only(value: Any) -> Any:
    """A record's plain form without its words (WORDS_IN_RECORD), at any depth."""
    if isinstance(value, dict):
        return {k: facts_only(v) for k, v in value.items() if k not in WORDS_IN_RECORD}
    if isinstance(value, list):
        return [facts_only(v) for v in value]
    return value


def changed_since_saved(saved: SavedPlan, fresh: Plan, *, language: str | None = None) -> list[Difference]:
    """Each record value the recomputation does not give, said in the record's own terms. A value is a hand
    edit only when the file's record digest shows the record was changed after saving; without a digest (an
    earlier layout) a difference is the catalog's or tripplan's, never called an edit. Fields an earlier
    layout lacked (see _lacked) are not differences. A plan saved in another language than `language` (the
    one `fresh` was made in; default: the one being spoken) is compared by its facts alone (facts_only)."""
    lacked = _lacked(saved)
    old = {k: v for k, v in to_plain(saved.record).items() if k not in IGNORED and k not in lacked}
    new = {k: v for k, v in to_plain(fresh).items() if k not in IGNORED and k not in lacked}
    if saved.language != (language or current()):
        old, new = facts_only(old), facts_only(new)
    edited = bool(saved.record_digest) and saved.record_digest != digest(saved.record)
    currency = fresh.cost.home.currency if fresh.cost and fresh.cost.home else "USD"
    out = []
    for path, a, b in differences(old, new):
        if lacked and a in ("", None):  # an earlier layout said nothing here: no disagreement
            continue
        cur = currency if path.startswith("cost.home") else "USD"
        was, now = _show_pair(a, b, currency=cur)
        out.append(Difference(field=path, saved=was, recomputed=now, edited=edited))
    return out


def check_request(*, cat: Catalog, request: PlanRequest) -> list[tuple[str, str]]:
    """The saved request's names and figures, checked as the same options are when typed: each
    problem is (field, reason), the field as `request.NAME`."""
    from tripplan import lookup

    problems: list[tuple[str, str]] = []

    def check(name: str, fn: Any) -> None:
        try:
            fn()
        except UsageError as e:
            problems.append((f"request.{name}", str(e)))

    r = request
    check("destination", lambda: lookup.resolve_country(cat, r.destination, destinations_only=True))
    if r.clinic is not None:
        check("clinic", lambda: lookup.resolve_clinic(cat, r.clinic or ""))
    if r.nationality is not None:
        check("nationality", lambda: lookup.resolve_country(cat, r.nationality or ""))
    if r.airport is not None:
        check("airport", lambda: lookup.resolve_airport(cat, r.airport or ""))
    if r.joint is not None:
        check("joint", lambda: lookup.resolve_joint(cat, r.joint or ""))
    if r.condition is not None:
        check("condition", lambda: lookup.resolve_condition(cat, r.condition or ""))
    if r.currency is not None:
        check("currency", lambda: lookup.resolve_currency(cat, r.currency or ""))
    if not FIRST_DAY <= r.harvest <= LAST_DAY:
        problems.append(("request.harvest", _("{date} is outside the years tripplan plans for").format(date=r.harvest)))
    o = r.overrides
    for name in ("fare", "nightly", "daily", "visa_fee"):
        span = getattr(o, name)
        if span is not None and not 0 <= span.low <= span.high:
            problems.append(
                (
                    f"request.overrides.{name}",
                    _("{low}-{high} is not a range of US dollars").format(low=span.low, high=span.high),
                )
            )
    if o.rate is not None and not (math.isfinite(o.rate) and 0 < o.rate < 1e7):
        problems.append(
            ("request.overrides.rate", _("{rate} is not a positive number of units per US dollar").format(rate=o.rate))
        )
    return problems


EARLIER_SEQUENCE_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
"""Layouts 2 and 3 (to release 922caf3) numbered every exported event's SEQUENCE as the minutes since this
moment at export (export.SEQUENCE_EPOCH of that release)."""


def earlier_plan_id(plan: Plan) -> str:
    """The id a plan of an earlier layout (2 or 3) gets: the key its calendar UIDs carried ("KIND-KEY@tripplan",
    release 922caf3's export.plan_key: the first 16 hexadecimal digits of SHA-256 of
    "nationality|home_airport|destination|clinic|harvest"), so re-exporting it updates the same events."""
    who = "|".join(
        str(x) for x in (plan.nationality, plan.home_airport, plan.destination, plan.clinic, plan.harvest.isoformat())
    )
    return hashlib.sha256(who.encode("utf-8")).hexdigest()[:16]


def earlier_calendar(*, cat: Catalog, record: Plan, today: dt.date) -> list[SentEvent]:
    """The events a plan of an earlier layout exported, numbered past any SEQUENCE that layout could have
    given them (minutes since EARLIER_SEQUENCE_EPOCH up to the end of `today`, or of the day it was made if
    that is later), with a digest no event has:
    the next export updates each one (a greater SEQUENCE, as RFC 5545 3.8.7.4 needs) and cancels those the
    plan no longer has, so none appears twice."""
    from tripplan.events import plan_events

    last = max(today, record.made_on)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    sequence = int((end - EARLIER_SEQUENCE_EPOCH).total_seconds() // 60)
    return [
        SentEvent(key=e.kind, sequence=sequence, digest="0" * 16, date=e.date, title=e.title)
        for e in plan_events(cat, record)
    ]


def open_plan(
    *,
    cat: Catalog,
    saved: SavedPlan | None,
    changes: Changes,
    patient: str | None,
    new_id: str,
    today: dt.date,
    holidays: HolidayLookup = public_holidays,
) -> OpenedPlan:
    """A new plan (`saved` None) or a saved one re-opened: the request (see `plan_request`), the plan
    recomputed from it and today's catalog, and what changed.

    `new_id` is the random id a new plan gets (a plan of an earlier layout has the id its calendar UIDs
    carried, see earlier_plan_id, and its exported events numbered, see earlier_calendar).
    Raises UsageError for what the command line gave (field = the request field) and SavedPlanError
    for what the file's request holds (field = request.NAME), checked by the same rules."""
    patient = check_patient(patient)
    if saved is None:
        request = plan_request(cat=cat, saved=None, changes=changes)
        plan = plan_for(cat=cat, request=request, today=today, holidays=holidays)
        actions = _actions(cat, plan.destination)
        return OpenedPlan(plan=plan, id=new_id, revision=1, patient=patient, safety_actions=actions)
    given = changes.given()
    broken = [
        (f, r) for f, r in check_request(cat=cat, request=saved.request) if f.removeprefix("request.") not in given
    ]
    if broken:
        raise SavedPlanError(broken)
    request = plan_request(cat=cat, saved=saved.request, changes=changes)
    try:
        plan = plan_for(cat=cat, request=request, today=today, holidays=holidays)
    except UsageError as e:
        if e.field in given or (e.field is None and given):
            raise
        raise SavedPlanError([(f"request.{e.field}" if e.field else "request", str(e))]) from None
    request_edited = bool(saved.request_digest) and saved.request_digest != digest(saved.request)
    baseline: Plan | None = None if request_edited else plan
    if baseline is not None and request != saved.request:  # the file is compared with what its own request gives today
        try:
            baseline = plan_for(cat=cat, request=saved.request, today=today, holidays=holidays)
        except UsageError:
            baseline = None  # the saved request alone no longer makes a plan; the new one does
    changed = changed_since_saved(saved, baseline) if baseline is not None else []
    actions = _actions(cat, plan.destination)
    if saved.safety_actions is not None and plan.destination == saved.record.destination:
        changed += _new_actions(cat, saved.safety_actions, actions)
    label = patient if patient is not None else saved.patient
    same = (
        request == saved.request
        and not request_edited
        and not changed
        and label == saved.patient
        and saved.format == FORMAT
    )
    notes = []
    if request_edited:
        notes.append(_("The request in the file was edited since it was saved: the plan was re-made from it."))
    if saved.format < FORMAT:
        notes.append(
            _(
                "This plan was saved by an earlier tripplan (layout {saved}); it was re-made from what it "
                "records and is saved in layout {layout} the next time it is saved."
            ).format(saved=saved.format, layout=FORMAT)
        )
    by_catalog = [d for d in changed if not d.edited]
    by_hand = [d for d in changed if d.edited]
    if by_catalog:
        notes.append(
            ngettext(
                "The catalog (rates, prices, closures, rules or safety actions) changed since this plan was saved "
                "on {date}: {n} value recomputed.",
                "The catalog (rates, prices, closures, rules or safety actions) changed since this plan was saved "
                "on {date}: {n} values recomputed.",
                len(by_catalog),
            ).format(date=in_prose(saved.saved_on), n=len(by_catalog))
        )
    if by_hand:
        notes.append(
            ngettext(
                "The plan's computed values were edited in the file; tripplan uses its own figures ({n} value "
                "differs). Edit the [request] to change the plan.",
                "The plan's computed values were edited in the file; tripplan uses its own figures ({n} values "
                "differ). Edit the [request] to change the plan.",
                len(by_hand),
            ).format(n=len(by_hand))
        )
    return OpenedPlan(
        plan=plan,
        id=saved.id,
        revision=saved.revision if same else saved.revision + 1,
        patient=label,
        saved_on=saved.saved_on,
        earlier_format=saved.format if saved.format < FORMAT else None,
        changed_since_saved=changed,
        notes=notes,
        calendar=(
            earlier_calendar(cat=cat, record=saved.record, today=today)
            if saved.format < FORMAT and not saved.calendar
            else saved.calendar
        ),
        safety_actions=actions,
    )


def to_save(opened: OpenedPlan, *, calendar: list[SentEvent], today: dt.date) -> SavedPlan:
    """What `--save` writes: the request, the record (with its digest) and the identity."""
    request = opened.plan.request
    if request is None:  # plan_for always records its request
        raise ValueError("a plan to save must carry its request")  # a programming error, never shown
    record = record_of(opened.plan)
    return SavedPlan(
        id=opened.id,
        revision=opened.revision,
        saved_on=today,
        patient=opened.patient,
        language=current(),
        record_digest=digest(record),
        request_digest=digest(request),
        request=request,
        record=record,
        calendar=calendar,
        safety_actions=opened.safety_actions,
    )


def _actions(cat: Catalog, destination: str) -> list[str]:
    return [a.id for a in cat.safety_actions if a.country == destination]


def _new_actions(cat: Catalog, before: list[str], now: list[str]) -> list[Difference]:
    """The destination's safety actions the catalog lists now and did not when the plan was saved."""
    new = [a for a in cat.safety_actions if a.id in set(now) - set(before)]
    if not new:
        return []
    listed = "; ".join(f"{a.date} {a.authority}: {a.action} [{', '.join(a.sources)}]" for a in new)
    return [
        Difference(
            field="safety_actions",
            saved=_("{n} listed").format(n=len(before)),
            recomputed=_("{n} listed, new: {actions}").format(n=len(now), actions=listed),
            edited=False,
        )
    ]


WORDS = ("title", "note", "place")
"""An event's fields that are words in the language being spoken: not compared (its `facts` stand for them)."""


def event_digest(event: Any, patient: str | None) -> str:
    """What an exported event said, in values no language changes: its fields but the words (WORDS), the
    values its words were made from (events.Event.facts) and the patient label shown in it. So an event
    exported in English and then in Chinese keeps its SEQUENCE; a changed date, count or place renumbers it."""
    plain = {k: v for k, v in to_plain(event).items() if k not in WORDS}
    return digest({"event": plain, "patient": patient})[:16]


def number_events(*, events: list[Any], previous: list[SentEvent], patient: str | None) -> list[SentEvent]:
    """The SEQUENCE of every event of the plan, from the numbering it was saved with: a new event 0, an
    unchanged one as before, a changed one one more; an event of `previous` the plan no longer has is
    listed once more, cancelled, one more (a calendar importing it drops the event); one cancelled
    before is forgotten. `events` are events.Event (key = `kind`). Never reads a clock."""
    before = {s.key: s for s in previous}
    out = []
    for e in events:
        d = event_digest(e, patient)
        p = before.get(e.kind)
        if p is None:
            seq = 0
        elif p.cancelled or p.digest != d:
            seq = p.sequence + 1
        else:
            seq = p.sequence
        out.append(SentEvent(key=e.kind, sequence=seq, digest=d, date=e.date, title=e.title))
    now = {e.kind for e in events}
    out += [
        dataclasses.replace(p, sequence=p.sequence + 1, cancelled=True)
        for p in previous
        if p.key not in now and not p.cancelled
    ]
    return out


def bad_values(value: Any, *, at: str = "") -> list[tuple[str, str]]:
    """Every value of a saved plan that is not data tripplan could have written: text with a control
    character or longer than TEXT_MAX, a number that is not finite or beyond NUMBER_MAX, a date outside
    the years tripplan plans for, a list longer than LIST_MAX. Each is (field path, reason)."""
    out: list[tuple[str, str]] = []
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            out += bad_values(getattr(value, f.name), at=f"{at}.{f.name}" if at else f.name)
    elif isinstance(value, list | tuple):
        if len(value) > LIST_MAX:
            out.append((at, _("{n} items; at most {limit}").format(n=len(value), limit=LIST_MAX)))
        else:
            for i, v in enumerate(value):
                out += bad_values(v, at=f"{at}[{i}]")
    elif isinstance(value, str):
        if len(value) > TEXT_MAX:
            out.append((at, _("{n} characters; at most {limit}").format(n=len(value), limit=TEXT_MAX)))
        elif any((ord(c) < 32 and c not in "\n\t") or 127 <= ord(c) < 160 for c in value):
            out.append((at, _("contains a control character (such as a terminal escape); remove it")))
    elif isinstance(value, bool):
        pass
    elif isinstance(value, float):
        if not math.isfinite(value):
            out.append((at, _("{value} is not a finite number").format(value=value)))
        elif abs(value) > NUMBER_MAX:
            out.append((at, _("{value} is beyond {limit}").format(value=f"{value:g}", limit=f"{NUMBER_MAX:,}")))
    elif isinstance(value, int):
        if abs(value) > NUMBER_MAX:
            out.append((at, _("{value} is beyond {limit}").format(value=value, limit=f"{NUMBER_MAX:,}")))
    elif isinstance(value, dt.date) and not FIRST_DAY <= value <= LAST_PLAN_DAY:  # follow-ups run past the harvest
        out.append(
            (
                at,
                _("{date} is outside the dates a plan may hold ({first} to {last})").format(
                    date=value, first=FIRST_DAY, last=LAST_PLAN_DAY
                ),
            )
        )
    return out


def json_view(opened: OpenedPlan, *, with_patient: bool) -> dict[str, Any]:
    """The plan as `--json` prints it: the plan's keys, then its identity and what changed since it was
    saved; the patient label only when asked (it is personal data)."""
    data: dict[str, Any] = to_plain(opened.plan)
    data["plan_id"] = opened.id
    data["revision"] = opened.revision
    data["saved_on"] = opened.saved_on.isoformat() if opened.saved_on else None
    data["changed_since_saved"] = to_plain(opened.changed_since_saved)
    data["notes"] = list(opened.notes)
    if with_patient:
        data["patient"] = opened.patient
    return data
