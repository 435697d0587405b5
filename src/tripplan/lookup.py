"""Resolve what the user typed (codes, names, joints, airports, clinics) to catalog keys."""

from __future__ import annotations

import difflib

from tripplan.catalog import Catalog
from tripplan.errors import UsageError, unknown
from tripplan.models import JOINTS, Airport, Clinic

# words a patient may type for a joint, from the conditions the articles name
JOINT_ALIASES = {
    "knees": "knee",
    "meniscus": "knee",
    "acl": "knee",
    "mcl": "knee",
    "pcl": "knee",
    "patellar": "knee",
    "hips": "hip",
    "shoulders": "shoulder",
    "rotator-cuff": "shoulder",
    "rotator cuff": "shoulder",
    "labrum": "shoulder",
    "elbows": "elbow",
    "tennis-elbow": "elbow",
    "tennis elbow": "elbow",
    "ankles": "ankle",
    "achilles": "ankle",
}


def resolve_joint(text: str) -> str:
    value = text.strip().lower()
    if value in JOINTS:
        return value
    if value in JOINT_ALIASES:
        return JOINT_ALIASES[value]
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
    return _resolve_word("condition", text, conditions(cat))


def _suggest(value: str, pool: dict[str, str]) -> list[str]:
    """Close matches as "Name (CODE)": by name, and by code for short inputs (JPN -> JP)."""
    names = {name.lower(): code for code, name in pool.items()}
    codes = [names[c] for c in difflib.get_close_matches(value.lower(), list(names), n=3, cutoff=0.6)]
    if 2 <= len(value) <= 3 and value[:2].upper() in pool:
        codes.insert(0, value[:2].upper())
    return [f"{pool[c]} ({c})" for c in dict.fromkeys(codes)]


ALIASES = {"usa": "US", "uk": "GB", "korea": "KR", "south korea": "KR", "america": "US", "britain": "GB"}


def resolve_country(cat: Catalog, text: str, *, destinations_only: bool = False) -> str:
    """An ISO 3166 alpha-2 code or a country name, any case, to its code."""
    value = text.strip()
    pool = {c: cat.country_name(c) for c in (cat.countries if destinations_only else cat.country_names)}
    kind = "destination" if destinations_only else "country"
    if value.upper() in pool:
        return value.upper()
    by_name = {name.lower(): code for code, name in pool.items()} | ALIASES
    if by_name.get(value.lower()) in pool:
        return by_name[value.lower()]
    if not value:
        raise UsageError(f"empty {kind}: give an ISO code such as JP or a name such as Japan")
    message = f"unknown {kind} '{text}'."
    close = _suggest(value, pool)
    if close:
        message += f" Did you mean: {', '.join(close)}?"
    if destinations_only:
        message += " Destinations tripplan knows: " + ", ".join(f"{code} ({name})" for code, name in pool.items()) + "."
    else:
        message += " Use an ISO 3166 alpha-2 code (e.g. US, CN, JP) or an English country name."
    raise UsageError(message)


def resolve_countries(cat: Catalog, text: str) -> list[str]:
    """A comma-separated list of destinations, order kept; empty or repeated entries are errors."""
    parts = [p.strip() for p in text.split(",")]
    if not any(parts):
        raise UsageError("the list of countries is empty: give codes such as JP,MX,KR")
    if "" in parts:
        raise UsageError(f"empty entry in the list of countries '{text}'")
    codes = [resolve_country(cat, p, destinations_only=True) for p in parts]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise UsageError(f"country listed twice: {', '.join(dupes)}")
    return codes


def resolve_airport(cat: Catalog, text: str) -> Airport:
    code = text.strip().upper()
    if code in cat.airports:
        return cat.airports[code]
    raise unknown("airport", text, cat.airports, show_all_below=0)


def home_airport(cat: Catalog, nationality: str | None, airport: str | None) -> Airport:
    """The airport given, else the home country's first hub, else its first large airport in the data."""
    if airport:
        return resolve_airport(cat, airport)
    if nationality is None:
        raise UsageError("give a nationality or a home airport to date the flights", field="nationality")
    if nationality in cat.countries:
        return cat.airports[cat.countries[nationality].hubs[0]]
    for a in cat.airports.values():
        if a.country == nationality:
            return a
    raise UsageError(
        f"tripplan knows no large airport in {cat.country_name(nationality)} ({nationality}); give one",
        field="airport",
    )


def resolve_clinic(cat: Catalog, text: str) -> Clinic:
    key = text.strip().lower()
    if key in cat.clinics:
        return cat.clinics[key]
    raise unknown("clinic", text, cat.clinics)


def treatments(cat: Catalog) -> list[str]:
    return sorted({p.treatment for p in cat.book.prices})


def resolve_treatment(cat: Catalog, text: str) -> str:
    return _resolve_word("treatment", text, treatments(cat))
