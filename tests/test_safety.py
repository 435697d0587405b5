"""The safety record: dated, sourced actions; shown by safety, compare, quote and schedule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tripplan.catalog import Catalog
from tripplan.safety import normalise, summary

from .conftest import TODAY, Invoke


def test_every_action_is_sourced_and_dated(cat: Catalog) -> None:
    assert cat.safety_record is not None
    assert len(cat.safety_actions) >= 9
    for a in cat.safety_actions:
        assert a.sources
        assert all(s in cat.sources for s in a.sources)
        assert a.date <= cat.safety_record.as_of
    dates = [a.date for a in cat.safety_actions]
    assert dates == sorted(dates, reverse=True)  # newest first
    single = [a.id for a in cat.safety_actions if a.single_source]
    # one source each: the referral business's Fukuoka page, the wire copy of an FDA letter, the FDA's own letter,
    # a Kyodo copy
    assert single == [
        "jp-2026-04-21-fukuoka",
        "us-2026-02-11-dynamic",
        "us-2025-01-17-biostem",
        "jp-2017-07-14-seimei-kagaku",
    ]


def test_japan_summary_counts_the_last_24_months(cat: Catalog) -> None:
    jp = summary(cat=cat, destination="JP", today=TODAY)
    assert jp.recent == 7  # 2024-12-24 .. 2026-04-21; the 2024-10-25 order is older than 24 months
    assert jp.older == 7  # 2024-10-25, the 2020 arrest and the five 2017 actions
    assert jp.text == (
        "7 regulatory actions in the last 24 months: 2 emergency orders after patient deaths during "
        "intravenous infusions, latest 2026-03-13"
    )
    mx = summary(cat=cat, destination="MX", today=TODAY)
    assert mx.text == "no action in the last 24 months; 1 older (latest 2024-05-09)"
    kr = summary(cat=cat, destination="KR", today=TODAY)
    assert kr.text.startswith("no action in tripplan's safety record")


def test_names_are_normalised(cat: Catalog) -> None:
    assert normalise("ＴＨＥ Ｋ ＣＬＩＮＩＣ") == normalise("the k-clinic") == "thekclinic"
    assert cat.name_forms is not None
    forms = tuple(cat.name_forms.legal_forms)
    assert normalise("医療法人ネオポリス診療所 銀座クリニック", forms) == normalise(
        "ネオポリス診療所銀座クリニック", forms
    )


def test_safety_command(run: Invoke) -> None:
    result = run("safety", "--to", "JP", "--details")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    for needle in (
        "Safety record (as of 2026-04-21",
        "2025-08-29 MHLW: emergency order",
        "コージンバイオ 埼玉細胞加工センター / Kohjin Bio Saitama cell processing centre",
        "route: intravenous",
        "[single source]",
        "Sources disagree:",
        "A filed plan is not an approval",
        "saiseiiryo.mhlw.go.jp",
        "Warning: the record is more than six months old",
    ):
        assert needle in text, needle
    data = json.loads(run("safety", "--to", "JP,MX", "--json").stdout)
    assert data["as_of"] == "2026-04-21"
    assert data["stale"] is True
    assert [d["destination"] for d in data["destinations"]] == ["JP", "MX"]
    assert data["destinations"][1]["actions"][0]["sources"][0] == "mmwr-2024-05-09"


def _cited(ids: list[str]) -> str:
    return f"[{ids[0]}]" if len(ids) == 1 else f"[{ids[0]} +{len(ids) - 1}]"


@pytest.mark.parametrize("to", [(), ("--to", "JP,MX,KR,TH,US")], ids=["default", "every country"])
def test_safety_answers_first_and_details_hold_the_whole_record(run: Invoke, to: tuple[str, ...]) -> None:
    """The summary: each destination's headline, its recent actions (or its latest), its latest rule change,
    each in brief with its first source id and the count of the others, the count and span of the rest, how
    to verify a provider in brief. --details: every item's whole text, who, the patients and every source."""
    summary = run("safety", *to, env={"COLUMNS": "100"}).stdout
    details = " ".join(run("safety", *to, "--details", env={"COLUMNS": "400"}).stdout.split())
    data = json.loads(run("safety", *to, "--json").stdout)
    if not to:  # the default destinations answer on one screen (every country, US too, takes a few more lines)
        assert len(summary.splitlines()) <= 40
    shown = " ".join(summary.split())
    for d in data["destinations"]:
        assert f"{d['name']} ({d['destination']}): {d['summary']['text']}" in shown
        listed = d["actions"][: d["summary"]["recent"]] or d["actions"][:1]
        for a in listed:
            assert a["brief"], a["id"]  # every shipped action has its brief words
            marks = " [single source]" if a["single_source"] else ""
            assert f"{a['date']} {a['authority']}: {a['brief']}{marks} {_cited(a['sources'])}" in shown
        older = d["actions"][len(listed) :]
        if older:
            noun = "older action" if len(older) == 1 else "older actions"
            assert f"and {len(older)} {noun}, {older[-1]['date']} to {older[0]['date']}" in shown
        for c in d["changes"][:1]:
            assert f"{c['date']} rule change" in shown
            assert f"{c['brief']} {_cited(c['sources'])}" in shown
        for c in d["changes"][1:]:
            assert c["brief"] not in shown  # counted, not listed
        for a in d["actions"]:  # the whole record under --details
            assert f"{a['date']} {a['authority']}: {a['action']}" in details
            assert f"Patients: {a['outcome']}" in details
            assert f"Sources: {', '.join(a['sources'])}" in details
            assert f"Patients: {a['outcome']}" not in shown
        for c in d["changes"]:
            assert c["what"] in details
    for v in data["verify"]:
        assert f"• {v['brief']} {_cited(v['sources'])}" in shown
        assert f"• {v['text']} [{', '.join(v['sources'])}]" in details
    for w in data["warning_signs"]:
        assert w["text"] in details
        assert w["text"] not in shown
    assert data["not_found"] in details
    assert data["not_found"] not in shown
    for sid in {s["id"] for s in data["sources"]}:
        assert f"[{sid}] " in details  # every source with its title under --details


