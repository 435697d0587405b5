"""Nothing split, anywhere from 60 columns: every command, plain and coloured, with and without --details,
at 60, 80, 100 and 160 columns, read line by line (and cell by cell) as a terminal shows it. A money figure,
a range's two ends, a date or an id broken across lines is a failure; so is a wrapped breakdown line that
loses its indent, and a line wider than the terminal."""

from __future__ import annotations

import itertools
import re

import pytest

from tests.conftest import Invoke
from tripplan.catalog import Catalog

WIDTHS = ["60", "80", "100", "160"]
COMMANDS = [
    ("quote", "--joint", "knee", "--from", "CN"),
    ("quote", "--joint", "knee", "--from", "CN", "--details"),
    ("quote", "--joint", "hip", "--from", "US", "--companion", "--details"),
    ("compare", "--countries", "JP,MX,KR,US", "--from", "US", "--airport", "ORD"),
    ("compare", "--countries", "JP,MX,KR,US", "--from", "US", "--airport", "ORD", "--details"),
    ("compare", "--countries", "JP,MX,KR,TH", "--from", "CN", "--details"),
    ("schedule", "--harvest", "2027-03-01", "--from", "US"),
    ("schedule", "--harvest", "2027-03-01", "--from", "CN", "--details"),
    ("visa", "--from", "CN"),
    ("visa", "--from", "US"),
    ("safety",),
    ("safety", "--details"),
    ("data", "sources"),
    ("clinics", "list"),
    ("clinics", "check", "--language", "zh"),
    ("quote", "--joint", "knee", "--from", "CN", "--details", "--lang", "zh"),
    ("schedule", "--harvest", "2027-03-01", "--from", "CN", "--details", "--lang", "zh"),
    ("safety", "--details", "--lang", "zh"),
    ("visa", "--from", "CN", "--lang", "zh"),
]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
MONEY = re.compile(r"(?<![\w,])(?:[A-Z]{2})?[$¥€£₩฿][\d,.]+\+?")
GOOD_MONEY = re.compile(r"(?:[A-Z]{2})?[$¥€£₩฿]\d{1,3}(?:,\d{3})*(?:\.\d+)?\+?")
BORDERS = "│┃║|"


def _cells(line: str) -> list[str]:
    """The pieces of a line between table borders (a line outside a table is one piece)."""
    return [c.strip() for c in re.split(f"[{BORDERS}]", line) if c.strip()]


# A number at the end of a line (or of a table cell) and a unit starting the next: "4 / 天", "90 / days".
ENDS_IN_NUMBER = re.compile(r"(?:^|[\s（(])\d[\d,.–]*$")
# The general rule (render.common.units_pattern): a figure keeps the word in Latin letters right after it (its
# unit, currency code, what it counts: "800 / km/h", "7.20 / per USD", "1 / traveller", "3,000–6,000 / JPY").
UNIT_FIRST = re.compile(
    r"^(?:[a-z]|[A-Z]{3}(?![A-Za-z]))"
    r"|^(?:天|晚|周|个月|个|年(?!龄)|小时|分钟|次|趟|条|位|名|项|种|家|岁|倍)"
)


def _unit_splits(text: str, wide: str | None = None) -> list[str]:
    """Every place a number ends a line (or a table cell) and its unit starts the next line (the same cell);
    with `wide` (the same output unwrapped), only where the two stand together there (a line of its own that
    starts with a word after a line ending in a year is no split)."""
    found = []
    lines = text.splitlines()
    for above, below in itertools.pairwise(lines):
        a, b = re.split(f"[{BORDERS}]", above), re.split(f"[{BORDERS}]", below)
        pairs = list(zip(a, b, strict=True)) if len(a) == len(b) > 1 else [(above, below)]
        for x, y in pairs:
            if ENDS_IN_NUMBER.search(x.strip()) and UNIT_FIRST.match(y.strip()):
                if wide is not None and f"{x.split()[-1]} {y.split()[0]}" not in wide:
                    continue
                found.append(f"number and unit broken: {x.strip()[-12:]!r} / {y.strip()[:12]!r}")
    return found


def _address_splits(text: str) -> list[str]:
    """Every web address that does not end its line whole: one folded at the terminal's width continues on
    the next line ("…false-hope-" / "    warning-signs")."""
    found = []
    for above, below in itertools.pairwise(text.splitlines()):
        for cell_above, cell_below in _paired_cells(above, below):
            url = re.search(r"https?://\S+$", cell_above.strip())
            rest = cell_below.strip()
            if url and rest and " " not in rest and not rest.startswith(("http", "[")):
                found.append(f"address broken: {url.group()[-20:]!r} / {rest[:20]!r}")
    return found


