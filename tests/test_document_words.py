"""Issue s24e: the plan document's own words join the record's text as sentences (a full stop, then a
capital or a label), the Chinese page's separators come from the catalog, and refusals are said in plain
words."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.conftest import Invoke
from tripplan.catalog import Catalog
from tripplan.i18n import use
from tripplan.wording import ended


def _page_text(run: Invoke, tmp_path: Path, lang: str) -> str:
    page = tmp_path / f"p-{lang}.html"
    args = ("schedule", "--harvest", "2027-03-01", "--from", "US", "--html", str(page), "--force")
    result = run(*args, env={"TRIPPLAN_LANG": lang})
    assert result.exit_code == 0, result.stderr
    text = re.sub(r"<[^>]+>", "", page.read_text("utf-8"))
    return re.sub(r"\s+", " ", html.unescape(text))


def test_each_action_is_whole_sentences_in_english(run: Invoke, cat: Catalog, tmp_path: Path) -> None:
    text = _page_text(run, tmp_path, "en")
    actions = [a for a in cat.safety_actions if a.country == "JP"]
    assert actions
    for a in actions:
        what = f"{a.treatment}, {a.route}" if a.route else a.treatment
        outcome = a.outcome if a.outcome.endswith(".") else a.outcome + "."
        assert f"{a.action}. Treatment: {what}. Patients: {outcome}" in text, a.action
        if a.disputed:
            assert f"{outcome} Disputed: {a.disputed}" in text or f"{outcome} (one source only) Disputed:" in text
    assert ")). " not in text
    assert not re.search(r"\)\)\. [a-z]", text)
    assert not re.search(r"[a-z)] Disputed:", text)


def test_each_action_ends_with_a_chinese_full_stop(run: Invoke, tmp_path: Path) -> None:
    text = _page_text(run, tmp_path, "zh")
    assert "患者：" in text
    before = re.findall(r"(.)\s?有争议：", text)
    assert before
    assert set(before) <= {"。", "）"}, before


@pytest.mark.parametrize(
    ("lang", "given", "said"),
    [
        ("en", "no harm stated", "no harm stated."),
        ("en", "found (as reported).", "found (as reported)."),
        ("en", "  ", ""),
        ("zh", "未报告伤害", "未报告伤害。"),
        ("zh", "未报告伤害。", "未报告伤害。"),
    ],
)
def test_ended_adds_the_languages_full_stop_once(lang: str, given: str, said: str) -> None:
    use(lang)
    try:
        assert ended(given) == said
    finally:
        use("en")


def test_the_chinese_page_joins_its_parts_with_chinese_punctuation(run: Invoke, tmp_path: Path) -> None:
    page = tmp_path / "p-cn.html"
    args = ("schedule", "--harvest", "2027-03-01", "--from", "CN", "--html", str(page), "--force")
    assert run(*args, env={"TRIPPLAN_LANG": "zh"}).exit_code == 0
    body = re.sub(r"<style>.*?</style>|<section id=\"sources\".*?</section>", " ", page.read_text("utf-8"), flags=re.S)
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", body)))
    text = re.sub(r"“[^”]*”", " · ", text)  # a source's own words stay as written
    ascii_joins = re.findall(r".{12}[\u4e00-\u9fff（）][:;,] .{12}|.{12}[\u4e00-\u9fff]\(.{12}", text)
    assert ascii_joins == []
    # the source row's note: one pair of full-width brackets around what the source printed
    assert re.search(r"（来源印有 [\d,–]+ CNY；按印出的数字为每美元 [\d.]+）", text)
    assert "所需材料为 " in text
    assert "（治疗计划）；" in text
    assert re.search(r"诊所随访（6 个月）：\d{4}年", text)
    sources = page.read_text("utf-8").split('<section id="sources"')[1]
    assert "；文章）" in html.unescape(re.sub(r"<[^>]+>", "", sources))


@pytest.mark.parametrize(
    ("typed", "pair"),
    [
        ("1500", (1500, 1500)),
        ("1,500", (1500, 1500)),
        ("1 500", (1500, 1500)),
        ("1\u00a0500", (1500, 1500)),
        ("1,500,000-1,800,000", (1_500_000, 1_800_000)),
        ("1 500 000 – 1 800 000", (1_500_000, 1_800_000)),
        ("150万", (1_500_000, 1_500_000)),
        ("150万-180万", (1_500_000, 1_800_000)),
    ],
)
def test_amounts_are_read_as_people_write_them(typed: str, pair: tuple[int, int]) -> None:
    from tripplan.cli_common import parse_pair

    assert parse_pair(typed, "--price", unit="JPY") == pair


@pytest.mark.parametrize("typed", ["1,50", "1,5000", ",500", "1.500", "1,500-", "万", "1 50"])
def test_a_misgrouped_amount_is_still_refused(typed: str) -> None:
    from tripplan.cli_common import parse_pair
    from tripplan.errors import UsageError

    with pytest.raises(UsageError, match="must be a whole number"):
        parse_pair(typed, "--price", unit="JPY")


@pytest.mark.parametrize(("lang", "typed"), [("en", "1,500"), ("en", "1 500"), ("zh", "1,500"), ("zh", "0.15万")])
def test_quote_takes_a_fare_with_thousands_separators(run: Invoke, lang: str, typed: str) -> None:
    args = ("quote", "--joint", "knee", "--from", "US", "--json")
    env = {"TRIPPLAN_LANG": lang}
    plain = run(*args, "--fare", "1500", env=env)
    given = run(*args, "--fare", typed, env=env)
    if typed == "0.15万":  # not simple: refused with the usual words, in the language spoken
        assert given.exit_code == 2
        assert "--fare '0.15万'" in given.stderr
        assert "整数" in given.stderr
        return
    assert given.exit_code == 0, given.stderr
    assert given.stdout == plain.stdout


def test_clinics_add_takes_a_price_with_thousands_separators(run: Invoke, data_dir: Path) -> None:
    from tests.test_clinics import ADD

    at = ADD.index("--price") + 1
    args = (*ADD[:at], "1,500,000-1,800,000", *ADD[at + 1 :])
    result = run(*args, env={"TRIPPLAN_LANG": "zh"})
    assert result.exit_code == 0, result.stderr
    saved = (data_dir / "clinics.toml").read_text("utf-8")
    assert "low = 1500000" in saved
    assert "high = 1800000" in saved


def test_the_currencies_are_dated_by_the_babel_release_they_come_from(cat: Catalog) -> None:
    import datetime as dt

    from tripplan.loader import shipped_data_dir
    from tripplan.sources import data_set_ages

    header = (shipped_data_dir() / "currencies.toml").read_text("utf-8").splitlines()[0]
    built_with = re.search(r"Babel (\d+\.\d+\.\d+)", header)
    assert built_with, header
    source = cat.sources["cldr-currencies"]
    assert f"Babel {built_with.group(1)}" in source.publisher
    assert f"Babel {built_with.group(1)}'s release date" in source.note  # what the date is, in the data
    later = dt.date(2027, 1, 5)
    ages = {d.name: d for d in data_set_ages(cat=cat, today=later, holidays_release=None)}
    assert ages["currencies"].as_of == source.date
    assert ages["currencies"].age_days == (later - source.date).days  # a date of its own, not the run's


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "id: may use only lower-case letters a-z, digits and hyphens, and must start with a letter or a digit"),
        ("zh", "id：只能使用小写字母 a-z、数字和连字符（-），并且必须以字母或数字开头"),
    ],
)
def test_a_bad_clinic_id_is_said_in_plain_words(run: Invoke, lang: str, said: str) -> None:
    from tests.test_clinics import ADD

    at = ADD.index("--id") + 1
    result = run(*ADD[:at], "A_1", *ADD[at + 1 :], env={"TRIPPLAN_LANG": lang})
    assert result.exit_code == 2
    assert said in result.stderr
    assert "String should" not in result.stderr
    assert "^[a-z0-9]" not in result.stderr


@pytest.mark.parametrize(
    ("lang", "said"), [("en", "name: is too long: at most 200 characters"), ("zh", "太长：最多 200 个字符")]
)
def test_a_long_clinic_name_is_said_in_plain_words(run: Invoke, lang: str, said: str) -> None:
    from tests.test_clinics import ADD

    at = ADD.index("--name") + 1
    result = run(*ADD[:at], "x" * 201, *ADD[at + 1 :], env={"TRIPPLAN_LANG": lang})
    assert result.exit_code == 2
    assert said in result.stderr
    assert "String should" not in result.stderr


def _saved_plan(run: Invoke, tmp_path: Path, fare: str) -> Path:
    plan = tmp_path / "p.toml"
    assert run("schedule", "--harvest", "2027-03-01", "--from", "US", "--save", str(plan)).exit_code == 0
    text = plan.read_text("utf-8")
    assert "[request.overrides]\n" in text
    plan.write_text(text.replace("[request.overrides]\n", f"[request.overrides]\nfare = {fare}\n", 1), "utf-8")
    return plan


@pytest.mark.parametrize(
    ("lang", "fare", "said"),
    [
        ("en", "1200", "must be a range: a table with a low and a high whole number (e.g. { low = 600, high = 1600 })"),
        ("zh", "1200", "必须是一个范围：含最低值 low 和最高值 high 两个整数的表（例如 { low = 600, high = 1600 }）"),
        ("en", "{ low = 1e12, high = 1e12 }", "1e+12 is not a whole number: write it in digits only, e.g. 1500"),
        ("zh", "{ low = 1e12, high = 1e12 }", "1e+12 不是整数：请只用数字书写，例如 1500"),
    ],
)
def test_a_hand_edited_fare_is_said_in_plain_words(
    run: Invoke, tmp_path: Path, lang: str, fare: str, said: str
) -> None:
    plan = _saved_plan(run, tmp_path, fare)
    result = run("schedule", "--plan", str(plan), env={"TRIPPLAN_LANG": lang})
    assert result.exit_code == 1
    assert said in result.stderr
    assert "Input should" not in result.stderr
    assert ".0 is not" not in result.stderr


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "Error: there is no plan file {path}: give the file a plan was saved to (option --plan)"),
        ("zh", "错误：没有计划文件 {path}：请给出保存计划时所用的文件（选项 --plan）"),
    ],
)
def test_a_missing_plan_file_is_said_in_plain_words(run: Invoke, tmp_path: Path, lang: str, said: str) -> None:
    missing = tmp_path / "nope.toml"
    result = run("schedule", "--plan", str(missing), env={"TRIPPLAN_LANG": lang, "COLUMNS": "400"})
    assert result.exit_code == 2
    assert said.format(path=missing) in result.stderr
    assert "No such file" not in result.stderr
