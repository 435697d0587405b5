"""One registry of data files (loader.SECTIONS): every catalog field is filled from the section that
names it, and every section names a field that exists."""

from __future__ import annotations

import dataclasses

from tripplan.catalog import Catalog
from tripplan.loader import SECTIONS
from tripplan.models import PriceBook


def test_every_catalog_field_comes_from_one_declared_section() -> None:
    targets = {e.into for spec in SECTIONS.values() for e in spec.values() if e.into is not None}
    fields = {f.name for f in dataclasses.fields(Catalog)} - {
        "book",
        "user_clinic_ids",
        "lang",
        "untranslated",
        "english",
        "labels",
    }
    book = {f.name for f in dataclasses.fields(PriceBook)}
    assert {t.partition(".")[0] for t in targets if not t.startswith("book.")} == fields
    assert {t.removeprefix("book.") for t in targets if t.startswith("book.")} == book


def test_a_section_declares_how_its_records_are_kept() -> None:
    for spec in SECTIONS.values():
        for name, entry in spec.items():
            assert not (entry.listed and entry.key is None), name  # a list of records has a key to merge by
