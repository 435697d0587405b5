"""The shipped data itself: what a data refresh (rates, prices, clinics, the passport-index visa matrix)
is expected to change, and so the only tests such a refresh may break. Every other test runs on the
fixture catalog (tests/fixtures/catalog/, see conftest.py). Update a figure here when the shipped data is
refreshed on purpose."""

from __future__ import annotations

import json

from tripplan.catalog import Catalog
from tripplan.visas import visa_answer

from .conftest import Invoke
from .test_data import SEED_TITLES
from .test_money import currency_kinds


def test_every_passport_currency_has_an_ecb_rate_a_peg_or_says_none(shipped_cat: Catalog) -> None:
    kinds, _ = currency_kinds(shipped_cat)
    assert sum(kinds.values()) == 199
    assert kinds["ECB"] > 0
    assert kinds["peg"] > 0


def test_shipped_rates_are_the_ecbs_and_dated(shipped_cat: Catalog) -> None:
    jpy = shipped_cat.rate_record("JPY")
    assert jpy is not None
    assert (jpy.source, str(jpy.as_of)) == ("ecb-reference-rates", "2026-10-30")
    assert round(jpy.per_usd) == 157
    assert all(r.as_of is not None for r in shipped_cat.book.rates)


def test_the_fixture_catalog_is_smaller_than_the_shipped_one(shipped_cat: Catalog, cat: Catalog) -> None:
    """The fixture is laid over the shipped data: its visa matrix is cut, the reference files are shared."""
    assert len(cat.visa_matrix.rows) < len(shipped_cat.visa_matrix.rows)
    assert cat.visa_matrix.destinations == shipped_cat.visa_matrix.destinations
    assert cat.airports.keys() == shipped_cat.airports.keys()


def test_shipped_catalog_cross_checks(shipped_cat: Catalog) -> None:
    assert set(shipped_cat.countries) >= {"JP", "US", "MX", "KR", "CN", "TH", "GB", "AU"}
    # every passport of the data set into every destination of it: 199 x 199
    assert len(shipped_cat.visa_matrix.rows) == 199
    assert len(shipped_cat.visa_matrix.destinations.split()) == 199
    assert all(
        shipped_cat.visa_requirement(p, d) is not None
        for p in shipped_cat.visa_matrix.rows
        for d in shipped_cat.countries
    )


def test_every_figure_has_a_known_source(shipped_cat: Catalog) -> None:
    for p in shipped_cat.book.prices:
        assert p.source in shipped_cat.sources
    assert {s.id for s in shipped_cat.sources.values() if s.publisher == "PlacidWay"} == {
        "seed-sports-trauma-us",
        "seed-sports-beijing",
        "seed-degenerative-us",
        "seed-knee-pain",
        "seed-planning-trip",
    }


def test_disagreeing_japan_knee_prices_are_all_kept(shipped_cat: Catalog) -> None:
    ranges = {(p.low, p.high) for p in shipped_cat.book.prices if "JP" in p.countries and "knee" in p.joints}
    assert {(7000, 15000), (6500, 15000), (7000, 12000), (10000, 25000), (12000, 20000)} <= ranges


def test_profiles_have_no_licence_numbers(shipped_cat: Catalog) -> None:
    shipped = [c for c in shipped_cat.clinics.values() if c.profile]
    assert len(shipped) >= 4
    assert all(c.licence is None and c.name.startswith("Profile:") for c in shipped)


def test_rmb_figures_kept(shipped_cat: Catalog) -> None:
    p = next(p for p in shipped_cat.book.prices if p.id == "sports-beijing-jp")
    assert p.local is not None
    assert (p.local.low, p.local.high, p.local.currency) == (46000, 108000, "CNY")


def test_data_sources_lists_seeds_and_dataset(run_shipped: Invoke) -> None:
    result = run_shipped("data", "sources", env={"COLUMNS": "400"})
    assert result.exit_code == 0
    for title in SEED_TITLES:
        assert title in result.stdout
    assert "passport-index" in result.stdout
    assert (
        "passport-index: 678 days old (older than 365 days)" in result.stderr
    )  # the 2025-01-12 snapshot, as of 2026-11-21
    assert "undated" in result.stderr


def test_data_sources_json_counts(run_shipped: Invoke) -> None:
    report = json.loads(run_shipped("data", "sources", "--json").stdout)
    by_id = {r["id"]: r for r in report["sources"]}
    assert by_id["passport-index"]["figures"] == 199 * 199
    assert by_id["passport-index"]["stale"] is True
    assert by_id["seed-degenerative-us"]["age_days"] == 310
    assert all(by_id[s]["figures"] > 0 for s in by_id)


def test_every_passport_answers_for_every_destination(shipped_cat: Catalog) -> None:
    columns = shipped_cat.visa_matrix.destinations.split()
    assert len(shipped_cat.visa_matrix.rows) == len(columns) == 199
    for passport in shipped_cat.visa_matrix.rows:
        for dest in columns:
            a = visa_answer(cat=shipped_cat, nationality=passport, destination=dest, stays_days=[5])
            assert a.kind != "no data", (passport, dest)
            assert a.summary