def test_an_item_without_brief_words_is_shown_whole(run: Invoke, data_dir: Path) -> None:
    (data_dir / "sources.toml").write_text(
        '[[sources]]\nid = "my-news"\nkind = "press"\ntitle = "A newspaper"\npublisher = "X"\ndate = 2026-11-01\nurl = "https://example.org/news"\n'
    )
    (data_dir / "safety.toml").write_text(
        '[[actions]]\nid = "kr-2026-11-01"\ndate = 2026-11-01\ncountry = "KR"\nauthority = "MFDS"\n'
        'action = "warning to a clinic in Seoul"\nseverity = "none stated"\ntreatment = "x"\noutcome = "none stated"\n'
        'sources = ["my-news"]\n[[actions.providers]]\nname_en = "A Seoul clinic"\nrole = "clinic"\n'
    )
    shown = " ".join(run("safety", "--to", "KR").stdout.split())
    assert "2026-11-01 MFDS: warning to a clinic in Seoul [my-news]" in shown


def test_compare_and_quote_show_the_safety_line(run: Invoke) -> None:
    compared = run("compare", "--countries", "JP,MX").stdout
    assert "Safety record" in compared  # a row of the table
    cols = json.loads(run("compare", "--countries", "JP,MX", "--json").stdout)["countries"]
    assert "2 emergency orders after patient deaths" in cols[0]["trip"]["safety"]["text"]
    summary = " ".join(run("quote", "--joint", "knee", "--from", "US", "--to", "JP").stdout.split())
    assert "Japan — visa: visa-free, up to 90 days; safety: 7 regulatory actions in the last 24 months" in summary
    quoted = " ".join(run("quote", "--joint", "knee", "--from", "US", "--to", "JP", "--details").stdout.split())
    assert "Safety record: 7 regulatory actions in the last 24 months" in quoted
    assert "(tripplan safety --to JP)" in quoted
    data = json.loads(run("quote", "--joint", "knee", "--from", "US", "--to", "JP", "--json").stdout)
    assert data["destinations"][0]["safety"]["recent"] == 7


