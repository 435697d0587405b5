"""Money: USD ranges and their conversion into another currency."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from tripplan.i18n import N_, _


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


# The sign written before an amount, by currency; each is a message, so a language can make it unambiguous
# (in Chinese "$" is written "US$": "¥" is never left bare, "JP¥" and "CN¥" say whose it is).
SYMBOLS = {
    # TRANSLATORS: the sign before an amount in US dollars ($5,000); make it unambiguous (US$) where "$" is not.
    "USD": N_("$"),
    "JPY": N_("JP¥"),
    "CNY": N_("CN¥"),
    "GBP": N_("£"),
    "EUR": N_("€"),
    "KRW": N_("₩"),
    "THB": N_("฿"),
    "MXN": N_("MX$"),
    "AUD": N_("A$"),
}

# An amount as a sentence says it (schedule's "In CNY: ..."): where the language names the currency in words
# (人民币52,551元, 52,551日元). In English each is the symbol form. Tables keep the symbol form (fmt).
WORDS = {
    # TRANSLATORS: an amount of Chinese yuan in a sentence; {amount} is the figure, grouped as in English (52,551).
    "CNY": N_("CN¥{amount}"),
    # TRANSLATORS: an amount of Japanese yen in a sentence; {amount} is the figure, grouped as in English.
    "JPY": N_("JP¥{amount}"),
    # TRANSLATORS: an amount of US dollars in a sentence; {amount} is the figure, grouped as in English.
    "USD": N_("${amount}"),
}
FIGURE = r"\d[\d,]*(?:\.\d+)?\+?"  # a figure as fmt writes it: grouped digits, "+" when open-ended


def fmt(amount: int, currency: str = "USD") -> str:
    """An amount with its currency's sign, digits grouped as in English in every language: fmt(5000) ->
    "$5,000" ("US$5,000" in Chinese), fmt(52551, "CNY") -> "CN¥52,551"; a currency without a sign:
    "52,551 XYZ"."""
    symbol = SYMBOLS.get(currency)
    return f"{_(symbol)}{amount:,}" if symbol else f"{amount:,} {currency}"


def fmt_span(span: Span, currency: str = "USD") -> str:
    """A range as tables show it: "$5,000 – $11,000", "$5,000+" when open-ended, one amount when low == high."""
    plus = "+" if span.open_high else ""
    if span.low == span.high:
        return fmt(span.low, currency) + plus
    return f"{fmt(span.low, currency)} – {fmt(span.high, currency)}{plus}"


def range_text(low: int, high: int) -> str:
    """A range of whole numbers as every view writes it, terminal and page alike: "3–5", or its one figure
    when its ends are equal ("3", never "3–3"). The one place a range of days, nights, weeks or unit prices
    is written."""
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def fmt_words(amount: int, currency: str = "USD") -> str:
    """An amount as a sentence says it, in the current language: "CN¥52,551" in English, "人民币52,551元" in
    Chinese (the language's message for WORDS[currency]); the symbol form (fmt) for other currencies."""
    form = WORDS.get(currency)
    return _(form).format(amount=f"{amount:,}") if form else fmt(amount, currency)


def fmt_span_words(span: Span, currency: str = "USD") -> str:
    """A range as a sentence says it: "CN¥40,649 – CN¥122,080" in English, "人民币40,649元 – 人民币122,080元"
    in Chinese; each end whole (fmt_words), "+" after an open-ended figure."""
    plus = "+" if span.open_high else ""
    if span.low == span.high:
        return fmt_words(span.low, currency) + plus
    return f"{fmt_words(span.low, currency)} – {fmt_words(span.high, currency)}{plus}"


def words_pattern() -> re.Pattern[str]:
    """A pattern for the amounts and ranges fmt_words / fmt_span_words write in the current language, so a
    layout can keep them whole (render.common.unbreakable): built from the catalog's forms, not from code."""
    return _words_pattern(tuple(_(w) for w in WORDS.values()))


@functools.cache
def _words_pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = []
    for form in dict.fromkeys(forms):
        before, _sep, after = form.partition("{amount}")
        alternatives.append(f"{re.escape(before)}{FIGURE}{re.escape(after)}")
    one = "(?:" + "|".join(alternatives) + ")"
    return re.compile(f"{one}(?: – {one})?")


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
