"""The terminal in Chinese (issue 28, items 1, 4 and 7 for tables and text): every label, heading, column
title, legend, note and sentence the render modules print is Chinese with `--lang zh` (TRIPPLAN_LANG=zh
here, the same choice); Chinese dates, weekday heads, counts, durations and money; nothing cut or split at
60, 80 and 120 columns, measured in cells (a Chinese character is two); and English left as it was.

What the render modules show from the domain and the data (visa summaries, notes, safety actions, source
titles) is translated by their own modules and data files: these tests allow the text values `--json` gives
for the same command (they come from the same calls), and source titles, publishers and clinic names, so
they find exactly the English the render modules add themselves."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from tests.conftest import TODAY, Invoke
from tests.lang_check import english_runs
from tripplan import i18n
from tripplan.catalog import Catalog

ZH = {"TRIPPLAN_LANG": "zh"}
CUT = re.compile(r"(?<!…)…(?!…)")  # Rich's mark of a cut cell (Chinese text writes its own ellipsis as ……)

# Each render module's commands: the summary, and --details where a command has one.
COMMANDS = {
    "quote": [
        ("quote", "--joint", "knee", "--from", "CN"),
        ("quote", "--joint", "knee", "--from", "CN", "--details"),
        ("quote", "--joint", "knee", "--from", "US", "--details"),
    ],
    "compare": [
        ("compare", "--countries", "JP,KR,CN", "--from", "CN"),
        ("compare", "--countries", "JP,KR,CN", "--from", "CN", "--details"),
        ("compare", "--countries", "JP,MX,TH", "--from", "US", "--details"),
    ],
    "schedule": [
        ("schedule", "--harvest", "2027-03-01", "--from", "CN", "--joint", "knee"),
        ("schedule", "--harvest", "2027-03-01", "--from", "CN", "--joint", "knee", "--details"),
        ("schedule", "--harvest", "2027-03-02", "--to", "KR"),
    ],
    "safety": [("safety",), ("safety", "--details")],
    "visa": [("visa", "--from", "CN"), ("visa", "--from", "US")],
    "clinics": [
        ("clinics", "list"),
        ("clinics", "show", "jp-tokyo-cultured-adipose"),
        ("clinics", "check", "jp-tokyo-cultured-adipose"),
    ],
    "data": [("data", "sources")],
}
ALL = [args for group in COMMANDS.values() for args in group]


def _strings(value: Any) -> Iterator[str]:
    """Every text value in a JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _theirs(run: Invoke, cat: Catalog, args: tuple[str, ...]) -> list[str]:
    """The text the domain and the data give this command (its --json text values, in Chinese), the
    sources' titles and publishers and the clinics' names: what the render modules show but do not write."""
    found = run(*args, "--json", env=ZH)
    assert found.exit_code == 0, found.output
    given = [s for s in _strings(json.loads(found.stdout)) if len(s.split()) >= 2]
    given += [x for s in cat.sources.values() for x in (s.title, s.publisher)]
    given += [c.name for c in cat.clinics.values()]
    given += [", ".join(p.joints) for p in cat.book.prices]  # joint ids, as a price row lists them
    if args[0] == "schedule":  # the dated events (events.plan_events), which --json gives as data, not text
        given += _event_texts(cat, args)
    return given


def _event_texts(cat: Catalog, args: tuple[str, ...]) -> list[str]:
    """The titles and notes of the events of the plan `schedule ARGS` makes, in Chinese."""
    from tripplan.events import plan_events
    from tripplan.request import PlanRequest
    from tripplan.schedule import make_plan

    opts = dict(zip(args[1::2], args[2::2], strict=False))
    request = PlanRequest(
        destination=opts.get("--to", "JP"),
        joint=opts.get("--joint"),
        nationality=opts.get("--from"),
        airport="PEK" if opts.get("--from") == "CN" else None,
        harvest=dt.date.fromisoformat(opts["--harvest"]),
    )
    from tripplan.loader import load_catalog

    i18n.use("zh")
    cat = load_catalog(None, use_cache=False)  # the fixture data (the run fixture's), its data text in Chinese
    plan = make_plan(cat=cat, request=request, today=TODAY)
    return [x for e in plan_events(cat, plan) for x in (e.title, e.note or "")]


@pytest.mark.parametrize("args", ALL, ids=" ".join)
def test_what_the_render_modules_write_is_chinese(run: Invoke, cat: Catalog, args: tuple[str, ...]) -> None:
    shown = run(*args, "--lang", "zh", env={"COLUMNS": "1000"})  # no wrapping: each given text stays whole
    assert shown.exit_code == 0, shown.output
    runs = english_runs(shown.stdout, allowed=_theirs(run, cat, args))
    assert runs == [], runs


