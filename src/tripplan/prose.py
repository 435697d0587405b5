"""A date inside a sentence, in the language being spoken: 2027-03-01 in English (as every sentence of
tripplan has always said it), 2027年3月1日（周一） in Chinese. Tables, ids and file names keep ISO dates.

How a language writes such a date is its catalog's to say (adding a language needs files only): the
message DATE_STYLE translates to "iso" (the ISO date) or "words" (the pattern DATE_WORDS, translated)."""

from __future__ import annotations

import datetime as dt

from tripplan.i18n import N_, _

# TRANSLATORS: not words: how a sentence writes a date in this language: "iso" (2027-03-01, as English does) or
# "words" (the pattern of the next message). Chinese: words
DATE_STYLE = N_("iso")
# TRANSLATORS: a date inside a sentence, where the style above is "words": {year} 2027, {month} 3, {day} 1,
# {weekday} the day of the week as translated below (English never shows this pattern).
# Chinese: {year}年{month}月{day}日（{weekday}）
DATE_WORDS = N_("{weekday} {day}/{month}/{year}")
# TRANSLATORS: the day of the week inside a date in a sentence (Chinese: 周一 … 周日)
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def in_prose(day: dt.date) -> str:
    """`day` as a sentence says it: "2027-03-01" (en), "2027年3月1日（周一）" (zh). The digits are the date's
    own: a translation never changes them."""
    if _(DATE_STYLE) != "words":
        return day.isoformat()
    weekday = _(WEEKDAYS[day.weekday()])
    return _(DATE_WORDS).format(year=day.year, month=day.month, day=day.day, weekday=weekday)
