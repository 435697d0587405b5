"""Plain wording shared by the terminal, the calendar file and the HTML page: every sentence or label more
than one view shows has its one home here (how a home-currency figure was converted, how the home airport was
chosen, the flight-time assumption, whether a stay fits the visa, weekday names, kinds of cells, a count
with its noun), so the views cannot drift apart and a translation has one place to start from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tripplan.i18n import N_, _, ngettext
from tripplan.money import RATE_MAX_AGE_DAYS, Span, fmt_span, range_text

if TYPE_CHECKING:
    from tripplan.lookup import Assumed
    from tripplan.money import Home, Rated
    from tripplan.prices import PriceLine
    from tripplan.redflags import ClinicFlags


def counted(n: int, noun: str, plural: str = "") -> str:
    """A count with its noun agreeing: counted(1, "value") -> "1 value", counted(3, "value") -> "3 values";
    `plural` for an irregular plural (counted(2, "value differs", "values differ")). The nouns tripplan counts
    are messages with their plural forms (ngettext: "3 晚" in Chinese); any other noun is counted in English."""
    forms = _count_forms(n, noun, plural)
    if forms is None:
        return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"
    return forms.format(n=f"{n:,}")


def counted_span(low: int, high: int, noun: str) -> str:
    """A range of a noun tripplan counts, as `counted` writes one count: "3–5 days" ("3–5 天"), and "3 days"
    when its ends are equal (range_text). A range takes the plural (ngettext's form for its higher end, at least
    two)."""
    if low == high:
        return counted(low, noun)
    forms = _count_forms(max(high, 2), noun, "")
    if forms is None:
        return f"{range_text(low, high)} {noun}s"
    return forms.format(n=range_text(low, high))


def _count_forms(n: int, noun: str, plural: str) -> str | None:
    """The message for `n` of a noun tripplan counts, in the current language; None for another noun."""
    match noun, plural:
        case "trip", "":
            return ngettext("{n} trip", "{n} trips", n)
        case "traveller", "":
            return ngettext("{n} traveller", "{n} travellers", n)
        case "night", "":
            return ngettext("{n} night", "{n} nights", n)
        case "day", "":
            return ngettext("{n} day", "{n} days", n)
        case "week", "":
            return ngettext("{n} week", "{n} weeks", n)
        case "problem", "":
            return ngettext("{n} problem", "{n} problems", n)
        case "value", "":
            return ngettext("{n} value", "{n} values", n)
        case "value differs", "values differ":
            return ngettext("{n} value differs", "{n} values differ", n)
        case "red flag", "":
            return ngettext("{n} red flag", "{n} red flags", n)
        case "source row", "":
            return ngettext("{n} source row", "{n} source rows", n)
        case "figure", "":
            return ngettext("{n} figure", "{n} figures", n)
        case "source", "":
            return ngettext("{n} source", "{n} sources", n)
        case "warning sign", "":
            return ngettext("{n} warning sign", "{n} warning signs", n)
        case "older action", "":
            return ngettext("{n} older action", "{n} older actions", n)
        case "more rule change", "":
            return ngettext("{n} more rule change", "{n} more rule changes", n)
    return None


def hours(h: float) -> str:
    """A duration in hours as tables show it: "11.8 h" ("11.8 小时" in Chinese)."""
    # TRANSLATORS: a flight's duration in hours, {hours} like 11.8.
    return _("{hours} h").format(hours=f"{h:g}")


def fmt_home(home: Home, open_high: bool) -> str:
    """A total in the home currency (open-ended like the USD total it was converted from)."""
    return fmt_span(Span(low=home.low, high=home.high, open_high=open_high), home.currency)


def converted(home: Home, open_high: bool) -> str:
    """A USD range in the currency shown, labelled as tripplan's conversion, not a figure of the source:
    'CN¥33,264 – CN¥66,529 (converted at 6.65288 CNY per USD)' (the rate's source is on the rate line)."""
    return _("{amount} (converted at {rate} {currency} per USD)").format(
        amount=fmt_home(home, open_high), rate=f"{home.rate:g}", currency=home.currency
    )


def rate_line(rated: Rated) -> str:
    """How a home-currency figure was converted: the rate, its source and date, or that it is the user's."""
    rate, cur, src = f"{rated.rate:g}", rated.currency, rated.rate_source
    if rated.yours:
        return _("1 USD = {rate} {currency} (your rate, --rate)").format(rate=rate, currency=cur)
    if rated.as_of is None:
        return _("1 USD = {rate} {currency} ({source}, a fixed rate)").format(rate=rate, currency=cur, source=src)
    if rated.stale:
        return _(
            "1 USD = {rate} {currency} ({source}, as of {date}, {days} days old; older than {max_days} days: "
            "check a current rate)"
        ).format(rate=rate, currency=cur, source=src, date=rated.as_of, days=rated.age_days, max_days=RATE_MAX_AGE_DAYS)
    return _("1 USD = {rate} {currency} ({source}, as of {date}, {days} days old)").format(
        rate=rate, currency=cur, source=src, date=rated.as_of, days=rated.age_days
    )


def amount_line(line: PriceLine) -> str:
    """A price as quoted and in USD, with the rate's day: '¥1,650,000 = $10,493 (157.25/USD of 2026-10-30)';
    a single amount is written once."""
    usd = fmt_span(line.span)
    if line.quoted is None:
        return usd
    q = line.quoted
    quoted = fmt_span(Span(low=q.low, high=q.high), q.currency)
    if line.rate_as_of:
        return _("{quoted} = {usd} ({rate}/USD of {date})").format(
            quoted=quoted, usd=usd, rate=f"{line.rate:g}", date=line.rate_as_of
        )
    return _("{quoted} = {usd} ({rate}/USD, a fixed rate)").format(quoted=quoted, usd=usd, rate=f"{line.rate:g}")


def assumed_airport_line(a: Assumed | None) -> str | None:
    """How the home airport was chosen when the user gave none, and how to change it."""
    if a is None:
        return None
    return _("Home airport assumed: {airport}, {basis} [{source}]; change it with --airport.").format(
        airport=a.airport, basis=a.basis, source=a.source
    )


def no_rate_line(currency: str) -> str:
    """That a currency has no sourced rate, so totals stay in USD, and how to give one."""
    return _(
        "No sourced exchange rate for {currency}: totals are in USD. Give your own with --rate (units per USD)."
    ).format(currency=currency)


# Whether a stay fits the visa-free limit (schedule.Stay.fits): True, False, or None when a visa is needed.
STAY_FITS = {True: N_("fits"), False: N_("too long"), None: N_("visa needed")}

# The assumption that dates the flights (zones.ARRIVE_AT / DEPART_AT).
FLIGHT_TIMES = N_("Flight days assume landing at 15:00 and leaving at 11:00 local time (assumption).")

# Kinds of cells (quote.KINDS), as a person reads them.
CELLS = {
    "cultured": N_("cultured (own cells, grown for weeks)"),
    "same-day": N_("same-day (own cells, not grown)"),
    "donor": N_("donor cells"),
    "cell-free": N_("cell-free"),
    "none": N_("no cells"),
}
# The source rows of other kinds of cells than the trip's, listed apart (quote and compare).
OTHER_CELLS = N_("rows for other kinds of cells (not in the range or the total)")
# TRANSLATORS: a kind of cells in a few words; "cultured" = own cells grown for weeks, "same-day" = not grown.
CELLS_SHORT = {
    "cultured": N_("cultured"),
    "same-day": N_("same-day"),
    "donor": N_("donor"),
    "cell-free": N_("cell-free"),
}


# What a source is (models.SourceKind), as a person reads it.
SOURCE_KINDS = {
    "law": N_("law"),
    "authority": N_("authority"),
    "society": N_("society"),
    "paper": N_("paper"),
    "press": N_("press"),
    "article": N_("article"),
    "dataset": N_("dataset"),
    # TRANSLATORS: a kind of source: a price quoted by a clinic.
    "quote": N_("quote"),
    "assumption": N_("assumption"),
}


def source_kind(kind: str) -> str:
    """A kind of source in the current language ("press" -> "新闻报道"); an unknown kind as given."""
    return _(SOURCE_KINDS[kind]) if kind in SOURCE_KINDS else kind


# TRANSLATORS: the separator between the parts of one line ("visa: …; safety: …"): a semicolon and a space.
PARTS = N_("; ")


def parts(items: list[str]) -> str:
    """The parts of one line joined by the language's separator ("; " in English, "；" in Chinese)."""
    return _(PARTS).join(items)


# TRANSLATORS: the full stop that ends a sentence made from data text: "." in English, "。" in Chinese.
FULL_STOP = N_(".")
_ENDS = ".!?。！？"


def ended(text: str) -> str:
    """`text` as a whole sentence: the language's full stop (FULL_STOP: "." / "。") added after it unless it
    already ends with ".", "!", "?", "。", "！" or "？"; empty text stays empty."""
    kept = text.rstrip()
    if not kept or kept[-1] in _ENDS:
        return kept
    return kept + _(FULL_STOP)


def labelled(label: str, text: str) -> str:
    """A label and what it labels, as the language writes it: "Tokyo: assumption: ..." / "东京：假设：..."."""
    # TRANSLATORS: a label and the text it labels ("Follow-up (6 months): 23 Sep"): Chinese "{label}：{text}"
    return _("{label}: {text}").format(label=label, text=text)


def place(*names: str) -> str:
    """A place from the smallest to the largest of its parts ("Tokyo, Japan"), joined as the language joins
    them (Chinese "东京，日本"); empty parts left out."""
    kept = [n for n in names if n]
    joined = kept[0] if kept else ""
    for within in kept[1:]:
        # TRANSLATORS: a place and the larger place it is in ("Tokyo, Japan"): Chinese "{place}，{within}"
        joined = _("{place}, {within}").format(place=joined, within=within)
    return joined


def headed(heading: str, detail: str) -> str:
    """Rich markup: a bold heading and, after it, a plain detail in brackets ("Safety record (as of …)"), joined
    as the language writes it (a space in English; none before a Chinese full-width bracket)."""
    from rich.markup import escape

    # TRANSLATORS: a bold heading followed by a detail in brackets; {heading} and {detail} are both translated
    # already. Chinese: "{heading}{detail}" (no space before （).
    return _("{heading} {detail}").format(heading=f"[bold]{escape(heading)}[/bold]", detail=escape(detail))


def cells_label(kind: str) -> str:
    """A kind of cells (quote.KINDS) as a person reads it, in the current language; an unknown kind as given."""
    return _(CELLS[kind]) if kind in CELLS else kind


def cells_short(kind: str) -> str:
    """A kind of cells in a few words ("cultured"), in the current language; an unknown kind as given."""
    return _(CELLS_SHORT[kind]) if kind in CELLS_SHORT else kind


def stay_fits(fits: bool | None) -> str:
    """Whether a stay fits the visa-free limit, in the current language (STAY_FITS)."""
    return _(STAY_FITS[fits])


# The foot of every command's output (shown through _()).
SOURCES_SHORT = N_(
    "Sources (titles and dates: --details): {ids}. Figures as of these sources; computed on {today}. "
    "Check prices with the clinic before booking."
)
SOURCES_AS_OF = N_("Figures as of the sources above; computed on {today}. Check prices with the clinic before booking.")
DETAILS_HINT = N_("Every source row, travel line, rate and note: add --details (all of it in --json).")
SAFETY_SEARCHED = N_("Searched again for newer items on {day} (what was searched and left out: --details).")
# TRANSLATORS: the rest of a destination's safety record in its summary: {older} is a count of older actions
# ("3 older actions"), {first} and {last} their dates; {changes} a count of further rule changes.
SAFETY_OLDER = N_("and {older}, {first} to {last} (with --details)")
SAFETY_OLDER_AND_CHANGES = N_("and {older}, {first} to {last}, and {changes} (with --details)")
SAFETY_MORE_CHANGES = N_("and {changes} (with --details)")
# TRANSLATORS: {signs} is a count of warning signs ("7 warning signs"); "+N" is written as is.
SAFETY_DETAILS_HINT = N_(
    "Who, the treatment, the patients and every source (+N: N more) of each item, the {signs} the "
    "authorities name, the sources' titles and dates: add --details (all of it in --json)."
)
DECIDE_NOTE = N_(
    "tripplan informs; it does not tell anyone whether to travel. Decisions belong to the patient and their doctors."
)


def _either(words: list[str]) -> str:
    """Words joined as alternatives: "a", "a or b", "a or b or c" (each join a message)."""
    out = words[0]
    for w in words[1:]:
        out = _("{first} or {second}").format(first=out, second=w)
    return out


def at_home_label(country_name: str, kinds: list[str]) -> str:
    """What a price at home is the price of: "At home (United States): same-day cells" — the kinds of cells
    its source rows are, so a same-day price at home is never read as the price of cultured cells."""
    if not kinds:
        return _("At home ({country})").format(country=country_name)
    what = _either([cells_short(k) for k in dict.fromkeys(kinds)])
    return _("At home ({country}): {kinds} cells").format(country=country_name, kinds=what)


def _quoted(line: PriceLine) -> str:
    """What a source row quoted in its own currency, when, and the rate it was converted at."""
    assert line.quoted is not None
    amount = fmt_span(Span(low=line.quoted.low, high=line.quoted.high), line.quoted.currency)
    values = {"amount": amount, "date": line.quoted_on, "rate": f"{line.rate:g}", "day": line.rate_as_of}
    if line.quoted_on and line.rate_as_of:
        return _("quoted {amount} on {date}, at {rate}/USD of {day}").format(**values)
    if line.quoted_on:
        return _("quoted {amount} on {date}, at {rate}/USD").format(**values)
    if line.rate_as_of:
        return _("quoted {amount}, at {rate}/USD of {day}").format(**values)
    return _("quoted {amount}, at {rate}/USD").format(**values)


def source_row_note(line: PriceLine) -> str:
    """A source row's note as the source gives it, with what it quoted or printed and the count it assumes:
    one wording for the terminal's rows and the page's "As the source gives it" column."""
    extra = []
    if line.quoted is not None:
        extra.append(_quoted(line))
    if line.count is not None:
        extra.append(_("{unit} × {count} (the source's typical count)").format(unit=line.unit, count=line.count))
    if line.local is not None:
        local = {"amount": range_text(line.local.low, line.local.high), "currency": line.local.currency}
        if line.high:
            extra.append(
                _("the source prints {amount} {currency}; {ratio} per USD as printed").format(
                    **local, ratio=f"{line.local.high / line.high:.2f}"
                )
            )
        else:
            extra.append(_("the source prints {amount} {currency}").format(**local))
    if not extra:
        return line.note
    # TRANSLATORS: a source row's note and, in brackets, what the source quoted or printed ("... (quoted ...)")
    return _("{note} ({details})").format(note=line.note, details=parts(extra)).strip()


ASSUMED_FOR = N_(
    "Visit lengths and rest before flying home are tripplan's assumptions for {codes} (each with --details)."
)


def red_flags_line(flags: ClinicFlags) -> str:
    """A chosen clinic's red flags where the patient looks: how many, the most serious, where the rest are."""
    if flags.most_serious is None:
        return _("Red flags: none raised for this clinic ({check} --language xx adds the coordinator check).").format(
            check=flags.check
        )
    return ngettext(
        "Red flags: {n} for this clinic; most serious: {message}. All {n} with their sources: {check}",
        "Red flags: {n} for this clinic; most serious: {message}. All {n} with their sources: {check}",
        flags.count,
    ).format(n=flags.count, message=flags.most_serious.message, check=flags.check)