def test_a_line_says_which_parts_it_joins_in_chinese(run: Invoke) -> None:
    """Labels and separators are the language's: Chinese colons and semicolons, Chinese headings."""
    text = run("clinics", "show", "jp-tokyo-cultured-adipose", env=ZH).stdout
    assert "  地点：" in text
    assert "  许可：" in text
    listed = run("clinics", "list", env={**ZH, "COLUMNS": "160"}).stdout
    assert listed.startswith("诊所")
    assert "名称" in listed
    assert "内置概况" in listed
    sources = run("data", "sources", env={**ZH, "COLUMNS": "160"}).stdout
    assert "法律 (" in sources  # kinds of sources by name, not their codes
    assert "新闻报道 (" in sources


# Formats by language (wording, money): each is a message of the catalog, so a language is files only.


@pytest.fixture
def zh() -> None:
    i18n.use("zh")


def test_dates_in_chinese(zh: None) -> None:
    from tripplan.dateformat import day_long, day_short, day_words, month_heading, weekday_letters, weekday_name

    monday = dt.date(2027, 3, 1)
    assert day_words(monday) == day_short(monday) == day_long(monday) == "2027年3月1日（周一）"
    assert day_words(dt.date(2027, 12, 26)) == "2027年12月26日（周日）"
    assert month_heading(2027, 3) == "2027年3月"
    assert weekday_letters() == ("一", "二", "三", "四", "五", "六", "日")
    assert weekday_name(monday) == "星期一"


def test_dates_in_english() -> None:
    from tripplan.dateformat import day_long, day_short, day_words, month_heading, weekday_letters

    monday = dt.date(2027, 3, 1)
    assert (day_words(monday), day_short(monday), day_long(monday)) == (
        "1 March 2027",
        "Mon 01 Mar 2027",
        "Monday 01 March 2027",
    )
    assert month_heading(2027, 5) == "May 2027"
    assert weekday_letters()[0] == "Mo"


def test_counts_and_durations_in_chinese(zh: None) -> None:
    from tripplan.wording import counted, hours

    assert counted(3, "night") == "3 晚"
    assert counted(1, "night") == "1 晚"
    assert counted(12345, "source row") == "12,345 条来源记录"
    assert hours(11.8) == "11.8 小时"
    assert counted(2, "widget") == "2 widgets"  # a noun tripplan does not count is left as it was


def test_counts_in_english() -> None:
    from tripplan.wording import counted, hours

    assert (counted(1, "trip"), counted(2, "trip"), counted(2, "value differs", "values differ")) == (
        "1 trip",
        "2 trips",
        "2 values differ",
    )
    assert hours(11.8) == "11.8 h"


def test_money_in_chinese_never_leaves_a_sign_ambiguous(zh: None) -> None:
    from tripplan.money import Span, fmt, fmt_span, fmt_span_words, fmt_words

    assert fmt(5000) == "US$5,000"
    assert fmt(52551, "CNY") == "CN¥52,551"
    assert fmt(1650000, "JPY") == "JP¥1,650,000"
    assert fmt_words(52551, "CNY") == "人民币52,551元"  # grouped as in English: never 5.3万
    assert fmt_words(1650000, "JPY") == "1,650,000日元"
    assert fmt_words(300, "EUR") == "€300"  # no words for it: the sign
    assert fmt_span(Span(low=5000, high=11000, open_high=True)) == "US$5,000 – US$11,000+"
    assert fmt_span_words(Span(low=40649, high=122080), "CNY") == "人民币40,649元 – 人民币122,080元"


def test_money_in_english_is_as_it_was() -> None:
    from tripplan.money import Span, fmt, fmt_span, fmt_span_words

    assert fmt(5000) == "$5,000"
    assert fmt_span_words(Span(low=40649, high=122080), "CNY") == fmt_span(Span(low=40649, high=122080), "CNY")
    assert fmt_span_words(Span(low=40649, high=122080), "CNY") == "CN¥40,649 – CN¥122,080"


def test_the_month_grid_stays_aligned_with_chinese_heads(zh: None) -> None:
    from rich.text import Text

    from tripplan.render.schedule import MONTH_WIDTH, month_grid, month_lines

    marks = {dt.date(2027, 3, 1): "harvest", dt.date(2027, 3, 23): "injection"}
    month = [Text.from_markup(line).plain for line in month_lines(marks, 2027, 3)]
    assert month[0].strip() == "2027年3月"
    assert all(cell_len(line) <= MONTH_WIDTH for line in month)
    head, first_week = month[1], month[2]
    # each head sits over its column of days: column i starts at cell 4*i in every line
    starts = [cell_len(head[: head.index(ch)]) for ch in "一二三四五六日"]
    assert starts == [4 * i for i in range(7)]
    assert first_week.startswith(" 1H")  # 2027-03-01 is a Monday: under 一
    for width in (60, 80, 120):
        grid = [
            Text.from_markup(line).plain for line in month_grid([month_lines(marks, 2027, m) for m in (2, 3, 4)], width)
        ]
        assert all(cell_len(line) <= width for line in grid)


