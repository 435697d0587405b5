"""One figure per fact: the price at home is decided once (trip.reference) and every view shows it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tripplan.catalog import Catalog
from tripplan.prices import by_kind, destination_lines
from tripplan.trip import reference

from .conftest import Invoke


def _usd(n: int) -> str:
    return f"${n:,}"


def test_reference_holds_the_rows_of_the_home_protocols_kind(cat: Catalog) -> None:
    kind = cat.countries["US"].protocol.processing
    lines = destination_lines(cat, "US", joint="knee", condition=None, treatment=None)[0]
    assert {x.processing for x in lines} - {kind}, "the fixture should price another kind of cells at home"
    ref = reference(cat, "US", "knee", None, None)
    assert ref is not None
    assert ref.sources
    assert {x.processing for x in ref.sources} == {kind}
    assert ref.other_cells
    assert kind not in {x.processing for x in ref.other_cells}
    assert ref.low == min(x.low for x in ref.sources)
    assert ref.high == max(x.high for x in ref.sources)
    same, _other, cells = by_kind(lines, kind)
    assert [x.id for x in ref.sources] == [x.id for x in same]
    assert ref.cells == cells


def test_the_same_at_home_figures_in_quote_compare_page_and_json(run: Invoke, tmp_path: Path) -> None:
    quoted = json.loads(run("quote", "--joint", "knee", "--from", "US", "--json").stdout)
    ref = quoted["destinations"][0]["reference"]
    compared = json.loads(run("compare", "--countries", "JP,MX,KR,US", "--joint", "knee", "--json").stdout)
    us = next(c for c in compared["countries"] if c["code"] == "US")["trip"]
    assert (ref["low"], ref["high"], ref["open_high"]) == (
        us["treatment"]["low"],
        us["treatment"]["high"],
        us["treatment"]["open_high"],
    )
    assert [s["id"] for s in ref["sources"]] == [s["id"] for s in us["treatment"]["sources"]]
    assert [s["id"] for s in ref["other_cells"]] == [s["id"] for s in us["other_cells"]]
    figure = f"{_usd(ref['low'])} – {_usd(ref['high'])}" + ("+" if ref["open_high"] else "")
    outside = max(s["high"] for s in ref["other_cells"])
    assert outside > ref["high"]
    text = run("quote", "--joint", "knee", "--from", "US", "--details").output
    home_line = next(line for line in text.splitlines() if "At home (United States)" in line)
    assert figure in home_line
    assert _usd(outside) not in home_line
    assert figure in run("compare", "--countries", "JP,MX,KR,US", "--joint", "knee").output
    page = tmp_path / "plan.html"
    result = run("schedule", "--harvest", "2027-03-01", "--from", "US", "--html", str(page))
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    row = re.search(r"At home \(United States\)[^<]*</th><td[^>]*>([^<]*)<", html)
    assert row is not None
    assert row.group(1).replace("&nbsp;", " ") == figure
