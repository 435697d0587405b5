"""The validated catalog: every record tripplan knows, shipped and the user's own, merged."""

from __future__ import annotations

from collections.abc import Collection, ItemsView, Iterator, Mapping, Sequence, ValuesView
from dataclasses import dataclass, field
from typing import Any, overload

from tripplan.models import (
    Airport,
    CellSourceAlias,
    CityNames,
    Clinic,
    Country,
    HomeAirport,
    InsuranceNote,
    MedicalVisa,
    Milestone,
    NameForms,
    NationalityNote,
    Note,
    Peg,
    Price,
    PriceBook,
    ProcessingProtocol,
    Rate,
    RedFlagRule,
    RouteAlias,
    RuleChange,
    SafetyAction,
    SafetyRecord,
    Source,
    VerifyStep,
    VisaDataset,
    VisaMatrix,
    WarningSign,
)


class Layered(Mapping[str, Any]):
    """Records by key, a later layer's record replacing an earlier one's (the user's clinics over the
    shipped ones), in the order a merge of the lists gives: the first layer's keys, then each later
    layer's new keys. Read-only; nothing is copied, so a layer kept one record a line (cache.Lazy) makes
    only the records asked for, and `values()` streams them without keeping them."""

    __slots__ = ("_layers", "_len")

    def __init__(self, layers: Sequence[Mapping[str, Any]]) -> None:
        self._layers: tuple[Mapping[str, Any], ...] = tuple(layers)
        self._len: int | None = None

    def _top(self, key: str) -> Mapping[str, Any] | None:
        return next((layer for layer in reversed(self._layers) if key in layer), None)

    def __getitem__(self, key: str) -> Any:
        layer = self._top(key)
        if layer is None:
            raise KeyError(key)
        return layer[key]

    def __contains__(self, key: object) -> bool:
        return any(key in layer for layer in self._layers)

    def __iter__(self) -> Iterator[str]:
        for i, layer in enumerate(self._layers):
            earlier = self._layers[:i]
            for key in layer:
                if not any(key in e for e in earlier):
                    yield key

    def __len__(self) -> int:
        if self._len is None:
            self._len = sum(1 for _ in self)
        return self._len

    def values(self) -> ValuesView[Any]:
        return _Values(self)

    def items(self) -> ItemsView[str, Any]:
        return _Items(self)

    def _fresh(self) -> Iterator[tuple[str, Any]]:
        """Each key and its record, made as it is reached (through the layer's own `values()` when the
        layer is not overlaid, so a stored layer does not keep what it made)."""
        for i, layer in enumerate(self._layers):
            earlier, later = self._layers[:i], self._layers[i + 1 :]
            for key, record in layer.items():
                if any(key in e for e in earlier):
                    continue
                top = next((x for x in reversed(later) if key in x), None)
                yield key, record if top is None else top[key]

    def __repr__(self) -> str:
        return f"Layered({len(self)} records)"


class _Values(ValuesView[Any]):
    _mapping: Layered

    def __iter__(self) -> Iterator[Any]:
        return (record for _, record in self._mapping._fresh())


class _Items(ItemsView[str, Any]):
    _mapping: Layered

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return self._mapping._fresh()


class Records(Sequence[Any]):
    """The records of a mapping as a read-only list, in its order (a listed section kept by key, as the
    price book's prices): a record looked up by key (`by_key`) or by position is made alone; the first
    pass over the list makes them all and keeps them, as a list would (the domain reads the prices
    several times: each destination, each check)."""

    __slots__ = ("_all", "_by_key", "_keys")

    def __init__(self, by_key: Mapping[str, Any]) -> None:
        self._by_key = by_key
        self._keys: list[str] | None = None
        self._all: list[Any] | None = None

    @property
    def by_key(self) -> Mapping[str, Any]:
        return self._by_key

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if self._all is not None:
            return self._all[index]
        if self._keys is None:
            self._keys = list(self._by_key)
        if isinstance(index, slice):
            return [self._by_key[k] for k in self._keys[index]]
        return self._by_key[self._keys[index]]

    def __iter__(self) -> Iterator[Any]:
        if self._all is None:
            self._all = list(self._by_key.values())
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._by_key)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Records | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Records({len(self)} records)"