def _paired_cells(above: str, below: str) -> list[tuple[str, str]]:
    a, b = re.split(f"[{BORDERS}]", above), re.split(f"[{BORDERS}]", below)
    return list(zip(a, b, strict=True)) if len(a) == len(b) > 1 else [(above, below)]


def split_tokens(
    text: str,
    ids: set[str],
    words: set[str] = frozenset(),  # type: ignore[assignment]
    wide: str | None = None,
) -> list[str]:
    """Every place in `text` where a figure, a number and its unit or the word after it, a range, a date, an
    id or a web address was broken across lines (`words`: the hyphenated words the same output holds
    unwrapped, such as treatment names; `wide`: that output unwrapped)."""
    found = _unit_splits(text, wide) + _address_splits(text)
    for line in text.splitlines():
        for cell in _cells(line):
            if cell.endswith(" –") or cell == "–" or cell.startswith("– ") or re.search(r"[$¥€£₩฿][\d,.]+\+? -$", cell):
                found.append(f"range broken: {cell!r}")
            for m in MONEY.finditer(cell):
                if not GOOD_MONEY.fullmatch(m.group().rstrip(".,")):
                    found.append(f"money broken: {m.group()!r} in {cell!r}")
            if re.search(r"(?<![\w-])\d{4}-(?:\d{2}-\d?)?$", cell):
                found.append(f"date broken: {cell!r}")
            for token in cell.split():
                word = token.strip("[](),;.:'\"")
                if "-" not in word or word in ids or word in words or re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
                    continue
                piece = len(word) >= 4 and any(i != word and (i.startswith(word) or i.endswith(word)) for i in ids)
                if piece and not any(word in i and i in cell for i in ids):
                    found.append(f"id broken: {word!r} in {cell!r}")
    return found


def _ids(cat: Catalog) -> set[str]:
    return set(cat.sources) | set(cat.clinics)


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "colour"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_nothing_is_split(run: Invoke, cat: Catalog, args: tuple[str, ...], width: str, colour: bool) -> None:
    env = {"COLUMNS": width} | ({"NO_COLOR": "", "FORCE_COLOR": "1", "TERM": "xterm-256color"} if colour else {})
    result = run(*args, env=env)
    assert result.exit_code == (1 if args[:2] == ("clinics", "check") else 0), result.stderr  # 1: a red flag
    if colour:
        assert "\x1b[" in result.stdout  # really coloured, as a terminal shows it
    text = ANSI.sub("", result.stdout)
    wide = run(*args, env={"COLUMNS": "400"}).stdout  # the same output with nothing wrapped
    words = {t.strip("[](),;.:'\"") for t in wide.split()}
    assert text.count("…") == ANSI.sub("", wide).count("…")  # no cell cut short (a quote's own "……" stays)
    # wider than the terminal only an address or id longer than the line, alone and whole (the terminal
    # soft-wraps it; tripplan inserts neither a break nor an indent into it)
    too_wide = [line for line in text.splitlines() if len(line) > int(width) and not whole_token(line, words)]
    assert not too_wide, too_wide[:3]
    assert split_tokens(text, _ids(cat), words, wide) == []


def whole_token(line: str, words: set[str]) -> bool:
    """A line that is one token of the unwrapped output, from the left edge."""
    return line == line.strip() and " " not in line and line.strip("[](),;.:'\"") in words


def test_the_detector_finds_what_the_issue_reported(cat: Catalog) -> None:
    """The splits issue 30 saw, fed to the detector: each is found (so the test above can fail)."""
    ids = _ids(cat)
    assert split_tokens("│ Mexico │ $5,000 –   │\n│        │ $50,000+   │", ids)
    assert split_tokens("│ seed-sports-tra │\n│ uma-us │", ids)
    assert split_tokens("  until [seed-degenerativ\n  e-us]", ids)
    assert split_tokens("│ until 2027-04- │\n│ 12 │", ids)
    assert split_tokens("    $5,0\n00 – $6,000", ids)
    assert split_tokens("  From the sources: at $12,000 -\n    $20,000 'typically", ids)
    url = "http://www.webmd.com/a-to-z-guides/features/stem-cell-treatments-false-hope-"
    assert split_tokens(f"    {url}\n    warning-signs\n  [jsrm-2024-05-20] title", ids)
    assert split_tokens(f"{url}warning-signs\n  [jsrm-2024-05-20] title", ids) == []
    assert split_tokens("  $7,000 – $15,000 cultured-msc [seed-sports-trauma-us] on 2027-04-12", ids) == []


