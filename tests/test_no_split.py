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
UNIT_FIRST = re.compile(
    r"^(?:days?|nights?|weeks?|months?|years?|hours?|h|minutes?|min|trips?)(?![A-Za-z])"
    r"|^(?:天|晚|周|个月|个|年(?!龄)|小时|分钟|次|趟|条|位|名|项|种|家|岁|倍)"
)


def _unit_splits(text: str) -> list[str]:
    """Every place a number ends a line (or a table cell) and its unit starts the next line (the same cell)."""
    found = []
    lines = text.splitlines()
    for above, below in itertools.pairwise(lines):
        a, b = re.split(f"[{BORDERS}]", above), re.split(f"[{BORDERS}]", below)
        pairs = list(zip(a, b, strict=True)) if len(a) == len(b) > 1 else [(above, below)]
        for x, y in pairs:
            if ENDS_IN_NUMBER.search(x.strip()) and UNIT_FIRST.match(y.strip()):
                found.append(f"number and unit broken: {x.strip()[-12:]!r} / {y.strip()[:12]!r}")
    return found


def split_tokens(text: str, ids: set[str], words: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Every place in `text` where a figure, a number and its unit, a range, a date or an id was broken
    across lines (`words`: the hyphenated words the same output holds unwrapped, such as treatment names)."""
    found = _unit_splits(text)
    for line in text.splitlines():
        for cell in _cells(line):
            if cell.endswith(" –") or cell == "–" or cell.startswith("– "):
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
    assert result.exit_code == 0, result.stderr
    if colour:
        assert "\x1b[" in result.stdout  # really coloured, as a terminal shows it
    text = ANSI.sub("", result.stdout)
    wide = run(*args, env={"COLUMNS": "400"}).stdout  # the same output with nothing wrapped
    words = {t.strip("[](),;.:'\"") for t in wide.split()}
    assert "…" not in text
    too_wide = [line for line in text.splitlines() if len(line) > int(width)]
    assert not too_wide, too_wide[:3]
    assert split_tokens(text, _ids(cat), words) == []


def test_the_detector_finds_what_the_issue_reported(cat: Catalog) -> None:
    """The splits issue 30 saw, fed to the detector: each is found (so the test above can fail)."""
    ids = _ids(cat)
    assert split_tokens("│ Mexico │ $5,000 –   │\n│        │ $50,000+   │", ids)
    assert split_tokens("│ seed-sports-tra │\n│ uma-us │", ids)
    assert split_tokens("  until [seed-degenerativ\n  e-us]", ids)
    assert split_tokens("│ until 2027-04- │\n│ 12 │", ids)
    assert split_tokens("    $5,0\n00 – $6,000", ids)
    assert split_tokens("  $7,000 – $15,000 cultured-msc [seed-sports-trauma-us] on 2027-04-12", ids) == []


def test_the_detector_finds_a_number_parted_from_its_unit(cat: Catalog) -> None:
    """The visa table in Chinese at 80 columns split "4 / 天"; prose split "90 / days" and "3 / 个月"."""
    ids = _ids(cat)
    table = "│ 日本 (JP)   │ 否（最长一次停留 4     │ 医疗滞在签证 │\n│             │ 天）                   │ ——需要       │"
    assert split_tokens(table, ids) == ["number and unit broken: '否（最长一次停留 4' / '天）'"]
    assert split_tokens("Embassy of Japan (stays up to 90\ndays, return ticket required)", ids)
    assert split_tokens("的筛查只针对停留超过 3\n个月的情况", ids)
    assert split_tokens("│ yes (longest stay 5 │\n│ days)               │", ids)
    whole = "│ 否（最长一次停留 │ x │\n│ 4 天）           │ y │\n  for 2027-03-01 and 2\n  more (see above)"
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


def test_an_address_that_fits_the_terminal_is_never_folded() -> None:
    """An address as wide as the terminal loses its indent rather than be broken; only a longer one folds."""
    import io

    from rich.console import Console

    from tripplan.render.common import address

    fits = "https://example.org/" + "a" * 57  # 77 characters at 80 columns
    longer = "https://example.org/" + "b" * 90
    console = Console(file=io.StringIO(), width=80, no_color=True)
    address(console, fits, indent=4)
    address(console, longer, indent=4)
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert lines[0] == fits
    assert "".join(line.strip() for line in lines[1:]) == longer
    assert all(len(line) <= 80 for line in lines)
