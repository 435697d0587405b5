"""The treatment protocol a trip follows: one source of truth for quote, schedule and compare."""

from __future__ import annotations

import math

from tripplan.catalog import Catalog
from tripplan.errors import DataError, Problem
from tripplan.frozen import replace, shallow
from tripplan.models import Clinic, Protocol
from tripplan.money import Span


def effective_protocol(cat: Catalog, destination: str, clinic: Clinic | None = None) -> Protocol:
    """The destination's protocol; for a clinic whose processing differs, the protocol of that processing
    (treatments.toml); the clinic's own visit days and culture window laid over either."""
    base = cat.countries[destination].protocol
    if clinic is None:
        return base
    if clinic.processing != base.processing:
        other = cat.processing_protocols.get(clinic.processing)
        if other is None:
            raise DataError(
                [
                    Problem(
                        "treatments.toml",
                        f"no [[processing]] record for '{clinic.processing}', which clinic {clinic.id} uses; add one",
                        record=f"processing '{clinic.processing}'",
                    )
                ]
            )
        base = Protocol(**shallow(other))  # the same fields, as the base class
    changes = {
        name: getattr(clinic, name)
        for name in ("visit1_days", "visit2_days", "culture_weeks")
        if getattr(clinic, name) is not None
    }
    return replace(base, **changes) if changes else base


def rest_hours(protocol: Protocol, *, fly_early: bool = False) -> int:
    """Hours after the treatment before the planned flight home: tripplan's planning rule
    (`fly_home_after_hours`, a labelled assumption where tripplan chose it), or, when the user accepts flying as
    early as the sources allow, their shortest rest (`fly_home_earliest_hours`, e.g. "rest for 24-48 hours",
    seed-degenerative-us; "cleared to fly back ... within 48 hours", seed-sports-trauma-us)."""
    if fly_early and protocol.fly_home_earliest_hours is not None:
        return protocol.fly_home_earliest_hours
    return protocol.fly_home_after_hours


def recovery_days(protocol: Protocol, *, fly_early: bool = False) -> int:
    """Whole days after the treatment before the planned flight home (see rest_hours)."""
    return math.ceil(rest_hours(protocol, fly_early=fly_early) / 24)


def visit_nights(protocol: Protocol, *, fly_early: bool = False) -> list[tuple[int, int]]:
    """Nights away for each trip (min, max): the visit's days (as the sources give them) less one.

    By default the last trip lasts at least the night before the treatment plus the whole days of tripplan's
    planning rest, so a 48-hour rule makes the last visit at least 4 days (3 nights). With `fly_early` (the user
    accepts flying as early as the sources allow) the sources' own days stand unless the sources' shortest rest
    needs more: the treatment may fall on the arrival day, as the sources' 2-day second visit implies, so a 24-hour
    rest needs 1 night and a 2-day visit is possible."""
    pairs = [(protocol.visit1_days[0] - 1, protocol.visit1_days[1] - 1)]
    if protocol.trips == 2 and protocol.visit2_days is not None:
        pairs.append((protocol.visit2_days[0] - 1, protocol.visit2_days[1] - 1))
    days = recovery_days(protocol, fly_early=fly_early)
    early = fly_early and protocol.fly_home_earliest_hours is not None
    floor = days if early else (1 + days if days else 0)
    last_low, last_high = pairs[-1]
    pairs[-1] = (max(last_low, floor), max(last_high, floor))
    return pairs


def nights_and_days(nights_per_trip: list[tuple[int, int]]) -> tuple[Span, Span]:
    """Total nights away and days away (each trip adds its travel day) over all trips."""
    trips = len(nights_per_trip)
    nights = Span(low=sum(n[0] for n in nights_per_trip), high=sum(n[1] for n in nights_per_trip))
    return nights, Span(low=nights.low + trips, high=nights.high + trips)