@dataclass(frozen=True, slots=True, kw_only=True)
class Catalog:
    """Built once by loader.load_catalog and handed, read-only, to every domain function. Each field
    but `book`, `user_clinic_ids`, `lang`, `untranslated` and `labels` is filled from the data file section that names it
    (loader.SECTIONS); the last three are set by translations.apply when the catalog is shown in another language."""

    sources: dict[str, Source]
    book: PriceBook
    countries: dict[str, Country]
    clinics: Mapping[str, Clinic] = field(default_factory=dict)
    """By id; read-only. The user's clinics come from the cache one record at a time (Layered over
    cache.Lazy): a command that needs one clinic makes only that one."""
    user_clinic_ids: frozenset[str] = field(default_factory=frozenset)
    processing_protocols: dict[str, ProcessingProtocol] = field(default_factory=dict)
    milestones: list[Milestone] = field(default_factory=list)
    red_flags: dict[str, RedFlagRule] = field(default_factory=dict)
    route_aliases: list[RouteAlias] = field(default_factory=list)
    cell_sources: list[CellSourceAlias] = field(default_factory=list)
    name_forms: NameForms | None = None
    city_names: list[CityNames] = field(default_factory=list)
    safety_record: SafetyRecord | None = None
    safety_actions: list[SafetyAction] = field(default_factory=list)
    warning_signs: list[WarningSign] = field(default_factory=list)
    verify_steps: list[VerifyStep] = field(default_factory=list)
    rule_changes: list[RuleChange] = field(default_factory=list)
    medical_visas: dict[str, MedicalVisa] = field(default_factory=dict)
    nationality_notes: list[NationalityNote] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    insurance: list[InsuranceNote] = field(default_factory=list)
    pegs: dict[str, Peg] = field(default_factory=dict)
    territories: dict[str, str] = field(default_factory=dict)
    minor_units: dict[str, int] = field(default_factory=dict)
    visa_dataset: VisaDataset
    visa_matrix: VisaMatrix
    visa_overrides: dict[str, dict[str, str]] = field(default_factory=dict)
    airports: dict[str, Airport]
    home_airports: dict[str, HomeAirport] = field(default_factory=dict)
    country_names: dict[str, str]
    names_by_lang: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict, repr=False)
    """{"country" | "currency": {language: {code: name}}} from CLDR (names_i18n.toml)."""
    aliases: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    """{"country" | "currency" | "joint" | "condition": {casefolded word: code or word}} (aliases.toml)."""
    lang: str = "en"
    """The language the catalog's text is in (translations.apply sets it; "en" as the data gives it)."""
    untranslated: tuple[str, ...] = ()
    """Records of the user's folder left (partly) in English in `lang`, as "section 'key'" (translations.apply)."""
    english: Catalog | None = field(default=None, repr=False, compare=False)
    """The catalog as the data gives it, when `lang` is not English (translations.apply): a rule that reads the
    data's own words (the kind of a regulatory order, its route) reads them here, so that no fact depends on
    the language it is shown in. None in English."""
    labels: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    """{kind: {word: name}}: how the words data uses as names (joints, conditions, treatments, cell sources,
    routes, severities) read in `lang` (translations.LABELS); empty in English."""

    def label(self, kind: str, word: str) -> str:
        """A word the data uses as a name (`kind`: joint, condition, treatment, cell_source, route, severity), as
        it reads in the catalog's language: knee -> 膝关节 in Chinese; the word itself in English or unlabelled."""
        return self.labels.get(kind, {}).get(word, word)

    def price(self, price_id: str) -> Price | None:
        """The price record with this id (prices.toml), or None; only that record is made."""
        prices = self.book.prices
        if isinstance(prices, Records):
            found: Price | None = prices.by_key.get(price_id)
            return found
        return next((p for p in prices if p.id == price_id), None)

    def price_ids(self) -> Collection[str]:
        """The ids of every price record, without making the records."""
        prices = self.book.prices
        return prices.by_key.keys() if isinstance(prices, Records) else {p.id for p in prices}

    def country_name(self, code: str) -> str:
        """A country's name in the catalog's language: its record's (translated), else CLDR's name in that
        language, else the English name of country_names.toml, else the code."""
        if code in self.countries:
            return self.countries[code].name
        if self.lang != "en":
            found = self.names_by_lang.get("country", {}).get(self.lang, {}).get(code)
            if found:
                return found
        return self.country_names.get(code, code)

    def currency_name(self, code: str) -> str:
        """A currency's name in the catalog's language from CLDR (names_i18n.toml: CNY -> 人民币), else the code."""
        return self.names_by_lang.get("currency", {}).get(self.lang, {}).get(code, code)

    def insurance_for(self, destination: str, nationality: str | None) -> list[InsuranceNote]:
        """What a patient of this nationality should know about insurance for a destination (insurance in
        countries.toml), beside the destination's own `insurance`: empty without a nationality."""
        return [n for n in self.insurance if n.destination == destination and n.nationality == nationality]

    def rate_record(self, currency: str) -> Rate | None:
        """The rate for a currency: a published (or the user's own) rate, else a sourced peg, else None."""
        found = next((r for r in self.book.rates if r.currency == currency), None)
        peg = self.pegs.get(currency)
        if found is not None or peg is None:
            return found
        if peg.anchor == "USD":
            return Rate(currency=currency, per_usd=peg.per_anchor, source=peg.source, note=peg.note)
        euro = next((r for r in self.book.rates if r.currency == "EUR"), None)
        if euro is None:
            return None
        return Rate(
            currency=currency,
            per_usd=peg.per_anchor * euro.per_usd,
            source=peg.source,
            as_of=euro.as_of,
            note=f"{peg.note} Through the euro at {euro.per_usd:g} per USD ({euro.source}).",
        )

    def home_currency(self, country: str) -> str:
        """The currency a country uses (countries.toml, else CLDR's territories); USD when unknown."""
        if country in self.countries:
            return self.countries[country].currency
        return self.territories.get(country, "USD")

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

    def known_currencies(self) -> set[str]:
        return set(self.minor_units) | {r.currency for r in self.book.rates} | set(self.pegs) | {"USD"}

    def visa_requirement(self, passport: str, destination: str) -> str | None:
        """The passport-index wording for a passport into a destination: the user's override, else the data set."""
        override = self.visa_overrides.get(passport, {}).get(destination)
        return override if override is not None else self.visa_matrix.lookup(passport, destination)

    def destinations(self) -> list[str]:
        """Treatment destinations (countries with a treatment city) that have a joint price, in catalog order."""
        priced = {c for p in self.book.prices if p.joints for c in p.countries}
        return [code for code, c in self.countries.items() if code in priced and c.cities]
