"""The sources a result rests on are computed once, in the domain result (Trip.sources, Plan.sources), and
every view (terminal, JSON, calendar page) reads that list instead of building its own."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from typing import Any

from tripplan.catalog import Catalog
from tripplan.schedule import PlanRequest, plan_for

from .conftest import TODAY


def _plan(cat: Catalog) -> Any:
    request = PlanRequest(destination="JP", joint="knee", nationality="US", harvest=dt.date(2027, 3, 1))
    return plan_for(cat=cat, request=request, today=TODAY)


def _footer(text: str) -> list[str]:
    """The source ids of a terminal Sources footer, in order."""
    lines = text.split("\nSources\n", 1)[1].splitlines()
    return [line.strip()[1:].split("]", 1)[0] for line in lines if line.startswith("  [")]


def test_a_trip_lists_what_its_figures_rest_on(run_json: Any) -> None:
    data = run_json("quote", "--joint", "knee", "--from", "CN", "--to", "JP,MX")
    for trip in data["destinations"]:
        rows = {r["source"] for r in trip["treatment"]["sources"]} | {i["source"] for i in trip["travel"]["items"]}
        assert rows | {trip["protocol"]["source"], trip["home"]["rate_source"]} <= set(trip["sources"])
        assert len(trip["sources"]) == len(set(trip["sources"]))
    # the result's list is the trips' lists merged (plus the general notes' sources), not rebuilt
    merged = list(dict.fromkeys(s for t in data["destinations"] for s in t["sources"]))
    assert [s["id"] for s in data["sources"]][: len(merged)] == merged


def test_compare_merges_the_trips_lists(run_json: Any) -> None:
    data = run_json("compare", "--countries", "JP,KR", "--from", "US")
    merged = list(dict.fromkeys(s for c in data["countries"] for s in c["trip"]["sources"]))
    assert [s["id"] for s in data["sources"]][: len(merged)] == merged


def test_the_plan_holds_its_sources_and_the_views_read_them(cat: Catalog) -> None:
    from rich.console import Console

    from tripplan.document import build_document
    from tripplan.render.schedule import render_plan

    plan = _plan(cat)
    assert plan.cost is not None
    trip_ids = {line.source for line in plan.cost.lines} | {i.source for i in plan.cost.items}
    ids = [c.id for c in plan.sources]
    assert trip_ids | {s.source for s in plan.steps} <= set(ids)
    assert "holidays package" in ids  # the closures' source

    # a view shows exactly the plan's list: change the list and the views follow
    chosen = [plan.sources[-1], plan.sources[0]]
    edited = dataclasses.replace(plan, sources=chosen)
    console = Console(file=io.StringIO(), width=160, no_color=True)
    render_plan(console, cat, edited, details=True)  # the summary names the ids; --details lists each
    assert _footer(console.file.getvalue()) == [c.id for c in chosen if c.id in cat.sources]  # type: ignore[attr-defined]
    doc = build_document(cat=cat, plan=edited, today=TODAY, version="test", disclaimer="-")
    ids = [row.id for row in doc.sources]
    assert ids[:2] == [c.id for c in chosen]
    others = {s for f in doc.flags for s in f.sources} | {s for a in doc.actions for s in a.sources}
    assert set(ids[2:]) <= others  # after the plan's list, only the red flags' and the safety record's


def test_the_json_plan_carries_the_same_list(run_json: Any, cat: Catalog) -> None:
    data = run_json("schedule", "--harvest", "2027-03-01", "--from", "US", "--joint", "knee")
    assert [s["id"] for s in data["sources"]] == [c.id for c in _plan(cat).sources]
