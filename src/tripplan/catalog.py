"""The validated catalog: every record tripplan knows, shipped and the user's own, merged."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from tripplan.models import (
    Airport,
    Clinic,
    Country,
    MedicalVisa,
    NationalityNote,
    Note,
    PriceBook,
    Source,
    VisaDataset,
)


class Catalog(BaseModel):
    """Built once by loader.load_catalog and handed, read-only, to every domain function."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    sources: dict[str, Source]
    book: PriceBook
    countries: dict[str, Country]
    clinics: dict[str, Clinic]
    user_clinic_ids: frozenset[str] = frozenset()
    medical_visas: dict[str, MedicalVisa]
    nationality_notes: list[NationalityNote]
    notes: list[Note] = []
    visa_dataset: VisaDataset
    visa_requirements: dict[str, dict[str, str]]
    airports: dict[str, Airport]
    country_names: dict[str, str]

    def country_name(self, code: str) -> str:
        if code in self.countries:
            return self.countries[code].name
        return self.country_names.get(code, code)

    def rate(self, currency: str) -> float:
        """Units of `currency` per US dollar (1.0 for USD)."""
        if currency == "USD":
            return 1.0
        for r in self.book.rates:
            if r.currency == currency:
                return r.per_usd
        raise KeyError(currency)

    def has_rate(self, currency: str) -> bool:
        return currency == "USD" or any(r.currency == currency for r in self.book.rates)

    def destinations(self) -> list[str]:
        """Treatment destinations (countries with a treatment city) that have a joint price, in catalog order."""
        priced = {c for p in self.book.prices if p.joints for c in p.countries}
        return [code for code, c in self.countries.items() if code in priced and c.cities]
