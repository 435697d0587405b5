"""Words people type, in English and Chinese: countries, currencies, joints, conditions and dates (issue 28 item 5).

The alias tables are data (data/aliases.toml, data/names_i18n.toml from CLDR); these tests hold what a patient
from China or the US types and what tripplan reads it as."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tripplan import lookup
from tripplan.catalog import Catalog
from tripplan.dates import parse_day
from tripplan.errors import DataError, UsageError
from tripplan.loader import load_catalog

from .conftest import Invoke


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("中国", "CN"),
        ("中华人民共和国", "CN"),
        ("People's Republic of China", "CN"),
        ("PRC", "CN"),
        ("日本", "JP"),
        ("韩国", "KR"),
        ("大韩民国", "KR"),
        ("泰国", "TH"),
        ("墨西哥", "MX"),
        ("美国", "US"),
        ("USA", "US"),
        ("台湾", "TW"),
        ("  china ", "CN"),
        ("UK", "GB"),
    ],
)
def test_country_words(cat: Catalog, typed: str, code: str) -> None:
    assert lookup.resolve_country(cat, typed) == code


def test_destination_list_in_chinese_with_chinese_commas(cat: Catalog) -> None:
    assert lookup.resolve_countries(cat, "日本,韩国,中国") == ["JP", "KR", "CN"]
    assert lookup.resolve_countries(cat, "日本，韩国、墨西哥") == ["JP", "KR", "MX"]


def test_chinese_names_are_cldrs_for_every_country(cat: Catalog) -> None:
    zh = cat.names_by_lang["country"]["zh"]
    missing = set(cat.country_names) - set(zh)
    assert missing <= {"XP"}, missing  # OurAirports' "Paracel Islands (disputed)" is no CLDR territory
    assert len(set(zh.values())) == len(zh)  # no two countries share a name, so a name resolves to one code


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("人民币", "CNY"),
        ("RMB", "CNY"),
        ("rmb", "CNY"),
        ("元", "CNY"),
        ("日元", "JPY"),
        ("円", "JPY"),
        ("yen", "JPY"),
        ("YEN", "JPY"),
        ("韩元", "KRW"),
        ("won", "KRW"),
        ("美元", "USD"),
        ("泰铢", "THB"),
        ("墨西哥比索", "MXN"),  # CLDR's name, not an alias
        ("cny", "CNY"),
    ],
)
def test_currency_words(cat: Catalog, typed: str, code: str) -> None:
    assert lookup.resolve_currency(cat, typed) == code


@pytest.mark.parametrize(("typed", "suggested"), [("RMBB", "CNY"), ("yenn", "JPY"), ("人民", "CNY")])
def test_currency_near_misses_suggest_the_currency_meant(cat: Catalog, typed: str, suggested: str) -> None:
    with pytest.raises(UsageError, match=r"Did you mean: [^?]*\b" + suggested):
        lookup.resolve_currency(cat, typed)


def test_rmb_is_not_the_rouble_and_empty_is_refused(cat: Catalog) -> None:
    assert lookup.resolve_currency(cat, "RMB") != "RUB"
    with pytest.raises(UsageError, match="empty currency"):
        lookup.resolve_currency(cat, "  ")


@pytest.mark.parametrize(
    ("typed", "joint"),
    [
        ("膝", "knee"),
        ("膝关节", "knee"),
        ("半月板", "knee"),
        ("髋", "hip"),
        ("肩", "shoulder"),
        ("肩袖", "shoulder"),
        ("跟腱", "ankle"),
        ("网球肘", "elbow"),
        ("Achilles", "ankle"),
        ("rotator cuff", "shoulder"),
        ("KNEE", "knee"),
    ],
)
def test_joint_words(cat: Catalog, typed: str, joint: str) -> None:
    assert lookup.resolve_joint(cat, typed) == joint


@pytest.mark.parametrize(
    ("typed", "condition"),
    [("骨关节炎", "osteoarthritis"), ("半月板", "meniscus"), ("肌腱", "tendinopathy"), ("OA", "osteoarthritis")],
)
def test_condition_words(cat: Catalog, typed: str, condition: str) -> None:
    assert lookup.resolve_condition(cat, typed) == condition


def test_a_condition_given_as_a_joint_is_named(cat: Catalog) -> None:
    with pytest.raises(UsageError, match=r"names a condition \(osteoarthritis\), not a joint"):
        lookup.resolve_joint(cat, "骨关节炎")
    with pytest.raises(UsageError, match="Did you mean: knee"):
        lookup.resolve_joint(cat, "kne")


@pytest.mark.parametrize("typed", ["2027年3月1日", "2027年3月1号", "2027 年 3 月 1 日", "2027/3/1", "2027-03-01"])
def test_chinese_dates(typed: str) -> None:
    assert parse_day(typed, field="harvest") == dt.date(2027, 3, 1)


def test_chinese_date_that_does_not_exist_is_refused() -> None:
    with pytest.raises(UsageError, match="not a valid date"):
        parse_day("2027年2月30日", field="harvest")


def test_every_alias_points_at_something_tripplan_knows(data_dir: Path) -> None:
    (data_dir / "aliases.toml").write_text('[currency_aliases]\n"比特币" = "BTC"\n[joint_aliases]\nneck = "neck"\n')
    with pytest.raises(DataError) as e:
        load_catalog(data_dir, use_cache=False)
    text = str(e.value)
    assert "aliases.toml" in text or "currency_aliases" in text
    assert "'BTC' is not an ISO 4217 code" in text
    assert "'neck' is not one of: knee" in text


def test_users_own_alias_is_understood(run: Invoke, data_dir: Path) -> None:
    (data_dir / "aliases.toml").write_text('[joint_aliases]\n"left knee" = "knee"\n')
    result = run("quote", "--joint", "left knee", "--from", "US", "--json")
    assert result.exit_code == 0, result.output
    assert '"joint": "knee"' in result.stdout


def test_a_beijing_patient_types_in_chinese(run: Invoke) -> None:
    quote = run("quote", "--joint", "跟腱", "--from", "中国", "--currency", "人民币", "--json")
    assert quote.exit_code == 0, quote.output
    assert '"nationality": "CN"' in quote.stdout
    assert '"currency": "CNY"' in quote.stdout
    compare = run("compare", "--countries", "日本,韩国,中国", "--from", "中国", "--json")
    assert compare.exit_code == 0, compare.output
    schedule = run("schedule", "--harvest", "2027年3月1日", "--from", "中国", "--json")
    assert schedule.exit_code == 0, schedule.output
    assert "2027-03-01" in schedule.stdout
