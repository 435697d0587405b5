"""The plan document's content: what the HTML page shows, taken from the plan (the resolved trip) and the
catalog, never recomputed. Pure: no I/O; the page itself is rendered in render/html.py."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from tripplan.catalog import Catalog
from tripplan.dateformat import day_long, day_short
from tripplan.events import Event, clinic_place, plan_events
from tripplan.i18n import DEFAULT, N_, _, current, ngettext
from tripplan.marks import MARKS, day_marks
from tripplan.models import RuleChange, SafetyAction, SourceFigure
from tripplan.money import Span, fmt_span
from tripplan.redflags import Flag
from tripplan.safety import SafetySummary
from tripplan.schedule import Plan
from tripplan.sources import DataSetAge, data_set_ages
from tripplan.travel import OptionalLine, optional_lines
from tripplan.trip import destination_figures, home_rules
from tripplan.wording import FLIGHT_TIMES, at_home_label, counted_span, fmt_home, rate_line


@dataclass(frozen=True, slots=True, kw_only=True)
class Day:
    day: int | None
    state: str | None = None
    letter: str = ""
    label: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Month:
    title: str
    weeks: list[list[Day]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Bar:
    label: str
    low: int
    high: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceRow:
    id: str
    title: str
    publisher: str
    kind: str
    date: dt.date | None
    date_text: str
    """The date as precisely as the source gives it (2025-03-05, 2025-03, 2025 or undated)."""
    age_days: int | None
    url: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    title: str
    made_on: dt.date
    version: str
    disclaimer: str
    plan: Plan
    destination_name: str
    nationality_name: str | None
    place: str
    glance: list[tuple[str, str]]
    months: list[Month]
    legend: list[tuple[str, str, str]]
    events: list[Event]
    bars: list[Bar]
    bar_top: int
    flags: list[Flag]
    """The chosen clinic's red flags as the plan computed them, most serious first."""
    safety: SafetySummary | None
    """The destination's safety summary as the plan computed it (none in a plan saved without one)."""
    actions: list[SafetyAction]
    doctor: list[tuple[str, str]]
    follow_ups: list[Event]
    sources: list[SourceRow]
    data_sets: list[DataSetAge]
    """How old each data set behind the plan is (visa matrix, rates, safety record, currencies, holidays)."""
    figures: list[SourceFigure]
    """The sources' figures for the destination beside their prices."""
    home_rules: list[RuleChange]
    """What a patient may get at home (e.g. a US state's law), with its sources."""
    optional_lines: list[OptionalLine]
    """Costs the sources name without a price (e.g. a medical interpreter)."""
    assumptions: list[str]
    home_total: str
    """The whole trip in the home currency ("" when it is in USD)."""
    rate: str
    """How that figure was converted: rate, source, date."""
    changed: list[str] = field(default_factory=list)
    """What the saved plan said that the recomputation does not give (plans.Difference, as sentences)."""
    saved_on: dt.date | None = None
    lang: str = "en"
    """The page's language tag (BCP 47, its `<html lang>`), from the language's catalog."""
    translated: bool = False
    """The page is in another language than the reference English (it then says so)."""


def language_tag() -> str:
    """The language tag (BCP 47) of the language being spoken, from its catalog: "en", "zh-Hans"."""
    # TRANSLATORS: not words: this language's BCP 47 tag for the plan page's <html lang="…"> (Simplified
    # Chinese: zh-Hans)
    return _("en")


# TRANSLATORS: a month calendar's heading (Chinese: {year}年1月 … {year}年12月)
MONTH_TITLES = (
    N_("January {year}"),
    N_("February {year}"),
    N_("March {year}"),
    N_("April {year}"),
    N_("May {year}"),
    N_("June {year}"),
    N_("July {year}"),
    N_("August {year}"),
    N_("September {year}"),
    N_("October {year}"),
    N_("November {year}"),
    N_("December {year}"),
)


def month_title(year: int, month: int) -> str:
    """A month calendar's heading: "March 2027" (zh: 2027年3月)."""
    return _(MONTH_TITLES[month - 1]).format(year=year)


def _months(plan: Plan) -> list[Month]:
    marks = day_marks(plan)
    first = plan.visits[0].leave_home or plan.visits[0].arrive
    last = max([plan.visits[-1].depart, *([plan.injection_window.latest] if plan.injection_window else [])])
    out = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        weeks = []
        for week in calendar.Calendar().monthdatescalendar(y, m):
            row = []
            for d in week:
                state = marks.get(d) if d.month == m else None
                if d.month != m:
                    row.append(Day(day=None))
                elif state is None:
                    row.append(Day(day=d.day, label=day_long(d)))
                else:
                    letter, _style, words = MARKS[state]
                    label = _("{day}: {state}").format(day=day_long(d), state=_(words))
                    row.append(Day(day=d.day, state=state, letter=letter, label=label))
            weeks.append(row)
        out.append(Month(title=month_title(y, m), weeks=weeks))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _bars(plan: Plan, cat: Catalog) -> list[Bar]:
    c = plan.cost
    if c is None:
        return []
    out = [Bar(label=_("Treatment"), low=c.treatment.low, high=c.treatment.high, text=fmt_span(c.treatment))]
    if c.travel is not None:
        out.append(Bar(label=_("Travel"), low=c.travel.low, high=c.travel.high, text=fmt_span(c.travel)))
    if c.total is not None:
        out.append(Bar(label=_("Whole trip"), low=c.total.low, high=c.total.high, text=fmt_span(c.total)))
    if c.reference is not None:
        r = c.reference
        span = Span(low=r.low, high=r.high, open_high=r.open_high)
        label = at_home_label(cat.country_name(r.country), [s.processing for s in r.sources])
        # the price at home in the currency shown, converted at the rate the page states with the total
        text = fmt_span(span) + (f" = {fmt_home(c.reference_home, r.open_high)}" if c.reference_home else "")
        out.append(Bar(label=label, low=r.low, high=r.high, text=text))
    return out