def test_wrapping_measures_cells_and_breaks_between_chinese_characters(zh: None) -> None:
    from tripplan.render.common import wrapped

    text = "治疗：US$6,500 – US$30,000（7 条来源记录）；旅行：US$1,569 – US$3,808；来源 [seed-degenerative-us]，日期 2027-03-01。"
    for width in range(12, 70):
        lines = wrapped(text, width, indent=2, hang=2)
        joined = "".join(line.strip() for line in lines)
        assert joined.replace(" ", "") == text.replace(" ", "")  # nothing lost
        for whole in ("US$6,500 – US$30,000", "US$1,569 – US$3,808", "[seed-degenerative-us]", "2027-03-01"):
            assert any(whole in line for line in lines), (width, whole, lines)
        assert all(cell_len(line) <= width for line in lines if cell_len(line.strip()) <= width - 4), lines
        assert not any(line.strip().startswith(("，", "。", "；", "）")) for line in lines), lines
    words = "折合 CNY：人民币53,682元 – 人民币224,921元，汇率 6.65288/USD"
    for width in range(20, 50):
        assert any("人民币53,682元 – 人民币224,921元" in line for line in wrapped(words, width)), width


def test_wrapping_english_breaks_between_words_only() -> None:
    from tripplan.render.common import wrapped

    lines = wrapped("Treatment for cultured cells, every source row that applies: $6,500 – $30,000", 30)
    assert lines == ["Treatment for cultured cells,", "  every source row that", "  applies: $6,500 – $30,000"]


WIDTHS = ["60", "80", "100", "120"]
WIDTH_COMMANDS = [
    ("quote", "--joint", "knee", "--from", "CN"),
    ("quote", "--joint", "knee", "--from", "CN", "--details"),
    ("compare", "--countries", "JP,KR,CN", "--from", "CN"),
    ("compare", "--countries", "JP,MX,KR,TH", "--from", "CN", "--details"),
    ("schedule", "--harvest", "2027-03-01", "--from", "CN", "--joint", "knee"),
    ("schedule", "--harvest", "2027-03-01", "--from", "CN", "--details"),
    ("safety",),
    ("safety", "--details"),
    ("visa", "--from", "CN"),
    ("visa", "--from", "US"),
    ("clinics", "list"),
    ("clinics", "show", "jp-tokyo-cultured-adipose"),
    ("data", "sources"),
]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", WIDTH_COMMANDS, ids=" ".join)
def test_chinese_fits_and_nothing_is_split(run: Invoke, cat: Catalog, args: tuple[str, ...], width: str) -> None:
    from tests.test_no_split import split_tokens, whole_token

    result = run(*args, env={**ZH, "COLUMNS": width})
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert not CUT.search(text)
    wide = run(*args, env={**ZH, "COLUMNS": "400"}).stdout
    words = {t.strip("[](),;.:'\"") for t in wide.split()}
    # wider than the terminal only an address longer than the line, alone and whole (soft-wrapped by it)
    too_wide = [line for line in text.splitlines() if cell_len(line) > int(width) and not whole_token(line, words)]
    assert not too_wide, too_wide[:3]
    assert split_tokens(text, set(cat.sources) | set(cat.clinics), words, wide) == []
    if args[0] in ("quote", "compare"):  # every total, in USD and at home, whole on one line
        data = json.loads(run(*args, "--json").stdout)
        trips = data["destinations"] if args[0] == "quote" else [c["trip"] for c in data["countries"]]
        for t in trips:
            for figure in (t["total"]["low"], t["total"]["high"]):
                assert re.search(rf"US\${figure:,}(?![\d,])", text), (figure, width)
            for figure in (t["home"]["low"], t["home"]["high"]):
                assert f"{figure:,}" in text, (figure, width)


def test_the_legend_words_marked_for_the_catalog_are_the_calendar_marks() -> None:
    from tripplan.marks import MARKS
    from tripplan.render.schedule import LEGEND_WORDS

    assert tuple(words for _letter, _style, words in MARKS.values()) == LEGEND_WORDS


# A real terminal: tmux lays the output out as a person sees it, two cells a Chinese character.
TMUX_COMMANDS = [
    "quote --joint knee --from CN",
    "compare --countries JP,KR,CN --from CN",
    "schedule --harvest 2027-03-01 --from CN --joint knee",
    "safety",
    "visa --from CN",
    "clinics list",
    "data sources",
]


