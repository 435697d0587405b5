"""The state of each day of a plan (harvest, injection, closed, visit, window) with the letter and colour
the terminal calendar and the HTML page both mark it with."""

from __future__ import annotations

import datetime as dt

from tripplan.i18n import N_
from tripplan.schedule import Plan

# Each day's state: a letter (read piped, printed, with NO_COLOR, by colour-blind readers) and a colour
# from the Okabe-Ito palette, which stays distinct for the common kinds of colour blindness. The words are
# marked for translation: `_()` them where they are shown.
MARKS: dict[str, tuple[str, str, str]] = {
    "harvest": ("H", "bold black on #E69F00", N_("harvest")),
    "injection": ("I", "bold black on #E69F00", N_("injection")),
    "closed": ("X", "bold white on #D55E00", N_("clinic closed")),
    "maybe": ("?", "black on #F0E442", N_("possibly closed")),
    "visit": ("V", "white on #0072B2", N_("in the destination")),
    "window": ("W", "black on #56B4E9", N_("injection window")),
}


def day_marks(plan: Plan) -> dict[dt.date, str]:
    """The state of every marked day; a day in several states shows the most important one."""
    marks: dict[dt.date, str] = {}

    def span(first: dt.date, last: dt.date, state: str) -> None:
        d = first
        while d <= last:
            marks[d] = state
            d += dt.timedelta(days=1)

    if plan.injection_window:
        span(plan.injection_window.earliest, plan.injection_window.latest, "window")
    for v in plan.visits:
        span(v.arrive, v.depart, "visit")
    for c in plan.closures:
        marks[c.date] = "closed" if c.certain else "maybe"
    if plan.injection_window:
        marks[plan.harvest] = "harvest"
    marks[plan.injection] = "injection"
    return marks
