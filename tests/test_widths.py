"""Output that reads anywhere: at 60, 80, 100 and 160 columns, piped and without colour, no money figure,
date or id is cut; below the width a table needs, the layout changes instead."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import Invoke

WIDTHS = ["60", "80", "100", "160"]
COMMANDS = [
    ("quote", "--joint", "knee", "--from", "CN"),
    ("quote", "--joint", "knee", "--from", "KR"),
    ("quote", "--joint", "hip", "--from", "US", "--companion"),
    ("compare", "--countries", "JP,MX,KR,TH", "--from", "KR"),
    ("compare", "--countries", "JP,MX,KR", "--from", "CN"),
    ("schedule", "--harvest", "2027-03-01", "--from", "CN", "--joint", "knee"),
    ("visa", "--from", "CN"),
    ("safety",),
    ("data", "sources"),
    ("clinics", "list"),
]


def _money(data: object) -> list[str]:
    """Every formatted amount a command's JSON holds as home-currency or USD totals."""
    out: list[str] = []
    if isinstance(data, dict):
        if {"low", "high", "currency"} <= set(data) and isinstance(data["low"], int):
            out += [str(data["low"]), str(data["high"])]
        for v in data.values():
            out += _money(v)
    elif isinstance(data, list):
        for v in data:
            out += _money(v)
    return out


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_nothing_is_cut(run: Invoke, args: tuple[str, ...], width: str) -> None:
    result = run(*args, env={"COLUMNS": width})
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "…" not in text
    assert all(len(line) <= int(width) for line in text.splitlines())
    if args[0] in ("quote", "compare"):  # every total, in USD and at home, whole on one line
        data = json.loads(run(*args, "--json").stdout)
        trips = data["destinations"] if args[0] == "quote" else [c["trip"] for c in data["countries"]]
        for t in trips:
            for figure in (t["total"]["low"], t["total"]["high"]):
                assert re.search(rf"\${figure:,}(?![\d,])", text), (figure, width)
            home = t["home"]
            for figure in (home["low"], home["high"]):
                assert f"{figure:,}" in text, (figure, width)


def test_calendar_reads_without_colour(run: Invoke) -> None:
    text = run("schedule", "--harvest", "2027-03-01", "--from", "CN", env={"COLUMNS": "80"}).stdout
    assert " 1H " in text or " 1H\n" in text  # the harvest day, marked with a letter
    assert "23I" in text  # the injection
    assert "21X" in text  # public holidays: the clinic is closed
    assert "22X" in text
    assert "26W" in text  # inside the injection window
    legend = "H harvest  I injection  X clinic closed  ? possibly closed  V in the destination"
    assert legend in text.replace("\n", " ")


@pytest.mark.parametrize(("width", "per_row"), [(26, 1), (56, 1), (57, 2), (80, 2), (87, 3), (160, 5)])
def test_month_grid_puts_as_many_months_in_a_row_as_fit(width: int, per_row: int) -> None:
    import datetime as dt

    from rich.text import Text

    from tripplan.render.schedule import MONTH_WIDTH, month_grid, month_lines

    marks = {dt.date(2027, 3, 1): "harvest", dt.date(2027, 3, 21): "closed", dt.date(2027, 3, 23): "injection"}
    months = [month_lines(marks, 2027, m) for m in range(1, 7)]
    shown = [Text.from_markup(line).plain for line in month_grid(months, width)]
    assert all(len(line) <= max(width, MONTH_WIDTH) for line in shown)
    assert sum(line.count("Mo  Tu") for line in shown[1:2]) == per_row  # the first row's weekday header
    assert sum("2027" in line for line in shown) == -(-6 // per_row)  # one title line per row of months
    march = "\n".join(shown)
    assert all(day in march for day in (" 1H", "21X", "23I"))
    for m in months:  # every day of every month, once
        days = [c for line in m[2:] for c in Text.from_markup(line).plain.split()]
        assert [int(c.rstrip("HIXVW?")) for c in days] == list(range(1, len(days) + 1))


def test_a_table_is_printed_once_or_not_at_all() -> None:
    import io

    from rich.console import Console
    from rich.table import Table

    from tripplan.render.common import print_if_fits

    table = Table()
    table.add_column("Id", no_wrap=True)
    table.add_column("Price", no_wrap=True)
    table.add_row("jp-tokyo-cultured-adipose", "$6,500 – $30,000")
    for width, shown in ((80, True), (30, False)):
        console = Console(width=width, file=io.StringIO(), color_system="truecolor", force_terminal=True)
        assert print_if_fits(console, table, ["$6,500", "jp-tokyo-cultured-adipose"]) is shown
        text = console.file.getvalue()  # type: ignore[attr-defined]
        assert text.count("jp-tokyo-cultured-adipose") == (1 if shown else 0)
        assert ("\x1b[" in text) is shown  # printed in colour, as the console would
