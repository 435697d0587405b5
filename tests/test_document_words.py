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
