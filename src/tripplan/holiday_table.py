"""Public holidays, kept: the `holidays` package takes a fifth of a second to import, a kept table a
millisecond to read.

A table is an entry of the store (cache.py) like a data file's: its key is a digest of the inputs it was
made from (the `holidays` release, the calendar, the years), its content records them again, and a table
whose content does not match its inputs, or holds anything but dates and names without control
characters, is dropped and made again from the package. The package's snapshot holds each destination's
table for HOLIDAY_YEARS (scripts/build_validated.py), used only with the `holidays` release it was built
with.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any

from tripplan import cache
from tripplan.closures import public_holidays
from tripplan.frozen import no_control

HOLIDAY_YEARS = range(2024, 2033)  # the years whose public holidays the snapshot holds


def holidays_release() -> str:
    """The installed `holidays` release, read from its dist-info folder's name (holidays-0.84.dist-info):
    `importlib.metadata`, which the package's own version uses, costs more to import than the table
    costs to read."""
    from importlib.machinery import PathFinder

    spec = PathFinder.find_spec("holidays")
    if spec is not None and spec.origin:
        with contextlib.suppress(OSError):
            site = Path(spec.origin).parent.parent
            found = sorted(p.name for p in site.glob("holidays-*.dist-info"))
            if len(found) == 1:
                return found[0]
    from importlib.metadata import version

    return version("holidays")


def kind(calendar: str) -> str:
    return f"holidays-{calendar}"


def key(calendar: str, years: list[int], release: str | None) -> str:
    """The digest of a table's inputs; the snapshot's (release None) names the release inside instead,
    so that its file name stays the same from one `holidays` release to the next."""
    return cache.digest(calendar, ",".join(map(str, sorted(years))), release or "")


def table(calendar: str, years: list[int], release: str, days: dict[dt.date, str]) -> dict[str, Any]:
    """A table as stored: its inputs and its days."""
    return {
        "calendar": calendar,
        "years": sorted(years),
        "release": release,
        "days": {d.isoformat(): n for d, n in sorted(days.items())},
    }


def _days(found: Any, calendar: str, years: list[int], release: str) -> dict[dt.date, str] | None:
    """The days of a stored table made from exactly these inputs, or None."""
    if not isinstance(found, dict) or set(found) != {"calendar", "years", "release", "days"}:
        return None
    if (found["calendar"], found["years"], found["release"]) != (calendar, sorted(years), release):
        return None
    days = found["days"]
    if not isinstance(days, dict):
        return None
    try:
        out = {dt.date.fromisoformat(d): no_control(n) for d, n in days.items() if isinstance(n, str)}
    except ValueError:
        return None
    return out if len(out) == len(days) else None


def _snapshot_table(calendar: str) -> Any:
    from tripplan.loader import shipped_data_dir, snapshot_dir

    store = cache.Store(folder=snapshot_dir(shipped_data_dir()), ours=False)
    return store.read(kind(calendar), key(calendar, list(HOLIDAY_YEARS), None))


def snapshot_release(calendar: str) -> str | None:
    """The `holidays` release the package's table for this calendar was built with (None: no table)."""
    found = _snapshot_table(calendar)
    return str(found["release"]) if isinstance(found, dict) and "release" in found else None


def snapshot_holidays(calendar: str, years: list[int]) -> dict[dt.date, str] | None:
    """The public holidays the package ships for this calendar, if built with the installed `holidays`
    release and holding every year asked for."""
    if not years or not all(y in HOLIDAY_YEARS for y in years):
        return None
    everything = list(HOLIDAY_YEARS)
    days = _days(_snapshot_table(calendar), calendar, everything, holidays_release())
    if days is None:
        return None
    wanted = set(years)
    return {d: n for d, n in days.items() if d.year in wanted}


def cached_holidays(calendar: str, years: list[int]) -> dict[dt.date, str]:
    """Public holidays ({date: name}) of a calendar in the years: from the package's snapshot, else the
    cache, else the `holidays` package (then kept in the cache)."""
    shipped = snapshot_holidays(calendar, years)
    if shipped is not None:
        return shipped
    folder = cache.cache_dir()
    if folder is None or not cache.usable(folder):
        return public_holidays(calendar, years)
    store = cache.Store(folder=folder)
    release = holidays_release()
    days = _days(store.read(kind(calendar), key(calendar, years, release)), calendar, years, release)
    if days is not None:
        return days
    days = public_holidays(calendar, years)
    store.write(kind(calendar), key(calendar, years, release), table(calendar, years, release, days))
    return days
