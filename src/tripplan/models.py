"""Data records: every record tripplan reads from data/*.toml, as frozen pydantic models."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

JOINTS = ("knee", "hip", "shoulder", "elbow", "ankle")
Processing = Literal["cultured", "same-day", "donor", "none", "cell-free"]
SourceKind = Literal["article", "dataset", "authority", "assumption"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class Record(BaseModel):
    """Base of every record: frozen, and unknown fields are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Ranged(Record):
    """A low-high pair in whole currency units."""

    low: int = Field(ge=0)
    high: int = Field(ge=0)

    @model_validator(mode="after")
    def _low_le_high(self) -> Ranged:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) is greater than high ({self.high}); swap them")
        return self


class Source(Record):
    id: str
    kind: SourceKind
    title: str
    publisher: str
    date: dt.date | None = None
    note: str = ""


class LocalPrice(Ranged):
    currency: str = Field(pattern=r"^[A-Z]{3}$")


class Price(Ranged):
    id: str
    countries: list[str] = Field(min_length=1)
    treatment: str
    processing: Processing
    scope: str
    joints: list[str]
    conditions: list[str]
    open_high: bool = False
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    unit: str = "per treatment"
    typical_count: int | None = Field(default=None, ge=1)
    local: LocalPrice | None = None
    source: str
    note: str = ""


class Rate(Record):
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    per_usd: float = Field(gt=0)
    source: str
    as_of: str
    note: str = ""


class Fare(Ranged):
    origin: str
    destination: str
    source: str
    note: str = ""


class FareFormula(Record):
    base: int = Field(ge=0)
    per_km: float = Field(ge=0)
    high_factor: float = Field(ge=1)
    source: str
    note: str = ""


class Nightly(Ranged):
    city: str
    country: str
    source: str
    note: str = ""


class Daily(Ranged):
    country: str
    source: str
    note: str = ""


class Assumed(Ranged):
    """A country-less default (nightly or daily cost)."""

    source: str
    note: str = ""


class VisaFee(Ranged):
    destination: str
    source: str
    note: str = ""


class PriceBook(Record):
    """Everything in prices.toml."""

    prices: list[Price]
    rates: list[Rate]
    fares: list[Fare]
    fare_formula: FareFormula
    nightly: list[Nightly]
    daily: list[Daily]
    daily_default: Assumed
    nightly_default: Assumed
    visa_fees: list[VisaFee]


class Protocol(Record):
    """The usual treatment trip: how many trips, how long each, how long the cells grow."""

    trips: int = Field(ge=1, le=2)
    processing: Processing
    cell_source: str
    visit1_nights: tuple[int, int]
    visit2_nights: tuple[int, int] | None = None
    culture_weeks: tuple[int, int] | None = None
    fly_home_after_hours: int = Field(ge=0)
    source: str
    note: str = ""
    assumption: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Protocol:
        for name in ("visit1_nights", "visit2_nights", "culture_weeks"):
            pair = getattr(self, name)
            if pair is not None and not 0 <= pair[0] <= pair[1]:
                raise ValueError(f"{name} {list(pair)} must be [min, max] with 0 <= min <= max")
        if self.trips == 2 and (self.visit2_nights is None or self.culture_weeks is None):
            raise ValueError("a two-trip protocol needs visit2_nights and culture_weeks")
        return self


class Closure(Record):
    name: str
    start: str = Field(pattern=r"^\d\d-\d\d$")
    end: str = Field(pattern=r"^\d\d-\d\d$")
    certain: bool
    source: str


class Country(Record):
    code: str = Field(pattern=r"^[A-Z]{2}$")
    name: str
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    law: str
    regulator: str
    strictness: str
    processing_allowed: str
    cell_count: str
    hubs: list[str] = Field(min_length=1)
    cities: list[str]
    holiday_calendar: str
    languages: str
    insurance: str
    sources: list[str] = Field(min_length=1)
    default_clinic: str | None = None
    protocol: Protocol
    closures: list[Closure] = []


class Note(Record):
    """A caveat shown when it applies; an empty filter applies to everyone."""

    id: str
    text: str
    source: str
    nationality: str | None = None
    destination: str | None = None
    joints: list[str] = []
    conditions: list[str] = []

    def applies(self, *, nationality: str, destination: str, joint: str, condition: str | None) -> bool:
        return (
            self.nationality in (None, nationality)
            and self.destination in (None, destination)
            and (not self.joints or joint in self.joints)
            and (not self.conditions or condition in self.conditions)
        )


class ClinicQuote(Ranged):
    """A price a clinic quoted to the user, for some joints."""

    treatment: str
    joints: list[str] = Field(min_length=1)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    note: str = ""


class Clinic(Record):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    profile: bool = False
    city: str
    country: str
    licence: str | None = None
    asrm_class: Literal["I", "II", "III"] | None = None
    cell_source: str
    processing: Processing
    languages: list[str] = []
    price_refs: list[str] = []
    quotes: list[ClinicQuote] = []
    visit1_nights: tuple[int, int] | None = None
    visit2_nights: tuple[int, int] | None = None
    culture_weeks: tuple[int, int] | None = None
    closed_weekdays: list[Weekday] = []
    contact: str = ""
    source: str | None = None
    note: str = ""

    @model_validator(mode="after")
    def _windows(self) -> Clinic:
        for name in ("visit1_nights", "visit2_nights", "culture_weeks"):
            pair = getattr(self, name)
            if pair is not None and not 0 <= pair[0] <= pair[1]:
                raise ValueError(f"{name} {list(pair)} must be [min, max] with 0 <= min <= max")
        return self


class MedicalVisa(Record):
    destination: str
    name: str
    guarantor: str
    periods: list[str]
    multiple_entry: str
    companion: str
    needs: list[str]
    apply_weeks_before: int = Field(ge=0)
    sources: list[str]
    note: str = ""


class NationalityNote(Record):
    nationality: str
    destination: str
    medical_visa_needed: bool
    text: str
    sources: list[str]


class VisaDataset(Record):
    source: str
    date: dt.date
    licence: str


class Airport(Record):
    iata: str = Field(pattern=r"^[A-Z]{3}$")
    name: str
    city: str
    country: str
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    tz: str
