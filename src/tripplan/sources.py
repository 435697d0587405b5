"""data sources: every source, how many figures rest on it, and how old it is."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from tripplan.catalog import Catalog
from tripplan.i18n import _, ngettext
from tripplan.models import REPORTED_KINDS, SOURCE_KINDS
from tripplan.money import RATE_MAX_AGE_DAYS

STALE_DAYS = 365


@dataclass(frozen=True, slots=True, kw_only=True)
class Cited:
    """A source a result cites, expanded so the patient can open it."""

    id: str
    """The source's id (sources.toml), as figures and flags cite it."""
    kind: str
    """What it is: law, authority, article, dataset, quote, assumption…"""
    title: str
    """Its title as the source gives it."""
    publisher: str
    """Who published it."""
    date: dt.date | None = None
    """Its date; none when the source shows none (a month or a year is stored as its first day: see date_text)."""
    date_text: str = "undated"
    """The date as precisely as the source gives it (2025-03-05, 2025-03, 2025 or undated): Source.date_text,
    the one formatter every view uses."""
    url: str = ""
    """Its address, where it has one."""


def cite(cat: Catalog, ids: Iterable[str]) -> list[Cited]:
    """The sources among `ids`, each once, in first-use order, expanded from sources.toml; an id that is no
    record there (the `holidays` package, which dates the public holidays) is kept as a data set named by it."""
    out = []
    for sid in dict.fromkeys(i for i in ids if i):
        s = cat.sources.get(sid)
        if s is None:  # a clinic's own quote, or a library such as the holidays package
            kind = "quote" if sid.startswith("quote from ") else "dataset"
            out.append(Cited(id=sid, kind=kind, title=sid, publisher=""))
        else:
            out.append(
                Cited(
                    id=s.id,
                    kind=s.kind,
                    title=s.title,
                    publisher=s.publisher,
                    date=s.date,
                    date_text=s.date_text,
                    url=s.url,
                )
            )
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceUse:
    """One source: its date, its age and how many figures rest on it (what data sources prints)."""

    id: str
    """The source's id (sources.toml)."""
    kind: str
    """article, dataset, authority, assumption…"""
    title: str
    """Its title."""
    publisher: str
    """Who published it."""
    date: dt.date | None
    """Its date, or null when undated."""
    date_text: str
    """The date as precisely as the source gives it (2025-03-05, 2025-03, 2025 or undated)."""
    date_doubtful: bool
    """true when the date may not be the source's own (see its note)."""
    figures: int
    """How many records (prices, rates, protocols, visa rows…) rest on it."""
    age_days: int | None
    """Its age in days, or null when undated."""
    stale: bool
    """true when older than 12 months (an exchange rate: 90 days)."""
    warning: str | None
    """Why its date needs a look (undated, doubtful, too old), or null."""


def count_figures(cat: Catalog) -> Counter[str]:
    """How many records (prices, rates, fares, protocols, visa rows…) rest on each source id."""
    n: Counter[str] = Counter()
    b = cat.book
    for rows in (b.prices, b.rates, b.fares, b.nightly, b.daily, b.visa_fees):
        n.update(r.source for r in rows)
    n.update(p.source for p in cat.pegs.values())
    n["cldr-currencies"] += len(cat.territories)
    n.update(x.source for x in (b.fare_formula, b.daily_default, b.nightly_default))
    for c in cat.countries.values():
        n[c.protocol.source] += 1
        n.update(c.sources)  # the country's regulation, cell count and language facts
        n.update(x.source for x in c.closures)
    n.update(note.source for note in cat.notes)
    n.update(s for m in cat.medical_visas.values() for s in m.sources)
    n.update(s for note in cat.nationality_notes for s in note.sources)
    n.update(c.source for c in cat.clinics.values() if c.source)
    n.update(s for a in cat.safety_actions for s in a.sources)
    n.update(s for w in cat.warning_signs for s in w.sources)
    n.update(s for v in cat.verify_steps for s in v.sources)
    n.update(s for c in cat.rule_changes for s in c.sources)
    n.update(f.source for f in b.figures)
    n.update(m.source for m in cat.milestones)
    n.update(s for r in cat.red_flags.values() for s in r.sources)
    for p in cat.processing_protocols.values():
        n.update([p.source, p.fly_home_source, p.after_harvest_source, *p.fly_home_sources])
    for c in cat.countries.values():
        n.update([c.protocol.fly_home_source, *c.protocol.fly_home_sources])
        n.update(x for x in (c.risk_class_source, c.holidays_source) if x)
        n.update([c.protocol.after_harvest_source, c.stay_count_source, *c.holiday_blocks_sources])
    m = cat.visa_matrix
    n[cat.visa_dataset.source] += len(m.rows) * len(m.destinations.split())
    n["ourairports"] += len(cat.airports)
    n.update(h.source for h in cat.home_airports.values())
    n.update(a.source for a in cat.route_aliases)
    n.update(c.source for c in cat.cell_sources)
    n.update(c.source for c in cat.city_names)
    n.update([cat.name_forms.source] if cat.name_forms else [])
    return n


