"""The plan in Chinese (issue 28): the domain's sentences, the plan document and the calendar file in zh,
with nothing left in English but what stays in its own language by design (source titles, publishers,
names, quotations, the catalog's own text until it has a translation); the calendar keeps its UIDs and
SEQUENCE numbers across languages, and a plan saved in one language re-opens in the other unchanged."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re
from pathlib import Path
from typing import Any

import icalendar
import pytest

from tests.conftest import TODAY, Invoke
from tests.lang_check import english_runs
from tripplan import DISCLAIMER, i18n
from tripplan.catalog import Catalog
from tripplan.plain import to_plain
from tripplan.plans import WORDS_IN_RECORD, differences, facts_only
from tripplan.request import PlanRequest
from tripplan.schedule import make_plan
from tripplan.wording import FLIGHT_TIMES, at_home_label

ZH = {"TRIPPLAN_LANG": "zh"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _strings(value: Any, out: set[str]) -> set[str]:
    """Every text a catalog holds (its records' words: titles, names, notes, data text)."""
    if isinstance(value, str):
        if value.strip():
            out.add(value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _strings(getattr(value, f.name), out)
    elif isinstance(value, dict):
        for k, v in value.items():
            _strings(k, out)
            _strings(v, out)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in value:
            _strings(v, out)
    return out


@pytest.fixture(scope="module")
def kept(cat: Catalog) -> list[str]:
    """What may stay in English in a Chinese plan: the catalog's own text (source titles, publishers,
    clinic, airport and city names, quotations, and data text, which has its translations in data, not
    here), and the sentences other parts of the code own (the disclaimer, the flight-time assumption, the
    chosen home airport's reason).
    Everything tripplan's code says for the plan, the page and the calendar must be Chinese."""
    from tripplan.lookup import home_airport

    said_elsewhere = {DISCLAIMER, FLIGHT_TIMES}  # __init__.py and wording.py: other parts of issue 28
    for nationality in ("CN", "US"):  # lookup.py's words for an airport it chose (the command line's part)
        assumed = home_airport(cat, nationality, None)[1]
        said_elsewhere |= {assumed.basis} if assumed else set()
        for kinds in (["same-day"], ["cultured"], ["same-day", "cultured"]):  # wording.py: the terminal's part
            said_elsewhere.add(at_home_label(cat.country_name(nationality), kinds))
    # only what could be a run of English words itself: a shorter string (a country, a joint) is never
    # taken out, so it cannot cut an English sentence of tripplan's into pieces too short to be found
    return sorted({t for t in _strings(cat, set()) | said_elsewhere if english_runs(t)}, key=len, reverse=True)


def _page_text(page: str) -> str:
    """The words a reader sees, but quotations (“…”: a source's own words stay in its language): inline
    markup (a date or figure held whole, a link, a date) joins its text, the rest separates."""
    body = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    body = re.sub(r"</?(?:span|a|time|code|strong|em)\b[^>]*>", "", body)
    return re.sub(r"“[^”]*”", " · ", html.unescape(re.sub(r"<[^>]+>", "\n", body)))


def _plan_args(tmp_path: Path, nationality: str, *extra: str) -> tuple[str, ...]:
    return ("schedule", "--harvest", "2027-03-01", "--from", nationality, "--joint", "knee", *extra)


@pytest.mark.parametrize("nationality", ["CN", "US"])
def test_the_chinese_page_has_no_english_sentence_of_its_own(
    run: Invoke, tmp_path: Path, kept: list[str], nationality: str
) -> None:
    page = tmp_path / "计划.html"
    made = run(*_plan_args(tmp_path, nationality), "--clinic", "jp-tokyo-cultured-adipose", "--html", str(page), env=ZH)
    assert made.exit_code == 0, made.stderr
    text = page.read_text("utf-8")
    assert '<html lang="zh-Hans">' in text
    assert '"Noto Sans CJK SC", "PingFang SC",' in text
    assert '"Microsoft YaHei", sans-serif' in text
    assert "本译文由 tripplan 自行翻译，以英文原文为准" in text  # the translation says it is tripplan's own
    assert re.search(r'<a href="[^"]+" lang="ja">期間や期限', text)  # a Japanese title set as Japanese
    assert not re.search(r'lang="ja">(?:Japan|Ministry)', text)
    assert english_runs(_page_text(text), allowed=kept) == []
    for heading in ("概览", "日历", "时间表", "费用", "签证与文件", "安全", "供本国医生参考", "资料来源"):
        assert f">{heading}</h2>" in text, heading
    assert '<th scope="col">一</th>' in text
    assert "2027年3月" in text


def test_the_english_page_is_still_english_and_says_nothing_of_a_translation(run: Invoke, tmp_path: Path) -> None:
    page = tmp_path / "plan.html"
    assert run(*_plan_args(tmp_path, "CN"), "--html", str(page)).exit_code == 0
    text = page.read_text("utf-8")
    assert '<html lang="en">' in text
    assert "the English text is the reference" not in text
    assert "本译文" not in text
    for chinese in ("概览", "时间表", "签证与文件", "第 1 次就诊", "在诊所面诊", "公众假日"):
        assert chinese not in text, chinese


def test_the_same_plan_in_both_languages_differs_only_in_words(cat: Catalog) -> None:
    """Every record field where a plan made in Chinese differs from the same plan in English is a field
    of words (plans.WORDS_IN_RECORD): a saved plan is compared across languages by the rest, its facts."""
    request = PlanRequest(destination="JP", joint="knee", nationality="CN", harvest=dt.date(2027, 3, 1), clinic=None)
    english = to_plain(make_plan(cat=cat, request=request, today=TODAY))
    i18n.use("zh")
    chinese = to_plain(make_plan(cat=cat, request=request, today=TODAY))
    changed = _leaves_that_differ(english, chinese)
    assert changed, "the Chinese plan says nothing in Chinese"
    for path in changed:
        leaf = re.sub(r"\[\d+\]", "", path).rsplit(".", 1)[-1]
        assert leaf in WORDS_IN_RECORD, path
    assert differences(facts_only(english), facts_only(chinese)) == []
    assert chinese["visits"][0]["name"] == "第 1 次就诊（采集）"
    assert chinese["visa"]["advice"].startswith("请在2027年1月15日（周五）前申请")  # a date in prose, in Chinese


def _leaves_that_differ(a: Any, b: Any, at: str = "") -> list[str]:
    """The path of every value (at any depth, list items by position) where two plain records differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [p for k in dict.fromkeys([*a, *b]) for p in _leaves_that_differ(a.get(k), b.get(k), f"{at}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [p for i, (x, y) in enumerate(zip(a, b, strict=True)) for p in _leaves_that_differ(x, y, f"{at}[{i}]")]
    return [] if a == b else [at]


def _calendar(path: Path) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_a_plan_exported_in_english_then_chinese_keeps_uids_and_sequences(
    run: Invoke, tmp_path: Path, kept: list[str]
) -> None:
    saved = tmp_path / "plan.toml"
    made = run(*_plan_args(tmp_path, "CN"), "--save", str(saved), "--ics", str(tmp_path / "en.ics"))
    assert made.exit_code == 0, made.stderr
    english = _calendar(tmp_path / "en.ics")
    again = run(
        "schedule", "--plan", str(saved), "--save", str(saved), "--force", "--ics", str(tmp_path / "zh.ics"), env=ZH
    )
    assert again.exit_code == 0, again.stderr
    chinese = _calendar(tmp_path / "zh.ics")
    assert set(chinese) == set(english)
    for uid, event in chinese.items():
        assert int(event["sequence"]) == int(english[uid]["sequence"]), uid
        assert event["dtstart"].dt == english[uid]["dtstart"].dt
    assert "revision = 1" in saved.read_text("utf-8")  # the same plan: nothing changed, in any language
    raw = (tmp_path / "zh.ics").read_bytes().decode("utf-8")
    words = "\n".join(
        str(value)
        for e in icalendar.Calendar.from_ical(raw.encode()).walk()
        for key in ("summary", "description", "x-wr-calname")
        if (value := e.get(key)) is not None
    )
    assert english_runs(words, allowed=kept) == []
    titles = {str(e["summary"]) for e in chinese.values()}
    assert {"在诊所面诊", "注射时间窗开始", "回到家中", "离家出发：第 1 次就诊（采集）"} <= titles
    assert "由 tripplan 生成；不提供医疗建议。" in words
    assert any(
        str(a.get("description", "")).startswith("提醒：")
        for a in icalendar.Calendar.from_ical(raw.encode()).walk("VALARM")
    )
    # and back to English: the same numbers again
    back = run("schedule", "--plan", str(saved), "--ics", str(tmp_path / "back.ics"))
    assert back.exit_code == 0, back.stderr
    assert {u: int(e["sequence"]) for u, e in _calendar(tmp_path / "back.ics").items()} == {
        u: int(e["sequence"]) for u, e in english.items()
    }


def test_a_moved_date_still_renumbers_a_chinese_export(run: Invoke, tmp_path: Path) -> None:
    saved = tmp_path / "plan.toml"
    assert run(*_plan_args(tmp_path, "CN"), "--save", str(saved), "--ics", str(tmp_path / "a.ics")).exit_code == 0
    first = _calendar(tmp_path / "a.ics")
    moved = run(
        "schedule", "--plan", str(saved), "--inject", "2027-04-05", "--save", str(saved), "--force",
        "--ics", str(tmp_path / "b.ics"), env=ZH,
    )  # fmt: skip
    assert moved.exit_code == 0, moved.stderr
    second = _calendar(tmp_path / "b.ics")
    injection = next(u for u in first if u.startswith("injection-"))
    assert int(second[injection]["sequence"]) == int(first[injection]["sequence"]) + 1
    consultation = next(u for u in first if u.startswith("consultation-"))
    assert int(second[consultation]["sequence"]) == int(first[consultation]["sequence"])


@pytest.mark.parametrize(("saved_in", "opened_in"), [("en", "zh"), ("zh", "en")])
def test_a_saved_plan_reopened_in_the_other_language_has_not_changed(
    run: Invoke, tmp_path: Path, saved_in: str, opened_in: str
) -> None:
    saved = tmp_path / "plan.toml"
    made = run(*_plan_args(tmp_path, "CN"), "--save", str(saved), env={"TRIPPLAN_LANG": saved_in})
    assert made.exit_code == 0, made.stderr
    assert f'language = "{saved_in}"' in saved.read_text("utf-8")
    opened = run("schedule", "--plan", str(saved), "--json", env={"TRIPPLAN_LANG": opened_in})
    assert opened.exit_code == 0, opened.stderr
    data = json.loads(opened.stdout)
    assert data["changed_since_saved"] == []
    assert data["notes"] == []
    assert data["revision"] == 1


def test_a_hand_edit_is_still_found_across_languages(run: Invoke, tmp_path: Path) -> None:
    saved = tmp_path / "plan.toml"
    assert run(*_plan_args(tmp_path, "CN"), "--save", str(saved)).exit_code == 0
    text = saved.read_text("utf-8")
    edited = text.replace("fly_home_after_hours = 48", "fly_home_after_hours = 12", 1)
    assert edited != text
    saved.write_text(edited, "utf-8")
    opened = run("schedule", "--plan", str(saved), "--json", env=ZH)
    assert opened.exit_code == 0, opened.stderr
    data = json.loads(opened.stdout)
    assert [d["field"] for d in data["changed_since_saved"]] == ["fly_home_after_hours"]
    assert data["notes"]
    assert CJK.search(data["notes"][0])


def test_closures_use_chinese_holiday_names_where_the_package_has_them(cat: Catalog) -> None:
    """China's holidays in Chinese, Japan's in Japanese (the package has no Chinese names for them: never
    machine-translated), whatever the machine's locale; in English, English names."""
    from tripplan.closures import closures, public_holidays

    years = [2027]
    english = closures(cat.countries["JP"], None, years, public_holidays)
    assert english[dt.date(2027, 3, 21)].name == "Vernal Equinox Day (public holiday)"
    i18n.use("zh")
    japan = closures(cat.countries["JP"], None, years, public_holidays)
    assert japan[dt.date(2027, 3, 21)].name == "春分の日（公众假日）"
    china = closures(cat.countries["CN"], None, years, public_holidays)
    spring = [c.name for d, c in china.items() if d.month == 2 and "春节" in c.name]
    assert spring, china
    assert all(n.startswith("春节假期（") for n in spring), spring
    assert set(japan) == set(english)  # the same days closed: only the words follow the language


def test_khal_imports_the_chinese_calendar_with_its_titles_intact(run: Invoke, tmp_path: Path) -> None:
    from tests.test_calendar import KHAL_CONFIG, _khal

    (tmp_path / "cal").mkdir()
    (tmp_path / "khal.conf").write_text(KHAL_CONFIG.format(path=tmp_path / "cal"), "utf-8")
    ics = tmp_path / "计划.ics"
    made = run(*_plan_args(tmp_path, "CN"), "--ics", str(ics), env=ZH)
    assert made.exit_code == 0, made.stderr
    _khal(tmp_path, "import", "--batch", str(ics))
    listed = _khal(tmp_path, "list", "2027-02-01", "2027-04-30", "--format", "{start-date} {title}")
    titles = {line.split(" ", 1)[1] for line in listed.splitlines() if line[:4].isdigit() and " " in line}
    assert {
        "在诊所面诊",
        "注射时间窗开始",
        "离家出发：第 1 次就诊（采集）",
        "乘机回国：第 2 次就诊（注射）",
    } <= titles, listed


def test_the_domain_refuses_in_chinese(run: Invoke, kept: list[str]) -> None:
    """A refusal the plan makes (a harvest on a day the clinic is closed) is said in Chinese, its dates in
    Chinese prose and the open days around it as ISO dates (a list to type back), with the exit code of a
    usage error."""
    refused = run("schedule", "--harvest", "2027-03-22", "--from", "CN", env=ZH)
    assert refused.exit_code == 2
    assert (
        "诊所在2027年3月22日（周一）休诊（振替休日（公众假日））；最近的开诊日：2027-03-20, 2027-03-23"
        in refused.stderr
    )
    assert english_runs(refused.stderr, allowed=kept) == []
    english = run("schedule", "--harvest", "2027-03-22", "--from", "CN")
    assert (
        "the clinic is closed on 2027-03-22 (Substitute Holiday (public holiday)); the nearest open days"
        in english.stderr
    )
