"""Data records: every record tripplan reads from data/*.toml, as frozen dataclasses pydantic validates.

Each field's docstring is its meaning; `docs/data.md` and `docs/schema/*.json` are generated from them
(scripts/build_docs.py reads them with `ast`, so importing tripplan does not pay for parsing its own
source), and a test keeps them current.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Literal, get_args

from tripplan.frozen import Check, Constraint, Record
from tripplan.i18n import _

JOINTS = ("knee", "hip", "shoulder", "elbow", "ankle")
Processing = Literal["cultured", "same-day", "donor", "none", "cell-free"]
PriceProcessing = Literal["cultured", "same-day", "donor", "none", "cell-free", "not-stated"]
SourceKind = Literal["law", "authority", "society", "paper", "press", "article", "dataset", "quote", "assumption"]
SOURCE_KINDS: tuple[str, ...] = get_args(SourceKind)
"""What a source is: law (a statute or its official text), authority (a ministry's or regulator's own release or
page), society (a professional society's own statement), paper (peer-reviewed), press (news and trade press, wire
copies), article (broker, clinic or health-media pages), dataset, quote (a clinic's written quote), assumption
(tripplan's own labelled estimate)."""
REPORTED_KINDS = frozenset({"press", "article"})
"""Kinds whose facts tripplan gives "as reported": a fact resting only on these is attributed, never asserted."""
_UNDATED = re.compile(r"\bundated\b|\bn\.d\.|shows no (publication )?date|\bno date\b", re.IGNORECASE)
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
RiskClass = Literal["I", "II", "III"]

MAX_MONEY = 10**9  # whole currency units: larger is a typing error, and keeps arithmetic finite
MAX_RATE = 10**7  # units of a currency per US dollar
Currency = Annotated[str, Constraint(pattern=r"^[A-Z]{3}$")]
Money = Annotated[int, Constraint(ge=0, le=MAX_MONEY)]
Count = Annotated[int, Constraint(ge=0, le=366)]
MAX_NAME = 200  # characters of a name, city or other one-line text a user types about a clinic
MAX_NOTE = 4000  # characters of a note or claim: a page of text
Name = Annotated[str, Constraint(max_length=MAX_NAME)]
Long = Annotated[str, Constraint(max_length=MAX_NOTE)]


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError(_("must be a finite number"))
    return value


FINITE = Check(_finite)


def _web_or_empty(value: str) -> str:
    from tripplan.textsafe import web_address

    if value and not web_address(value):
        raise ValueError(_("must be an http:// or https:// address (or empty)"))
    return value


def _pair_ok(pair: tuple[int, int] | None, name: str) -> None:
    if pair is not None and not 0 <= pair[0] <= pair[1]:
        raise ValueError(_("{name} {pair} must be [min, max] with 0 <= min <= max").format(name=name, pair=list(pair)))


Pair = tuple[Count, Count]


@dataclass(frozen=True, slots=True, kw_only=True)
class Ranged(Record):
    """A low-high pair in whole currency units."""

    low: Money
    """Lowest amount, in whole units of the record's currency."""
    high: Money
    """Highest amount, in whole units of the record's currency."""

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError(
                _("low ({low}) is greater than high ({high}); swap them").format(low=self.low, high=self.high)
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class Source(Record):
    """Something a figure rests on: a law, an authority's or society's own page, a paper, a press report, an
    article, a data set, a clinic's quote, or tripplan's own assumption."""

    id: str
    """Short id other records cite in their `source` or `sources` field."""
    kind: SourceKind
    """law, authority, society, paper, press, article, dataset, quote or assumption (see SOURCE_KINDS)."""
    title: str
    """Title as the source gives it (a description in [brackets] where the copy read shows no title)."""
    publisher: str
    """Who published it."""
    date: dt.date | None = None
    """Publication, snapshot or modification date; none when the source shows no date. A month is stored as its
    first day with `date_precision = "month"`, a year as 1 January with "year"."""
    date_precision: Literal["day", "month", "year"] = "day"
    """How precise the source's own date is: never more precise than the source gives."""
    date_doubtful: bool = False
    """True when the date shown may not belong to this source (see note)."""
    url: Annotated[str, Check(_web_or_empty)] = ""
    """Address of the source, where it has one: an http:// or https:// address, or empty."""
    no_url_reason: str = ""
    """Why there is no address (required when `url` is empty)."""
    note: str = ""
    """What the source is, and anything to know before relying on it."""

    def __post_init__(self) -> None:
        if not self.url and not self.no_url_reason:
            raise ValueError(_("give the source's address (url) or the reason it has none (no_url_reason)"))
        if self.date is None:
            return
        if self.date_precision == "month" and self.date.day != 1:
            raise ValueError(_("a month-precise date is stored as the month's first day (e.g. 2025-03-01)"))
        if self.date_precision == "year" and (self.date.month, self.date.day) != (1, 1):
            raise ValueError(_("a year-precise date is stored as 1 January of the year"))
        if self.date_precision == "day" and _UNDATED.search(self.note):
            raise ValueError(
                _(
                    "the note says the source shows no date, so the date may be at most a month "
                    '(date_precision = "month") or left out'
                )
            )

    @property
    def date_text(self) -> str:
        """The date as precisely as the source gives it: 2025-03-05, 2025-03, 2025, or "undated"."""
        if self.date is None:
            return "undated"
        return {"day": self.date.isoformat(), "month": self.date.isoformat()[:7], "year": str(self.date.year)}[
            self.date_precision
        ]


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalPrice(Ranged):
    """The same price as the source prints it in another currency."""

    currency: Currency
    """ISO 4217 code of the printed amounts."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Price(Ranged):
    """One row (or sentence) of a source's price list. Nothing is averaged."""

    id: str
    """Unique id of the price record."""
    countries: Annotated[list[str], Constraint(min_length=1)]
    """ISO 3166 alpha-2 codes of the countries where this price applies."""
    treatment: str
    """Short name of the treatment (e.g. cultured-msc); `quote --treatment` selects by it."""
    processing: PriceProcessing
    """How the cells are made: cultured, same-day, donor, none, cell-free, or not-stated when the source does not say."""
    scope: str
    """What the price covers as the source words it (single-joint, knee, knee-hip-oa, systemic…)."""
    joints: list[str]
    """Joints the price applies to (knee, hip, shoulder, elbow, ankle); empty for treatments not aimed at a joint."""
    conditions: list[str] = field(default_factory=list)
    """Conditions the source says it treats (none: the source names none); `--condition` narrows by them."""
    open_high: bool = False
    """True when the source gives "$X+" with no upper bound; `high` is then the figure before the "+"."""
    currency: Currency
    """ISO 4217 code of `low` and `high`; any currency with an exchange rate is converted."""
    unit: Literal["per treatment", "per infusion"] = "per treatment"
    """What one price buys."""
    typical_count: Annotated[int, Constraint(ge=1, le=100)] | None = None
    """How many units a course usually needs, as the source says (e.g. 6 infusions)."""
    local: LocalPrice | None = None
    """The same row in another currency, as the source prints it (shown beside the converted figure)."""
    source: str
    """Id of the source this row comes from."""
    note: str = ""
    """The source's own words about the row."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Rate(Record):
    """An exchange rate: units of a currency per US dollar."""

    currency: Currency
    """ISO 4217 code."""
    per_usd: Annotated[float, Constraint(gt=0, le=MAX_RATE), FINITE]
    """Units of the currency one US dollar buys."""
    source: str
    """Id of the source of the rate."""
    as_of: dt.date | None = None
    """The day the rate is for; none for a fixed rate."""
    note: str = ""
    """How the rate was obtained."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Peg(Record):
    """A currency its issuing authority fixes to the euro or the US dollar."""

    currency: Currency
    """ISO 4217 code of the pegged currency."""
    anchor: Literal["EUR", "USD"]
    """The currency it is fixed to."""
    per_anchor: Annotated[float, Constraint(gt=0, le=MAX_RATE), FINITE]
    """Units of the pegged currency per unit of the anchor."""
    source: str
    """Id of the authority's statement."""
    note: str = ""
    """What the peg is and since when."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Fare(Ranged):
    """A round-trip economy fare per traveller between a home country and a destination, in USD."""

    origin: str
    """Home country (ISO alpha-2)."""
    destination: str
    """Destination country (ISO alpha-2)."""
    source: str
    """Id of the source (usually tripplan-assumptions)."""
    note: str = ""
    """What the fare assumes."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FareFormula(Record):
    """The fare estimate for a pair with no listed fare: low = base + per_km × km, high = low × high_factor (USD)."""

    base: Money
    """Fixed part of the round-trip fare, USD."""
    per_km: Annotated[float, Constraint(ge=0, le=100), FINITE]
    """USD per kilometre of one-way great-circle distance."""
    high_factor: Annotated[float, Constraint(ge=1, le=100), FINITE]
    """The high estimate is the low one times this factor."""
    source: str
    """Id of the source."""
    note: str = ""
    """What the formula assumes."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Nightly(Ranged):
    """Hotel cost per night (one room) in a treatment city, in USD."""

    city: str
    """Treatment city."""
    country: str
    """Country of the city (ISO alpha-2)."""
    source: str
    """Id of the source."""
    note: str = ""
    """What the figure assumes."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Daily(Ranged):
    """Meals and local transport per traveller per day in a destination, in USD."""

    country: str
    """Destination country (ISO alpha-2)."""
    source: str
    """Id of the source."""
    note: str = ""
    """What the figure assumes."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Assumed(Ranged):
    """A default (nightly or daily cost, USD) for a destination with no figure of its own."""

    source: str
    """Id of the source."""
    note: str = ""
    """What the figure assumes."""


@dataclass(frozen=True, slots=True, kw_only=True)
class VisaFee(Ranged):
    """The visa fee per traveller for a destination, where a visa must be obtained."""

    destination: str
    """Destination country (ISO alpha-2)."""
    currency: Currency = "USD"
    """ISO 4217 code of `low` and `high` (converted like any price)."""
    source: str
    """Id of the source."""
    note: str = ""
    """What the fee covers."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceBook(Record):
    """Everything in prices.toml."""

    prices: Sequence[Price]
    """Treatment prices (read-only; the user's come from the cache one record at a time)."""
    rates: list[Rate]
    """Exchange rates per US dollar."""
    fares: list[Fare]
    """Listed round-trip fares."""
    fare_formula: FareFormula
    """The fare estimate for unlisted pairs."""
    nightly: list[Nightly]
    """Hotel costs per city."""
    daily: list[Daily]
    """Daily costs per destination."""
    daily_default: Assumed
    """Daily cost where a destination has none."""
    nightly_default: Assumed
    """Nightly cost where a city has none."""
    visa_fees: list[VisaFee]
    """Visa fees per destination."""
    figures: list[SourceFigure] = field(default_factory=list)
    """Figures the sources give beside their price rows (comparisons, what a price includes, cell counts)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Protocol(Record):
    """The usual treatment trip: how many trips, how long each, how long the cells grow, when one may fly."""

    trips: Annotated[int, Constraint(ge=1, le=2)]
    """1 (treated on the same visit) or 2 (harvest, then injection after culture)."""
    processing: Processing
    """How the cells are made: cultured, same-day, donor, none or cell-free."""
    cell_source: str
    """Where the cells come from, in words."""
    visit1_days: Pair
    """Days at the destination on the first (or only) visit, [min, max], arrival and departure days counted: the sources give visits in days."""
    visit2_days: Pair | None = None
    """Days at the destination on the second visit, [min, max]; required for two trips."""
    culture_weeks: Pair | None = None
    """Weeks the cells grow between harvest and injection, [min, max]; required for two trips."""
    fly_home_after_hours: Annotated[int, Constraint(ge=0, le=24 * 60)]
    """Hours after the treatment before tripplan plans the flight home by default (its planning rule)."""
    fly_home_source: str
    """Id of the source of `fly_home_after_hours`: tripplan-assumptions where the rule is tripplan's own."""
    fly_home_earliest_hours: Annotated[int, Constraint(ge=0, le=24 * 60)] | None = None
    """The shortest rest before flying home that the sources allow, in hours after the treatment: planned
    instead of `fly_home_after_hours` when the user accepts flying as early as the sources allow."""
    fly_home_said: str = ""
    """What each source says about flying home, in its own words (shown with the planning rule)."""
    fly_home_sources: list[str] = field(default_factory=list)
    """Ids of the sources of `fly_home_said` and `fly_home_earliest_hours`."""
    after_harvest_days: Annotated[int, Constraint(ge=1, le=14)] = 1
    """Whole days at the destination after the harvest (or a one-visit treatment) before a long-haul flight
    home: the earliest departure is this many days after the procedure, never the same day. 1 is tripplan's
    assumption (seed-degenerative-us describes days in the city after the harvest)."""
    after_harvest_source: str = "tripplan-assumptions"
    """Id of the source of `after_harvest_days`."""
    source: str
    """Id of the source of the protocol."""
    note: str = ""
    """Where each figure comes from."""
    assumption: str = ""
    """What tripplan assumed where the sources say nothing (shown to the user)."""

    def __post_init__(self) -> None:
        for name in ("visit1_days", "visit2_days", "culture_weeks"):
            _pair_ok(getattr(self, name), name)
        if self.visit1_days[0] < 1 or (self.visit2_days is not None and self.visit2_days[0] < 1):
            raise ValueError(_("a visit lasts at least 1 day"))
        if self.trips == 2 and (self.visit2_days is None or self.culture_weeks is None):
            raise ValueError(_("a two-trip protocol needs visit2_days and culture_weeks"))
        if self.fly_home_earliest_hours is not None and self.fly_home_earliest_hours > self.fly_home_after_hours:
            raise ValueError(_("fly_home_earliest_hours cannot be later than fly_home_after_hours"))
        if (self.fly_home_earliest_hours is not None or self.fly_home_said) and not self.fly_home_sources:
            raise ValueError(_("fly_home_said and fly_home_earliest_hours need fly_home_sources"))


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcessingProtocol(Protocol):
    """The protocol a clinic follows when its processing differs from its country's usual one."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Closure(Record):
    """A customary closure beyond public holidays, as a month-day range."""

    name: str
    """Name shown in the plan."""
    start: Annotated[str, Constraint(pattern=r"^\d\d-\d\d$")]
    """First day, MM-DD."""
    end: Annotated[str, Constraint(pattern=r"^\d\d-\d\d$")]
    """Last day, MM-DD (may be in the next year, e.g. 12-29 to 01-03)."""
    certain: bool
    """True: the clinic is closed; false: possibly closed, confirm with the clinic."""
    source: str
    """Id of the source."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Country(Record):
    """A destination (with `cities`) or a home country: its rules, its protocol and its closures."""

    code: Annotated[str, Constraint(pattern=r"^[A-Z]{2}$")]
    """ISO 3166 alpha-2 code."""
    name: str
    """English name."""
    currency: Currency
    """ISO 4217 code of the country's currency."""
    law: str
    """The law that governs cell treatments, as the sources name it."""
    regulator: str
    """The regulator, as the sources name it."""
    strictness: str
    """How strictly treatments are regulated, in the sources' word."""
    processing_allowed: str
    """What processing the law allows, in words."""
    cell_count: str
    """Typical cell count per treatment, as the sources give it."""
    potency: str = ""
    """Potency as the sources rate it, where they give a rating instead of a count."""
    hubs: Annotated[list[str], Constraint(min_length=1)]
    """IATA codes of the international airports; the first is the default home airport."""
    cities: list[str]
    """Treatment cities; a country without one is a home country only."""
    holiday_calendar: str
    """Country code for the `holidays` package (public holidays)."""
    languages: str
    """Languages at clinics serving foreign patients."""
    insurance: str
    """What insurance covers, true for every patient; what a patient's own country's insurance covers is an
    `insurance` record (InsuranceNote) per nationality."""
    sources: Annotated[list[str], Constraint(min_length=1)]
    """Ids of the sources of these facts."""
    licence_register: str | None = None
    """Where a patient checks a provider's licence or treatment plan; a clinic here without one is flagged."""
    risk_classes: dict[str, RiskClass] = field(default_factory=dict)
    """The risk class the law requires for each processing (e.g. cultured = "II")."""
    risk_class_source: str | None = None
    """Id of the source of `risk_classes`."""
    protocol: Protocol
    """The usual treatment trip."""
    closures: list[Closure] = field(default_factory=list)
    """Customary closures beyond public holidays."""
    stay_count: Literal["arrival-day-counted", "arrival-day-not-counted"] = "arrival-day-counted"
    """How the destination counts a permitted stay given in days: "arrival-day-not-counted" (the period runs
    from the day after landing, e.g. Japan under Civil Code art. 140: a 90-day stay from 2027-02-28 ends on
    2027-05-29) or "arrival-day-counted" (the landing day is day 1: tripplan's conservative assumption where
    no source gives the rule)."""
    stay_count_source: str = "tripplan-assumptions"
    """Id of the source of `stay_count`."""
    stay_unit: Literal["days", "months"] = "days"
    """How the destination gives a visa-free period of stay: "days" (the visa data set's number, as days) or
    "months" (calendar months: the data set's days, a multiple of 30, read as months, 90 as 3 months; a
    stay permitted on landing runs to the same date that many months on, dateutil's relativedelta, less
    one day where the landing day is counted: see `stay_count`). Only where a source gives the rule
    (`stay_unit_source`); no shipped destination does yet, so every one counts in days."""
    stay_unit_source: str = "tripplan-assumptions"
    """Id of the source of `stay_unit`."""
    holiday_blocks_sources: list[str] = field(default_factory=list)
    """Ids of the sources (official holiday arrangements) by which the country closes each holiday block as a
    whole: every day from the block's first to its last day is closed, the weekend days inside or next to it
    included, and a weekend day worked in exchange (make-up working day) is open. Empty: public holidays as
    the `holidays` package lists them."""
    holidays_official_through: int | None = None
    """The last year whose public holidays the government has published; later years are the `holidays`
    package's estimates, shown as possible closures to confirm (none: every year is taken as published)."""
    holidays_source: str | None = None
    """Id of the source of `holidays_official_through`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Note(Record):
    """A caveat shown when it applies; an empty filter applies to everyone."""

    id: str
    """Unique id."""
    text: str
    """What is shown."""
    source: str
    """Id of the source."""
    nationality: str | None = None
    """Only for this nationality."""
    destination: str | None = None
    """Only for this destination."""
    joints: list[str] = field(default_factory=list)
    """Only for these joints."""
    conditions: list[str] = field(default_factory=list)
    """Only for these conditions."""

    def applies(self, *, nationality: str, destination: str, joint: str, condition: str | None) -> bool:
        return (
            self.nationality in (None, nationality)
            and self.destination in (None, destination)
            and (not self.joints or joint in self.joints)
            and (not self.conditions or condition in self.conditions)
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class InsuranceNote(Record):
    """What insurance from a patient's own country covers at a destination: shown beside the destination's
    `insurance` (which is true for every patient) to patients of that nationality only."""

    nationality: Annotated[str, Constraint(pattern=r"^[A-Z]{2}$")]
    """The patient's nationality (ISO alpha-2)."""
    destination: Annotated[str, Constraint(pattern=r"^[A-Z]{2}$")]
    """The destination (ISO alpha-2)."""
    text: str
    """What is shown."""
    source: str
    """Id of the source."""


_OFFSET = re.compile(r"^[+-]\d{1,3}[dwm]$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Milestone(Record):
    """A step of the plan dated from an anchor: payments, scans, recovery, follow-up."""

    id: str
    """Unique id (also the calendar event's kind)."""
    name: str
    """What the patient does or may do."""
    anchor: Literal["first-arrival", "harvest", "last-arrival", "treatment", "visa-apply"]
    """The plan's day the offsets count from; "visa-apply" is the medical visa's apply-by day: a step
    anchored there is in a plan only when the plan applies for that visa."""
    start: Annotated[str, Constraint(pattern=_OFFSET.pattern)]
    """Offset from the anchor: +N or -N then d (days), w (weeks) or m (months)."""
    end: Annotated[str, Constraint(pattern=_OFFSET.pattern)] | None = None
    """End of a range, same form as `start`; the range is shown, the event sits on its first day."""
    joints: list[str] = field(default_factory=list)
    """Only for these joints; empty means general advice, not joint-specific."""
    replaces: str | None = None
    """Id of the general milestone this joint-specific one replaces for its joints."""
    destinations: list[str] = field(default_factory=list)
    """Only for trips to these countries (ISO alpha-2); empty means every destination."""
    trips: Annotated[int, Constraint(ge=1, le=2)] | None = None
    """Only for plans with this many trips."""
    after: list[str] = field(default_factory=list)
    """Ids of the steps that must be done first (the plan moves any of them that would fall later to before
    this one)."""
    open_day: Literal["any", "clinic", "consulate"] = "any"
    """Which day the step may fall on: any day; a day the clinic is open (payments, clinic steps); or a
    weekday that is no holiday at the destination or at home (consulate steps). A step on a closed day moves
    to the open day before it."""
    kind: Literal["step", "permits", "forbids", "advice"] = "step"
    """"permits": dated when the activity becomes permitted (the start of the range); "forbids": shown as the
    span from the treatment to the end; "advice": recovery advice over its range; "step": a task."""
    remind_days: Annotated[int, Constraint(ge=0, le=90)] | None = None
    """Days before the step that a calendar file reminds the patient (none: no reminder)."""
    source: str
    """Id of the source."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RedFlagRule(Record):
    """A red flag `clinics check` raises; its message, sources and any threshold are data."""

    code: Literal[
        "no-licence",
        "class-mismatch",
        "same-day-sold-as-cultured",
        "ips-offered",
        "price-far-below",
        "price-far-above",
        "no-coordinator-language",
        "named-in-action",
        "iv-cultured",
        "iv-joint",
        "pluripotent-class",
        "warning-sign",
        "no-plan-number",
        "prp-joint-class",
        "same-name-as-action",
        "route-unrecognised",
    ]
    """Which check this rule configures."""
    message: str
    """What is shown; {placeholders} are filled by the check."""
    sources: list[str] = field(default_factory=list)
    """Ids of the sources that name this red flag (empty only with `sources_from_actions`)."""
    sources_from_actions: bool = False
    """True when the flag rests on the regulatory actions it finds: each raised flag carries that action's sources."""
    keywords: list[str] = field(default_factory=list)
    """Words in the clinic's record that trigger the check (lower case)."""
    threshold: Annotated[float, Constraint(ge=0, le=100), FINITE] | None = None
    """A price ratio to the sourced range beyond which the flag is raised."""
    reasoning: str = ""
    """Why the threshold is what it is (thresholds are labelled assumptions)."""
    rank: Annotated[int, Constraint(ge=1, le=100)] = 50
    """How serious the flag is, 1 the most: where a clinic is chosen, quote, schedule and the plan name its
    most serious flag."""

    def __post_init__(self) -> None:
        if not self.sources and not self.sources_from_actions:
            raise ValueError(
                _("give the rule's sources (or sources_from_actions = true when the actions are its support)")
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class ClinicQuote(Ranged):
    """A price a clinic quoted to the user, for some joints."""

    treatment: Name
    """The treatment quoted."""
    joints: Annotated[list[str], Constraint(min_length=1)]
    """Joints the quote covers."""
    currency: Currency
    """ISO 4217 code of the quote."""
    quoted_on: dt.date | None = None
    """The day the clinic gave the quote (shown beside the rate's own date)."""
    note: Long = ""
    """Anything the clinic said about the quote."""


Route = Literal["intra-articular", "intravenous", "intrathecal", "soft-tissue", "other", "unrecognised"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Clinic(Record):
    """A clinic: a shipped profile of a kind of provider the sources describe, or one of the user's own."""

    id: Annotated[str, Constraint(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
    """Short id: lowercase letters, digits and dashes."""
    name: Name
    """Name as on the clinic's papers (a profile's name says it is a profile)."""
    profile: bool = False
    """True for a shipped profile, not a named business."""
    city: Name
    """City."""
    country: str
    """Country (ISO alpha-2); must be a destination."""
    licence: Name | None = None
    """Licence or treatment plan number, as the clinic gave it."""
    asrm_class: RiskClass | None = None
    """Risk class the clinic states."""
    cell_source: Name
    """adipose, bone-marrow, umbilical-cord…"""
    processing: Processing
    """cultured, same-day, donor, none or cell-free."""
    languages: list[str] = field(default_factory=list)
    """Coordinator languages (ISO 639-1, e.g. en, zh)."""
    price_refs: list[str] = field(default_factory=list)
    """Ids of price records a profile rests on."""
    quotes: list[ClinicQuote] = field(default_factory=list)
    """Prices the clinic quoted."""
    visit1_days: Pair | None = None
    """The clinic's own first-visit length in days, [min, max]."""
    visit2_days: Pair | None = None
    """The clinic's own second-visit length in days, [min, max]."""
    culture_weeks: Pair | None = None
    """The clinic's own culture window in weeks, [min, max]."""
    closed_weekdays: list[Weekday] = field(default_factory=list)
    """Weekly closed days (mon…sun)."""
    route: Route | None = None
    """How the clinic gives the cells: intra-articular (into the joint), intravenous (drip), intrathecal,
    soft-tissue; unrecognised when the clinic's wording matches no alias in brochure.toml."""
    route_as_given: Name = ""
    """The clinic's own words for the route (e.g. "IV drip", "関節内注射"), kept beside the canonical route."""
    processor: Name = ""
    """The cell processing centre that cultures the cells, as the clinic names it."""
    plan_number: Name = ""
    """The treatment plan number the clinic gave (never verified by tripplan)."""
    committee: Name = ""
    """The certified committee that reviewed the plan, as the clinic names it."""
    claims: Long = ""
    """What the clinic claims in its advertising or papers, in its words."""
    contact: Name = ""
    """Contact (email, coordinator)."""
    source: str | None = None
    """Id of the source of a shipped profile."""
    note: Long = ""
    """Anything else."""

    def __post_init__(self) -> None:
        for name in ("visit1_days", "visit2_days", "culture_weeks"):
            _pair_ok(getattr(self, name), name)
        if len(self.closed_weekdays) >= 7 and len(set(self.closed_weekdays)) == 7:
            raise ValueError(
                _(
                    "closed_weekdays lists all seven days: a clinic that is never open cannot be scheduled; "
                    "remove the days it opens"
                )
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class MedicalVisa(Record):
    """A visa for medical treatment a destination offers."""

    destination: str
    """Destination (ISO alpha-2)."""
    name: str
    """The visa's name."""
    guarantor: str
    """Who must guarantee the patient."""
    periods: list[str]
    """Periods of stay it allows."""
    multiple_entry: str
    """Whether it allows several entries."""
    companion: str
    """Whether a companion may come."""
    needs: list[str]
    """Documents it needs."""
    apply_weeks_before: Annotated[int, Constraint(ge=0, le=104)]
    """Weeks before the first arrival to apply (an assumption unless the source gives it)."""
    after: list[str] = field(default_factory=list)
    """Ids of the plan's steps (milestones) that must be done before applying, e.g. choosing the clinic,
    whose documents and guarantor the application needs."""
    sources: list[str]
    """Ids of the sources."""
    note: str = ""
    """Anything else."""


@dataclass(frozen=True, slots=True, kw_only=True)
class NationalityNote(Record):
    """A note for one passport going to one destination."""

    nationality: str
    """Passport (ISO alpha-2)."""
    destination: str
    """Destination (ISO alpha-2)."""
    medical_visa_needed: bool
    """True when the sources say this passport needs the medical visa."""
    text: str
    """What is shown."""
    sources: list[str]
    """Ids of the sources."""


@dataclass(frozen=True, slots=True, kw_only=True)
class VisaDataset(Record):
    """Where visas.toml's requirements come from."""

    source: str
    """Id of the source."""
    date: dt.date
    """Snapshot date."""
    licence: str
    """Licence of the data set."""


VISA_TOKENS = {
    "F": "visa free",
    "A": "visa on arrival",
    "T": "eta",
    "E": "e-visa",
    "R": "visa required",
    "N": "no admission",
    "O": "-1",
    "?": None,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class VisaMatrix(Record):
    """Every passport into every destination, compactly: one line of tokens per passport."""

    destinations: str
    """Space-separated ISO alpha-2 codes: the column order of every row."""
    rows: dict[str, str]
    """Passport code -> space-separated tokens, one per destination: a number of visa-free days, F visa free, A visa on arrival, T eta, E e-visa, R visa required, N no admission, O own country, ? no data."""

    def __post_init__(self) -> None:
        n = len(self.destinations.split())
        for passport, row in self.rows.items():
            tokens = row.split()
            if len(tokens) != n:
                raise ValueError(
                    _("row {passport} has {tokens} tokens for {n} destinations").format(
                        passport=passport, tokens=len(tokens), n=n
                    )
                )
            bad = [t for t in tokens if t not in VISA_TOKENS and not (t.isdigit() and len(t) <= 4)]
            if bad:
                raise ValueError(
                    _("row {passport}: unknown token(s) {tokens}").format(
                        passport=passport, tokens=", ".join(sorted(set(bad))[:5])
                    )
                )

    def lookup(self, passport: str, destination: str) -> str | None:
        """The passport-index wording of one requirement, or None."""
        row = self.rows.get(passport)
        if row is None:
            return None
        columns = self.destinations.split()
        if destination not in columns:
            return None
        token = row.split()[columns.index(destination)]
        return token if token.isdigit() else VISA_TOKENS[token]


@dataclass(frozen=True, slots=True, kw_only=True)
class Airport(Record):
    """An airport with scheduled service."""

    iata: Annotated[str, Constraint(pattern=r"^[A-Z]{3}$")]
    """IATA code."""
    name: str
    """Name."""
    city: str
    """City it serves."""
    country: str
    """Country (ISO alpha-2)."""
    lat: Annotated[float, Constraint(ge=-90, le=90), FINITE]
    """Latitude, degrees."""
    lon: Annotated[float, Constraint(ge=-180, le=180), FINITE]
    """Longitude, degrees."""
    tz: str
    """IANA time zone."""


@dataclass(frozen=True, slots=True, kw_only=True)
class HomeAirport(Record):
    """A nationality's principal international airport: tripplan's default home airport for it."""

    country: str
    """Country (ISO alpha-2)."""
    airport: Annotated[str, Constraint(pattern=r"^[A-Z]{3}$")]
    """IATA code of the airport (one of airports.toml)."""
    basis: str
    """Why this airport: what the source ranks it (e.g. the country's busiest by passengers, and the year)."""
    source: str
    """Id of the source in sources.toml."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Provider(Record):
    """A clinic, processor or person named in a regulatory action, as the sources name them."""

    name_ja: str = ""
    """Name in Japanese as the sources print it."""
    name_en: str = ""
    """English name as the sources give it (or a description when they give none)."""
    other_names: list[str] = field(default_factory=list)
    """Former and other names the sources use (a renamed clinic is still matched)."""
    role: Literal["clinic", "processor", "person", "operator"]
    """What it is in the action."""
    named: bool = True
    """False when the sources do not name it: `name_en` is then a description and is never matched."""
    city: str = ""
    """City as the sources give it."""
    note: str = ""
    """What to know about the names, e.g. which ones are tripplan's romanisation and found in no source."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SafetyAction(Record):
    """A regulatory action or public-health report, dated and sourced."""

    id: str
    """Unique id."""
    date: dt.date
    """The day of the action or report."""
    country: str
    """Country (ISO alpha-2) where the treatment was given."""
    authority: str
    """Who acted or reported."""
    action: str
    """What was ordered or reported."""
    brief: str = ""
    """The action in a few of its own words: its line in the one-screen summary (empty: `action` is shown)."""
    severity: Literal["death", "serious illness", "none stated"]
    """The worst outcome for patients the sources report."""
    treatment: str
    """The treatment, as the sources describe it."""
    route: str = ""
    """How the cells were given (intravenous, into a joint…), where the sources say."""
    outcome: str
    """What happened to patients, attributed as the sources report it."""
    providers: Annotated[list[Provider], Constraint(min_length=1)]
    """The clinics and processors named."""
    sources: Annotated[list[str], Constraint(min_length=1)]
    """Ids of the sources."""
    single_source: bool = False
    """True when only one source gives this action."""
    disputed: str = ""
    """Where sources disagree, what each says."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleChange(Record):
    """A change in the rules a patient meets: a law in force, a society's recommendations, a committee's decisions."""

    id: str
    """Unique id."""
    date: dt.date
    """The day it took effect or was decided."""
    country: str
    """Country (ISO alpha-2) whose rules changed."""
    region: str = ""
    """A state or province code (e.g. FL) when the rule is not national."""
    region_name: str = ""
    """The region's name (e.g. Florida)."""
    authority: str
    """Who made the change."""
    what: str
    """What changed, as the sources say it."""
    brief: str = ""
    """The change in a few of its own words: its line in the one-screen summary (empty: `what` is shown)."""
    home_rule: str = ""
    """What a patient living there may get at home because of it (shown with the price at home); empty if nothing."""
    sources: Annotated[list[str], Constraint(min_length=1)]
    """Ids of the sources."""
    single_source: bool = False
    """True when only one source gives it."""
    disputed: str = ""
    """Where sources disagree, what each says."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceFigure(Record):
    """A figure a source gives that is not a price row: a comparison, what a price includes, a cell count, a time."""

    id: str
    """Unique id."""
    countries: Annotated[list[str], Constraint(min_length=1)]
    """Destinations (ISO alpha-2) it is shown with."""
    text: str
    """The figure in the source's words, attributed."""
    source: str
    """Id of the source."""
    joints: list[str] = field(default_factory=list)
    """Only with these joints (empty: any)."""
    line: str = ""
    """When set, the figure is also an optional travel line of this name: named, not priced, not in the total."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WarningSign(Record):
    """A warning sign an authority names, with words that reveal it in a clinic's claims."""

    id: str
    """Unique id."""
    text: str
    """What the sign is and who says so."""
    sources: Annotated[list[str], Constraint(min_length=1)]
    """Ids of the sources."""
    keywords: list[str] = field(default_factory=list)
    """Lower-case words or phrases that show the sign in a clinic's claims or notes."""
    single_source: bool = False
    """True when only one source gives it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class VerifyStep(Record):
    """How a patient can verify a provider."""

    id: str
    """Unique id."""
    text: str
    """What to do."""
    brief: str = ""
    """What to do in a few words: its line in the one-screen summary (empty: `text` is shown)."""
    sources: Annotated[list[str], Constraint(min_length=1)]
    """Ids of the sources."""
    countries: list[str] = field(default_factory=list)
    """The destinations (country codes) whose law or registers the step is about: it is shown for those
    only; empty for a step that applies everywhere."""
    countries_source: str = ""
    """Id of the source (one of `sources`) that says the step is those countries' rule; required with
    `countries`."""

    def __post_init__(self) -> None:
        if self.countries and self.countries_source not in self.sources:
            raise ValueError(_("countries_source must be one of the step's sources (it says where the step applies)"))


@dataclass(frozen=True, slots=True, kw_only=True)
class SafetyRecord(Record):
    """The record's own date and scope."""

    as_of: dt.date
    """The date of the newest item in the record."""
    checked_on: dt.date | None = None
    """When the stored sources were last searched for newer items."""
    not_found: str = ""
    """Which searches found nothing newer, and what was left out and why."""
    note: str = ""
    """What the record covers."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteAlias(Record):
    """The words brochures use for one way of giving the cells (how `--route`, claims and notes are read)."""

    route: Literal["intra-articular", "intravenous", "intrathecal", "soft-tissue"]
    """The canonical route these words mean."""
    words: Annotated[list[str], Constraint(min_length=1)]
    """Words and phrases, any language, as written (matched case- and width-folded)."""
    source: str
    """Id of the source of the wording."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CellSourceAlias(Record):
    """Where cells come from, in the words clinics use: how an interactive `clinics add` checks an answer."""

    name: str
    """The usual English name (adipose, bone-marrow…)."""
    words: Annotated[list[str], Constraint(min_length=1)]
    """Words and phrases, any language, that name it."""
    source: str
    """Id of the source of the wording."""


@dataclass(frozen=True, slots=True, kw_only=True)
class NameForms(Record):
    """How the names of providers in the safety record are read: legal forms, and names many clinics share."""

    legal_forms: Annotated[list[str], Constraint(min_length=1)]
    """Legal-entity prefixes (医療法人, 一般社団法人…); the word after one is the corporation's own name."""
    shared: list[str] = field(default_factory=list)
    """Clinic names shared by many unrelated clinics: a match on one of these alone is only the softer flag."""
    source: str
    """Id of the source of the lists."""
    note: str = ""
    """What the lists rest on."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CityNames(Record):
    """A treatment city as people write it, and the airport tripplan flies to for it."""

    city: str
    """The city as countries.toml lists it."""
    country: Annotated[str, Constraint(pattern=r"^[A-Z]{2}$")]
    """Its country (ISO alpha-2)."""
    names: list[str] = field(default_factory=list)
    """Romanised, Japanese, Chinese and ward-level names; an address that begins with one matches too."""
    hub: Annotated[str, Constraint(pattern=r"^[A-Z]{3}$")]
    """IATA code of the airport flown to for this city (one of the country's hubs)."""
    source: str
    """Id of the source."""