def _home(plan: Plan) -> tuple[str, str]:
    """The whole trip in the home currency and how it was converted ("" when it is in USD)."""
    c = plan.cost
    if c is None or c.home is None or c.total is None or c.home.currency == "USD":
        return "", ""
    return fmt_home(c.home, c.total.open_high), rate_line(c.home)


NEXT_STEPS = 3  # the first page's next steps


def _glance(cat: Catalog, plan: Plan, flags: list[Flag], safety: SafetySummary | None) -> list[tuple[str, str]]:
    rows = [(_("Destination"), cat.country_name(plan.destination))]
    clinic = cat.clinics.get(plan.clinic) if plan.clinic else None
    rows.append((_("Clinic"), clinic.name if clinic else _("none chosen: the destination's usual protocol and prices")))
    trips = ngettext("{cells}; {n} trip [{source}]", "{cells}; {n} trips [{source}]", plan.trips)
    rows.append(
        (_("Cells and protocol"), trips.format(cells=plan.cell_source, n=plan.trips, source=plan.protocol_source))
    )
    for v in plan.visits:
        stay = ngettext("{arrive} to {depart} ({n} night)", "{arrive} to {depart} ({n} nights)", v.nights)
        rows.append((v.name, stay.format(arrive=day_short(v.arrive), depart=day_short(v.depart), n=v.nights)))
    rows.append((_("Injection") if plan.injection_window else _("Treatment"), day_short(plan.injection)))
    c = plan.cost
    if c is not None and c.total is not None:
        rows.append((_("Total cost (USD)"), fmt_span(c.total)))
        home_total, rate = _home(plan)
        if home_total and c.home is not None:
            rows.append(
                (
                    _("Total cost ({currency})").format(currency=c.home.currency),
                    _("{amount} at {rate}").format(amount=home_total, rate=rate),
                )
            )
    elif c is not None:
        rows.append(
            (
                _("Treatment cost (USD)"),
                _("{amount} (give a nationality to add travel)").format(amount=fmt_span(c.treatment)),
            )
        )
    if plan.nationality:
        rows.append(
            (_("Visa ({country} passport)").format(country=cat.country_name(plan.nationality)), plan.visa.advice)
        )
    record = (
        _("safety record: {text}").format(text=safety.text) if safety else _("safety record: not in this saved plan")
    )
    if plan.red_flags is not None:
        n = plan.red_flags.count
        if flags:
            said = ngettext(
                "{n} red flag for the clinic (most serious: {flag}; {check})",
                "{n} red flags for the clinic (most serious: {flag}; {check})",
                n,
            ).format(n=n, flag=flags[0].message, check=plan.red_flags.check)
        else:
            said = ngettext("{n} red flag for the clinic", "{n} red flags for the clinic", n).format(n=n)
    else:
        said = _("no clinic chosen") if plan.clinic is None else _("red flags not in this saved plan")
    rows.append((_("Red flags and safety"), _("{flags}; {record}").format(flags=said, record=record)))
    upcoming = [e for e in plan_events(cat, plan) if e.date >= plan.made_on][:NEXT_STEPS]
    if upcoming:
        steps = _("; ").join(_("{date}: {event}").format(date=day_short(e.date), event=e.title) for e in upcoming)
        rows.append((_("Next steps"), steps))
    return rows


