"""Time zones: which local day a traveller leaves home and lands back, given the flight time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tripplan.models import Airport

# Assumptions: flights land at the destination at 15:00 local time and leave it at 11:00 local time.
ARRIVE_AT = dt.time(15, 0)
DEPART_AT = dt.time(11, 0)


def leave_date(arrive: dt.date, home: Airport, dest: Airport, hours: float) -> dt.date:
    """The local day at home a flight must leave to land at `dest` at 15:00 on `arrive`."""
    landing = dt.datetime.combine(arrive, ARRIVE_AT, tzinfo=ZoneInfo(dest.tz))
    return (landing - dt.timedelta(hours=hours)).astimezone(ZoneInfo(home.tz)).date()


def land_date(depart: dt.date, dest: Airport, home: Airport, hours: float) -> dt.date:
    """The local day at home a flight leaving `dest` at 11:00 on `depart` lands."""
    takeoff = dt.datetime.combine(depart, DEPART_AT, tzinfo=ZoneInfo(dest.tz))
    return (takeoff + dt.timedelta(hours=hours)).astimezone(ZoneInfo(home.tz)).date()
