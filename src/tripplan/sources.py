"""data sources: every source, how many figures rest on it, and how old it is."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from tripplan.catalog import Catalog
from tripplan.money import RATE_MAX_AGE_DAYS

STALE_DAYS = 365


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceUse:
    id: str
    kind: str
    title: str
    publisher: str
    date: dt.date | None
    date_doubtful: bool
    figures: int
    age_days: int | None
    stale: bool
    warning: str | None


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
    n.update(m.source for m in cat.milestones)
    n.update(s for r in cat.red_flags.values() for s in r.sources)
    for p in cat.processing_protocols.values():
        n.update([p.source, p.fly_home_source])
    for c in cat.countries.values():
        n.update([c.protocol.fly_home_source, *([c.risk_class_source] if c.risk_class_source else [])])
    m = cat.visa_matrix
    n[cat.visa_dataset.source] += len(m.rows) * len(m.destinations.split())
    n["ourairports"] += len(cat.airports)
    n.update(h.source for h in cat.home_airports.values())
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
            warning = f"{s.id}: undated; its age is unknown"
        elif s.date_doubtful:
            warning = f"{s.id}: dated {s.date}, but that date may not be this source's (see its note)"
        elif stale:
            warning = f"{s.id}: {age} days old (older than {limit} days); check it is still current"
        out.append(
            SourceUse(
                id=s.id,
                kind=s.kind,
                title=s.title,
                publisher=s.publisher,
                date=s.date,
                date_doubtful=s.date_doubtful,
                figures=counts[s.id],
                age_days=age,
                stale=stale,
                warning=warning,
            )
        )
    return out
