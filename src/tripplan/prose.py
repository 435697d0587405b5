"""A date inside a sentence, in the language being spoken: 2027-03-01 in English (as every sentence of
tripplan has always said it), 2027年3月1日（周一） in Chinese. Tables, ids and file names keep ISO dates."""

from __future__ import annotations

import datetime as dt

from tripplan.i18n import N_, _

# TRANSLATORS: a date inside a sentence: {year} 2027, {month} 3, {day} 1, {weekday} the day of the week as
# translated below (English writes the ISO date and leaves the weekday out: ".0" prints none of it).
# Chinese: {year}年{month}月{day}日（{weekday}）
DATE = N_("{year:04d}-{month:02d}-{day:02d}{weekday:.0}")
# TRANSLATORS: the day of the week inside a date in a sentence (Chinese: 周一 … 周日)
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def in_prose(day: dt.date) -> str:
    """`day` as a sentence says it: "2027-03-01" (en), "2027年3月1日（周一）" (zh). The digits are the date's
    own: a translation never changes them."""
    return _(DATE).format(year=day.year, month=day.month, day=day.day, weekday=_(WEEKDAYS[day.weekday()]))
