"""The language: chosen from --lang, TRIPPLAN_LANG or the locale, refused when unknown, and spoken from
gettext catalogs that are complete and current (scripts/build_catalog.py --check)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.lang_check import english_runs
from tripplan import i18n

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("option", "environ", "expected"),
    [
        (None, {}, "en"),
        ("zh", {}, "zh"),
        ("zh-Hans", {}, "zh"),
        ("en", {"TRIPPLAN_LANG": "zh"}, "en"),
        (None, {"TRIPPLAN_LANG": "zh"}, "zh"),
        (None, {"LANG": "zh_CN.UTF-8"}, "zh"),
        (None, {"LANG": "zh_TW.UTF-8"}, "zh"),
        (None, {"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_GB.UTF-8"}, "zh"),
        (None, {"LANG": "fr_FR.UTF-8"}, "en"),  # a locale is not a request: unknown falls back
        (None, {"LANG": "C"}, "en"),
        (None, {"TRIPPLAN_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
    ],
)
def test_the_language_is_chosen_by_option_then_variable_then_locale(
    option: str | None, environ: dict[str, str], expected: str
) -> None:
    assert i18n.choose(option=option, environ=environ) == expected


@pytest.mark.parametrize(("option", "environ"), [("xx", {}), (None, {"TRIPPLAN_LANG": "klingon"})])
def test_an_unknown_language_asked_for_by_name_is_refused(option: str | None, environ: dict[str, str]) -> None:
    with pytest.raises(i18n.UnknownLanguageError, match="available: en, zh"):
        i18n.choose(option=option, environ=environ)


def test_the_option_is_found_anywhere_before_a_double_dash() -> None:
    assert i18n.option_in(["quote", "--joint", "knee", "--lang", "zh"]) == "zh"
    assert i18n.option_in(["--lang=zh", "visa"]) == "zh"
    assert i18n.option_in(["visa", "--", "--lang", "zh"]) is None


def test_an_unknown_language_on_the_command_line_exits_2_with_the_choices(run: Any) -> None:
    result = run("visa", "--from", "CN", "--lang", "xx")
    assert result.exit_code == 2
    assert "available: en, zh" in result.output


def test_english_needs_no_catalog_and_chinese_has_one() -> None:
    assert i18n.available()[0] == "en"
    assert "zh" in i18n.available()
    i18n.use("en")
    assert i18n._("Error: {where}: unknown language {given!r}; available: {langs}").startswith("Error")
    assert i18n.ngettext("{n} night", "{n} nights", 2) == "{n} nights"


def test_the_catalogs_are_complete_and_current() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_catalog.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_the_check_finds_english_and_lets_names_and_codes_be() -> None:
    assert english_runs("Leave home on this day") == ["Leave home on this day"]
    assert english_runs("出发 2027-03-01 USD JP-KNEE-1 https://example.org/a-b --joint knee") == []
    assert (
        english_runs(
            "来源：Regenerative stem cell therapy in Japan", allowed=["Regenerative stem cell therapy in Japan"]
        )
        == []
    )
    assert english_runs("三 words only here") == []