def test_schedule_checks_the_plan_before_the_deposit(run: Invoke) -> None:
    plan = json.loads(run("schedule", "--harvest", "2027-03-03", "--json").stdout)
    steps = {s["id"]: s for s in plan["steps"]}
    deposit = steps["deposit"]["date"]
    assert steps["verify-plan"]["date"] < deposit
    assert steps["isscr-questions"]["date"] < deposit
    de = json.loads(run("schedule", "--harvest", "2027-03-03", "--to", "MX", "--json").stdout)
    assert "verify-plan" not in {s["id"] for s in de["steps"]}  # the MHLW step is Japan's only


def test_data_sources_warns_when_the_record_is_old(run: Invoke) -> None:
    result = run("data", "sources")
    assert "Warning: the safety record is as of 2026-04-21, 214 days old" in result.stderr


def test_user_can_add_an_action(run: Invoke, data_dir: Path) -> None:
    (data_dir / "sources.toml").write_text(
        '[[sources]]\nid = "my-news"\nkind = "press"\ntitle = "A newspaper"\npublisher = "X"\ndate = 2026-11-01\nurl = "https://example.org/news"\n'
    )
    (data_dir / "safety.toml").write_text(
        '[[actions]]\nid = "kr-2026-11-01"\ndate = 2026-11-01\ncountry = "KR"\nauthority = "MFDS"\n'
        'action = "warning"\nseverity = "none stated"\ntreatment = "x"\noutcome = "none stated"\n'
        'sources = ["my-news"]\n[[actions.providers]]\nname_en = "A Seoul clinic"\nrole = "clinic"\n'
    )
    data = json.loads(run("safety", "--to", "KR", "--json").stdout)
    assert [a["id"] for a in data["destinations"][0]["actions"]] == ["kr-2026-11-01"]


@pytest.mark.parametrize(
    ("lang", "footer", "help_text"),
    [
        (
            "en",
            "tripplan's safety record as of 2026-04-21 ({days} days old), compiled from the sources above: each "
            "action and rule change names its own; searched again for newer items on {checked}.",
            "Show the full record after the answer: who, the treatment, the patients and every source of each "
            "action; every rule change; how to verify a provider in full; the warning signs the authorities "
            "name; each source's title, date and address (all of it in --json).",
        ),
        (
            "zh",
            "tripplan 的安全记录截至 2026-04-21（已有 {days} 天），根据上列来源整理：每项措施和规则变化都注明了"
            "各自的来源；{checked} 又检索过是否有更新的条目。",
            "在答案之后显示完整记录：每项措施涉及谁、什么治疗、患者情况及其全部来源；每项规则变化；核实服务提供者的"
            "完整方法；主管部门列出的警示信号；每个来源的标题、日期和网址（--json 中包含全部内容）。",
        ),
    ],
)
def test_safety_details_says_what_it_shows_and_where_the_record_comes_from(
    run: Invoke, lang: str, footer: str, help_text: str
) -> None:
    """--help describes safety's own --details (not quote's source rows and rates); the full record ends with
    the record's date and where it comes from, and says nothing of prices."""
    data = json.loads(run("safety", "--json").stdout)
    details = run("safety", "--details", "--lang", lang, env={"COLUMNS": "1000"}).stdout
    last = details.rstrip("\n").splitlines()[-2]  # the disclaimer follows it
    assert last == footer.format(days=data["age_days"], checked=data["checked_on"])
    assert "price" not in details.lower()
    assert "价格" not in details
    shown = run("safety", "--help", "--lang", lang, env={"COLUMNS": "1000"}).stdout
    lines = shown.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("--details"))
    end = next(i for i in range(at + 1, len(lines)) if not lines[i].strip() or lines[i].startswith("  -"))
    said = " ".join(lines[at:end]).split(maxsplit=1)[1]  # the option's help, its wrapped lines joined
    assert "".join(said.split()) == "".join(help_text.split())


JAPAN_STEPS = ("plan-system", "filed-not-approved", "prp-class", "committee")


