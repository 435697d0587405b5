"""How a language writes a date: weekday and month names (gettext messages), and the formats of a day, a
month's heading and a date inside a sentence (English here; another language's in
locale/<lang>/formats.toml beside its catalog, so adding a language needs files only). Used by the views,
the calendar, the page and the domain's sentences alike."""

from __future__ import annotations

import datetime as dt
import functools

from tripplan import i18n
from tripplan.i18n import N_, _

# Weekday names, Monday first (datetime.weekday() indexes them): full, short, and the two letters of a calendar.
# English, as dates.py reads them; shown through _() (weekday_name, weekday_short, weekday_letters).
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))
# TRANSLATORS: short weekday names (Mon ... Sun), as a table's Day column and a date in prose show them.
WEEKDAYS_SHORT = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
# TRANSLATORS: the heads of a month calendar's columns, Monday first: one or two letters (一 二 三 in Chinese).
WEEKDAY_LETTERS = (N_("Mo"), N_("Tu"), N_("We"), N_("Th"), N_("Fr"), N_("Sa"), N_("Su"))
MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)
# TRANSLATORS: short month names, as a short date shows them (Mon 01 Mar 2027).
MONTHS_SHORT = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)


def _date_parts(d: dt.date) -> dict[str, object]:
    """What a date format may use: {year} {month} {day} as numbers, {month_name} {month_abbr} {weekday} {wd}
    in words, {iso} (2027-03-01)."""
    return {
        "year": d.year,
        "month": d.month,
        "day": d.day,
        "month_name": _(MONTHS[d.month - 1]),
        "month_abbr": _(MONTHS_SHORT[d.month - 1]),
        "weekday": _(WEEKDAYS[d.weekday()]),
        "wd": _(WEEKDAYS_SHORT[d.weekday()]),
        "iso": d.isoformat(),
    }


# How a language writes a date: English here; another language's in locale/<lang>/formats.toml beside its
# catalog (a file, so adding a language needs files only), each format free to use any of _date_parts' fields
# (a catalog message could not: its translation must keep the English placeholders, and Chinese writes the
# month's number and the weekday where English writes neither).
DATE_FORMATS = {
    "day_long": "{weekday} {day:02d} {month_name} {year}",  # Monday 01 March 2027
    "day_short": "{wd} {day:02d} {month_abbr} {year}",  # Mon 01 Mar 2027
    "day_words": "{day} {month_name} {year}",  # 1 March 2027
    "month_heading": "{month_name} {year}",  # March 2027
    "in_prose": "{iso}",  # 2027-03-01: a date inside a sentence (tables, ids and file names keep ISO dates)
}


@functools.cache
def _formats_of(lang: str) -> dict[str, str]:
    """The date formats of `lang`: its locale/<lang>/formats.toml over the English ones (English reads no file,
    and imports no TOML reader: start-up is unchanged)."""
    path = i18n.LOCALE_DIR / lang / "formats.toml"
    if lang == i18n.DEFAULT or not path.is_file():
        return DATE_FORMATS
    import tomli  # the one TOML reader of tripplan's files (loader.read_toml)

    found = tomli.loads(path.read_text("utf-8"))
    return {**DATE_FORMATS, **{k: v for k, v in found.items() if k in DATE_FORMATS and isinstance(v, str)}}


def _date_format(name: str) -> str:
    return _formats_of(i18n.current())[name]


def day_long(d: dt.date) -> str:
    """ "Monday 01 March 2027" ("2027年3月1日（周一）" in Chinese): a day as the page's calendar and the refusals
    name it."""
    return _date_format("day_long").format(**_date_parts(d))


def day_short(d: dt.date) -> str:
    """ "Mon 01 Mar 2027" ("2027年3月1日（周一）" in Chinese)."""
    return _date_format("day_short").format(**_date_parts(d))


def day_words(d: dt.date) -> str:
    """ "1 March 2027" ("2027年3月1日（周一）" in Chinese): a day in prose."""
    return _date_format("day_words").format(**_date_parts(d))


def in_prose(d: dt.date) -> str:
    """A date inside a sentence: "2027-03-01" in English (as tripplan's sentences have always said it),
    "2027年3月1日（周一）" in Chinese. The digits are the date's own: a translation never changes them."""
    return _date_format("in_prose").format(**_date_parts(d))


def month_heading(year: int, month: int) -> str:
    """A month calendar's heading: "March 2027" ("2027年3月" in Chinese)."""
    return _date_format("month_heading").format(**_date_parts(dt.date(year, month, 1)))


def weekday_name(d: dt.date) -> str:
    """The day's weekday in full, in the current language ("Monday")."""
    return _(WEEKDAYS[d.weekday()])


def weekday_short(d: dt.date) -> str:
    """The day's weekday, short, in the current language ("Mon", "周一")."""
    return _(WEEKDAYS_SHORT[d.weekday()])


def weekday_letters() -> tuple[str, ...]:
    """A month calendar's column heads, Monday first, in the current language ("Mo" ... "Su"; 一 ... 日)."""
    return tuple(_(w) for w in WEEKDAY_LETTERS)
