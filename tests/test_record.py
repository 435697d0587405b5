"""Issue 27: the nine corrections, sources labelled for what they are, the record brought forward, the seed
figures shown, and the data sets' ages. Each test holds the corrected value as the source gives it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TODAY, Invoke
from tripplan.catalog import Catalog
from tripplan.closures import closures
from tripplan.loader import check_path
from tripplan.models import REPORTED_KINDS, SOURCE_KINDS, Clinic
from tripplan.protocol import effective_protocol, rest_hours, visit_nights
from tripplan.redflags import check_clinic
from tripplan.sources import only_reported

RunJson = Callable[..., Any]


# 1-9: the corrections ------------------------------------------------------------------------------------


def test_1_knee_gb_is_non_expanded_prp_without_bone_marrow(cat: Catalog) -> None:
    row = next(p for p in cat.book.prices if p.id == "knee-gb")
    assert row.treatment == "non-expanded-prp"  # the table: "Non-Expanded / PRP Combos"
    assert "bmc" not in row.treatment
    assert "bone-marrow" not in row.treatment


def test_2_donor_profile_lists_only_the_donor_row(cat: Catalog) -> None:
    clinic = cat.clinics["mx-tijuana-donor-ucmsc"]
    assert clinic.price_refs == ["sports-us-mx"]  # "Allogeneic (Donor) UC-MSCs $4,000 - $9,000"
    rows = [p for p in cat.book.prices if p.id in clinic.price_refs]
    assert {p.processing for p in rows} == {"donor"}
    assert clinic.source == "seed-sports-trauma-us"


@pytest.mark.parametrize("where", ["country", "processing"])
def test_3_fly_home_stores_what_each_source_says(cat: Catalog, where: str) -> None:
    p = cat.countries["JP"].protocol if where == "country" else cat.processing_protocols["cultured"]
    assert "within 48 hours" in p.fly_home_said
    assert "24-48 hours" in p.fly_home_said
    assert p.fly_home_sources == ["seed-sports-trauma-us", "seed-degenerative-us"]
    # 48 h is tripplan's conservative planning rule, labelled as its assumption, not the articles' minimum
    assert (p.fly_home_after_hours, p.fly_home_source) == (48, "tripplan-assumptions")
    assert "tripplan plans conservatively" in p.assumption
    assert p.fly_home_earliest_hours == 24  # "rest for 24-48 hours"
    assert (rest_hours(p), rest_hours(p, fly_early=True)) == (48, 24)


def test_3_visit_2_lengths_follow_from_the_data(cat: Catalog) -> None:
    p = effective_protocol(cat, "JP")
    days = lambda nights: (nights[0] + 1, nights[1] + 1)  # noqa: E731 - days at the clinic's city
    assert p.visit2_days == (2, 5)  # 2-3 days (sports article) to 3-5 days (degenerative article)
    # by default: the night before the injection and 48 hours after it: at least 4 days
    assert days(visit_nights(p)[1]) == (4, 5)
    # accepting the sources' "within 48 hours": their own 2-3 day visit is possible
    assert days(visit_nights(p, fly_early=True)[1]) == (2, 5)
    # and the floor moves with the data: a 48-hour shortest rest needs 2 nights even when flying early
    assert days(visit_nights(dataclasses.replace(p, fly_home_earliest_hours=48), fly_early=True)[1]) == (3, 5)
    # a protocol whose sources give no shortest rest keeps tripplan's rule either way
    thai = effective_protocol(cat, "TH")
    assert visit_nights(thai, fly_early=True) == visit_nights(thai)


def test_3_quote_fly_early_shortens_visit_2(run_json: RunJson) -> None:
    default = run_json("quote", "--joint", "knee", "--from", "US", "--to", "JP")["destinations"][0]
    early = run_json("quote", "--joint", "knee", "--from", "US", "--to", "JP", "--fly-early")["destinations"][0]
    assert default["nights_per_trip"][1] == [3, 4]
    assert early["nights_per_trip"][1] == [1, 4]
    assert early["total"]["low"] < default["total"]["low"]  # fewer nights, lower travel cost
    compared = run_json("compare", "--countries", "JP", "--from", "US", "--fly-early")
    assert compared["countries"][0]["trip"]["nights_per_trip"][1] == [1, 4]


def test_4_chinese_citizens_typically_require_the_visa_and_tb_screening_has_its_scope(cat: Catalog) -> None:
    visa_note = next(n for n in cat.notes if n.id == "cn-medical-visa")
    assert "'typically require'" in visa_note.text
    assert " need the Visa" not in visa_note.text
    tb = next(n for n in cat.notes if n.id == "jp-tb-screening")
    assert tb.source == "mhlw-jpets"
    assert cat.sources["mhlw-jpets"].kind == "authority"
    assert "more than 3 months" in tb.text
    assert "not to short stays" in tb.text
    nationality = next(n for n in cat.nationality_notes if (n.nationality, n.destination) == ("CN", "JP"))
    assert "mhlw-jpets" in nationality.sources
    assert "more than 3 months" in nationality.text
    # no TB step is dated in a plan: no treatment trip tripplan plans lasts more than 3 months
    assert not [m for m in cat.milestones if "tubercul" in m.name.lower() or "TB" in m.name]


def test_5_bulgaria_uses_the_euro_and_gets_a_rate(cat: Catalog, run_json: RunJson) -> None:
    assert cat.home_currency("BG") == "EUR"
    assert cat.has_rate("EUR")
    assert "BGN" not in cat.minor_units
    result = run_json("quote", "--joint", "knee", "--from", "BG", "--to", "JP", "--airport", "SOF")
    assert result["currency"] == "EUR"
    assert result["no_rate_for"] is None


def test_6_kohjin_bio_severity_is_what_the_order_was_about(cat: Catalog) -> None:
    a = next(a for a in cat.safety_actions if a.id == "jp-2026-01-23-kohjin-bio")
    assert a.severity == "none stated"  # an improvement order after an inspection
    assert "still investigating the cause of death" in a.outcome
    assert "Kohjin Bio said" in a.disputed
    assert "minkabu-2025-09" in a.sources


def test_7_sources_are_relabelled(cat: Catalog) -> None:
    kinds = {s.id: s.kind for s in cat.sources.values()}
    for press in ("ntv-2024-10-25", "ld-2025-08-29", "nikkei-2025-08-29", "jiji-2026-03-07", "hifu-2026-01-26"):
        assert kinds[press] == "press"
    for article in ("webmd-isscr", "rmnw-prp-lecture", "jarm-2026-04", "cbuae-peg", "busiest-airports-2018"):
        assert kinds[article] == "article"
    assert kinds["jsrm-2024-05-20"] == kinds["jsrm-2020-prp-template"] == "society"
    assert kinds["asrm-act"] == "law"
    assert kinds["terai-2025"] == "paper"
    # dates no more precise than the sources give them
    for sid, text in (("hifu-2025-03", "2025-03"), ("yakuji-2026-02", "2026-02"), ("ld-2026-03-13b", "2026-03")):
        assert cat.sources[sid].date_text == text
    assert cat.sources["busiest-airports-2018"].date_text == "2018"  # the figures' year, not the copy's
    # the English headline with the English page
    jiji = cat.sources["jiji-2026-02-20"]
    assert jiji.title == "Regenerative Medicine Clinic in Tokyo Gets Biz Improvement Order"
    assert "/en/news/" in jiji.url
    # every record: an address or the reason it has none
    assert all(s.url or s.no_url_reason for s in cat.sources.values())


def test_7_the_authorities_own_releases_are_cited(cat: Catalog) -> None:
    actions = {a.id: a for a in cat.safety_actions}
    assert "mhlw-2024-10-25" in actions["jp-2024-10-25-kihokai"].sources
    assert "kyushu-2025-03-05" in actions["jp-2025-03-05-seijikai"].sources
    assert cat.sources["kyushu-2025-03-05"].kind == cat.sources["mhlw-2024-10-25"].kind == "authority"


def test_8_named_in_action_rests_on_the_actions(cat: Catalog) -> None:
    rule = cat.red_flags["named-in-action"]
    assert rule.sources == []
    assert rule.sources_from_actions
    clinic = Clinic(
        id="k",
        name="THE K CLINIC",
        city="Tokyo",
        country="JP",
        cell_source="blood",
        processing="cultured",
        price_refs=["sports-us-jp"],
    )
    flags = [f for f in check_clinic(cat=cat, clinic=clinic, language="en").flags if f.code == "named-in-action"]
    assert flags
    assert all("jsrm-2024-05-20" not in f.sources for f in flags)
    assert {s for f in flags for s in f.sources} >= {"mhlw-2024-10-25"}


def test_9_japan_prp_into_a_joint_is_class_ii(cat: Catalog) -> None:
    text = cat.countries["JP"].processing_allowed
    assert "PRP injected into a joint is filed as a Class II plan" in text
    assert "PRP under Class III" not in text
    assert "rmnw-prp-lecture" in cat.countries["JP"].sources


def test_also_mended(cat: Catalog) -> None:
    ts = next(p for a in cat.safety_actions if a.id == "jp-2025-08-29-ts-clinic" for p in a.providers)
    assert "tripplan's romanisations" in ts.note
    seijikai = next(a for a in cat.safety_actions if a.id == "jp-2025-03-05-seijikai")
    assert "knee" in seijikai.disputed  # the research's disagreement (d)
    assert cat.home_airports["CA"].airport == "YYZ"
    assert cat.home_airports["CA"].source == "aci-na-2018"
    kihokai = next(a for a in cat.safety_actions if a.id == "jp-2024-10-25-kihokai")
    assert kihokai.route == "drip (from the clinic's website, as reported by NTV)"


def test_china_holidays_after_2026_are_estimates_to_confirm(cat: Catalog) -> None:
    china = cat.countries["CN"]
    assert china.holidays_official_through == 2026
    days = closures(china, None, [2026, 2027])
    # China's holidays are closed as whole blocks (issue 23): "National Day holiday (2026-10-01 – 10-07)"
    published = [d for d in days.values() if d.date.year == 2026 and "holiday" in d.name]
    estimated = [d for d in days.values() if d.date.year == 2027 and "holiday" in d.name]
    assert published
    assert all(d.certain for d in published)
    assert estimated
    assert not any(d.certain for d in estimated)
    assert all("estimated" in d.name and d.source == "holidays-cn" for d in estimated)


# Source kinds and the checks that keep them honest ------------------------------------------------------


def _problems(tmp_path: Path, record: str) -> str:
    f = tmp_path / "sources.toml"
    f.write_text("[[sources]]\n" + record, encoding="utf-8")
    return "\n".join(str(p) for p in check_path(f))


def test_a_kind_outside_the_list_fails(tmp_path: Path) -> None:
    ok = 'id = "x"\nkind = "press"\ntitle = "T"\npublisher = "P"\nurl = "https://example.org"\n'
    assert _problems(tmp_path, ok) == ""
    bad = _problems(tmp_path, ok.replace('"press"', '"blog"'))
    assert "kind" in bad
    assert "blog" in bad


def test_a_date_more_precise_than_the_note_allows_fails(tmp_path: Path) -> None:
    base = 'id = "x"\nkind = "press"\ntitle = "T"\npublisher = "P"\nurl = "https://example.org"\n'
    assert "at most a month" in _problems(tmp_path, base + 'date = 2026-02-20\nnote = "The page shows no date."\n')
    month = base + 'date = 2026-02-01\ndate_precision = "month"\nnote = "The page shows no date."\n'
    assert _problems(tmp_path, month) == ""
    assert "first day" in _problems(tmp_path, base + 'date = 2026-02-20\ndate_precision = "month"\n')


def test_neither_address_nor_reason_fails(tmp_path: Path) -> None:
    bare = 'id = "x"\nkind = "article"\ntitle = "T"\npublisher = "P"\n'
    assert "no_url_reason" in _problems(tmp_path, bare)
    assert _problems(tmp_path, bare + 'no_url_reason = "a printed leaflet"\n') == ""


def test_every_shipped_source_has_a_listed_kind(cat: Catalog) -> None:
    assert {s.kind for s in cat.sources.values()} <= set(SOURCE_KINDS)
    assert set(SOURCE_KINDS) == {
        "law",
        "authority",
        "society",
        "paper",
        "press",
        "article",
        "dataset",
        "quote",
        "assumption",
    }


def test_facts_resting_only_on_press_or_articles_say_as_reported(cat: Catalog) -> None:
    facts: list[tuple[str, list[str], str]] = []
    facts += [(n.id, [n.source], n.text) for n in cat.notes]
    facts += [(f"{n.nationality}-{n.destination}", n.sources, n.text) for n in cat.nationality_notes]
    facts += [(a.id, a.sources, " ".join((a.authority, a.action, a.route, a.outcome))) for a in cat.safety_actions]
    facts += [(c.id, c.sources, c.what) for c in cat.rule_changes]
    facts += [(w.id, w.sources, w.text) for w in cat.warning_signs]
    facts += [(v.id, v.sources, v.text) for v in cat.verify_steps]
    facts += [(f.id, [f.source], f.text) for f in cat.book.figures]
    reported = [(fid, text) for fid, ids, text in facts if only_reported(cat, ids)]
    assert len(reported) > 10
    assert [fid for fid, text in reported if "as reported" not in text] == []
    assert {"press", "article"} == REPORTED_KINDS


def test_data_sources_groups_by_kind_and_shows_ages(run: Invoke, run_json: RunJson) -> None:
    report = run_json("data", "sources")
    assert [k["kind"] for k in report["kinds"]] == list(SOURCE_KINDS)
    kinds = [r["kind"] for r in report["sources"]]
    assert kinds == sorted(kinds, key=SOURCE_KINDS.index)  # grouped, in the listed order
    assert {r["kind"] for r in report["sources"]} >= {"law", "authority", "society", "paper", "press", "article"}
    ages = {d["name"]: d for d in report["data_sets"]}
    assert ages["visa requirements"]["as_of"] == "2025-01-12"
    assert ages["visa requirements"]["age_days"] == (TODAY - dt.date(2025, 1, 12)).days
    assert ages["exchange rates"]["as_of"] == "2026-10-30"
    assert ages["safety record"]["as_of"] == "2026-04-21"
    assert ages["public holidays"]["version"].startswith("holidays ")
    text = run("data", "sources", env={"COLUMNS": "200"}).stdout
    assert "society (" in text
    assert "How old each data set is" in text
    assert "visa requirements: as of 2025-01-12" in text


# The record brought forward -----------------------------------------------------------------------------

NEW_ACTIONS = [
    ("jp-2017-02-20-saitama-medical", dt.date(2017, 2, 20), ["mhlw-2017-02-20", "tokyoreporter-2017-02-22"]),
    ("jp-2017-05-08-otemachi", dt.date(2017, 5, 8), ["ehime-2017-05", "kyodo-2017-05-09"]),
    ("jp-2017-06-28-cord-blood-clinics", dt.date(2017, 6, 28), ["kyodo-2017-06-28", "japantimes-2017-08-27"]),
    ("jp-2017-07-14-seimei-kagaku", dt.date(2017, 7, 14), ["okinawa-2017-07"]),
    ("jp-2017-08-27-first-arrests", dt.date(2017, 8, 27), ["japantimes-2017-08-27", "japantimes-2017-08-28"]),
    ("jp-2020-01-15-osaka-arrest", dt.date(2020, 1, 15), ["kyodo-2020-01-15", "jp24h-2020-01"]),
    ("us-2025-01-17-biostem", dt.date(2025, 1, 17), ["fda-2025-01-17-biostem"]),
    ("us-2026-02-11-dynamic", dt.date(2026, 2, 11), ["ein-2026-02-24-dynamic"]),
]

NEW_CHANGES = [
    ("jp-2025-05-31-asrm-amended", dt.date(2025, 5, 31), ["mhlw-asrm-2025", "yakujihou-2025-01-21"]),
    ("jp-2025-jsrm-iv-msc", dt.date(2025, 6, 1), ["terai-2025", "jsrm-2025-09-09"]),
    ("kr-2025-02-21-treatment-system", dt.date(2025, 2, 21), ["kotra-kr-treatment-plans", "shinkim-2025-kr"]),
    ("kr-2025-10-23-committee", dt.date(2025, 10, 23), ["medicaltimes-2025-10-24", "dailymedi-2025-10-24"]),
    ("kr-2025-11-20-committee", dt.date(2025, 11, 20), ["etnews-2025-11-21", "zdnet-2025-11-21"]),
    ("us-fl-2025-07-01-sb-1768", dt.date(2025, 7, 1), ["florida-sb-1768-analysis", "aabb-2025-05-07"]),
    ("us-ut-2024-05-01-sb-199", dt.date(2024, 5, 1), ["utah-sb-199", "bioedge-utah"]),
]


@pytest.mark.parametrize(("aid", "date", "sources"), NEW_ACTIONS)
def test_each_new_action_has_its_date_and_sources(cat: Catalog, aid: str, date: dt.date, sources: list[str]) -> None:
    a = next(a for a in cat.safety_actions if a.id == aid)
    assert (a.date, a.sources) == (date, sources)
    assert a.single_source == (len(sources) == 1)


@pytest.mark.parametrize(("cid", "date", "sources"), NEW_CHANGES)
def test_each_rule_change_has_its_date_and_sources(cat: Catalog, cid: str, date: dt.date, sources: list[str]) -> None:
    c = next(c for c in cat.rule_changes if c.id == cid)
    assert (c.date, c.sources) == (date, sources)


def test_korea_admits_joint_cell_therapy_only_as_research(cat: Catalog) -> None:
    c = next(c for c in cat.rule_changes if c.id == "kr-2025-11-20-committee")
    assert "rotator-cuff" in c.what
    assert "knee" in c.what
    assert "clinical research" in c.what
    assert "not treatment" in c.what


def test_the_iv_flags_rest_on_the_jsrm_recommendations(cat: Catalog) -> None:
    for code in ("iv-cultured", "iv-joint"):
        assert {"terai-2025", "jsrm-2025-09-09"} <= set(cat.red_flags[code].sources)


def test_the_record_says_what_was_searched_and_what_was_left_out(cat: Catalog) -> None:
    record = cat.safety_record
    assert record is not None
    assert record.as_of == max(a.date for a in cat.safety_actions) == dt.date(2026, 4, 21)
    assert record.checked_on == dt.date(2026, 11, 30)
    assert "no MHLW order dated after 2026-04-21" in record.not_found
    assert "Thai ministerial decree" in record.not_found
    assert "contradicts itself" in record.not_found
    assert "TH" not in {a.country for a in cat.safety_actions} | {c.country for c in cat.rule_changes}
    assert "2017" in record.note
    assert "2020" in record.note


def test_home_reference_says_which_states_allow_what(run: Invoke, run_json: RunJson) -> None:
    us = run_json("quote", "--joint", "knee", "--from", "US", "--to", "JP")["destinations"][0]
    states = {r["region"]: r for r in us["home_rules"]}
    assert set(states) == {"FL", "UT"}
    assert "not approved by the FDA" in states["FL"]["home_rule"]
    assert states["FL"]["date"] == "2025-07-01"
    cn = run_json("quote", "--joint", "knee", "--from", "CN", "--to", "JP")["destinations"][0]
    assert cn["home_rules"] == []
    text = run("quote", "--joint", "knee", "--from", "US", "--to", "JP", "--details").stdout
    assert "At home in Florida: physicians may offer stem cell therapies not approved by the FDA" in text
    compared = run("compare", "--countries", "JP,MX", "--from", "US", "--details").stdout
    assert "Florida: physicians may offer" in compared


# Seed figures, shown where a user meets them ------------------------------------------------------------

FIGURES = {
    "jp-cheaper-than-us": ("seed-degenerative-us", "30-50% cheaper"),
    "us-can-exceed-20k": ("seed-degenerative-us", "can exceed $20,000"),
    "jp-cell-count-50-200m": ("seed-degenerative-us", "50M - 200M+"),
    "mexico-for-5000": ("seed-sports-trauma-us", "Mexico for $5,000"),
    "knee-12-20k-includes": ("seed-knee-pain", "anesthesia, and the final injection"),
    "procedure-alone": ("seed-planning-trip", "the medical procedure alone"),
    "culture-3-4-weeks": ("seed-degenerative-us", "3-4 weeks later"),
}


def test_seed_figures_are_data_with_their_sources(cat: Catalog) -> None:
    figures = {f.id: f for f in cat.book.figures}
    for fid, (source, words) in FIGURES.items():
        assert figures[fid].source == source
        assert words in figures[fid].text
    systemic = next(p for p in cat.book.prices if p.id == "degenerative-jp-systemic-iv")
    assert (systemic.low, systemic.high, systemic.source) == (15000, 25000, "seed-degenerative-us")


def test_seed_figures_in_quote_compare_and_the_plan(run: Invoke, run_json: RunJson, tmp_path: Path) -> None:
    jp = run_json("quote", "--joint", "knee", "--from", "US", "--to", "JP")["destinations"][0]
    assert {f["id"] for f in jp["figures"]} == set(FIGURES)
    travel = jp["travel"]
    assert [o["name"] for o in travel["optional"]] == ["Medical interpreter (optional)"]
    assert sum(i["amount"]["low"] for i in travel["items"]) == travel["total"]["low"]  # not in the total
    assert (
        "Medical interpreter (optional): named by the source, not priced"
        in run("quote", "--joint", "knee", "--from", "US", "--to", "JP", "--details").stdout
    )
    assert "often 30-50% cheaper" in run("compare", "--countries", "JP,MX", "--from", "US", "--details").stdout
    page = tmp_path / "plan.html"
    result = run("schedule", "--harvest", "2027-03-01", "--from", "US", "--joint", "knee", "--html", str(page))
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "From the sources" in html
    assert "50M - 200M+" in html
    assert "Medical interpreter (optional)" in html
    assert "not priced" in html
    assert "How old each data set is" in html
    assert "visa requirements: as of" in html
    assert "Florida:" in html


def test_quote_json_stays_strict(run: Invoke) -> None:
    out = run("quote", "--joint", "knee", "--from", "US", "--json").stdout
    json.loads(out, parse_constant=lambda c: pytest.fail(f"non-strict JSON constant {c}"))


@pytest.mark.parametrize(
    "args",
    [
        ("quote", "--joint", "knee", "--from", "US"),
        ("safety", "--to", "JP"),
        ("compare", "--countries", "JP,MX,KR", "--from", "US"),
    ],
)
def test_every_view_shows_a_source_date_no_more_precisely_than_the_source(
    run: Invoke, cat: Catalog, args: tuple[str, ...]
) -> None:
    result = run(*args, "--details", env={"COLUMNS": "400"})  # the sources' titles and dates: under --details
    assert result.exit_code == 0, result.stderr
    listed = [s for s in cat.sources.values() if f"[{s.id}] " in result.stdout and s.date is not None]
    coarse = [s for s in listed if s.date_precision != "day"]
    assert coarse, "the view lists no source dated to a month or a year"
    for s in listed:
        label = f"({s.publisher}, {s.date_text})"
        assert label in result.stdout, label
        if s.date_precision != "day":
            assert f"({s.publisher}, {s.date.isoformat()})" not in result.stdout


def test_json_sources_carry_the_date_as_precisely_as_the_source(run: Invoke, cat: Catalog) -> None:
    data = json.loads(run("quote", "--joint", "knee", "--from", "US", "--json").stdout)
    cited = {s["id"]: s for s in data["sources"]}
    assert any(cat.sources[i].date_precision != "day" for i in cited)
    for sid, s in cited.items():
        assert s["date_text"] == cat.sources[sid].date_text
