"""The treatment protocol a trip follows: one source of truth for quote, schedule and compare."""

from __future__ import annotations

import math
from dataclasses import replace

from tripplan.catalog import Catalog
from tripplan.errors import DataError, Problem, UsageError
from tripplan.i18n import _
from tripplan.models import Clinic, Protocol
from tripplan.money import Span
from tripplan.plain import shallow


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
                        _("no [[processing]] record for '{processing}', which clinic {clinic} uses; add one").format(
                            processing=clinic.processing, clinic=clinic.id
                        ),
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


def days_after_treatment(protocol: Protocol, *, fly_early: bool = False) -> int:
    """Days from the treatment (injection, or the one visit's treatment) to the planned flight home: the
    fly-home rule (rest_hours), and never the day of the procedure (`after_harvest_days`, at least 1)."""
    return max(recovery_days(protocol, fly_early=fly_early), protocol.after_harvest_days)


def nights_before_injection(protocol: Protocol, *, fly_early: bool = False) -> int:
    """Nights at the destination before the injection on visit 2: 1 (arrive the day before), or 0 when the
    user accepts flying as early as the sources allow (the injection may fall on the arrival day, as the
    sources' 2-day second visit implies)."""
    return 0 if fly_early and protocol.fly_home_earliest_hours is not None else 1


MIN_WEEKS, MAX_WEEKS = 1, 26  # a culture window outside this is a typing error, not a protocol


def check_weeks(weeks: tuple[int, int] | None) -> None:
    """Refuse (usage error, field culture_weeks) a window whose minimum exceeds its maximum or that lies
    outside 1-26 weeks."""
    if weeks is not None and weeks[0] > weeks[1]:
        raise UsageError(
            _("culture window {low}-{high} weeks: the minimum is greater than the maximum").format(
                low=weeks[0], high=weeks[1]
            ),
            field="culture_weeks",
        )
    if weeks is not None and not (weeks[0] >= MIN_WEEKS and weeks[1] <= MAX_WEEKS):
        raise UsageError(
            _("culture window {low}-{high} weeks: give weeks between {min} and {max}, e.g. 3-6").format(
                low=weeks[0], high=weeks[1], min=MIN_WEEKS, max=MAX_WEEKS
            ),
            field="culture_weeks",
        )


def culture_window(protocol: Protocol, weeks: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """The culture window in weeks (the request's, checked by check_weeks, else the protocol's); None for a
    one-visit protocol."""
    check_weeks(weeks)
    if protocol.trips != 2:
        return None
    return weeks or protocol.culture_weeks


def visit_nights(
    protocol: Protocol,
    *,
    stay_through: bool = False,
    culture_weeks: tuple[int, int] | None = None,
    fly_early: bool = False,
) -> list[tuple[int, int]]:
    """Nights away for each round trip (min, max), as schedule lays the visits out: the visit's days (as the
    sources give them) less one, and at least

    - visit 1 (or the one visit): the night before the harvest plus `after_harvest_days` nights after it
      (no long-haul departure on the day of a procedure);
    - visit 2: `nights_before_injection` plus `days_after_treatment` nights (a 48-hour rule: 3 nights; with
      `fly_early` and a 24-hour shortest rest in the sources: 1 night, a 2-day visit);
    - `stay_through` (two-visit protocols only): one trip from the night before the harvest, through the
      culture window (`culture_weeks`, else the protocol's), to the planned flight home after the injection.
      The most nights before the harvest are visit 1's longest stay less the nights after the harvest.
    """
    after = days_after_treatment(protocol, fly_early=fly_early)
    weeks = culture_window(protocol, culture_weeks)
    if weeks is not None and stay_through:
        before_max = max(1, protocol.visit1_days[1] - 1 - protocol.after_harvest_days)
        return [(1 + 7 * weeks[0] + after, before_max + 7 * weeks[1] + after)]
    first_floor = 1 + (protocol.after_harvest_days if weeks is not None else after)
    pairs = [(max(protocol.visit1_days[0] - 1, first_floor), max(protocol.visit1_days[1] - 1, first_floor))]
    if weeks is not None and protocol.visit2_days is not None:
        floor = nights_before_injection(protocol, fly_early=fly_early) + after
        pairs.append((max(protocol.visit2_days[0] - 1, floor), max(protocol.visit2_days[1] - 1, floor)))
    return pairs


def nights_and_days(nights_per_trip: list[tuple[int, int]]) -> tuple[Span, Span]:
    """Total nights away and days away (each trip adds its travel day) over all trips."""
    trips = len(nights_per_trip)
    nights = Span(low=sum(n[0] for n in nights_per_trip), high=sum(n[1] for n in nights_per_trip))
    return nights, Span(low=nights.low + trips, high=nights.high + trips)