def _env(tmp: Path) -> dict[str, str]:
    return {
        "TRIPPLAN_LANG": "zh",
        "TRIPPLAN_TODAY": TODAY.isoformat(),
        "TRIPPLAN_DATA_DIR": str(tmp / "data"),
        "TRIPPLAN_CACHE_DIR": str(tmp / "cache"),
    }


def _exe() -> str:
    import shutil
    import sys

    exe = shutil.which("tripplan", path=str(Path(sys.executable).parent))
    assert exe is not None
    return exe


def _tmux(command: str, width: int, tmp: Path) -> str:
    """What a tmux pane `width` columns wide shows for `tripplan COMMAND` in Chinese, wrapped lines joined
    (a tmux server of its own, on a socket in `tmp`, so no one else's sessions are touched)."""
    import shlex
    import subprocess
    import time

    (tmp / "data").mkdir(exist_ok=True)
    done = tmp / f"done-{width}"
    socket = str(tmp / "tmux.sock")
    env = " ".join(f"{k}={shlex.quote(v)}" for k, v in {**_env(tmp), "TERM": "xterm-256color"}.items())
    # the pane's own size, not a COLUMNS the test process may carry
    shell = f"env -u COLUMNS -u LINES {env} {shlex.quote(_exe())} {command}; touch {shlex.quote(str(done))}; sleep 60"
    tmux = ["tmux", "-S", socket, "-f", "/dev/null"]
    subprocess.run([*tmux, "new-session", "-d", "-x", str(width), "-y", "500", shell], check=True)
    try:
        for _ in range(1200):
            if done.exists():
                break
            time.sleep(0.1)
        pane = subprocess.run(
            [*tmux, "capture-pane", "-p", "-J", "-S", "-"], check=True, capture_output=True, text=True
        ).stdout
    finally:
        subprocess.run([*tmux, "kill-server"], check=False, capture_output=True)
    return pane


@pytest.mark.skipif(__import__("shutil").which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("command", TMUX_COMMANDS)
def test_a_real_terminal_shows_chinese_whole(command: str, width: int, tmp_path: Path, cat: Catalog) -> None:
    import os
    import subprocess

    from tests.test_no_split import split_tokens

    pane = _tmux(command, width, tmp_path)  # (makes the empty data folder the run below uses too)
    wide = subprocess.run(
        [_exe(), *command.split()],
        env={**os.environ, **_env(tmp_path), "COLUMNS": "400"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout  # the same output with nothing wrapped: the words it holds whole
    words = {t.strip("[](),;.:'\"") for t in wide.split()}
    lines = pane.rstrip("\n").splitlines()
    assert any(re.search(r"[\u4e00-\u9fff]", line) for line in lines), pane[:300]
    too_wide = [line for line in lines if cell_len(line.rstrip()) > width]  # -J joins what tmux had to wrap
    assert not too_wide, too_wide[:3]
    assert not CUT.search(pane)
    assert split_tokens(pane, set(cat.sources) | set(cat.clinics), words) == []


@pytest.mark.parametrize("columns", [40, 60, 80, 120])
def test_price_bars_line_up_with_chinese_names(cat: Catalog, columns: int, zh: None) -> None:
    """Names two cells a character: the bars still start in one column and no line passes the width."""
    from dataclasses import replace

    from tripplan.compare import compare
    from tripplan.render.compare import bars
    from tripplan.request import TripRequest

    cmp = compare(
        cat=cat,
        request=TripRequest(joint="knee", nationality="CN"),
        codes=["JP", "KR", "MX"],
        sort="given",
        today=TODAY,
    )
    names = {"JP": "日本", "KR": "韩国", "MX": "墨西哥"}
    cmp = replace(cmp, countries=[replace(c, name=names[c.code]) for c in cmp.countries])
    lines = bars(cmp, columns=columns)
    assert all(cell_len(line) <= columns for line in lines), lines
    starts = {cell_len(line[: line.index("│")]) for line in lines if "│" in line}
    assert len(starts) == 1, lines  # every bar starts in the same column
    assert lines[-1].lstrip().startswith("US$0")


def test_compare_in_chinese_shows_what_english_shows(run: Invoke) -> None:
    """The summary names the columns whose visit lengths are tripplan's assumptions and leaves each assumption to
    --details, in Chinese as in English (the assumption notes were matched by their English wording only)."""
    args = ("compare", "--countries", "JP,MX,KR,US", "--from", "US")
    english, chinese = run(*args), run(*args, env=ZH)
    assert english.exit_code == chinese.exit_code == 0
    for shown in (english.stdout, chinese.stdout):
        assert not re.search(r"^(JP|MX|KR|US)[:：]", shown, re.M), shown
    assert "JP, MX, KR, US" in english.stdout
    assert "JP, MX, KR, US" in chinese.stdout
    details = run(*args, "--details", env=ZH).stdout
    assert re.search(r"^MX：", details, re.M), details
