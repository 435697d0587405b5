"""Dates as people type them: ISO, 2027/03/01, 2027-3-1, 1 March 2027, March 1, 2027, 2027年3月1日 (or 号).

A numeric date whose day and month could be swapped (03/04/2027) is refused with both readings, never guessed;
a weekday that contradicts its date ("Fri 1 March 2027") is refused, never dropped."""

from __future__ import annotations

import datetime as dt
import re

from tripplan.errors import UsageError
from tripplan.i18n import N_, _

_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_CJK = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]?")
_XXY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
EXAMPLES = N_("2027-03-01, 2027/3/1 or 1 March 2027")


def _day(year: int, month: int, day: int, text: str, field: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as e:
        raise UsageError(
            _("'{text}' is not a valid date: {reason}").format(text=text, reason=_why(e)), field=field
        ) from None


def _why(error: ValueError) -> str:
    """Why the standard library refuses a day, in the current language (its three messages)."""
    reasons = {
        "day is out of range for month": N_("day is out of range for month"),
        "month must be in 1..12": N_("month must be in 1..12"),
        "year 0 is out of range": N_("year is out of range"),
    }
    said = str(error)
    return _(reasons[said]) if said in reasons else said


def _words(text: str, field: str) -> dt.date:
    from dateutil import parser

    named, rest = _weekday(text)
    # parse twice with different defaults: a part the text leaves out shows up as a difference
    try:
        a = parser.parse(rest, default=dt.datetime(2001, 1, 1), dayfirst=False, fuzzy=False)
        b = parser.parse(rest, default=dt.datetime(2002, 2, 2), dayfirst=False, fuzzy=False)
    except (ValueError, OverflowError):
        raise UsageError(
            _("'{text}' is not a date; write it as {examples}").format(text=text, examples=_(EXAMPLES)), field=field
        ) from None
    if a != b:
        raise UsageError(
            _("'{text}' is not a whole date: give the day, the month and the year, e.g. {examples}").format(
                text=text, examples=_(EXAMPLES)
            ),
            field=field,
        )
    if (a.hour, a.minute, a.second, a.microsecond) != (0, 0, 0, 0):
        raise UsageError(
            _("'{text}' has a time of day; give the date alone, e.g. {examples}").format(
                text=text, examples=_(EXAMPLES)
            ),
            field=field,
        )
    day = a.date()
    if named is not None and named != day.weekday():
        from tripplan.dateformat import WEEKDAYS, day_words, weekday_name

        raise UsageError(
            _("'{text}': {date} is a {weekday}, not a {named}; give the date alone or its right weekday").format(
                text=text, date=day_words(day), weekday=weekday_name(day), named=_(WEEKDAYS[named])
            ),
            field=field,
        )
    return day


def _weekday(text: str) -> tuple[int | None, str]:
    """The weekday a date's text names (Mon, Tues, Friday…; 0 = Monday) or None, and the text without it."""
    from tripplan.dateformat import WEEKDAYS

    for m in re.finditer(r"[A-Za-z]{3,}", text):
        word = m.group().lower()
        for i, name in enumerate(WEEKDAYS):
            if name.lower().startswith(word):
                rest = text[: m.start()] + text[m.end() :]
                return i, rest.strip(" ,")
    return None, text


def parse_day(text: str, *, field: str) -> dt.date:
    """The date a person typed, or a UsageError naming what is wrong and how to write it."""
    s = text.strip()
    if not s or len(s) > 40:
        raise UsageError(
            _("'{text}' is not a date; write it as {examples}").format(text=s[:40], examples=_(EXAMPLES)), field=field
        )
    if (m := _YMD.fullmatch(s)) or (m := _CJK.fullmatch(s)):
        return _day(int(m[1]), int(m[2]), int(m[3]), s, field)
    if m := _XXY.fullmatch(s):
        first, second, year = int(m[1]), int(m[2]), int(m[3])
        if first <= 12 and second <= 12 and first != second:
            from tripplan.dateformat import day_words

            a, b = dt.date(year, second, first), dt.date(year, first, second)
            raise UsageError(
                _("'{text}' could be {a} (day first) or {b} (month first); write it as {a_iso} or {b_iso}").format(
                    text=s, a=day_words(a), b=day_words(b), a_iso=a.isoformat(), b_iso=b.isoformat()
                ),
                field=field,
            )
        day, month = (first, second) if first > 12 or first == second else (second, first)
        return _day(year, month, day, s, field)
    if re.fullmatch(r"[\d\s\-/.]+", s):
        raise UsageError(
            _("'{text}' is not a date; write it as {examples}").format(text=s, examples=_(EXAMPLES)), field=field
        )
    return _words(s, field)