@pytest.mark.parametrize(
    "text",
    [
        "(3,317 km great-circle at 800\n    km/h + 45 min (assumption))",
        "(the source prints 46,000–108,000 CNY; 7.20\n      per USD as printed)",
        "meals & local transport: $210 – $630 = 7–9 days × 1\n      traveller × $30–70",
        "Whole-trip cost: knee, from United States via LAX, 1\ntraveller",
        "签证: US$19 – US$38 = 1 位出行者 × $19–38（3,000–6,000\n      JPY，按每美元 157.25 换算",
    ],
)
def test_the_detector_finds_a_figure_parted_from_the_word_after_it(cat: Catalog, text: str) -> None:
    """The splits of a figure and its unit, code or counted word the issue's reader saw (issue 30 item 2)."""
    assert split_tokens(text, _ids(cat))


def test_the_detector_finds_a_number_parted_from_its_unit(cat: Catalog) -> None:
    """The visa table in Chinese at 80 columns split "4 / 天"; prose split "90 / days" and "3 / 个月"."""
    ids = _ids(cat)
    table = "│ 日本 (JP)   │ 否（最长一次停留 4     │ 医疗滞在签证 │\n│             │ 天）                   │ ——需要       │"
    assert split_tokens(table, ids) == ["number and unit broken: '否（最长一次停留 4' / '天）'"]
    assert split_tokens("Embassy of Japan (stays up to 90\ndays, return ticket required)", ids)
    assert split_tokens("的筛查只针对停留超过 3\n个月的情况", ids)
    assert split_tokens("│ yes (longest stay 5 │\n│ days)               │", ids)
    whole = "│ 否（最长一次停留 │ x │\n│ 4 天）           │ y │\n  for 2027-03-01 and\n  2 more (see above)"
    assert split_tokens(whole, ids) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_wrapped_breakdown_lines_keep_their_indent(run: Invoke, width: str) -> None:
    text = run("quote", "--joint", "knee", "--from", "CN", "--details", env={"COLUMNS": width}).stdout
    body = text[text.index("\nThailand\n") :].split("\n\n")  # each destination's breakdown, a block
    for block in body[1:-2]:
        heading, *lines = block.strip("\n").splitlines()
        if heading in ("Notes", "Sources"):
            continue
        assert all(line.startswith("  ") for line in lines), (heading, [x for x in lines if not x.startswith("  ")])
        rows = [line for line in lines if line.startswith("    $")]  # a source row, and its continuation
        assert rows


@pytest.mark.parametrize("width", [40, 60, 80, 100])
def test_the_price_chart_changes_layout_rather_than_wrap(run: Invoke, width: int) -> None:
    import json

    args = ("compare", "--countries", "JP,MX,KR,US", "--from", "US", "--airport", "ORD", "--json")
    data = json.loads(run(*args).stdout)
    spans = {c["name"]: c["trip"]["treatment"] for c in data["countries"] if c["trip"]["treatment"]}
    shown = "\n".join(bars_for(run, width))
    assert all(len(line) <= width for line in shown.splitlines())
    for name, t in spans.items():
        low, high = f"${t['low']:,}", f"${t['high']:,}"
        assert any(low in line and high in line and name in line for line in shown.splitlines()), (name, width)


def bars_for(run: Invoke, width: int) -> list[str]:
    text = run(
        "compare",
        "--countries",
        "JP,MX,KR,US",
        "--from",
        "US",
        "--airport",
        "ORD",
        "--details",
        env={"COLUMNS": str(width)},
    ).stdout
    chart = text[text.index("Price ranges on one scale") :]
    return chart.splitlines()[
        1 : chart.splitlines().index(next(x for x in chart.splitlines() if x.startswith("Safety")))
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("quote", "--joint", "knee", "--from", "US"),
        ("quote", "--joint", "knee", "--from", "CN"),
        ("compare", "--countries", "JP,MX,KR"),
        ("compare", "--countries", "JP,MX,KR,US", "--from", "US", "--airport", "ORD"),
        ("compare", "--countries", "JP,MX,KR", "--from", "CN"),
        ("schedule", "--harvest", "2027-03-01", "--from", "US"),
        ("schedule", "--harvest", "2027-03-01", "--from", "CN"),
        ("schedule", "--harvest", "2026-03-01"),
        ("safety",),
    ],
    ids=lambda a: " ".join(a),
)
def test_the_used_by_commands_answer_on_one_screen(run: Invoke, args: tuple[str, ...]) -> None:
    """At 100 columns the answer fits 40 lines; --details adds the rest (every source row, line and note)."""
    summary = run(*args, env={"COLUMNS": "100"}).stdout.splitlines()
    details = run(*args, "--details", env={"COLUMNS": "100"}).stdout.splitlines()
    assert len(summary) <= 40, len(summary)
    assert len(details) > len(summary)
    assert any("--details" in line for line in summary)  # where the rest is
    shown = {w for line in summary for w in re.findall(r"\[[a-z0-9][a-z0-9-]*\]|\$[\d,]+", line)}
    assert shown <= {w for line in details for w in re.findall(r"\[[a-z0-9][a-z0-9-]*\]|\$[\d,]+", line)}


