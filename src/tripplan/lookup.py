"""Resolve what the user typed (codes, names, joints, airports, clinics) to catalog keys."""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

from tripplan.catalog import Catalog
from tripplan.errors import UsageError, listed, sentences, unknown
from tripplan.i18n import N_, _
from tripplan.models import JOINTS, Airport, Clinic


def _alias(cat: Catalog, kind: str, text: str) -> str | None:
    """What a typed word stands for in aliases.toml (any case, surrounding spaces ignored), or None."""
    return cat.aliases.get(kind, {}).get(text.strip().casefold())


def resolve_joint(cat: Catalog, text: str) -> str:
    """A joint (models.JOINTS) from its name or a word for it in any language tripplan reads (aliases.toml:
    knees, meniscus, achilles, 膝关节, 跟腱 …). A condition's word is refused with the condition it names."""
    value = text.strip().lower()
    if value in JOINTS:
        return value
    if (found := _alias(cat, "joint", text)) in JOINTS:
        return str(found)
    if not value:
        raise UsageError(_("empty joint: give one of {joints}").format(joints=listed(JOINTS)))
    if (condition := _alias(cat, "condition", text)) is not None:
        raise UsageError(
            _("'{text}' names a condition ({condition}), not a joint: give one of {joints}").format(
                text=text.strip(), condition=condition, joints=listed(JOINTS)
            )
        )
    raise unknown("joint", text, JOINTS)


def conditions(cat: Catalog) -> list[str]:
    return sorted({c for p in cat.book.prices for c in p.conditions})


def _resolve_word(kind: str, text: str, known: list[str]) -> str:
    """A hyphenated lower-case word from a known list (spaces typed as hyphens), else "did you mean"."""
    value = text.strip().lower().replace(" ", "-")
    if value in known:
        return value
    raise unknown(kind, text, known)


def resolve_condition(cat: Catalog, text: str) -> str:
    """A condition the price sources name, or a word for it in any language (aliases.toml: OA, 骨关节炎 …)."""
    found = _alias(cat, "condition", text)
    return _resolve_word(N_("condition"), found if found is not None else text, conditions(cat))


def resolve_currency(cat: Catalog, text: str) -> str:
    """An ISO 4217 code from the code, a word for the currency (aliases.toml: RMB, yen, 人民币, 円 …) or its CLDR
    name in any language tripplan speaks (names_i18n.toml); else "did you mean" over codes and those words."""
    value = text.strip()
    known = cat.known_currencies()
    if value.upper() in known:
        return value.upper()
    words = dict(cat.aliases.get("currency", {}))
    for names in cat.names_by_lang.get("currency", {}).values():
        words.update({name.casefold(): code for code, name in names.items()})
    if words.get(value.casefold()) in known:
        return words[value.casefold()]
    if not value:
        raise UsageError(_("empty currency: give an ISO 4217 code such as USD, CNY or JPY"))
    close = difflib.get_close_matches(value.casefold(), [*(c.casefold() for c in known), *words], n=6, cutoff=0.6)
    codes = list(dict.fromkeys(c.upper() if c.upper() in known else words[c] for c in close))[:3]
    said = [_("unknown currency '{text}'.").format(text=text)]
    if codes:
        said.append(_("Did you mean: {choices}?").format(choices=listed(codes)))
    raise UsageError(sentences(*said, _("Give an ISO 4217 code such as USD, CNY or JPY.")))


def _suggest(value: str, pool: dict[str, str], words: dict[str, str]) -> list[str]:
    """Close matches as "Name (CODE)", the name in the language spoken: by any name the country may be typed
    by (`words`: English, CLDR names, aliases; so "Japon" finds Japan in every language), and by code for
    short inputs (JPN -> JP). At most three."""
    names = {word: code for word, code in words.items() if code in pool}
    close = difflib.get_close_matches(value.casefold(), list(names), n=9, cutoff=0.6)
    codes = [names[c] for c in close]
    if 2 <= len(value) <= 3 and value[:2].upper() in pool:
        codes.insert(0, value[:2].upper())
    return [f"{pool[c]} ({c})" for c in list(dict.fromkeys(codes))[:3]]


def country_words(cat: Catalog) -> dict[str, str]:
    """Every name a country may be typed by, casefolded, to its code: English names, CLDR names in each
    language tripplan speaks, and aliases.toml (中国, 中华人民共和国, USA …)."""
    words = {name.casefold(): code for code, name in cat.country_names.items()}
    words |= {c.name.casefold(): code for code, c in cat.countries.items()}
    for names in cat.names_by_lang.get("country", {}).values():
        words |= {name.casefold(): code for code, name in names.items()}
    return words | cat.aliases.get("country", {})


def resolve_country(cat: Catalog, text: str, *, destinations_only: bool = False) -> str:
    """An ISO 3166 alpha-2 code or a country name in any language tripplan reads, any case, to its code."""
    value = text.strip()
    pool = {c: cat.country_name(c) for c in (cat.countries if destinations_only else cat.country_names)}
    if value.upper() in pool:
        return value.upper()
    words = country_words(cat)
    if (found := words.get(value.casefold())) in pool:
        return str(found)
    if not value:
        if destinations_only:
            raise UsageError(_("empty destination: give an ISO code such as JP or a name such as Japan"))
        raise UsageError(_("empty country: give an ISO code such as JP or a name such as Japan"))
    if destinations_only:
        said = [_("unknown destination '{text}'.").format(text=text)]
    else:
        said = [_("unknown country '{text}'.").format(text=text)]
    close = _suggest(value, pool, words)
    if close:
        said.append(_("Did you mean: {choices}?").format(choices=listed(close)))
    if destinations_only:
        known = listed(f"{code} ({name})" for code, name in pool.items())
        said.append(_("Destinations tripplan knows: {known}.").format(known=known))
    else:
        said.append(_("Use an ISO 3166 alpha-2 code (e.g. US, CN, JP) or the country's name (e.g. China, 中国)."))
    raise UsageError(sentences(*said))


