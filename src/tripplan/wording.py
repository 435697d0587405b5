"""Plain wording shared by the terminal, the calendar file and the HTML page: how a home-currency figure was
converted, how the home airport was chosen, a count with its noun."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tripplan.money import RATE_MAX_AGE_DAYS, Span, fmt_span

if TYPE_CHECKING:
    from tripplan.lookup import Assumed
    from tripplan.money import Home, Rated
    from tripplan.prices import PriceLine
    from tripplan.redflags import ClinicFlags


def counted(n: int, noun: str, plural: str = "") -> str:
    """A count with its noun agreeing: counted(1, "value") -> "1 value", counted(3, "value") -> "3 values";
    `plural` for an irregular plural (counted(2, "value differs", "values differ"))."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"


def fmt_home(home: Home, open_high: bool) -> str:
    """A total in the home currency (open-ended like the USD total it was converted from)."""
    return fmt_span(Span(low=home.low, high=home.high, open_high=open_high), home.currency)


def rate_line(rated: Rated) -> str:
    """How a home-currency figure was converted: the rate, its source and date, or that it is the user's."""
    if rated.yours:
        return f"1 USD = {rated.rate:g} {rated.currency} (your rate, --rate)"
    when = f"as of {rated.as_of}, {rated.age_days} days old" if rated.as_of else "a fixed rate"
    stale = f"; older than {RATE_MAX_AGE_DAYS} days: check a current rate" if rated.stale else ""
    return f"1 USD = {rated.rate:g} {rated.currency} ({rated.rate_source}, {when}{stale})"


def amount_line(line: PriceLine) -> str:
    """A price as quoted and in USD, with the rate's day: '¥1,650,000 = $10,493 (157.25/USD of 2026-10-30)';
    a single amount is written once."""
    usd = fmt_span(line.span)
    if line.quoted is None:
        return usd
    q = line.quoted
    day = f" of {line.rate_as_of}" if line.rate_as_of else ", a fixed rate"
    return f"{fmt_span(Span(low=q.low, high=q.high), q.currency)} = {usd} ({line.rate:g}/USD{day})"


def assumed_airport_line(a: Assumed | None) -> str | None:
    """How the home airport was chosen when the user gave none, and how to change it."""
    if a is None:
        return None
    return f"Home airport assumed: {a.airport}, {a.basis} [{a.source}]; change it with --airport."


def no_rate_line(currency: str) -> str:
    return f"No sourced exchange rate for {currency}: totals are in USD. Give your own with --rate (units per USD)."


def red_flags_line(flags: ClinicFlags) -> str:
    """A chosen clinic's red flags where the patient looks: how many, the most serious, where the rest are."""
    if flags.most_serious is None:
        return f"Red flags: none raised for this clinic ({flags.check} --language xx adds the coordinator check)."
    n = flags.count
    return (
        f"Red flags: {n} for this clinic; most serious: {flags.most_serious.message}. "
        f"All {n} with their sources: {flags.check}"
    )
