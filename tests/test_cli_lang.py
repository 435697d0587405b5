"""The command line in Chinese (issue 28, the CLI layer): `--lang` on tripplan, on every group and every
command (and TRIPPLAN_LANG, a zh_* locale); every --help, Click's own words and usage errors, tripplan's
errors, warnings and notes in Chinese with no English sentence left (tests/lang_check.py); English unchanged;
an unknown language refused with the available ones (exit 2); `--lang` completed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.lang_check import english_runs
from tripplan import i18n
from tripplan.cli import commands
from tripplan.cli_clinics import clinic_commands
from tripplan.cli_data import data_commands

# every command and group tripplan has, as typed after `tripplan` (read from the registries: a new command is
# covered without editing this list)
PATHS: list[tuple[str, ...]] = [
    (),
    *((name,) for name in commands.specs),
    ("data",),
    *(("data", name) for name in data_commands.specs),
    ("clinics",),
    *(("clinics", name) for name in clinic_commands.specs),
]


def _ids(path: tuple[str, ...]) -> str:
    return " ".join(path) or "tripplan"


def test_the_paths_cover_every_command() -> None:
    assert {"quote", "schedule", "compare", "visa", "safety"} <= {p[0] for p in PATHS if len(p) == 1}
    assert ("data", "check") in PATHS
    assert ("clinics", "add") in PATHS


@pytest.mark.parametrize("path", PATHS, ids=_ids)
def test_every_help_speaks_chinese(run: Any, path: tuple[str, ...]) -> None:
    result = run(*path, "--help", "--lang", "zh")
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith(f"用法：tripplan {' '.join(path)}".rstrip() + " ")
    assert "选项：" in text
    assert "--lang" in text
    assert "显示此帮助信息并退出。" in text
    assert english_runs(text) == [], text


@pytest.mark.parametrize("path", PATHS, ids=_ids)
def test_every_help_in_english_is_as_click_writes_it(run: Any, path: tuple[str, ...]) -> None:
    plain = run(*path, "--help")
    english = run(*path, "--help", "--lang", "en")
    assert plain.exit_code == english.exit_code == 0
    assert plain.output == english.output
    assert plain.output.startswith(f"Usage: tripplan {' '.join(path)}".rstrip() + " ")
    assert "Options:" in plain.output
    assert "Show this message and exit." in plain.output
    assert not re.search(r"[\u4e00-\u9fff]", plain.output.replace("関節内注射", ""))  # no Chinese left in


@pytest.mark.parametrize("path", [(), ("quote",), ("schedule",), ("clinics", "add")], ids=_ids)
def test_chinese_help_wraps_by_cells_at_sixty_columns(path: tuple[str, ...], tmp_path: Path) -> None:
    """As a terminal 60 columns wide shows it (the test runner forces Click's width to 80: run the program)."""
    import os
    import subprocess
    import sys

    from rich.cells import cell_len

    env = {**os.environ, "COLUMNS": "60", "NO_COLOR": "1", "TRIPPLAN_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("TRIPPLAN_LANG", None)
    done = subprocess.run(
        [sys.executable, "-m", "tripplan", *path, "--help", "--lang", "zh"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout
    examples = [line for line in text.splitlines() if line.lstrip().startswith("tripplan ")]  # kept as typed
    widest = max(cell_len(line) for line in text.splitlines() if line not in examples)
    assert widest <= 60, text
    assert not any(line.lstrip().startswith(("，", "。", "、", "）", "：")) for line in text.splitlines()), text


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("quote", "--help", "--lang", "zh"), {}),
        (("--lang", "zh", "quote", "--help"), {}),
        (("--lang=zh", "data", "check", "--help"), {}),
        (("data", "--lang", "zh", "check", "--help"), {}),
        (("clinics", "--lang", "zh", "list", "--help"), {}),
        (("quote", "--help"), {"TRIPPLAN_LANG": "zh"}),
        (("quote", "--help"), {"LANG": "zh_CN.UTF-8"}),
        (("quote", "--help"), {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}),
    ],
)
def test_the_language_is_taken_wherever_it_is_given(run: Any, args: tuple[str, ...], env: dict[str, str]) -> None:
    result = run(*args, env=env)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("用法：")


def test_the_option_beats_the_variable(run: Any) -> None:
    assert run("quote", "--help", "--lang", "en", env={"TRIPPLAN_LANG": "zh"}).output.startswith("Usage:")


@pytest.mark.parametrize(
    "args",
    [
        ("visa", "--from", "CN", "--lang", "xx"),
        ("--lang", "klingon", "visa", "--from", "CN"),
        ("data", "check", "--lang", "fr"),
        ("clinics", "--lang", "xx", "list"),
    ],
)
def test_an_unknown_language_is_refused_with_the_available_ones(run: Any, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "available: en, zh" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_language_hidden_behind_a_known_one_is_refused_too(run: Any) -> None:
    """`--lang xx … --lang zh`: the last one chooses the language; the first is still checked by its option."""
    result = run("--lang", "xx", "visa", "--from", "CN", "--lang", "zh")
    assert result.exit_code == 2
    assert "错误：'--lang' 的值无效：未知的语言 'xx'；可用的语言：en、zh" in result.output  # in the language chosen


def test_an_unknown_language_variable_is_refused(run: Any) -> None:
    result = run("visa", "--from", "CN", env={"TRIPPLAN_LANG": "xx"})
    assert result.exit_code == 2
    assert "TRIPPLAN_LANG: unknown language 'xx'; available: en, zh" in result.output


# (arguments, what Click says in English, the same in Chinese)
USAGE_ERRORS = [
    (("quote",), "Error: Missing option '--from'.", "错误：缺少选项 '--from'。"),
    (("quote", "--from", "CN", "--jont", "knee"), "Error: No such option: --jont", "错误：没有这个选项：--jont"),
    (
        ("qoute",),
        "Error: No such command 'qoute'. Did you mean 'quote'?",
        "错误：没有这个命令 'qoute'。您是不是要找 'quote'？",
    ),
    (
        ("quote", "--from", "CN", "--rate", "abc"),
        "Error: Invalid value for '--rate': 'abc' is not a valid float.",
        "错误：'--rate' 的值无效：'abc' 不是有效的数字。",
    ),
    (("quote", "--from", "CN", "extra"), "Error: Got unexpected extra argument", "错误：收到多余的参数（extra）"),
    (("quote", "--from"), "Error: Option '--from' requires an argument.", "错误：选项 '--from' 需要一个值。"),
    (("data", "nothing"), "Error: No such command 'nothing'.", "错误：没有这个命令 'nothing'。"),
    (("clinics", "show"), "Error: Missing argument 'ID'.", "错误：缺少参数 'ID'。"),
]


@pytest.mark.parametrize(("args", "english", "chinese"), USAGE_ERRORS, ids=[" ".join(a) for a, _, _ in USAGE_ERRORS])
def test_usage_errors_in_both_languages(run: Any, args: tuple[str, ...], english: str, chinese: str) -> None:
    en = run(*args)
    assert en.exit_code == 2
    assert english in en.output
    zh = run(*args, "--lang", "zh") if args != ("quote", "--from") else run("--lang", "zh", *args)
    assert zh.exit_code == 2
    assert chinese in zh.output, zh.output
    if en.output.startswith("Usage: tripplan "):  # Click gives the usage and a hint when it knows the command
        assert "for help." in en.output
        assert zh.output.startswith("用法：tripplan ")
        assert "查看帮助。" in zh.output
    assert english_runs(zh.output) == [], zh.output


def test_english_usage_error_is_byte_for_byte_clicks(run: Any) -> None:
    result = run("quote")
    assert result.output == (
        "Usage: tripplan quote [OPTIONS]\nTry 'tripplan quote -h' for help.\n\nError: Missing option '--from'.\n"
    )


# tripplan's own refusals (lookup, dates, options, files), in Chinese with nothing of them left in English
REFUSALS = [
    ("quote", "--joint", "kne", "--from", "CN"),
    ("quote", "--joint", "knee", "--from", "Narnia"),
    ("quote", "--joint", "knee", "--from", "CN", "--currency", "XYZ"),
    ("quote", "--joint", "knee", "--from", "CN", "--fare", "lots"),
    ("quote", "--joint", "knee", "--from", "CN", "--fare", "900-100"),
    ("quote", "--joint", "knee", "--from", "CN", "--rate", "-1"),
    ("quote", "--joint", "knee", "--from", "CN", "--currency", ""),
    ("quote", "--from", "CN"),
    ("compare", "--countries", "JP,JP"),
    ("compare", "--countries", "JP", "--sort", "price"),
    ("visa", "--from", "CN", "--to", "XX"),
    ("schedule", "--harvest", "31 Febtember 2027", "--from", "CN"),
    ("schedule", "--harvest", "2027-02-30", "--from", "CN"),
    ("schedule", "--harvest", "2027", "--from", "CN"),
    ("clinics", "show", "nowhere"),
    ("clinics", "remove", "nowhere", "--yes"),
    ("clinics", "add", "--id", "x"),
]


@pytest.mark.parametrize("args", REFUSALS, ids=[" ".join(a) for a in REFUSALS])
def test_refusals_speak_chinese(run: Any, args: tuple[str, ...]) -> None:
    en = run(*args)
    zh = run(*args, "--lang", "zh")
    assert en.exit_code == zh.exit_code == 2, (en.output, zh.output)
    assert en.output.startswith("Error: ")
    assert zh.output.startswith("错误："), zh.output
    assert english_runs(zh.output) == [], zh.output


def test_suggestions_stay_as_they_are_typed(run: Any) -> None:
    zh = run("quote", "--joint", "kne", "--from", "CN", "--lang", "zh").output
    assert "您是不是要找：knee？" in zh
    assert "ankle、elbow、hip、knee、shoulder" in zh  # values a user types are never translated


def test_a_write_refusal_and_the_notes_speak_chinese(run: Any, tmp_path: Path) -> None:
    target = tmp_path / "plan.ics"
    target.write_text("already here")
    args = ("schedule", "--harvest", "2027-03-01", "--from", "CN", "--ics", str(target), "--lang", "zh")
    refused = run(*args)
    assert refused.exit_code == 1
    assert f"错误：{target} 已存在；加上 --force 可替换它" in refused.output
    done = run(*args, "--force")
    assert done.exit_code == 0, done.output
    assert f"已写入 {target}" in done.stderr
    assert "注意：如需以后原地更新这些事件" in done.stderr
    assert english_runs(done.stderr) == [], done.stderr


def test_data_problems_speak_chinese(run: Any, tmp_path: Path) -> None:
    bad = tmp_path / "clinics.toml"
    bad.write_text('[[clinics]]\nid = "x"\ncolour = "red"\n', encoding="utf-8")
    result = run("data", "check", str(bad), "--lang", "zh")
    assert result.exit_code == 1
    assert "问题" in result.output
    assert "字段 'colour': 不是已知字段；请删除它或检查拼写" in result.output
    assert "是必填项但缺失；请添加" in result.output
    assert english_runs(result.output) == [], result.output
    fine = run("data", "check", "--lang", "zh")
    assert fine.exit_code == 0
    assert fine.output.startswith("正常：随附数据和 ")


def test_the_disclaimer_is_marked_for_translation() -> None:
    from tripplan import DISCLAIMER

    i18n.use("zh")
    said = i18n._(DISCLAIMER)
    assert said != DISCLAIMER
    assert "医疗建议" in said
    assert english_runs(said) == []


def test_the_catalog_keeps_every_placeholder() -> None:
    """A translation that drops or renames a {placeholder} would fail at .format(): none does."""
    import gettext

    with (i18n.LOCALE_DIR / "zh" / "LC_MESSAGES" / "tripplan.mo").open("rb") as f:
        catalog = gettext.GNUTranslations(f)
    pairs = catalog._catalog.items()  # type: ignore[attr-defined]
    checked = 0
    for key, said in pairs:
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid:
            continue
        assert sorted(re.findall(r"\{[^{}]*\}", msgid)) == sorted(re.findall(r"\{[^{}]*\}", said)), (msgid, said)
        checked += 1
    assert checked > 100


def test_click_messages_no_pattern_knows_are_left_as_click_wrote_them() -> None:
    from tripplan.cli_lazy import click_message

    i18n.use("zh")
    assert click_message("Something Click may say one day.") == "Something Click may say one day."
    assert click_message("Missing option '--from'.") == "缺少选项 '--from'。"
    i18n.use("en")
    assert click_message("Missing option '--from'.") == "Missing option '--from'."


def test_cell_wrap_breaks_chinese_between_characters_and_keeps_tokens_whole() -> None:
    from rich.cells import cell_len

    from tripplan.cli_lazy import cell_wrap

    text = "每位旅客的往返机票价格，美元：金额 AMOUNT 或范围 LOW-HIGH，例如 JP-KNEE-1 与 2027-03-01。"
    for width in (12, 16, 24, 40):  # 2027-03-01。 is 12 cells, never broken
        lines = cell_wrap(text, width)
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for token in ("AMOUNT", "LOW-HIGH", "JP-KNEE-1", "2027-03-01"):
            assert any(token in line for line in lines), (width, token, lines)
        assert not any(line.startswith(("，", "。", "：")) for line in lines), lines


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_lang_completes_the_available_languages(shell: str) -> None:
    from tests.test_completion import complete

    assert complete(shell, "tripplan quote --lang ") == list(i18n.available())
    assert complete(shell, "tripplan --lang z") == ["zh"]
    assert complete(shell, "tripplan data check --lang ") == list(i18n.available())


def test_the_interactive_add_asks_in_chinese(tmp_path: Path) -> None:
    """Questions, refusals and the command kept on Ctrl-C, in Chinese (on a pseudo-terminal)."""
    import sys

    if sys.platform == "win32":
        pytest.skip("pseudo-terminals are POSIX")
    from tests.test_interactive_add import Terminal

    t = Terminal(tmp_path, "clinics", "add", "--lang", "zh")
    try:
        seen = t.expect("诊所 id（例如 tokyo-knee-clinic）") + t.expect(":")  # each prompt ends with Click's ': '
        t.send("Tokyo Knee!")
        seen += t.expect("不是有效的 id") + t.expect("诊所 id") + t.expect(":")
        t.send("tokyo-knee")
        seen += t.expect("名称（与诊所文件上的一致）") + t.expect(":")
        t.send("銀座鳳凰クリニック")
        seen += t.expect("国家") + t.expect(":")
        t.send("Japon")
        seen += t.expect("您是不是要找：") + t.expect("国家") + t.expect(":")
        t.interrupt()
        code, rest = t.rest()
    finally:
        t.close()
    seen += rest
    assert code == 1
    assert "未添加任何内容。到目前为止的全部回答，合成一条命令（补全后运行）：" in seen
    assert "tripplan clinics add --id tokyo-knee --name '銀座鳳凰クリニック'" in seen
    assert english_runs(seen) == [], seen


def test_pydantic_refusals_speak_plain_words_in_chinese_and_english(run: Any, tmp_path: Path) -> None:
    bad = tmp_path / "clinics.toml"
    bad.write_text('[[clinics]]\nid = "x"\nname = 3\nasrm_class = "IV"\n', encoding="utf-8")
    en = run("data", "check", str(bad)).output
    zh = run("data", "check", str(bad), "--lang", "zh").output
    assert "field 'name': must be text" in en  # loader.PYDANTIC_SAID's words, not pydantic's own
    assert "Input should" not in en
    assert "字段 'name': 必须是文本" in zh
    assert "字段 'asrm_class': 必须是 'I', 'II' or 'III'" in zh
    assert english_runs(zh) == [], zh


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_completion_speaks_the_language_typed_and_never_fails_on_a_half_typed_one(shell: str) -> None:
    from tests.test_completion import complete

    assert complete(shell, "tripplan --lang zh quote --joint ") == complete(shell, "tripplan quote --joint ")
    assert complete(shell, "tripplan quote --lang z") == ["zh"]
    assert complete(shell, "tripplan quote --lang zz --joint kn") == ["knee", "knees"]


def test_completion_help_follows_the_language() -> None:
    from typer.testing import CliRunner

    from tripplan.cli import app

    env = {
        "_TRIPPLAN_COMPLETE": "complete_zsh",
        "TRIPPLAN_CACHE_DIR": "off",
        "_TYPER_COMPLETE_ARGS": "tripplan --lang zh quote --lang ",
    }
    out = CliRunner().invoke(app, [], env=env, prog_name="tripplan").stdout
    assert '"zh":"语言"' in out, out
