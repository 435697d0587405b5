"""What a coordinator types, read through brochure.toml: routes, provider names and cities. Pure.

Every word is data (brochure.toml, with its source); this module only folds text and looks it up."""

from __future__ import annotations

import re
import unicodedata

from tripplan.catalog import Catalog
from tripplan.models import CityNames

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
SHORT = 3  # an ASCII word this short ("iv") only counts as a whole word, never inside another one


def fold(text: str) -> str:
    """Case and width folded, runs of spaces made one: 'ＩＶ  Drip' -> 'iv drip'."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def squeeze(text: str) -> str:
    """Folded with every space and punctuation mark removed: 'Intra-articular' -> 'intraarticular'."""
    return _NOT_WORD.sub("", fold(text))


def _words(text: str) -> set[str]:
    """The words of folded text, split at punctuation and, dotted abbreviations kept whole ('i.v.' -> 'iv'),
    at spaces."""
    return set(_NOT_WORD.sub(" ", text).split()) | {squeeze(w) for w in text.split()}


def mentions(text: str, word: str) -> bool:
    """Whether folded `text` holds `word`: a short ASCII word as a whole word, anything else as a phrase."""
    w = fold(word)
    if w.isascii() and len(squeeze(w)) <= SHORT:
        return squeeze(w) in _words(text)
    return w in text or (bool(squeeze(w)) and squeeze(w) in squeeze(text) and not w.isascii())


def routes_in(cat: Catalog, text: str) -> list[str]:
    """The canonical routes whose words appear in free text (claims, notes, a brochure's phrase), in
    brochure.toml order; empty when none does."""
    folded = fold(text)
    return [a.route for a in cat.route_aliases if any(mentions(folded, w) for w in a.words)]


def route_of(cat: Catalog, wording: str) -> str:
    """The canonical route of a brochure's wording ('IV drip' -> 'intravenous', '関節内注射' ->
    'intra-articular'): an alias equal to the wording, else the one route whose words it contains;
    'unrecognised' when it names no route or several."""
    key = squeeze(wording)
    for alias in cat.route_aliases:
        if alias.route == wording.strip().lower() or any(squeeze(w) == key for w in alias.words):
            return alias.route
    found = routes_in(cat, wording)
    return found[0] if len(found) == 1 else "unrecognised"


def city_of(cat: Catalog, country: str, written: str) -> CityNames | None:
    """The catalog city a clinic's city field names ('東京都中央区', 'Chuo-ku, Tokyo', '大阪市'), else None.

    A name of brochure.toml matches the whole field, one of its comma-separated parts or words, or its
    beginning (an address written from the prefecture down)."""
    whole = squeeze(written)
    if not whole:
        return None
    parts = {squeeze(p) for p in re.split(r"[,、，]", written)} | {squeeze(w) for w in _words(fold(written))}
    for city in cat.city_names:
        if city.country != country:
            continue
        for name in [city.city, *city.names]:
            key = squeeze(name)
            if key and (key == whole or key in parts or (not key.isascii() and whole.startswith(key))):
                return city
    return None


def cell_source_of(cat: Catalog, written: str) -> str | None:
    """The usual name of the cell source an answer names ('fat' -> 'adipose', '骨髄' -> 'bone-marrow'),
    else None (brochure.toml)."""
    folded = fold(written)
    for cells in cat.cell_sources:
        if squeeze(written) == squeeze(cells.name) or any(mentions(folded, w) for w in cells.words):
            return cells.name
    return None
