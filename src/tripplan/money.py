"""Money: USD ranges and their conversion into another currency."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """A low-high amount; open_high means the source gave "$X+" with no upper bound."""

    low: int
    """Low end, whole units of the currency (USD unless stated)."""
    high: int
    """High end, whole units."""
    open_high: bool = False
    """true when a source gives "$X+" with no upper bound."""

    def __add__(self, other: Span) -> Span:
        return Span(low=self.low + other.low, high=self.high + other.high, open_high=self.open_high or other.open_high)

    def times(self, n: int) -> Span:
        return Span(low=self.low * n, high=self.high * n, open_high=self.open_high)

    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2


ZERO = Span(low=0, high=0)
RATE_MAX_AGE_DAYS = 90  # a rate older than this is shown with a warning


def convert(amount: int, per_usd: float) -> int:
    """USD to another currency at `per_usd` units per dollar, rounded to a whole unit."""
    return round(amount * per_usd)


def to_usd(amount: int, per_usd: float) -> int:
    return round(amount / per_usd)


def convert_span(span: Span, per_usd: float) -> Span:
    return Span(low=convert(span.low, per_usd), high=convert(span.high, per_usd), open_high=span.open_high)


def span_of(spans: list[Span]) -> Span:
    """The range covering every span: lowest low to highest high."""
    top = max(s.high for s in spans)
    return Span(
        low=min(s.low for s in spans),
        high=top,
        open_high=any(s.open_high and s.high == top for s in spans),
    )


SYMBOLS = {
    "USD": "$",
    "JPY": "JP¥",
    "CNY": "CN¥",
    "GBP": "£",
    "EUR": "€",
    "KRW": "₩",
    "THB": "฿",
    "MXN": "MX$",
    "AUD": "A$",
}


def fmt(amount: int, currency: str = "USD") -> str:
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{amount:,}" if symbol else f"{amount:,} {currency}"


def fmt_span(span: Span, currency: str = "USD") -> str:
    plus = "+" if span.open_high else ""
    if span.low == span.high:
        return fmt(span.low, currency) + plus
    return f"{fmt(span.low, currency)} – {fmt(span.high, currency)}{plus}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Rated:
    """The rate a home-currency figure was converted at: its source and its date, or the user's own."""

    currency: str
    """The currency (ISO 4217 code)."""
    rate: float
    """Units of the currency per USD."""
    rate_source: str
    """Id of the rate's source; "your rate" for --rate; "-" for USD."""
    as_of: dt.date | None = None
    """The rate's date, or null."""
    age_days: int | None = None
    """The rate's age in days, or null."""
    stale: bool = False
    """true when the rate is older than 90 days."""
    yours: bool = False
    """true when the rate is your own (--rate or your rates.toml)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Home(Rated):
    """The total in the currency shown, with the rate it was converted at."""

    low: int
    """The total's low end in that currency, whole units."""
    high: int
    """The total's high end in that currency, whole units."""
