"""Plain wording shared by the terminal, the calendar file and the HTML page: every sentence or label more
than one view shows has its one home here (how a home-currency figure was converted, how the home airport was
chosen, the flight-time assumption, whether a stay fits the visa, weekday names, kinds of cells, a count
with its noun), so the views cannot drift apart and a translation has one place to start from."""

from __future__ import annotations

import datetime as dt
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


def converted(home: Home, open_high: bool) -> str:
    """A USD range in the currency shown, labelled as tripplan's conversion, not a figure of the source:
    'CN¥33,264 – CN¥66,529 (converted at 6.65288 CNY per USD)' (the rate's source is on the rate line)."""
    from tripplan.i18n import _

    return _("{amount} (converted at {rate} {currency} per USD)").format(
        amount=fmt_home(home, open_high), rate=f"{home.rate:g}", currency=home.currency
    )


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


# Weekday names, Monday first (datetime.weekday() indexes them): full, and the two letters of a calendar.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_LETTERS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Whether a stay fits the visa-free limit (schedule.Stay.fits): True, False, or None when a visa is needed.
STAY_FITS = {True: "fits", False: "too long", None: "visa needed"}

# The assumption that dates the flights (zones.ARRIVE_AT / DEPART_AT).
FLIGHT_TIMES = "Flight days assume landing at 15:00 and leaving at 11:00 local time (assumption)."

# Kinds of cells (quote.KINDS), as a person reads them.
CELLS = {
    "cultured": "cultured (own cells, grown for weeks)",
    "same-day": "same-day (own cells, not grown)",
    "donor": "donor cells",
    "cell-free": "cell-free",
    "none": "no cells",
}
# The source rows of other kinds of cells than the trip's, listed apart (quote and compare).
OTHER_CELLS = "rows for other kinds of cells (not in the range or the total)"
CELLS_SHORT = {"cultured": "cultured", "same-day": "same-day", "donor": "donor", "cell-free": "cell-free"}


def day_long(d: dt.date) -> str:
    """ "Monday 01 March 2027": a day as the page's calendar and the refusals name it."""
    return f"{WEEKDAYS[d.weekday()]} {d.day:02d} {MONTHS[d.month - 1]} {d.year}"


def day_short(d: dt.date) -> str:
    """ "Mon 01 Mar 2027"."""
    return f"{WEEKDAYS[d.weekday()][:3]} {d.day:02d} {MONTHS[d.month - 1][:3]} {d.year}"


def day_words(d: dt.date) -> str:
    """ "1 March 2027"."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def weekday_name(d: dt.date) -> str:
    return WEEKDAYS[d.weekday()]


# The foot of every command's output.
SOURCES_SHORT = (
    "Sources (titles and dates: --details): {ids}. Figures as of these sources; computed on {today}. "
    "Check prices with the clinic before booking."
)
SOURCES_AS_OF = "Figures as of the sources above; computed on {today}. Check prices with the clinic before booking."
DETAILS_HINT = "Every source row, travel line, rate and note: add --details (all of it in --json)."
SAFETY_SEARCHED = "Searched again for newer items on {day} (what was searched and left out: --details)."
SAFETY_OLDER = "and {older}, {first} to {last} (with --details)"
SAFETY_OLDER_AND_CHANGES = "and {older}, {first} to {last}, and {changes} (with --details)"
SAFETY_MORE_CHANGES = "and {changes} (with --details)"
SAFETY_DETAILS_HINT = (
    "Who, the treatment, the patients and every source (+N: N more) of each item, the {signs} the "
    "authorities name, the sources' titles and dates: add --details (all of it in --json)."
)
DECIDE_NOTE = (
    "tripplan informs; it does not tell anyone whether to travel. Decisions belong to the patient and their doctors."
)


def at_home_label(country_name: str, kinds: list[str]) -> str:
    """What a price at home is the price of: "At home (United States): same-day cells" — the kinds of cells
    its source rows are, so a same-day price at home is never read as the price of cultured cells."""
    what = " or ".join(CELLS_SHORT.get(k, k) for k in dict.fromkeys(kinds)) or "the same treatment"
    return f"At home ({country_name}): {what} cells" if kinds else f"At home ({country_name})"


def source_row_note(line: PriceLine) -> str:
    """A source row's note as the source gives it, with what it quoted or printed and the count it assumes:
    one wording for the terminal's rows and the page's "As the source gives it" column."""
    extra = []
    if line.quoted is not None:
        when = f" on {line.quoted_on}" if line.quoted_on else ""
        day = f" of {line.rate_as_of}" if line.rate_as_of else ""
        amount = fmt_span(Span(low=line.quoted.low, high=line.quoted.high), line.quoted.currency)
        extra.append(f"quoted {amount}{when}, at {line.rate:g}/USD{day}")
    if line.count is not None:
        extra.append(f"{line.unit} × {line.count} (the source's typical count)")
    if line.local is not None:
        implied = f"; {line.local.high / line.high:.2f} per USD as printed" if line.high else ""
        extra.append(f"the source prints {line.local.low:,}–{line.local.high:,} {line.local.currency}{implied}")
    return line.note + (f" ({'; '.join(extra)})" if extra else "")


ASSUMED_FOR = "Visit lengths and rest before flying home are tripplan's assumptions for {codes} (each with --details)."


def red_flags_line(flags: ClinicFlags) -> str:
    """A chosen clinic's red flags where the patient looks: how many, the most serious, where the rest are."""
    if flags.most_serious is None:
        return f"Red flags: none raised for this clinic ({flags.check} --language xx adds the coordinator check)."
    n = flags.count
    return (
        f"Red flags: {n} for this clinic; most serious: {flags.most_serious.message}. "
        f"All {n} with their sources: {flags.check}"
    )
