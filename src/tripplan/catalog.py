"""The validated catalog: every record tripplan knows, shipped and the user's own, merged."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from tripplan.models import (
    Airport,
    Clinic,
    Country,
    MedicalVisa,
    Milestone,
    NationalityNote,
    Note,
    PriceBook,
    ProcessingProtocol,
    Rate,
    RedFlagRule,
    Source,
    VisaDataset,
    VisaMatrix,
)


class Catalog(BaseModel):
    """Built once by loader.load_catalog and handed, read-only, to every domain function."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    sources: dict[str, Source]
    book: PriceBook
    countries: dict[str, Country]
    clinics: dict[str, Clinic]
    user_clinic_ids: frozenset[str] = frozenset()
    processing_protocols: dict[str, ProcessingProtocol] = {}
    milestones: list[Milestone] = []
    red_flags: dict[str, RedFlagRule] = {}
    medical_visas: dict[str, MedicalVisa]
    nationality_notes: list[NationalityNote]
    notes: list[Note] = []
    visa_dataset: VisaDataset
    visa_matrix: VisaMatrix
    visa_overrides: dict[str, dict[str, str]] = {}
    airports: dict[str, Airport]
    country_names: dict[str, str]

    def country_name(self, code: str) -> str:
        if code in self.countries:
            return self.countries[code].name
        return self.country_names.get(code, code)

    def rate_record(self, currency: str) -> Rate | None:
        return next((r for r in self.book.rates if r.currency == currency), None)

    def rate(self, currency: str) -> float:
        """Units of `currency` per US dollar (1.0 for USD)."""
        if currency == "USD":
            return 1.0
        record = self.rate_record(currency)
        if record is None:
            raise KeyError(currency)
        return record.per_usd

    def has_rate(self, currency: str) -> bool:
        return currency == "USD" or self.rate_record(currency) is not None

    def visa_requirement(self, passport: str, destination: str) -> str | None:
        """The passport-index wording for a passport into a destination: the user's override, else the data set."""
        override = self.visa_overrides.get(passport, {}).get(destination)
        return override if override is not None else self.visa_matrix.lookup(passport, destination)

    def destinations(self) -> list[str]:
        """Treatment destinations (countries with a treatment city) that have a joint price, in catalog order."""
        priced = {c for p in self.book.prices if p.joints for c in p.countries}
        return [code for code, c in self.countries.items() if code in priced and c.cities]