def resolve_nationality(cat: Catalog, text: str) -> str:
    """A nationality: a country (as resolve_country reads it) whose passport the visa data set lists.
    A code with no passport there (ZZ, "unknown or unassigned"; a territory) is refused by every command
    alike, rather than answered as if it were a passport; the error says why (UsageError)."""
    code = resolve_country(cat, text)
    if code in cat.visa_matrix.rows or code in cat.visa_overrides:
        return code
    raise UsageError(
        _(
            "unknown nationality '{text}': the passport data set ({source}, {date}) lists no passport of "
            "{country} ({code}). Give the country that issued your passport, e.g. US, CN"
        ).format(
            text=text.strip(),
            source=cat.visa_dataset.source,
            date=cat.visa_dataset.date,
            country=cat.country_name(code),
            code=code,
        ),
        field="nationality",
    )


def resolve_countries(cat: Catalog, text: str) -> list[str]:
    """A comma-separated list of destinations, order kept; empty or repeated entries are errors."""
    parts = [p.strip() for p in re.split(r"[,，、]", text)]
    if not any(parts):
        raise UsageError(_("the list of countries is empty: give codes such as JP,MX,KR"))
    if "" in parts:
        raise UsageError(_("empty entry in the list of countries '{text}'").format(text=text))
    codes = [resolve_country(cat, p, destinations_only=True) for p in parts]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise UsageError(_("country listed twice: {codes}").format(codes=listed(dupes)))
    return codes


def resolve_airport(cat: Catalog, text: str) -> Airport:
    """A large airport of the catalog, else any airport with an IATA code and a time zone (airportsdata)."""
    code = text.strip().upper()
    if code in cat.airports:
        return cat.airports[code]
    found = world_airport(code) if re.fullmatch(r"[A-Z]{3}", code) else None
    if found is not None:
        return found
    raise unknown("airport", text, cat.airports, show_all_below=0)


@functools.cache
def world_airport(code: str) -> Airport | None:
    """One airport of data/airports_world.tsv, read only when asked for (7,900 lines, not in the catalog)."""
    from tripplan.files import read_regular
    from tripplan.loader import shipped_data_dir

    text = read_regular(shipped_data_dir() / "airports_world.tsv").decode("utf-8")
    at = text.find(f"\n{code}\t")
    if at < 0:
        return None
    fields = text[at + 1 : text.find("\n", at + 1)].split("\t")
    if len(fields) != 7:
        return None
    iata, name, city, country, lat, lon, tz = fields
    return Airport(iata=iata, name=name, city=city or name, country=country, lat=float(lat), lon=float(lon), tz=tz)


@dataclass(frozen=True, slots=True, kw_only=True)
class Assumed:
    """The home airport tripplan chose for a nationality, and why (from data, with its source)."""

    airport: str
    """The airport chosen (IATA code)."""
    basis: str
    """Why it was chosen, in words."""
    source: str
    """Id of the source of that choice."""


def default_home(cat: Catalog, nationality: str) -> tuple[Airport, Assumed]:
    """The nationality's principal international airport: home_airports.toml, else the first gateway the
    articles give (countries.toml), else the country's only large airport; never the first row of a list."""
    name = cat.country_name(nationality)
    if (h := cat.home_airports.get(nationality)) is not None:
        return cat.airports[h.airport], Assumed(airport=h.airport, basis=h.basis, source=h.source)
    if (c := cat.countries.get(nationality)) is not None:
        hub = c.hubs[0]
        basis = _("the first gateway from {country} the sources list").format(country=name)
        return cat.airports[hub], Assumed(airport=hub, basis=basis, source=c.sources[0] if c.sources else "")
    large = [a for a in cat.airports.values() if a.country == nationality]
    if len(large) == 1:
        only = large[0]
        basis = _("the only large airport in {country} in the airport list").format(country=name)
        return only, Assumed(airport=only.iata, basis=basis, source="ourairports")
    ports = listed(f"{a.iata} ({a.city})" for a in large[:8])
    if len(large) > 8:
        ports = _("{listed} and {n} more").format(listed=ports, n=len(large) - 8)
    if large:
        raise UsageError(
            _(
                "tripplan has no principal airport on file for {country}; give your home airport "
                "(large airports there: {listed})"
            ).format(country=name, listed=ports),
            field="airport",
        )
    raise UsageError(
        _("tripplan has no principal airport on file for {country}; give your home airport (any IATA code)").format(
            country=name
        ),
        field="airport",
    )


def home_airport(cat: Catalog, nationality: str | None, airport: str | None) -> tuple[Airport, Assumed | None]:
    """The airport given (nothing assumed), else the nationality's principal airport and why (default_home)."""
    if airport:
        return resolve_airport(cat, airport), None
    if nationality is None:
        raise UsageError(_("give a nationality or a home airport to date the flights"), field="nationality")
    return default_home(cat, nationality)


def resolve_clinic(cat: Catalog, text: str) -> Clinic:
    key = text.strip().lower()
    if key in cat.clinics:
        return cat.clinics[key]
    raise unknown("clinic", text, cat.clinics)


def treatments(cat: Catalog) -> list[str]:
    return sorted({p.treatment for p in cat.book.prices})


def resolve_treatment(cat: Catalog, text: str) -> str:
    return _resolve_word(N_("treatment"), text, treatments(cat))
