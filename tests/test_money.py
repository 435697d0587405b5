"""Money a patient can check: dated, sourced rates; every currency resolved or said to have none."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tripplan.catalog import Catalog
from tripplan.money import convert, fmt, to_usd

from .conftest import Invoke


def currency_kinds(cat: Catalog) -> tuple[Counter[str], set[str]]:
    """How each passport country's currency is converted (USD, ECB, peg, no sourced rate), counted, and the
    sources of the pegs used."""
    kinds: Counter[str] = Counter()
    pegs: set[str] = set()
    for country in cat.visa_matrix.rows:
        code = cat.home_currency(country)
        rate = cat.rate_record(code)
        if code == "USD":
            kinds["USD"] += 1
        elif rate is None:
            kinds["no sourced rate"] += 1
        elif rate.source == "ecb-reference-rates":
            kinds["ECB"] += 1
        else:
            kinds["peg"] += 1
            pegs.add(rate.source)
    return kinds, pegs


def test_every_passport_currency_has_an_ecb_rate_a_peg_or_says_none(cat: Catalog) -> None:
    kinds, pegs = currency_kinds(cat)
    assert pegs <= set(cat.sources)
    assert sum(kinds.values()) == len(cat.visa_matrix.rows)  # the shipped 199: tests/test_shipped_data.py
    assert kinds["ECB"] > 0
    assert kinds["peg"] > 0
    assert kinds["no sourced rate"] > 0
    assert cat.home_currency("NG") == "NGN"
    assert cat.rate_record("NGN") is None
    assert cat.rate_record("XOF") is not None
    assert cat.rate_record("AED") is not None


def test_rates_are_the_ecbs_and_dated(cat: Catalog) -> None:
    jpy = cat.rate_record("JPY")
    assert jpy is not None
    assert (jpy.source, str(jpy.as_of)) == ("ecb-reference-rates", "2026-10-30")
    assert round(jpy.per_usd) == 157
    xof = cat.rate_record("XOF")
    assert xof is not None
    assert xof.per_usd == pytest.approx(655.957 * cat.rate("EUR"))


@given(st.integers(0, 10**8), st.sampled_from(["JPY", "CNY", "KRW", "EUR", "AUD", "XOF", "AED"]))
def test_conversions_round_trip_within_rounding(cat: Catalog, usd: int, currency: str) -> None:
    rate = cat.rate(currency)
    assert abs(to_usd(convert(usd, rate), rate) - usd) <= max(1, 1 / rate)


def test_symbols_tell_yen_from_yuan() -> None:
    assert fmt(1500000, "JPY") == "JP¥1,500,000"
    assert fmt(10000, "CNY") == "CN¥10,000"
    assert fmt(5, "NGN") == "5 NGN"


@pytest.mark.parametrize(
    ("nationality", "currency", "shown"),
    [("US", "USD", None), ("CN", "CNY", "ecb-reference-rates"), ("KR", "KRW", "ecb-reference-rates")],
)
def test_cli_home_totals_carry_a_dated_sourced_rate(
    run: Invoke, nationality: str, currency: str, shown: str | None
) -> None:
    data = json.loads(run("quote", "--joint", "knee", "--from", nationality, "--to", "JP", "--json").stdout)
    home = data["destinations"][0]["home"]
    assert home["currency"] == currency
    assert isinstance(home["low"], int)
    if shown:
        assert (home["rate_source"], home["as_of"]) == (shown, "2026-10-30")
        table = run("quote", "--joint", "knee", "--from", nationality, "--to", "JP").stdout
        assert f"{currency} totals at 1 USD =" in table
        assert "as of 2026-10-30" in table


def test_cli_nigeria_has_no_sourced_rate(run: Invoke) -> None:
    result = run("quote", "--joint", "knee", "--from", "NG", "--to", "JP")
    assert result.exit_code == 0
    assert "No sourced exchange rate for NGN: totals are in USD" in " ".join(result.stdout.split())
    data = json.loads(run("quote", "--joint", "knee", "--from", "NG", "--to", "JP", "--json").stdout)
    assert (data["currency"], data["no_rate_for"]) == ("USD", "NGN")
    mine = json.loads(run("quote", "--joint", "knee", "--from", "NG", "--to", "JP", "--rate", "1500", "--json").stdout)
    assert mine["destinations"][0]["home"]["yours"] is True
    assert mine["destinations"][0]["home"]["currency"] == "NGN"


@pytest.mark.parametrize("rate", ["0", "-3", "nan", "inf"])
def test_bad_rate_is_refused(run: Invoke, rate: str) -> None:
    result = run("quote", "--joint", "knee", "--from", "CN", "--rate", rate)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_clinics_add_needs_a_currency(run: Invoke, data_dir: object) -> None:
    base = ["clinics", "add", "--id", "x", "--name", "X", "--city", "Tokyo", "--country", "JP"]
    base += ["--cell-source", "adipose", "--processing", "cultured", "--treatment", "t", "--joints", "knee"]
    missing = run(*base, "--price", "1500000")
    assert missing.exit_code == 2
    assert "missing --currency" in missing.stderr
    typo = run(*base, "--price", "1500000", "--currency", "JYP")
    assert typo.exit_code == 2
    assert "unknown currency 'JYP'" in typo.stderr
    assert run(*base, "--price", "1500000", "--currency", "JPY").exit_code == 0
    shown = run("quote", "--joint", "knee", "--from", "US", "--clinic", "x", "--details").stdout
    assert "quoted JP¥1,500,000, at" in " ".join(shown.split())  # a single amount written once


def test_article_rmb_is_shown_with_its_own_rate_beside_the_ecbs(run: Invoke) -> None:
    out = " ".join(run("quote", "--joint", "knee", "--from", "CN", "--to", "JP", "--details").stdout.split())
    assert "the source prints 46,000–108,000 CNY; 7.20 per USD as printed" in out
    assert "1 USD = 6.65288 CNY (ecb-reference-rates" in out


def test_users_own_rates_file_wins_and_names_its_source(run: Invoke, data_dir: object) -> None:
    from pathlib import Path

    folder = Path(str(data_dir))
    (folder / "sources.toml").write_text(
        '[[sources]]\nid = "my-bank"\nkind = "authority"\ntitle = "My bank\'s rate sheet"\nno_url_reason = "a paper sheet"\n'
        'publisher = "My bank"\ndate = 2026-11-20\n'
    )
    (folder / "rates.toml").write_text(
        '[[rates]]\ncurrency = "CNY"\nper_usd = 7.0\nsource = "my-bank"\nas_of = 2026-11-20\n'
    )
    data = json.loads(run("quote", "--joint", "knee", "--from", "CN", "--to", "JP", "--json").stdout)
    home = data["destinations"][0]["home"]
    assert (home["rate"], home["rate_source"], home["as_of"]) == (7.0, "my-bank", "2026-11-20")
    table = " ".join(run("quote", "--joint", "knee", "--from", "CN", "--to", "JP", "--details").stdout.split())
    assert "[my-bank] My bank's rate sheet" in table


def test_compare_names_the_rate_of_its_home_totals(run: Invoke) -> None:
    out = " ".join(run("compare", "--countries", "JP,KR", "--from", "CN").stdout.split())
    assert "CNY totals at 1 USD = 6.65288 CNY (ecb-reference-rates, as of 2026-10-30" in out
    ng = " ".join(run("compare", "--countries", "JP,KR", "--from", "NG").stdout.split())
    assert "No sourced exchange rate for NGN" in ng
