"""What the patient asks for, parsed once from the command line and read by quote, compare and schedule.

`TripRequest` holds every option that changes what a trip is or costs, including the options that change
the trip's *shape* (`stay_through`, `culture_weeks`, `harvest`, `inject`): quote, compare and schedule all
read them from the same object, so the three agree on the number of round trips, the nights and the total
for the same request. Without a harvest day the trip is a range over the shapes the protocol allows; with
one, the one dated plan schedule makes (quote --harvest prints schedule's total).
`PlanRequest` holds the same fields plus what only a dated plan needs (where, which clinic, which days); it is
what a saved plan records (in the saved file's order), so re-opening a plan re-makes it from this object;
`PlanRequest.trip()` gives its TripRequest.

Both are plain frozen dataclasses: the CLI builds them (cli_common.trip_request), the domain only reads them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from tripplan.travel import Overrides


@dataclass(frozen=True, slots=True, kw_only=True)
class TripRequest:
    """One patient's request, independent of the destination (quote and compare resolve it per destination)."""

    joint: str | None = None
    """Joint or tendon treated (lookup.JOINTS key, e.g. "knee", "achilles"); None when a treatment is given."""
    condition: str | None = None
    """Condition narrowing the price rows (e.g. "osteoarthritis"); None: every row for the joint."""
    treatment: str | None = None
    """Treatment keyword narrowing the price rows (catalog treatment key); None: every treatment."""
    nationality: str | None = None
    """The patient's passport, ISO 3166 alpha-2; None: no visa, flight or travel cost (treatment only)."""
    airport: str | None = None
    """Home airport IATA code the user gave; None: the nationality's principal airport (from data)."""
    companion: bool = False
    """A second traveller comes along (fares, days and visa counted twice; one hotel room)."""
    currency: str | None = None
    """ISO 4217 code the totals are also shown in; None: the nationality's home currency."""
    cells: str | None = None
    """Only destinations whose protocol uses these cells (quote.KINDS); None: every kind."""
    overrides: Overrides = field(default_factory=Overrides)
    """Figures the user gave instead of the data's assumptions (USD)."""
    stay_through: bool = False
    """Plan shape: stay at the destination from the harvest to the injection (one round trip instead of
    two; the nights in between are paid). Only changes two-visit protocols."""
    culture_weeks: tuple[int, int] | None = None
    """Plan shape: the culture window in weeks [min, max]; None: the protocol's window. With
    `stay_through` it sets the nights of the one long stay."""
    harvest: dt.date | None = None
    """Plan shape: the harvest day (a one-visit protocol's treatment day); None: the trip is costed over
    every shape the protocol allows (a range of nights). Given, the visits are dated from it as schedule
    dates them (dated.dated_visits) and cost exactly their nights."""
    inject: dt.date | None = None
    """Plan shape: the injection day inside the window (with `harvest`); None: the window's first open day."""

    @property
    def travellers(self) -> int:
        """People travelling: 1, or 2 with a companion."""
        return 2 if self.companion else 1


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanRequest:
    """What a dated plan was made from, kept in the saved plan: re-opening it with options re-makes it from this.
    It holds every TripRequest field (same names and meanings, in the saved file's order) plus where, which
    clinic and which days; `trip()` is the TripRequest quote and compare would resolve for it."""

    destination: str
    """Destination country, ISO 3166 alpha-2."""
    clinic: str | None = None
    """Clinic id (shipped profile or the user's own); None: the destination's usual protocol and prices."""
    joint: str | None = None
    """Joint or tendon area (knee, hip, shoulder, elbow, ankle), as in TripRequest."""
    condition: str | None = None
    """Condition the prices are narrowed to, as in TripRequest."""
    treatment: str | None = None
    """Treatment the prices are narrowed to, as in TripRequest."""
    nationality: str | None = None
    """Patient's nationality, ISO 3166 alpha-2, as in TripRequest."""
    airport: str | None = None
    """The home airport the user gave (none: the nationality's principal airport, from data)."""
    companion: bool = False
    """Whether a second traveller comes along."""
    currency: str | None = None
    """Currency the totals are shown in (ISO 4217); None: the home currency."""
    cells: str | None = None
    """Kind of cells asked for (cultured, same-day, donor), as in TripRequest."""
    harvest: dt.date
    """Day of the harvest on visit 1 (for a one-visit protocol, the treatment day)."""
    culture_weeks: tuple[int, int] | None = None
    """Culture window asked for, [minimum, maximum] weeks; None: the protocol's."""
    inject: dt.date | None = None
    """Injection day the user chose inside the window; None: the window's first open day."""
    stay_through: bool = False
    """Stay at the destination through the culture: one round trip."""
    overrides: Overrides = field(default_factory=Overrides)
    """Travel figures given by the user (fare, nightly, daily, visa fee, rate, fly early)."""

    @property
    def travellers(self) -> int:
        """People travelling: 1, or 2 with a companion."""
        return 2 if self.companion else 1

    def trip(self) -> TripRequest:
        """The trip request in this plan request (every TripRequest field, as given, the harvest and injection
        days included: quote and compare given them cost this plan)."""
        return TripRequest(**{f.name: getattr(self, f.name) for f in fields(TripRequest)})
