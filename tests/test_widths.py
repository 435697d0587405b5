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