def source_uses(*, cat: Catalog, today: dt.date) -> list[SourceUse]:
    counts = count_figures(cat)
    rate_sources = {r.source for r in cat.book.rates}
    out = []
    for s in cat.sources.values():
        age = (today - s.date).days if s.date else None
        limit = RATE_MAX_AGE_DAYS if s.id in rate_sources else STALE_DAYS
        stale = age is not None and age > limit
        warning = None
        if s.date is None:
            warning = _("{source}: undated; its age is unknown").format(source=s.id)
        elif s.date_doubtful:
            warning = _("{source}: dated {date}, but that date may not be this source's (see its note)").format(
                source=s.id, date=s.date_text
            )
        elif stale:
            warning = _("{source}: {n} days old (older than {limit} days); check it is still current").format(
                source=s.id, n=age, limit=limit
            )
        out.append(
            SourceUse(
                id=s.id,
                kind=s.kind,
                title=s.title,
                publisher=s.publisher,
                date=s.date,
                date_text=s.date_text,
                date_doubtful=s.date_doubtful,
                figures=counts[s.id],
                age_days=age,
                stale=stale,
                warning=warning,
            )
        )
    rank = {k: i for i, k in enumerate(SOURCE_KINDS)}
    return sorted(out, key=lambda u: (rank.get(u.kind, len(rank)), u.id))


def only_reported(cat: Catalog, ids: list[str]) -> bool:
    """True when every source of a fact is a press report or an article: tripplan then says "as reported"."""
    return bool(ids) and all(cat.sources[i].kind in REPORTED_KINDS for i in ids if i in cat.sources)


@dataclass(frozen=True, slots=True, kw_only=True)
class KindCount:
    """How many sources are of one kind."""

    kind: str
    """A kind of source: law, authority, society, paper, press, article, dataset, quote, assumption."""
    sources: int
    """How many sources are of that kind."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DataSetAge:
    """How old a data set tripplan ships is: its date (or version) and its age in days."""

    name: str
    """The data set, e.g. visa requirements."""
    source: str | None
    """Id of its source, or null."""
    as_of: dt.date | None
    """Its date, or null."""
    age_days: int | None
    """Its age in days, or null."""
    version: str | None
    """The release it comes from (e.g. of the holidays package), or null."""
    note: str
    """What the date means, in words."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SourcesReport:
    """Every source with its age, and the ages of the data sets (what data sources prints)."""

    kinds: list[KindCount]
    """Every kind a source may have, in order, with how many sources have it."""
    sources: list[SourceUse]
    """Grouped by kind, then by id."""
    data_sets: list[DataSetAge]
    """The age of each data set behind whole answers: the visa matrix, the rates, the safety record, the currencies,
    the public holidays."""


def data_set_ages(*, cat: Catalog, today: dt.date, holidays_release: str | None) -> list[DataSetAge]:
    """The ages of the data sets behind whole answers: the visa matrix, the exchange rates, the safety record, the
    currencies and the public holidays (the `holidays` package's release, passed in: reading it is I/O)."""

    def age(day: dt.date | None) -> int | None:
        return (today - day).days if day else None

    out = []
    visa = cat.sources.get(cat.visa_dataset.source)
    out.append(
        DataSetAge(
            name=_("visa requirements"),
            source=cat.visa_dataset.source,
            as_of=cat.visa_dataset.date,
            age_days=age(cat.visa_dataset.date),
            version=None,
            note=(visa.note if visa else ""),
        )
    )
    dated = [r for r in cat.book.rates if r.as_of is not None]
    if dated:
        newest = max(dated, key=lambda r: r.as_of or dt.date.min)
        out.append(
            DataSetAge(
                name=_("exchange rates"),
                source=newest.source,
                as_of=newest.as_of,
                age_days=age(newest.as_of),
                version=None,
                note=ngettext(
                    "{n} rate; older than {limit} days is flagged as stale",
                    "{n} rates; older than {limit} days is flagged as stale",
                    len(cat.book.rates),
                ).format(n=len(cat.book.rates), limit=RATE_MAX_AGE_DAYS),
            )
        )
    record = cat.safety_record
    if record is not None:
        if record.checked_on:
            note = _("newest item {date}; searched for newer items on {checked}").format(
                date=record.as_of, checked=record.checked_on
            )
        else:
            note = _("newest item {date}").format(date=record.as_of)
        out.append(
            DataSetAge(
                name=_("safety record"),
                source=None,
                as_of=record.as_of,
                age_days=age(record.as_of),
                version=None,
                note=note,
            )
        )
    cldr = cat.sources.get("cldr-currencies")
    if cldr is not None:
        out.append(
            DataSetAge(
                name=_("currencies"),
                source=cldr.id,
                as_of=cldr.date,
                age_days=age(cldr.date),
                version=None,
                note=cldr.publisher,
            )
        )
    estimated = [
        _("{country} after {year} (estimated)").format(country=cat.country_name(code), year=c.holidays_official_through)
        for code, c in cat.countries.items()
        if c.holidays_official_through is not None
    ]
    note = _("the package records no release date")
    if estimated:
        note = _("the package records no release date; {estimates}").format(estimates=", ".join(estimated))
    out.append(
        DataSetAge(
            name=_("public holidays"),
            source=None,
            as_of=None,
            age_days=None,
            version=_release_name(holidays_release),
            note=note,
        )
    )
    return out


def _release_name(release: str | None) -> str | None:
    """'holidays-0.109.dist-info' or '0.109' -> 'holidays 0.109'."""
    if not release:
        return None
    number = release.removeprefix("holidays-").removesuffix(".dist-info")
    return f"holidays {number}"


def sources_report(*, cat: Catalog, today: dt.date, holidays_release: str | None) -> SourcesReport:
    """`data sources`: every source grouped by kind, with its figures and age, and the data sets' ages."""
    uses = source_uses(cat=cat, today=today)
    kinds = [KindCount(kind=k, sources=sum(1 for u in uses if u.kind == k)) for k in SOURCE_KINDS]
    return SourcesReport(
        kinds=kinds,
        sources=uses,
        data_sets=data_set_ages(cat=cat, today=today, holidays_release=holidays_release),
    )