def _doctor(cat: Catalog, plan: Plan) -> list[tuple[str, str]]:
    clinic = cat.clinics.get(plan.clinic) if plan.clinic else None
    country = cat.countries[plan.destination]
    processing: str = clinic.processing if clinic else country.protocol.processing
    given = country.cell_count.strip()
    count = _("not given by the sources") if not given or given.lower().startswith("not given") else given
    if country.potency:
        count = _("{count}; potency: {potency}").format(count=count, potency=country.potency)
    if plan.culture_weeks:
        weeks = counted_span(plan.culture_weeks[0], plan.culture_weeks[1], "week")
        processing = _("{processing}; {weeks} of culture").format(processing=processing, weeks=weeks)
    no_clinic = _("no clinic chosen")
    rows = [
        (_("Cells"), plan.cell_source),
        *([(_("Source tissue"), clinic.cell_source)] if clinic and clinic.cell_source not in plan.cell_source else []),
        (_("Cell count (dose)"), count),
        (_("Processing"), processing),
        (
            _("Route"),
            cat.label("route", clinic.route)
            if clinic and clinic.route
            else _("not recorded: ask the clinic (into the joint, or into a vein)"),
        ),
        (_("Treated joint"), cat.label("joint", plan.joint) if plan.joint else _("not given")),
        (_("Harvest"), day_long(plan.harvest) if plan.injection_window else _("same visit as the treatment")),
        (_("Injection"), day_long(plan.injection)),
        (_("Clinic"), clinic_place(cat, plan)),
        (
            _("Licence or plan number"),
            (clinic.licence or clinic.plan_number or _("not given by the clinic")) if clinic else no_clinic,
        ),
        (_("Cell processor"), (clinic.processor or _("not given")) if clinic else no_clinic),
    ]
    if country.licence_register:
        rows.append((_("Where to verify it"), country.licence_register))
    return rows


def build_document(
    *,
    cat: Catalog,
    plan: Plan,
    today: dt.date,
    version: str,
    disclaimer: str,
    patient: str | None = None,
    changed: list[str] | None = None,
    saved_on: dt.date | None = None,
    holidays_release: str | None = None,
) -> Document:
    """Everything the page shows, from the plan and the catalog's facts; `patient` (the coordinator's
    label) goes in the title, `changed` lists what the saved plan said that was recomputed;
    `holidays_release` is the installed `holidays` package's release (shown with the data sets' ages)."""
    events = plan_events(cat, plan)
    flags = plan.red_flags.flags if plan.red_flags else []
    safety = plan.safety
    ids = [c.id for c in plan.sources] + [s for f in flags for s in f.sources]
    ids += [s for a in cat.safety_actions if a.country == plan.destination for s in a.sources]
    figures = destination_figures(cat, plan.destination, plan.joint)
    rules = home_rules(cat, plan.nationality)
    extras = optional_lines(cat, plan.destination) if plan.cost is not None and plan.cost.items else []
    rows = []
    for sid in dict.fromkeys(ids):
        s = cat.sources.get(sid)
        if s is None:
            continue
        age = (today - s.date).days if s.date else None
        rows.append(
            SourceRow(
                id=sid,
                title=s.title,
                publisher=s.publisher,
                kind=s.kind,
                date=s.date,
                date_text=s.date_text,
                age_days=age,
                url=s.url,
            )
        )
    assumptions = [
        _("{title}: {note}").format(title=r.title, note=cat.sources[r.id].note)
        for r in rows
        if r.kind == "assumption" and cat.sources[r.id].note
    ]
    country = cat.countries[plan.destination]
    if country.protocol.assumption:
        assumptions.append(country.protocol.assumption)
    if plan.home_airport:
        assumptions.append(_(FLIGHT_TIMES))
    if plan.home_assumed is not None:
        a = plan.home_assumed
        assumptions.append(
            _("Home airport {airport}: {basis} [{source}]; give your own with --airport.").format(
                airport=a.airport, basis=a.basis, source=a.source
            )
        )
    bars = _bars(plan, cat)
    home_total, rate = _home(plan)
    return Document(
        title=_title(cat, plan, patient),
        made_on=today,
        version=version,
        disclaimer=disclaimer,
        plan=plan,
        destination_name=cat.country_name(plan.destination),
        nationality_name=cat.country_name(plan.nationality) if plan.nationality else None,
        place=clinic_place(cat, plan),
        glance=_glance(cat, plan, flags, safety),
        months=_months(plan),
        legend=[(letter, style, _(words)) for letter, style, words in MARKS.values()],
        events=events,
        bars=bars,
        bar_top=max((b.high for b in bars), default=0),
        flags=flags,
        safety=safety,
        actions=[a for a in cat.safety_actions if a.country == plan.destination],
        doctor=_doctor(cat, plan),
        follow_ups=[e for e in events if e.group == "follow-up"],
        sources=rows,
        data_sets=data_set_ages(cat=cat, today=today, holidays_release=holidays_release),
        figures=figures,
        home_rules=rules,
        optional_lines=extras,
        assumptions=assumptions,
        home_total=home_total,
        rate=rate,
        changed=list(changed or []),
        saved_on=saved_on,
        lang=language_tag(),
        translated=current() != DEFAULT,
    )


def _title(cat: Catalog, plan: Plan, patient: str | None) -> str:
    """The page's title: "Treatment trip plan for A: Japan (knee)"."""
    country = cat.country_name(plan.destination)
    if patient and plan.joint:
        text = _("Treatment trip plan for {patient}: {country} ({joint})")
    elif patient:
        text = _("Treatment trip plan for {patient}: {country}")
    elif plan.joint:
        text = _("Treatment trip plan: {country} ({joint})")
    else:
        text = _("Treatment trip plan: {country}")
    return text.format(patient=patient, country=country, joint=cat.label("joint", plan.joint) if plan.joint else "")
