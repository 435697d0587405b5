"""Clinic checks on a brochure as a coordinator types it: routes, provider names and cities as written."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tripplan.brochure import city_of, route_of, routes_in
from tripplan.catalog import Catalog
from tripplan.frozen import validate
from tripplan.models import Clinic
from tripplan.redflags import check_clinic, clinic_flags
from tripplan.safety import name_matches

from .conftest import TODAY, Invoke
from .test_clinics import ADD, clean

# every alias group of brochure.toml, with wording a brochure uses for it
ROUTES = {
    "intravenous": [
        "IV",
        "IV drip",
        "drip",
        "infusion",
        "intravenous infusion",
        "点滴",
        "静脈注射",
        "静脉输注",
        "输液",
    ],
    "intra-articular": ["intra-articular injection", "joint injection", "into the joint", "関節内注射", "关节腔注射"],
    "soft-tissue": ["tendon injection", "peritendinous", "腱周囲注射", "肌腱注射"],
    "intrathecal": ["intrathecal", "intrathecal injection", "髄腔内投与", "鞘内注射"],
}


@pytest.mark.parametrize(("route", "wording"), [(r, w) for r, words in ROUTES.items() for w in words])
def test_route_as_a_brochure_says_it(cat: Catalog, route: str, wording: str) -> None:
    assert route_of(cat, wording) == route
    assert route_of(cat, f"  {wording.upper()}  ") == route  # case and spaces folded
    assert routes_in(cat, f"Our treatment: {wording} of your own cells.") == [route]


def test_every_alias_group_reads_its_own_words(cat: Catalog) -> None:
    assert {a.route for a in cat.route_aliases} == set(ROUTES)
    for alias in cat.route_aliases:
        for word in alias.words:
            assert route_of(cat, word) == alias.route, word


@pytest.mark.parametrize("wording", ["magic pathway", "other", "IV drip and joint injection", "vitamin"])
def test_unknown_or_mixed_wording_is_unrecognised(cat: Catalog, wording: str) -> None:
    assert route_of(cat, wording) == "unrecognised"


def test_short_words_count_only_as_words(cat: Catalog) -> None:
    assert routes_in(cat, "a visit to the clinic; drivers wait outside") == []  # "iv" inside "drivers"
    assert routes_in(cat, "given I.V. over an hour") == ["intravenous"]


def test_add_keeps_the_words_beside_the_route(run: Invoke, data_dir: Path) -> None:
    assert run(*ADD, "--route", "IV drip").exit_code == 0, "IV drip must be accepted"
    shown = json.loads(run("clinics", "show", "tokyo-a", "--json").stdout)
    assert (shown["route"], shown["route_as_given"]) == ("intravenous", "IV drip")
    assert "Route: intravenous (as given: IV drip)" in " ".join(run("clinics", "show", "tokyo-a").stdout.split())
    text = " ".join(run("clinics", "check", "tokyo-a").stdout.split())
    assert "cultured cells given intravenously" in text


def test_add_unrecognised_route_is_kept_and_flagged(run: Invoke, data_dir: Path) -> None:
    assert run(*ADD, "--route", "through the magic portal").exit_code == 0
    shown = json.loads(run("clinics", "show", "tokyo-a", "--json").stdout)
    assert (shown["route"], shown["route_as_given"]) == ("unrecognised", "through the magic portal")
    checked = json.loads(run("clinics", "check", "tokyo-a", "--json").stdout)[0]
    assert [f["code"] for f in checked["flags"]] == ["route-unrecognised"]
    assert "through the magic portal" in checked["flags"][0]["message"]


def test_claims_with_a_drip_raise_the_iv_flags_whatever_the_route(cat: Catalog) -> None:
    c = clean(route="other", claims="IV drip of 200 million cells for whole-body regeneration")
    codes = {f.code for f in check_clinic(cat=cat, clinic=c, language="en").flags}
    assert {"iv-cultured", "iv-joint"} <= codes
    noted = clean(route="intra-articular", note="the coordinator said 点滴 after the injection")
    assert "iv-cultured" in {f.code for f in check_clinic(cat=cat, clinic=noted, language="en").flags}
    same_day = clean(processing="same-day", asrm_class="III", claims="IV drip")
    codes = {f.code for f in check_clinic(cat=cat, clinic=same_day, language="en").flags}
    assert "iv-cultured" not in codes
    assert "iv-joint" in codes


def test_clean_clinic_with_brochure_words_stays_clean(cat: Catalog) -> None:
    c = clean(
        name="Tokyo Knee Regeneration Clinic",
        city="東京都中央区",
        route="intra-articular",
        route_as_given="関節内注射",
        processor="Clean Cell Processing Centre",
        plan_number="PB3180014",
        committee="A specified certified committee",
        claims="Cells injected into the joint under a filed plan; risks explained in writing",
        contact="coordinator@example.org",
        note="Consultation the day before",
        closed_weekdays=["sun"],
        culture_weeks=(4, 6),
        visit1_days=(3, 4),
        visit2_days=(2, 3),
    )
    assert check_clinic(cat=cat, clinic=c, language="en").flags == []


# Every shipped provider in each written form: full legal name, without the legal-entity prefix, the
# clinic's own name, English and former names (checked against ../shared/research/safety-record.md).
STRONG = {
    "jp-2024-10-25-kihokai": [
        "医療法人輝鳳会 THE K CLINIC",
        "輝鳳会 THE K CLINIC",
        "THE K CLINIC",
        "ＴＨＥ Ｋ ＣＬＩＮＩＣ",
        "医療法人輝鳳会 池袋クリニック 培養センター",
        "池袋クリニック培養センター",
        "Ikebukuro Clinic culture centre",
    ],
    "jp-2025-03-05-seijikai": [
        "医療法人聖慈会 福岡MSC医療クリニック",
        "聖慈会 福岡MSC医療クリニック",
        "福岡MSC医療クリニック",
        "Seijikai Fukuoka MSC Clinic",
    ],
    "jp-2025-08-29-ts-clinic": [
        "一般社団法人TH「ティーエスクリニック」",
        "一般社団法人TH",
        "ティーエスクリニック",
        "東京サイエンスクリニック",
        "TS Clinic",
        "Tokyo Science Clinic",
        "コージンバイオ 埼玉細胞加工センター",
        "コージンバイオ株式会社 埼玉細胞加工センター",
        "コージンバイオ株式会社",
        "Kohjin Bio Co., Ltd.",
        "Kohjin Bio",
    ],
    "jp-2026-01-23-kohjin-bio": [
        "コージンバイオ株式会社 埼玉細胞加工センター",
        "Kohjin Bio Saitama cell processing centre",
    ],
    "jp-2026-02-20-ginza-phoenix": [
        "一般社団法人志鴻会 銀座鳳凰クリニック",
        "志鴻会 銀座鳳凰クリニック",
        "銀座鳳凰クリニック",
        "Ginza Phoenix Clinic",
        "Ginza Phoenix",
    ],
    "jp-2017-02-20-saitama-medical": ["埼玉メディカルクリニック", "Saitama Medical Clinic"],
    "jp-2020-01-15-osaka-arrest": ["大阪医科大学", "Osaka Medical College"],
    "jp-2026-03-13-ginza-clinic": [
        "医療法人ネオポリス診療所 銀座クリニック",
        "医療法人ネオポリス診療所「銀座クリニック」",
        "ネオポリス診療所銀座クリニック",
        "JASC京都幹細胞培養センター",
        "RBio幹細胞培養センター",
        "JASC Kyoto stem cell culture centre",
    ],
}
SHARED = {
    "jp-2026-03-13-ginza-clinic": ["銀座クリニック", "Ginza Clinic", "医療法人社団青空会 銀座クリニック"],
    "jp-2017-05-08-otemachi": ["大手町クリニック"],
    "jp-2017-07-14-seimei-kagaku": ["生命科学研究所"],
}
GENERIC = [
    "Tokyo Clinic",
    "東京クリニック",
    "福岡クリニック",
    "Fukuoka Clinic",
    "Ginza Knee Clinic",
    "MSC Clinic",
    "幹細胞培養センター",
    "Osaka Regenerative Clinic",
    "Mexico Stem Cell Clinic",
    "Roots Clinic",
    "一般社団法人",
    "医療法人",
]


@pytest.mark.parametrize(("action", "name"), [(a, n) for a, names in STRONG.items() for n in names])
def test_every_shipped_provider_in_each_written_form(cat: Catalog, action: str, name: str) -> None:
    found = {m.action.id: m.shared for m in name_matches(cat, [name])}
    assert found.get(action) is False, (name, found)


def test_every_named_provider_is_covered(cat: Catalog) -> None:
    named = {a.id for a in cat.safety_actions if a.country == "JP" and any(p.named for p in a.providers)}
    assert named <= set(STRONG) | set(SHARED) | {"jp-2024-12-24-kihokai"}


@pytest.mark.parametrize(("action", "name"), [(a, n) for a, names in SHARED.items() for n in names])
def test_a_shared_name_raises_only_the_softer_flag(cat: Catalog, action: str, name: str) -> None:
    assert {m.action.id: m.shared for m in name_matches(cat, [name])} == {action: True}
    c = clean(name=name, route="intra-articular", plan_number="PB3180014")
    flags = check_clinic(cat=cat, clinic=c, language="en").flags
    assert [f.code for f in flags] == ["same-name-as-action"]
    assert "ask which corporation operates it" in flags[0].message


@pytest.mark.parametrize("name", GENERIC)
def test_generic_names_stay_unflagged(cat: Catalog, name: str) -> None:
    assert name_matches(cat, [name]) == []


def test_unnamed_providers_are_never_matched(cat: Catalog) -> None:
    for a in cat.safety_actions:
        for p in a.providers:
            if not p.named:
                assert name_matches(cat, [p.name_en]) == []


def test_the_issue_reproductions_are_flagged_via_the_cli(run: Invoke, data_dir: Path) -> None:
    for i, name in enumerate(["銀座鳳凰クリニック", "福岡MSC医療クリニック", "Ginza Phoenix"]):
        args = list(ADD)
        args[args.index("tokyo-a")] = f"c{i}"
        args[args.index("Clinic A")] = name
        assert run(*args).exit_code == 0
        result = run("clinics", "check", f"c{i}")
        assert result.exit_code == 1
        assert "is named in a regulatory action" in " ".join(result.stdout.split()), name


CITIES = {
    "Tokyo": [
        "Tokyo",
        "東京",
        "東京都",
        "東京都中央区",
        "東京都中央区銀座1-1",
        "Chuo-ku, Tokyo",
        "东京",
        "渋谷区",
        "Shibuya-ku",
    ],
    "Osaka": ["Osaka", "大阪", "大阪市", "大阪府大阪市北区梅田", "Kita-ku, Osaka"],
}


@pytest.mark.parametrize(("city", "written"), [(c, w) for c, forms in CITIES.items() for w in forms])
def test_cities_as_people_write_them(cat: Catalog, city: str, written: str) -> None:
    found = city_of(cat, "JP", written)
    assert found is not None
    assert found.city == city


@pytest.mark.parametrize("written", ["中央区", "Sapporo", "札幌市", "", "Chuo-ku"])
def test_a_city_tripplan_does_not_know_is_not_guessed(cat: Catalog, written: str) -> None:
    assert city_of(cat, "JP", written) is None


def _clinic(city: str) -> Clinic:
    clinic: Clinic = validate(
        Clinic,
        {
            "id": "c",
            "name": "C",
            "city": city,
            "country": "JP",
            "cell_source": "adipose",
            "processing": "cultured",
            "quotes": [{"treatment": "x", "joints": ["knee"], "low": 9000, "high": 14000, "currency": "USD"}],
        },
    )
    return clinic


@pytest.mark.parametrize(("city", "hub"), [("東京都中央区", "HND"), ("Tokyo", "HND"), ("大阪市", "KIX")])
def test_flights_go_to_the_city_written_in_any_script(cat: Catalog, city: str, hub: str) -> None:
    from tripplan.request import TripRequest
    from tripplan.trip import resolve_trip

    trip = resolve_trip(
        cat=cat,
        request=TripRequest(joint="knee", nationality="CN"),
        destination="JP",
        clinic=_clinic(city),
        today=dt_today(),
    )
    assert trip.hub == hub
    assert trip.warnings == []


def test_an_unknown_city_warns_naming_the_hub(cat: Catalog) -> None:
    from tripplan.request import TripRequest
    from tripplan.trip import resolve_trip

    trip = resolve_trip(
        cat=cat,
        request=TripRequest(joint="knee", nationality="CN"),
        destination="JP",
        clinic=_clinic("札幌市"),
        today=dt_today(),
    )
    assert len(trip.warnings) == 1
    assert "'札幌市' is not one tripplan recognises" in trip.warnings[0]
    assert trip.hub in trip.warnings[0]


def test_quote_from_beijing_to_a_clinic_in_japanese_flies_to_tokyo(run: Invoke, data_dir: Path) -> None:
    args = list(ADD)
    args[args.index("Tokyo")] = "東京都中央区"
    assert run(*args).exit_code == 0
    data = json.loads(run("quote", "--clinic", "tokyo-a", "--joint", "knee", "--from", "CN", "--json").stdout)
    trip = data["destinations"][0]
    assert trip["hub"] == "HND"
    assert trip["warnings"] == []
    args[args.index("東京都中央区")] = "Nowhere-mura"
    args[args.index("tokyo-a")] = "far"
    assert run(*args).exit_code == 0
    result = run("quote", "--clinic", "far", "--joint", "knee", "--from", "CN")
    assert "'Nowhere-mura' is not one tripplan recognises" in " ".join(result.stdout.split())


def dt_today() -> dt.date:
    return TODAY


def test_flags_where_the_patient_looks(run: Invoke, data_dir: Path, cat: Catalog) -> None:
    args = list(ADD)
    args[args.index("Clinic A")] = "銀座鳳凰クリニック"
    assert run(*args, "--route", "IV drip").exit_code == 0
    checked = json.loads(run("clinics", "check", "tokyo-a", "--json").stdout)[0]
    n = len(checked["flags"])
    assert n >= 2
    ranks = [f["rank"] for f in checked["flags"]]
    assert ranks == sorted(ranks)  # the most serious first
    assert checked["flags"][0]["code"] == "named-in-action"
    quoted = json.loads(run("quote", "--clinic", "tokyo-a", "--joint", "knee", "--from", "US", "--json").stdout)
    flags = quoted["destinations"][0]["red_flags"]
    assert flags["count"] == n
    assert flags["most_serious"]["code"] == "named-in-action"
    assert flags["check"] == "tripplan clinics check tokyo-a"
    text = " ".join(run("quote", "--clinic", "tokyo-a", "--joint", "knee", "--from", "US").stdout.split())
    assert f"Red flags: {n} for this clinic; most serious:" in text
    assert "tripplan clinics check tokyo-a" in text
    plan = json.loads(
        run("schedule", "--clinic", "tokyo-a", "--harvest", "2027-03-02", "--from", "US", "--json").stdout
    )
    assert plan["red_flags"]["count"] == n
    assert plan["safety"]["recent"] >= 1
    text = " ".join(run("schedule", "--clinic", "tokyo-a", "--harvest", "2027-03-02", "--from", "US").stdout.split())
    assert f"Red flags: {n} for this clinic" in text


def test_a_clean_chosen_clinic_says_so(cat: Catalog) -> None:
    flags = clinic_flags(cat=cat, clinic=clean(route="intra-articular", plan_number="PB3180014"))
    assert (flags.count, flags.most_serious, flags.flags) == (0, None, [])


def test_clinics_list_shows_money_as_quoted(run: Invoke, data_dir: Path, cat: Catalog) -> None:
    args = list(ADD)
    args[args.index("1500000-1800000")] = "1650000"
    assert run(*args).exit_code == 0
    rate = cat.rate_record("JPY")
    assert rate is not None
    usd = round(1650000 / rate.per_usd)
    listed = " ".join(run("clinics", "list", env={"COLUMNS": "200"}).stdout.split())
    assert f"JP¥1,650,000 = ${usd:,} ({rate.per_usd:g}/USD of {rate.as_of})" in listed
    assert "price(s)" not in listed
    shown = " ".join(run("clinics", "show", "tokyo-a").stdout.split())
    assert "JP¥1,650,000" in shown
    assert "1,650,000–1,650,000" not in shown
    quoted = " ".join(
        run("quote", "--clinic", "tokyo-a", "--joint", "knee", "--from", "US", "--details").stdout.split()
    )
    assert "quoted JP¥1,650,000, at" in quoted


def test_sources_a_patient_can_open(run: Invoke, data_dir: Path, cat: Catalog) -> None:
    data = json.loads(run("safety", "--to", "JP", "--json").stdout)
    cited = {s["id"]: s for s in data["sources"]}
    for d in data["destinations"]:
        for a in d["actions"]:
            for sid in a["sources"]:
                assert set(cited[sid]) == {"id", "kind", "title", "publisher", "date", "date_text", "url"}
                assert cited[sid]["date_text"] == cat.sources[sid].date_text
                assert cited[sid]["url"] == cat.sources[sid].url
    assert all(cited[s]["url"] for s in ("ld-2026-03-13a", "ld-2025-08-29"))
    text = run("safety", "--to", "JP", "--details", env={"COLUMNS": "300"}).stdout
    assert text.count(cat.sources["ld-2026-03-13a"].url) == 1  # once per output, in the sources list
    summary = run("safety", "--to", "JP", env={"COLUMNS": "300"}).stdout
    assert "ld-2026-03-13a" in summary  # the summary names the ids; their addresses are under --details
    args = list(ADD)
    assert run(*args, "--route", "IV drip").exit_code == 0
    checked = " ".join(run("clinics", "check", "tokyo-a", env={"COLUMNS": "300"}).stdout.split())
    assert "Sources" in checked
    assert cat.sources["ld-2025-08-29"].url in checked
    check_json = json.loads(run("clinics", "check", "tokyo-a", "--json").stdout)[0]
    assert {s["id"] for s in check_json["sources"]} == {s for f in check_json["flags"] for s in f["sources"]}
    quoted = json.loads(run("quote", "--joint", "knee", "--from", "US", "--to", "JP", "--json").stdout)
    assert all(set(s) == {"id", "kind", "title", "publisher", "date", "date_text", "url"} for s in quoted["sources"])
    plan = json.loads(run("schedule", "--harvest", "2027-03-02", "--from", "US", "--json").stdout)
    assert {s["id"] for s in plan["sources"]} >= {plan["protocol_source"], plan["fly_home_source"]}
