"""A range whose ends are equal is said once ("3 days", never "3–3 days"), by the one function that writes
ranges of counts (money.range_text, wording.counted_span) for the terminal and the page alike; and treatment at
home says what its days are (appointments near home), not "days away"."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import Invoke
from tripplan import i18n

ZH = {"TRIPPLAN_LANG": "zh"}
EQUAL_ENDS = re.compile(r"(?<![\d,.])(\d[\d,]*)[–-]\1(?![\d,])")  # "3–3", "150–150", "5-5"


def test_a_range_is_written_once_when_its_ends_are_equal() -> None:
    from tripplan.money import range_text
    from tripplan.wording import counted_span

    assert (range_text(3, 3), range_text(3, 5), range_text(1200, 1500)) == ("3", "3–5", "1,200–1,500")
    assert counted_span(3, 3, "day") == "3 days"
    assert counted_span(1, 1, "night") == "1 night"
    assert counted_span(1, 3, "day") == "1–3 days"
    assert counted_span(0, 1, "night") == "0–1 nights"  # a range reads plural
    assert counted_span(5, 5, "week") == "5 weeks"
    i18n.use("zh")
    assert counted_span(3, 3, "day") == "3 天"
    assert counted_span(4, 6, "week") == "4–6 周"


def test_compare_says_what_the_days_are_for_treatment_at_home(run: Invoke) -> None:
    args = ("compare", "--countries", "JP,US", "--from", "US")
    data = json.loads(run(*args, "--json").stdout)
    jp, us = (c["trip"] for c in data["countries"])
    assert us["at_home"]
    assert us["days_away"] == {"low": 0, "high": 0, "open_high": False}  # treated near home: no day away
    assert us["appointment_days"] == {"low": 1, "high": 3, "open_high": False}  # the protocol's visit days
    assert jp["appointment_days"] is None
    summary = run(*args, env={"COLUMNS": "160"}).stdout
    assert "│ 1 (near home: 1–3 days of appointments) │" in summary
    assert f"│ 2 ({jp['days_away']['low']}–{jp['days_away']['high']} days away)" in summary
    details = run(*args, "--details", env={"COLUMNS": "160"}).stdout
    assert _row(details, "Days away") == [
        f"{jp['days_away']['low']}–{jp['days_away']['high']}",
        "none: treated near home, 1–3 days of appointments",
    ]
    zh = run(*args, env={**ZH, "COLUMNS": "160"}).stdout
    assert "1（在本国就近治疗：就诊 1–3 天）" in zh
    zh_details = run(*args, "--details", env={**ZH, "COLUMNS": "160"}).stdout
    assert _row(zh_details, "离家天数")[1] == "无：在本国就近治疗，就诊 1–3 天"
    for text in (summary, details, zh, zh_details):
        assert not EQUAL_ENDS.search(text), EQUAL_ENDS.search(text)


@pytest.mark.parametrize("env", [{}, ZH], ids=["en", "zh"])
def test_dated_visits_and_a_given_price_are_said_once(run: Invoke, env: dict[str, str]) -> None:
    """With a harvest day the nights are one figure, and --nightly 150 is one price: "3 nights", "$150"."""
    dated = ("--joint", "knee", "--from", "US", "--to", "MX", "--harvest", "2027-03-01", "--details")
    quote = run("quote", *dated, env={**env, "COLUMNS": "160"}).stdout
    compare = run("compare", "--countries", "JP,MX", *dated[:4], *dated[6:], env={**env, "COLUMNS": "160"}).stdout
    nightly = run("quote", *dated[:6], "--nightly", "150", "--details", env={**env, "COLUMNS": "160"}).stdout
    for text in (quote, compare, nightly):
        assert not EQUAL_ENDS.search(text), EQUAL_ENDS.search(text)
    if env:
        assert "3 晚，一间客房" in quote
        assert "× $150（" in nightly
    else:
        assert "= 3 nights, one room × $70–160" in quote
        assert "= 4 days × 1 traveller × $35–80" in quote
        assert "one room × $150 (your override)" in nightly
    data = json.loads(run("compare", "--countries", "JP,MX", *dated[:4], *dated[6:8], "--json").stdout)
    jp, mx = (c["trip"]["days_away"] for c in data["countries"])
    assert jp["low"] == jp["high"]
    assert mx["low"] == mx["high"]
    assert _row(compare, "离家天数" if env else "Days away") == [str(jp["low"]), str(mx["low"])]


def _row(text: str, label: str) -> list[str]:
    """The cells after `label` in its table row (one line at 160 columns)."""
    line = next(x for x in text.splitlines() if x.startswith(f"│ {label}"))
    return [c.strip() for c in line.strip("│").split("│")][1:]


def test_the_page_says_equal_culture_weeks_once(run: Invoke, tmp_path: object) -> None:
    from pathlib import Path

    page = Path(str(tmp_path)) / "plan.html"
    args = ("schedule", "--harvest", "2027-03-01", "--from", "US", "--culture-weeks", "5-5", "--html", str(page))
    assert run(*args).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "cultured; 5 weeks of culture" in html
    assert run(*args, "--force", "--lang", "zh").exit_code == 0
    assert "培养 5 周" in page.read_text(encoding="utf-8")


def test_a_printed_amount_with_equal_ends_is_said_once(cat: object) -> None:
    """A source that prints one amount in its own currency: "the source prints 300,000 JPY", never
    "300,000–300,000 JPY"; a range still reads as one."""
    from dataclasses import replace

    from tripplan.catalog import Catalog
    from tripplan.prices import price_line
    from tripplan.wording import source_row_note

    assert isinstance(cat, Catalog)
    line = replace(price_line(cat, cat.book.prices[0]), quoted=None, count=None)
    local = next(x.local for x in (price_line(cat, p) for p in cat.book.prices) if x.local is not None)
    one = replace(line, local=replace(local, low=300000, high=300000), high=2000, note="n")
    assert source_row_note(one) == "n (the source prints 300,000 JPY; 150.00 per USD as printed)".replace(
        "JPY", local.currency
    )
    two = replace(line, local=replace(local, low=300000, high=450000), high=3000, note="n")
    assert f"the source prints 300,000–450,000 {local.currency}; 150.00 per USD" in source_row_note(two)
