"""Issue 28's check: every command, every --help, the plan document and the calendar file in `--lang zh`
leave no English sentence outside source titles, names, ids and codes (tests/lang_check.py: no run of four or
more English words), and the three commands a Beijing patient runs work with Chinese input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import Invoke
from tests.lang_check import english_runs
from tripplan.catalog import Catalog

COMMANDS = [
    ("quote", "--joint", "跟腱", "--from", "中国"),
    ("quote", "--joint", "knee", "--from", "CN", "--details"),
    ("quote", "--joint", "knee", "--from", "US"),
    ("schedule", "--harvest", "2027年3月1日", "--from", "中国"),
    ("schedule", "--harvest", "2027-03-01", "--from", "US", "--details"),
    ("schedule", "--harvest", "2026-10-08", "--to", "CN", "--from", "CN"),
    ("compare", "--countries", "日本,韩国,中国", "--from", "中国"),
    ("compare", "--countries", "JP,MX,KR,TH", "--from", "US", "--details"),
    ("visa", "--from", "CN"),
    ("visa", "--from", "US", "--to", "JP"),
    ("safety",),
    ("safety", "--details"),
    ("clinics", "list"),
    ("data", "check"),
    ("data", "sources"),
]
REFUSALS = [
    ("quote", "--joint", "elbw", "--from", "CN"),
    ("quote", "--joint", "knee", "--from", "ZZ"),
    ("quote", "--joint", "knee", "--currency", "RMBB"),
    ("schedule", "--harvest", "2027-02-30"),
    ("quote", "--bogus"),
    ("quote", "--joint"),
]
HELP = [
    (),
    ("quote",),
    ("schedule",),
    ("compare",),
    ("visa",),
    ("safety",),
    ("data",),
    ("data", "check"),
    ("data", "sources"),
    ("data", "path"),
    ("clinics",),
    ("clinics", "list"),
    ("clinics", "show"),
    ("clinics", "add"),
    ("clinics", "remove"),
    ("clinics", "check"),
]


QUOTED = re.compile(r"(?<![A-Za-z])'[^']+'(?![A-Za-z])|\"[^\"]+\"|“[^”]+”")


def names(cat: Catalog) -> list[str]:
    """What stays in its own language by design: source titles and publishers, the names of clinics,
    of the providers the safety record names, and of airports."""
    kept = [s.title for s in cat.sources.values()] + [s.publisher for s in cat.sources.values()]
    kept += [c.name for c in cat.clinics.values()]
    kept += [p.name_en for a in cat.safety_actions for p in a.providers if p.named]
    kept += [a.name for a in cat.airports.values()]
    return kept


def left_in_english(text: str, cat: Catalog) -> list[str]:
    """Runs of four English words left once names and quotations (kept as the source wrote them) are set
    aside; whitespace is made single so that a name wrapped over two lines is still recognised."""
    return english_runs(QUOTED.sub(" · ", " ".join(text.split())), allowed=names(cat))


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_command_speaks_chinese(run: Invoke, cat: Catalog, args: tuple[str, ...]) -> None:
    result = run(*args, "--lang", "zh", env={"COLUMNS": "1000"})  # widths are tested elsewhere: no wrapped titles
    assert result.exit_code == 0, result.output
    assert left_in_english(result.output, cat) == []


@pytest.mark.parametrize("args", REFUSALS, ids=" ".join)
def test_refusals_speak_chinese(run: Invoke, cat: Catalog, args: tuple[str, ...]) -> None:
    result = run(*args, "--lang", "zh")
    assert result.exit_code == 2, result.output
    assert left_in_english(result.output, cat) == []


@pytest.mark.parametrize("args", HELP, ids=lambda a: " ".join(a) or "tripplan")
def test_every_help_speaks_chinese(run: Invoke, args: tuple[str, ...]) -> None:
    result = run(*args, "--help", "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert english_runs(result.output) == []


def test_the_document_and_calendar_speak_chinese(run: Invoke, cat: Catalog, tmp_path: Path) -> None:
    html, ics = tmp_path / "计划.html", tmp_path / "计划.ics"
    result = run(
        "schedule",
        "--harvest",
        "2027年3月1日",
        "--from",
        "中国",
        "--lang",
        "zh",
        "--html",
        str(html),
        "--ics",
        str(ics),
    )
    assert result.exit_code == 0, result.output
    page = html.read_text(encoding="utf-8")
    assert 'lang="zh-Hans"' in page
    import html as markup

    text = markup.unescape(re.sub(r"<style.*?</style>|<[^>]+>", " ", page, flags=re.S))
    assert left_in_english(text, cat) == []
    cal = ics.read_text(encoding="utf-8").replace("\r\n ", "")
    summaries = [line for line in cal.splitlines() if line.startswith(("SUMMARY", "DESCRIPTION"))]
    assert summaries
    assert left_in_english("\n".join(summaries), cat) == []


def test_json_keys_do_not_change_with_the_language(run: Invoke) -> None:
    en = json.loads(run("quote", "--joint", "knee", "--from", "CN", "--json").output)
    zh = json.loads(run("quote", "--joint", "knee", "--from", "CN", "--json", "--lang", "zh").output)

    def keys(v: object) -> object:
        if isinstance(v, dict):
            return {k: keys(x) for k, x in v.items()}
        if isinstance(v, list):
            return [keys(x) for x in v]
        return type(v).__name__

    assert keys(en) == keys(zh)


def test_the_facts_do_not_depend_on_the_language(run: Invoke) -> None:
    """A rule that reads the data's words reads the English it was written in: the safety summary names the
    emergency orders after patient deaths in both languages (the translated action once hid them)."""
    en = run("safety", "--to", "JP").output
    zh = run("safety", "--to", "JP", "--lang", "zh").output
    assert "emergency orders after patient deaths" in " ".join(en.split())
    assert "因患者在静脉输注期间死亡而发出的紧急" in "".join(zh.split())


def test_the_coordinator_check_speaks_for_the_language_spoken(run: Invoke) -> None:
    """clinics check's language is the one spoken unless --language says otherwise: a clinic whose
    coordinators speak English and Japanese is flagged for a reader of Chinese, not for a reader of English."""
    from tests.test_clinics import ADD

    assert run(*ADD).exit_code == 0

    def flags(*args: str) -> list[str]:
        result = run("clinics", "check", "tokyo-a", "--json", *args)
        return [f["code"] for f in json.loads(result.output)[0]["flags"]]

    assert "language" not in " ".join(flags())
    assert "language" in " ".join(flags("--lang", "zh"))
    assert flags("--lang", "zh", "--language", "en") == flags()