def test_an_address_is_never_folded() -> None:
    """An address wider than the line beside its indent loses its indent; one longer than the terminal is
    printed whole on its own line (the terminal soft-wraps it): tripplan inserts no break nor indent into it."""
    import io

    from rich.console import Console

    from tripplan.render.common import address

    fits = "https://example.org/" + "a" * 57  # 77 characters at 80 columns
    longer = "https://example.org/" + "b" * 90
    short = "https://example.org/c"
    console = Console(file=io.StringIO(), width=80, no_color=True)
    address(console, fits, indent=4)
    address(console, longer, indent=4)
    address(console, short, indent=4)
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert lines == [fits, longer, "    " + short]


@pytest.mark.parametrize("width", [40, 60, 80])
@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("a flight of 3,317 km great-circle at 800 km/h + 45 min (assumption)", ["800 km/h", "45 min"]),
        ("the source prints 46,000–108,000 CNY; 7.20 per USD as printed", ["46,000–108,000 CNY", "7.20 per USD"]),
        ("meals and local transport: $210 – $630 = 7–9 days × 1 traveller × $30–70", ["1 traveller"]),
        ("A standard culture-expanded knee treatment at $12,000 - $20,000 'typically", ["$12,000 - $20,000"]),
    ],
)
def test_wrapping_keeps_a_figure_with_the_word_after_it(width: int, text: str, whole: list[str]) -> None:
    """One general rule (render.common.units_pattern): a figure and the Latin word right after it stay on one
    line, and a range's two ends too, wherever the line breaks."""
    from tripplan.render.common import wrapped

    for shift in range(0, 40, 3):  # every place a break could fall
        lines = wrapped("x" * shift + " " + text, width, indent=2)
        assert all(any(w in line for line in lines) for w in whole), lines
        assert " ".join(line.strip() for line in lines).endswith(text)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    ("args", "heading"),
    [
        (("visa", "--from", "CN"), "Japan"),
        (("schedule", "--harvest", "2027-03-01", "--from", "CN", "--lang", "zh"), "此次行程的费用"),
        (("schedule", "--harvest", "2027-03-01", "--from", "US"), "What this trip costs"),
    ],
)
def test_wrapped_paragraphs_keep_their_indent(run: Invoke, args: tuple[str, ...], heading: str, width: str) -> None:
    """Issue 30 item 2: a paragraph under a heading (the visa notes) and a heading with its detail (the cost)
    wrap with their lines indented, never back to the left edge."""
    text = run(*args, env={"COLUMNS": width}).stdout
    starts = {line[:6] for line in run(*args, env={"COLUMNS": "400"}).stdout.splitlines()}  # lines of their own
    lines = text[text.index("\n" + heading) + 1 :].split("\n\n")[0].splitlines()
    block = [lines[0], *itertools.takewhile(lambda x: x.startswith(" ") or x[:6] not in starts, lines[1:])]
    assert len(block) > 1
    assert all(line.startswith("  ") for line in block[1:]), block


@pytest.mark.parametrize("width", ["60", "80"])
def test_red_flag_lines_keep_their_indent(run: Invoke, width: str) -> None:
    """A clinic's heading and its ✗ lines wrap under their text, never back at the left edge: each ✗ line and
    the lines indented under it read as the unwrapped line."""
    args = ("clinics", "check", "--language", "zh")
    wide = [line for line in run(*args, env={"COLUMNS": "400"}).stdout.splitlines() if "✗" in line]
    assert wide
    lines = run(*args, env={"COLUMNS": width}).stdout.split("\nSources\n")[0].splitlines()
    assert all(line.startswith("  ") or line.startswith("Profile:") for line in lines if line.strip()), lines
    flagged = []
    for i, line in enumerate(lines):
        if line.startswith("  ✗ "):
            more = itertools.takewhile(lambda x: x.startswith("    "), lines[i + 1 :])
            flagged.append(" ".join(x.strip() for x in [line, *more]))
    assert flagged == [line.strip() for line in wide]
