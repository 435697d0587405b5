"""Text that lives in data, in Chinese (data/i18n/zh.toml, translations.py): checked like the rest of the data,
applied only when the language is not English, with the user's own records falling back to English."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tripplan import translations
from tripplan.catalog import Catalog
from tripplan.loader import by_section, read_toml, shipped_data_dir
from tripplan.redflags import clinic_flags

from .conftest import Invoke
from .lang_check import english_runs

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "add-destination"
ZH = {"TRIPPLAN_LANG": "zh"}
QUOTED = re.compile(r"(?<![A-Za-z])'[^']+'(?![A-Za-z])|\"[^\"]+\"|“[^”]+”")


def _table(folder: Path) -> translations.Table:
    table, problems = translations.read(translations.file_for(folder, "zh"), sections=by_section(), parse=read_toml)
    assert problems == []
    return table


def _zh(cat: Catalog) -> Catalog:
    return translations.apply(cat, "zh", shipped=_table(shipped_data_dir()), sections=by_section())


# --- the file, checked like the rest of the data ---------------------------------------------------------


def _write(folder: Path, text: str) -> Path:
    (folder / "i18n").mkdir(exist_ok=True)
    path = folder / "i18n" / "zh.toml"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (
            '[milestones.no-such-step]\nname = "某步骤"\n',
            "record milestones 'no-such-step': no such record in the data",
        ),
        (
            '[milestones.deposit]\nanchor = "定金"\n',
            "record milestones 'deposit': field 'anchor': is not a translated field",
        ),
        ('[titles.x]\nname = "x"\n', "record [titles]: is not a section with translated text"),
        (
            '[medical_visas.JP]\nperiods = ["90 天"]\n',
            "record medical_visas 'JP': field 'periods': must be a list of 3 texts",
        ),
        (
            '[milestones.rest-knee]\nname = "膝关节休息两天"\n',
            "record milestones 'rest-knee': field 'name': drops or alters 48 of the English",
        ),
        (
            '[rules.no-licence]\nmessage = "未记录许可证：请核查"\n',
            "record rules 'no-licence': field 'message': drops or alters {register}",
        ),
        ("[milestones.deposit]\nname = 3\n", "record milestones 'deposit': field 'name': must be text"),
        ('[labels.joint]\nkneee = "膝关节"\n', "record [labels.joint]: field 'kneee': is not a word the data uses"),
        ('[labels.organ]\nliver = "肝"\n', "record [labels.organ]: is not a kind of label"),
        (
            '[milestones.deposit]\nname = "支付\\u001b[31m定金"\n',
            "record milestones 'deposit': field 'name': contains a control character",
        ),
    ],
)
def test_a_bad_translation_is_refused_by_file_record_and_field(
    run: Invoke, data_dir: Path, text: str, named: str
) -> None:
    path = _write(data_dir, text)
    checked = run("data", "check")
    assert checked.exit_code == 1
    assert f"{path}: {named}" in checked.stderr
    shown = run("quote", "--joint", "knee", "--from", "CN", env=ZH)  # refused in Chinese, as any bad data file
    assert shown.exit_code == 1
    assert str(path) in shown.stderr
    assert run("quote", "--joint", "knee", "--from", "CN").exit_code == 0  # English reads no translation file


def test_data_check_of_a_translation_file(run: Invoke, data_dir: Path) -> None:
    good = _write(data_dir, '[milestones.deposit]\nname = "支付细胞培养的定金"\n')
    assert run("data", "check", str(good)).exit_code == 0
    bad = _write(data_dir, '[milestones.deposit]\nnome = "x"\n')
    result = run("data", "check", str(bad))
    assert result.exit_code == 1
    assert "field 'nome': is not a translated field" in result.stderr


def test_a_missing_shipped_translation_is_a_problem_named_by_file_record_and_field(
    bare_shipped: Path, run: Invoke
) -> None:
    (bare_shipped / "i18n").mkdir()
    text = (ROOT / "data" / "i18n" / "zh.toml").read_text("utf-8")
    kept = text.replace('[milestones.deposit]\nname = "支付细胞培养的定金"\n', "")
    assert kept != text
    (bare_shipped / "i18n" / "zh.toml").write_text(kept, "utf-8")
    result = run("data", "check")
    assert result.exit_code == 1
    assert f"{bare_shipped / 'i18n' / 'zh.toml'}: record milestones 'deposit': field 'name': has no translation" in (
        result.stderr
    )
    # shown in Chinese, the step keeps its English rather than failing
    plan = run("schedule", "--harvest", "2027-03-01", "--from", "CN", "--joint", "knee", "--json", env=ZH)
    assert plan.exit_code == 0, plan.output
    assert "Pay the deposit for culturing" in plan.stdout


def test_a_translation_of_english_that_has_changed_is_named_and_not_shown(bare_shipped: Path, run: Invoke) -> None:
    shutil.copytree(ROOT / "data" / "i18n", bare_shipped / "i18n")
    steps = bare_shipped / "treatments.toml"
    text = steps.read_text("utf-8")
    steps.write_text(
        text.replace('"Pay the deposit for culturing"', '"Pay the deposit for culturing, by bank transfer"')
    )
    result = run("data", "check")
    assert result.exit_code == 1
    named = "record milestones 'deposit': field 'name': the English has changed since this was translated"
    assert f"{bare_shipped / 'i18n' / 'zh.toml'}: {named}" in result.stderr
    assert result.stderr.count("has changed since") == 1
    plan = run("schedule", "--harvest", "2027-03-01", "--from", "CN", "--joint", "knee", "--json", env=ZH)
    assert plan.exit_code == 0, plan.output
    assert "Pay the deposit for culturing, by bank transfer" in plan.stdout  # the current English, not stale Chinese
    assert "支付细胞培养的定金" not in plan.stdout
    assert "支付余款" in plan.stdout  # the other steps' translations still apply


def test_the_fingerprints_are_current() -> None:
    """Every shipped translation has the fingerprint of the English it translates (scripts/translation_todo.py
    zh --accept after translating or reviewing)."""
    table = _table(shipped_data_dir())
    from tripplan.loader import load_catalog

    cat = load_catalog(None, use_cache=False)
    assert translations.accepted(cat, table, sections=by_section()) == table.sums


# --- the shipped translation --------------------------------------------------------------------------------


def test_the_shipped_data_is_translated_completely_and_faithfully(shipped_cat: Catalog) -> None:
    """Every translated field of every shipped record has Chinese, which keeps every figure (digit run), date
    and [id] of the English (the check itself is tested above; this is the shipped file)."""
    from tripplan.loader import check_translations

    problems, untranslated = check_translations(None)
    assert [str(p) for p in problems] == []
    assert untranslated == []
    table = _table(shipped_data_dir())
    sections = by_section()
    count = 0
    for section, key, record, path in translations.needed(shipped_cat, sections):
        zh = table.texts[section][key][path]
        en = translations.english(record, path)
        for source, text in zip(en, zh, strict=True) if isinstance(en, list) else [(en, zh)]:
            assert all(d in re.findall(r"\d+", text) for d in re.findall(r"\d+", source)), (section, key, path)
            assert all(i in text for i in re.findall(r"\[[^\[\]\s]+\]", source)), (section, key, path)
            assert re.search(r"[\u4e00-\u9fff]", text) or text == source, (section, key, path)
            count += 1
    assert count > 300


def test_legal_terms_are_the_authorities(shipped_cat: Catalog) -> None:
    """Filed is 备案, never approved (批准); the ASRM, the medical visa and the guarantor by their legal names."""
    zh = _zh(shipped_cat)
    assert zh.medical_visas["JP"].name == "医疗滞在签证"
    assert "身元保证机构" in zh.medical_visas["JP"].guarantor
    assert zh.countries["JP"].law.startswith("再生医疗等安全性确保法")
    assert zh.countries["JP"].regulator.startswith("厚生劳动省")
    filed = next(v for v in zh.verify_steps if v.id == "filed-not-approved").text
    assert "已备案的计划不等于已批准" in filed
    for step in zh.milestones:
        english = next(m for m in shipped_cat.milestones if m.id == step.id).name
        if "filed" in english:
            assert "备案" in step.name
    assert all(c.name != shipped_cat.countries[k].name for k, c in zh.countries.items())
    assert zh.countries["JP"].name == "日本"
    assert zh.country_name("CN") == "中国"
    assert zh.country_name("FR") == "法国"
    assert zh.currency_name("CNY") == "人民币"
    assert zh.currency_name("JPY") == "日元"
    assert (zh.label("joint", "knee"), zh.label("route", "intra-articular")) == ("膝关节", "关节腔内注射")
    assert zh.label("condition", "osteoarthritis") == "骨关节炎"
    assert zh.label("severity", "death") == "死亡"
    assert shipped_cat.label("joint", "knee") == "knee"
    assert zh.label("joint", "no-such-joint") == "no-such-joint"
    every = {(k, w) for k, words in translations.LABELS.items() for w in words(shipped_cat)}
    assert len(every) > 40
    assert all(zh.label(k, w) != w for k, w in every)


def test_names_and_what_a_check_matches_are_not_translated(shipped_cat: Catalog) -> None:
    zh = _zh(shipped_cat)
    published = [k for k, s in shipped_cat.sources.items() if s.kind != "assumption"]
    assert len(published) > 50
    assert [zh.sources[k].title for k in published] == [shipped_cat.sources[k].title for k in published]
    assert [zh.sources[k].publisher for k in published] == [shipped_cat.sources[k].publisher for k in published]
    ours = zh.sources["tripplan-assumptions"]  # tripplan's own assumptions are its own words: translated
    assert (ours.title.startswith("tripplan 的旅行假设"), ours.publisher) == (True, "tripplan 维护者")
    for ours, theirs in zip(zh.safety_actions, shipped_cat.safety_actions, strict=True):
        named = [(p.name_ja, p.name_en, p.other_names, p.city) for p in ours.providers if p.named]
        assert named == [(p.name_ja, p.name_en, p.other_names, p.city) for p in theirs.providers if p.named]
        for mine, source in zip(ours.providers, theirs.providers, strict=True):  # a description is translated
            assert (mine.name_en != source.name_en) == (not source.named), source.name_en
        assert ours.id == theirs.id
        assert ours.date == theirs.date
        assert ours.sources == theirs.sources
    assert [w.keywords for w in zh.warning_signs] == [w.keywords for w in shipped_cat.warning_signs]
    for code, clinic in shipped_cat.clinics.items():
        flags = [f.code for f in clinic_flags(cat=shipped_cat, clinic=clinic).flags]
        assert [f.code for f in clinic_flags(cat=zh, clinic=zh.clinics[code]).flags] == flags, code


def test_english_reads_no_translation(shipped_cat: Catalog) -> None:
    """The English start-up does not import the translation module at all (bench/bench.py measures the time)."""
    code = (
        "import sys; from tripplan.loader import load_catalog; load_catalog(None); "
        "print('tripplan.translations' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"
    assert shipped_cat.lang == "en"
    assert shipped_cat.untranslated == ()


# --- what a Chinese reader sees --------------------------------------------------------------------------------


COMMANDS = [
    ("quote", "--joint", "knee", "--from", "CN", "--details"),
    ("quote", "--joint", "knee", "--from", "US", "--to", "JP", "--details"),
    ("compare", "--countries", "JP,KR,MX,TH", "--from", "CN", "--details"),
    ("schedule", "--harvest", "2027-03-01", "--from", "CN", "--joint", "knee", "--details"),
    ("schedule", "--harvest", "2027-03-01", "--from", "US", "--joint", "shoulder", "--details"),
    ("visa", "--from", "CN"),
    ("visa", "--from", "US", "--to", "JP"),
    ("safety", "--details"),
    ("data", "sources"),
    ("clinics", "show", "jp-tokyo-cultured-adipose"),
    ("clinics", "check", "kr-seoul-prp-bmc"),
    ("quote", "--joint", "knee", "--from", "IN", "--to", "JP", "--details"),
]


def test_no_sentence_of_the_data_is_left_in_english(run: Invoke, cat: Catalog) -> None:
    """No run of four English words of a translated field (outside quotations, which stay as the source
    wrote them) appears in what a command prints in Chinese; each appears in English."""
    sections = by_section()
    runs: dict[str, str] = {}
    for section, key, record, path in translations.needed(cat, sections):
        en = translations.english(record, path)
        for text in en if isinstance(en, list) else [en]:
            for found in english_runs(QUOTED.sub(" · ", text)):
                runs.setdefault(found, f"{section} {key} {path}")
    assert len(runs) > 200
    names = [s.title for s in cat.sources.values()] + [s.publisher for s in cat.sources.values()]
    names += [p.name_en for a in cat.safety_actions for p in a.providers]
    seen_en = ""
    for args in COMMANDS:
        zh = run(*args, env=ZH)
        assert zh.exit_code == 0, (args, zh.output)
        shown = " ".join(zh.output.split())
        for name in sorted(names, key=len, reverse=True):
            shown = shown.replace(name, " · ")
        left = [f"{where}: {r}" for r, where in runs.items() if r in shown]
        assert left == [], args
        seen_en += run(*args).output
    assert sum(r in seen_en for r in runs) > 50  # the same texts are shown in English


def test_insurance_by_nationality(run: Invoke) -> None:
    for env in ({}, ZH):
        cn = run("compare", "--countries", "JP,MX", "--from", "CN", "--details", env=env)
        us = run("compare", "--countries", "JP,MX", "--from", "US", "--details", env=env)
        assert cn.exit_code == 0
        assert us.exit_code == 0
        assert "Medicare" not in cn.stdout
        assert "Medicare" in us.stdout
        assert "[seed-sports-trauma-us]" in us.stdout
        assert "[seed-planning-trip]" in cn.stdout
    zh = run("compare", "--countries", "JP", "--from", "CN", "--details", env=ZH).stdout
    assert "来源没有提到中国的保险" in zh
    assert "日本国民健康保险" in zh


def test_the_price_at_home_in_the_patients_currency(run: Invoke) -> None:
    data = json.loads(run("quote", "--joint", "knee", "--from", "CN", "--to", "JP", "--json").stdout)
    trip = data["destinations"][0]
    ref, home = trip["reference"], trip["reference_home"]
    assert home["currency"] == "CNY"
    assert home["rate"] == trip["home"]["rate"]
    assert (home["low"], home["high"]) == (round(ref["low"] * home["rate"]), round(ref["high"] * home["rate"]))
    assert home["rate_source"] == trip["home"]["rate_source"]
    us = json.loads(run("quote", "--joint", "knee", "--from", "US", "--to", "JP", "--json").stdout)
    assert us["destinations"][0]["reference_home"] is None  # the price at home is already in USD
    money = f"CN¥{home['low']:,} – CN¥{home['high']:,}"
    en = run("quote", "--joint", "knee", "--from", "CN", "--to", "JP", "--details").stdout
    assert f"= {money} (converted at {home['rate']:g} CNY per USD)" in " ".join(en.split())
    zh = run("quote", "--joint", "knee", "--from", "CN", "--to", "JP", "--details", env=ZH).stdout
    assert f"按每美元 {home['rate']:g} CNY 换算" in " ".join(zh.split())
    assert f"{home['low']:,}" in zh
    assert f"{home['high']:,}" in zh


# --- a user's own records: English, with a note --------------------------------------------------------------


@pytest.fixture
def germany(data_dir: Path) -> Path:
    for f in EXAMPLE.glob("*.toml"):
        shutil.copy(f, data_dir / f.name)
    return data_dir


def test_the_users_records_without_chinese_fall_back_to_english_with_a_note(run: Invoke, germany: Path) -> None:
    result = run("quote", "--joint", "knee", "--from", "CN", "--to", "DE", "--details", env=ZH)
    assert result.exit_code == 0, result.output
    assert "德国" in result.stdout  # the country's name from CLDR
    assert "EXAMPLE ONLY: invented protocol for the walk-through." in result.stdout  # its own words, in English
    assert "countries 'DE'" in result.stderr
    assert "tripplan data check" in result.stderr
    assert "Germany" in run("quote", "--joint", "knee", "--from", "CN", "--to", "DE").stdout
    checked = run("data", "check")
    assert checked.exit_code == 0  # not an error: named, so the user can translate them
    assert f"{germany / 'i18n' / 'zh.toml'}: record countries 'DE': field 'law': has no translation" in checked.stderr
    listed = json.loads(run("data", "check", "--json").stdout)
    assert listed["ok"]
    assert any("countries 'DE'" in u for u in listed["untranslated"])


def test_the_users_translation_is_used_and_a_replaced_record_never_shows_the_shipped_words(
    run: Invoke, germany: Path
) -> None:
    from tripplan.loader import check_translations

    texts = [
        "[countries.DE]",
        'law = "示例：填写来源所说的法律"',
        'regulator = "示例：填写来源所说的监管机构"',
        'strictness = "示例"',
        'processing_allowed = "示例：来源所说允许的处理方式"',
        'cell_count = "来源未提及"',
        'languages = "示例：德语；诊所讲英语"',
        'insurance = "示例：自费"',
        'protocol.cell_source = "示例：自体脂肪，培养"',
        'protocol.assumption = "仅为示例：为演示而虚构的方案。"',
        'closures.0.name = "圣诞节休诊（示例）"',
    ]
    _write(germany, "\n".join(texts) + "\n")
    _problems, untranslated = check_translations(germany)
    left = {p.record for p in untranslated}
    assert "countries 'DE'" not in left  # the others (the example's price and source notes) are still named
    result = run("compare", "--countries", "DE,JP", "--from", "CN", "--details", env=ZH)
    assert result.exit_code == 0, result.output
    assert "示例：自费" in result.stdout
    assert "countries 'DE'" not in result.stderr
    # a user's record that replaces a shipped one takes no shipped translation
    countries = (germany / "countries.toml").read_text("utf-8")
    japan = (ROOT / "data" / "countries.toml").read_text("utf-8").split("[[countries]]")[1]
    japan = japan.replace("Not covered by Japanese national insurance", "My own words about insurance")
    (germany / "countries.toml").write_text(countries + "\n[[countries]]" + japan.split("[[notes]]")[0], "utf-8")
    shown = run("compare", "--countries", "JP", "--from", "CN", "--details", env=ZH)
    assert shown.exit_code == 0, shown.output
    assert "My own words about insurance" in " ".join(shown.stdout.split())
    assert "日本国民健康保险" not in shown.stdout
    assert "countries 'JP'" in shown.stderr


def test_insurance_says_only_what_the_sources_say_of_each_destination(run: Invoke) -> None:
    """No source speaks of insurance in Mexico, South Korea or Thailand: their insurance says so (never "not
    covered by foreign insurance"); the US patient's Medicare line is cited, and says where the source said it."""
    data = json.loads(run("compare", "--countries", "JP,MX,KR,TH", "--from", "US", "--json").stdout)
    said = {c["code"]: c["insurance"] for c in data["countries"]}
    assert said["MX"] == (
        "Not given by the sources: none says whether any insurance pays for treatment in Mexico; ask your "
        "insurer. Stem cell therapy is not covered by Medicare or US private insurance (PPOs/HMOs), as "
        "PlacidWay reports in its article on treatment in Japan; no source speaks of Mexico. [seed-sports-trauma-us]"
    )
    for code, name in (("KR", "South Korea"), ("TH", "Thailand")):
        assert said[code] == (
            f"Not given by the sources: none says whether any insurance pays for treatment in {name}; ask your insurer."
        )
    assert all("foreign insurance" not in text for text in said.values())
    shown = " ".join(run("compare", "--countries", "MX", "--from", "CN", "--details", env=ZH).stdout.split())
    assert "来源未提及：没有任何来源说明是否有保险为在墨西哥的治疗付费；请向您的保险公司询问。" in shown
    assert "外国保险不承保" not in shown
    us = run("compare", "--countries", "MX", "--from", "US", "--json", env=ZH).stdout
    assert json.loads(us)["countries"][0]["insurance"].endswith(
        "Medicare 和美国私人保险（PPO/HMO）不承保干细胞疗法，这是 PlacidWay 在一篇关于日本治疗的文章中的说法；"
        "没有来源提到墨西哥。 [seed-sports-trauma-us]"
    )
