"""Treatment prices: the source rows that apply to a trip, each converted to USD and kept visible."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tripplan.catalog import Catalog
from tripplan.models import Clinic, Price
from tripplan.money import Span, span_of, to_usd


@dataclass(frozen=True, slots=True, kw_only=True)
class Amount:
    """An amount as a source or a clinic gives it, in its own currency."""

    low: int
    """Low end, whole units of the currency."""
    high: int
    """High end, whole units."""
    currency: str
    """The currency (ISO 4217 code)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceLine:
    """One source row (or clinic quote) behind a treatment range, in USD."""

    id: str
    """The price record's id (prices.toml), or the clinic quote's."""
    treatment: str
    """The treatment as the record names it."""
    processing: str
    """Kind of cells: cultured, same-day, donor, cell-free."""
    low: int
    """Low end, USD."""
    high: int
    """High end, USD."""
    open_high: bool
    """true when the source gives "$X+" with no upper bound."""
    currency: str = "USD"
    """Always USD (the row's own currency is in `quoted`)."""
    quoted: Amount | None = None
    """The row's own amounts when they are not in USD (converted at the catalog's rate)."""
    rate: float | None = None
    """Units of the quoted currency per USD used for the conversion."""
    rate_as_of: dt.date | None = None
    """The day of that rate (none for a fixed peg)."""
    quoted_on: dt.date | None = None
    """The day a clinic gave its quote."""
    local: Amount | None = None
    """The same row as the source prints it in another currency (e.g. the Beijing article's RMB)."""
    unit: str = "per treatment"
    """What one price covers: per treatment, per infusion…"""
    count: int | None = None
    """How many units the range covers (a per-infusion price times the source's typical count)."""
    source: str
    """Id of the row's source."""
    note: str
    """What the source says about the row."""

    @property
    def span(self) -> Span:
        return Span(low=self.low, high=self.high, open_high=self.open_high)


@dataclass(frozen=True, slots=True, kw_only=True)
class Treatment:
    """The treatment range: lowest low to highest high of every row that applies, in USD."""

    low: int
    """Lowest low of the rows that apply, USD."""
    high: int
    """Highest high of the rows that apply, USD."""
    open_high: bool
    """true when a row gives "$X+" with no upper bound."""
    currency: str = "USD"
    """Always USD."""
    sources: list[PriceLine]
    """Every source row that applies, never averaged."""
    narrowed_by_condition: bool = False
    """true when the rows were narrowed to the condition given."""

    @property
    def span(self) -> Span:
        return Span(low=self.low, high=self.high, open_high=self.open_high)


def _in_usd(cat: Catalog, low: int, high: int, currency: str, times: int = 1) -> dict[str, Any]:
    """The USD fields of a row: low and high converted (times `times`), and for another currency the amounts as
    quoted, the rate and its day."""
    if currency == "USD":
        return {"low": low * times, "high": high * times}
    record = cat.rate_record(currency)
    if record is None:
        raise KeyError(currency)
    return {
        "low": to_usd(low * times, record.per_usd),
        "high": to_usd(high * times, record.per_usd),
        "quoted": Amount(low=low, high=high, currency=currency),
        "rate": record.per_usd,
        "rate_as_of": record.as_of,
    }


def price_line(cat: Catalog, p: Price) -> PriceLine:
    """A price record as a row in USD; a per-unit price is multiplied by its typical count."""
    count = p.typical_count if p.unit != "per treatment" and p.typical_count else None
    return PriceLine(
        id=p.id,
        treatment=p.treatment,
        processing=p.processing,
        **_in_usd(cat, p.low, p.high, p.currency, count or 1),
        open_high=p.open_high,
        local=Amount(low=p.local.low, high=p.local.high, currency=p.local.currency) if p.local else None,
        unit=p.unit,
        count=count,
        source=p.source,
        note=p.note,
    )


def applies(p: Price, *, joint: str | None, treatment: str | None) -> bool:
    """A row applies to the joint (if one is asked) and the treatment (if one is asked)."""
    if treatment is not None:
        return p.treatment == treatment and (joint is None or not p.joints or joint in p.joints)
    return joint is not None and joint in p.joints


def matching_prices(
    prices: list[Price], *, joint: str | None, condition: str | None, treatment: str | None = None
) -> tuple[list[Price], bool]:
    """Rows for the joint or treatment; narrowed to the condition where that leaves any. Returns (rows, narrowed)."""
    rows = [p for p in prices if applies(p, joint=joint, treatment=treatment)]
    if condition:
        narrowed = [p for p in rows if condition in p.conditions]
        if narrowed:
            return narrowed, True
    return rows, False


def destination_lines(
    cat: Catalog, destination: str, *, joint: str | None, condition: str | None, treatment: str | None
) -> tuple[list[PriceLine], bool]:
    rows, narrowed = matching_prices(
        [p for p in cat.book.prices if destination in p.countries],
        joint=joint,
        condition=condition,
        treatment=treatment,
    )
    return [price_line(cat, p) for p in rows], narrowed


def clinic_lines(cat: Catalog, clinic: Clinic, joint: str | None, treatment: str | None = None) -> list[PriceLine]:
    """A clinic's own quotes for the joint (converted to USD), else the price records its profile refers to."""
    lines = []
    for q in clinic.quotes:
        if joint is not None and joint not in q.joints:
            continue
        if treatment is not None and q.treatment != treatment:
            continue
        lines.append(
            PriceLine(
                id=f"{clinic.id}:{q.treatment}",
                treatment=q.treatment,
                processing=clinic.processing,
                **_in_usd(cat, q.low, q.high, q.currency),
                open_high=False,
                quoted_on=q.quoted_on,
                source=f"quote from {clinic.name}",
                note=q.note,
            )
        )
    if lines or clinic.quotes:
        return lines
    refs = [p for p in map(cat.price, clinic.price_refs) if p is not None]  # every ref is known (validate.py)
    return [price_line(cat, p) for p in refs if applies(p, joint=joint, treatment=treatment)]


def by_kind(lines: list[PriceLine], kind: str) -> tuple[list[PriceLine], list[PriceLine], str]:
    """The rows of one kind of cells (the trip's protocol's `kind`, e.g. "donor") and the rows of other kinds,
    with the kind the first list is labelled with, so a label never stands over rows of another kind. When no
    row is of `kind`, every row is kept together, labelled with their one kind, or their kinds joined by " / "."""
    same = [x for x in lines if x.processing == kind]
    if same:
        return same, [x for x in lines if x.processing != kind], kind
    kinds = list(dict.fromkeys(x.processing for x in lines))
    return lines, [], " / ".join(kinds) if kinds else kind


def clinic_prices(cat: Catalog, clinic: Clinic, joint: str | None) -> list[PriceLine]:
    """What `clinics list` shows for a clinic: its quotes (or its profile's price rows) for the joint, or
    every one when no joint is asked; each in its own currency and in USD with the rate's day."""
    if joint is not None or clinic.quotes:
        return clinic_lines(cat, clinic, joint)
    return [price_line(cat, p) for p in map(cat.price, clinic.price_refs) if p is not None]


def treatment_for(lines: list[PriceLine], narrowed: bool = False) -> Treatment | None:
    if not lines:
        return None
    span = span_of([x.span for x in lines])
    return Treatment(
        low=span.low, high=span.high, open_high=span.open_high, sources=lines, narrowed_by_condition=narrowed
    )
