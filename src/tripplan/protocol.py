"""The treatment protocol a trip follows: one source of truth for quote, schedule and compare."""

from __future__ import annotations

import math

from tripplan.catalog import Catalog
from tripplan.models import Clinic, Protocol
from tripplan.money import Span


def effective_protocol(cat: Catalog, destination: str, clinic: Clinic | None = None) -> Protocol:
    """The destination's protocol with the clinic's own visit lengths and culture window laid over it."""
    base = cat.countries[destination].protocol
    if clinic is None:
        return base
    changes = {
        name: getattr(clinic, name)
        for name in ("visit1_nights", "visit2_nights", "culture_weeks")
        if getattr(clinic, name) is not None
    }
    if clinic.processing != base.processing:
        # a clinic whose processing differs from the country's usual one: cultured means two trips
        two = clinic.processing == "cultured"
        changes["trips"] = 2 if two else 1
        changes["processing"] = clinic.processing
        if two:
            changes.setdefault("visit2_nights", base.visit2_nights or base.visit1_nights)
            changes.setdefault("culture_weeks", base.culture_weeks or (3, 6))
            changes.setdefault("fly_home_after_hours", 48)
    return base.model_copy(update=changes)


def recovery_days(protocol: Protocol) -> int:
    """Whole days after the treatment before the patient may fly home."""
    return math.ceil(protocol.fly_home_after_hours / 24)


def visit_nights(protocol: Protocol) -> list[tuple[int, int]]:
    """Nights away for each trip (min, max). The last trip lasts at least the night before the
    treatment plus the days before flying home."""
    pairs = [protocol.visit1_nights]
    if protocol.trips == 2 and protocol.visit2_nights is not None:
        pairs.append(protocol.visit2_nights)
    floor = 1 + recovery_days(protocol) if recovery_days(protocol) else 0
    last_low, last_high = pairs[-1]
    pairs[-1] = (max(last_low, floor), max(last_high, floor))
    return pairs


def nights_and_days(nights_per_trip: list[tuple[int, int]]) -> tuple[Span, Span]:
    """Total nights away and days away (each trip adds its travel day) over all trips."""
    trips = len(nights_per_trip)
    nights = Span(low=sum(n[0] for n in nights_per_trip), high=sum(n[1] for n in nights_per_trip))
    return nights, Span(low=nights.low + trips, high=nights.high + trips)