def test_verification_steps_are_shown_for_the_countries_they_apply_to(run: Invoke, cat: Catalog) -> None:
    """A step about Japan's registers and committees (data: its `countries`, with their source) is shown for
    Japan only; a destination no step names gets one sentence: no registry check tripplan knows of."""
    steps = {v.id: v for v in cat.verify_steps}
    for sid in JAPAN_STEPS:
        assert steps[sid].countries == ["JP"]
        assert steps[sid].countries_source in steps[sid].sources
    assert steps["isscr-questions"].countries == []  # the ISSCR's questions apply everywhere
    mx = json.loads(run("safety", "--to", "MX", "--json").stdout)
    assert [v["id"] for v in mx["verify"]] == ["isscr-questions"]
    assert mx["no_registry"] == ["MX"]
    jp = json.loads(run("safety", "--to", "JP", "--json").stdout)
    assert [v["id"] for v in jp["verify"]] == [*JAPAN_STEPS, "isscr-questions"]
    assert jp["no_registry"] == []
    every = json.loads(run("safety", "--to", "JP,MX,KR", "--json").stdout)
    assert [v["id"] for v in every["verify"]] == [*JAPAN_STEPS, "isscr-questions"]
    assert every["no_registry"] == ["MX", "KR"]
    for details in ((), ("--details",)):
        shown = " ".join(run("safety", "--to", "MX", *details).stdout.split())
        assert "How to verify a provider Mexico: tripplan knows of no registry check for a provider there. •" in shown
        for sid in JAPAN_STEPS:
            assert steps[sid].text not in shown
            assert steps[sid].brief not in shown
        assert "saiseiiryo" not in shown
        both = " ".join(run("safety", "--to", "JP,MX,KR", *details).stdout.split())
        assert "Mexico, South Korea: tripplan knows of no registry check for a provider there." in both
        assert "saiseiiryo.mhlw.go.jp" in both
    zh = " ".join(run("safety", "--to", "MX", "--lang", "zh").stdout.split())
    assert "墨西哥：tripplan 不知道当地有可供核查服务提供者的登记系统。" in zh
    assert "saiseiiryo" not in zh


def test_a_plan_for_mexico_asks_for_no_japanese_register(run: Invoke) -> None:
    """The steps of a plan for Mexico name no registered plan (Japan's); Japan's plan still checks it first."""
    mx = json.loads(run("schedule", "--harvest", "2027-03-03", "--to", "MX", "--from", "US", "--json").stdout)
    names = " ".join(s["name"] for s in mx["steps"])
    assert "registered plan" not in names
    assert "MHLW" not in names
    choose = next(s for s in mx["steps"] if s["id"] == "choose-clinic")
    assert choose["name"] == "Choose the clinic once its review and its answers check out"
    shown = run("schedule", "--harvest", "2027-03-03", "--to", "MX", "--from", "US", "--details").stdout
    assert "registered plan" not in " ".join(shown.split())
    jp = json.loads(run("schedule", "--harvest", "2027-03-03", "--from", "US", "--json").stdout)
    ids = [s["id"] for s in jp["steps"]]
    assert ids.index("verify-plan") < ids.index("choose-clinic")


def test_a_step_for_some_countries_names_its_source(run: Invoke, data_dir: Path) -> None:
    """`countries` without a source among the step's own, or a country tripplan does not know, is refused."""
    (data_dir / "safety.toml").write_text(
        '[[verify]]\nid = "kr-check"\ntext = "Check it."\nsources = ["seed-knee-pain"]\ncountries = ["KR"]\n'
    )
    refused = run("data", "check")
    assert refused.exit_code == 1
    assert "countries_source must be one of the step's sources" in refused.output
    (data_dir / "safety.toml").write_text(
        '[[verify]]\nid = "zz-check"\ntext = "Check it."\nsources = ["seed-knee-pain"]\ncountries = ["ZZ"]\n'
        'countries_source = "seed-knee-pain"\n'
    )
    unknown = run("data", "check")
    assert unknown.exit_code == 1
    assert "unknown country code 'ZZ'" in unknown.output
