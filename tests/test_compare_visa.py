"""compare and visa: columns in order, sourced prices, visa answers for every passport."""

from __future__ import annotations

import json

import pytest

from tripplan.catalog import Catalog
from tripplan.compare import compare
from tripplan.render.compare import bars
from tripplan.request import TripRequest
from tripplan.visas import parse_requirement, visa_answer

from .conftest import TODAY, Invoke


def test_used_by_example_columns_in_given_order(cat: Catalog) -> None:
    cmp = compare(cat=cat, request=TripRequest(joint="knee"), codes=["JP", "MX", "KR"], sort="given", today=TODAY)
    assert [c.code for c in cmp.countries] == ["JP", "MX", "KR"]
    jp = cmp.countries[0].trip
    assert jp.treatment is not None
    sourced = [(p.low, p.high) for p in cat.book.prices if "JP" in p.countries and "knee" in p.joints]
    assert (jp.treatment.low, jp.treatment.high) == (min(lo for lo, _ in sourced), max(hi for _, hi in sourced))
    assert jp.protocol.trips == 2
    assert cmp.countries[1].trip.protocol.trips == 1
    assert jp.total is None  # no nationality: no trip to add up
    assert any("nationality" in f for f in cmp.footnotes)


def test_compare_total_uses_quote_computation(cat: Catalog) -> None:
    from tripplan.quote import quote

    cmp = compare(cat=cat, request=TripRequest(joint="knee", nationality="US"), codes=["JP"], sort="given", today=TODAY)
    q = quote(
        cat=cat, request=TripRequest(joint="knee", nationality="US"), destinations=["JP"], clinic=None, today=TODAY
    )
    assert cmp.countries[0].trip.total == q.destinations[0].total
    assert cmp.countries[0].trip.treatment == q.destinations[0].treatment


def test_missing_figure_is_a_dash_with_footnote(cat: Catalog) -> None:
    cmp = compare(cat=cat, request=TripRequest(joint="hip"), codes=["TH", "JP"], sort="given", today=TODAY)
    assert cmp.countries[0].trip.treatment is None
    assert any("no price" in f for f in cmp.footnotes)
    lines = bars(cmp)
    assert "no price" in lines[0]
    assert "█" in lines[1]


def test_sort_by_cost_and_flight(cat: Catalog) -> None:
    by_cost = compare(
        cat=cat, request=TripRequest(joint="knee", nationality="US"), codes=["JP", "MX", "KR"], sort="cost", today=TODAY
    )
    lows = [c.trip.total.low for c in by_cost.countries if c.trip.total]
    assert lows == sorted(lows)
    by_flight = compare(
        cat=cat,
        request=TripRequest(joint="knee", nationality="US"),
        codes=["JP", "MX", "KR"],
        sort="flight",
        today=TODAY,
    )
    assert by_flight.countries[0].code == "MX"


def test_visa_us_japan_90_days(cat: Catalog) -> None:
    a = visa_answer(cat=cat, nationality="US", destination="JP", stays_days=[5, 6])
    assert (a.kind, a.days, a.fits_visa_free, a.medical_visa_needed) == ("visa-free", 90, True, False)


def test_visa_cn(cat: Catalog) -> None:
    jp = visa_answer(cat=cat, nationality="CN", destination="JP", stays_days=[5, 6])
    mx = visa_answer(cat=cat, nationality="CN", destination="MX")
    assert jp.medical_visa_needed
    assert jp.medical_visa is not None
    assert jp.medical_visa.name == "Visa for Medical Stay"
    assert any("tuberculosis" in n for n in jp.notes)
    assert mx.kind == "visa required"


def test_every_passport_answers_for_every_destination(cat: Catalog) -> None:
    """On the fixture's passports (the shipped 199 x 199: tests/test_shipped_data.py)."""
    columns = cat.visa_matrix.destinations.split()
    for passport in cat.visa_matrix.rows:
        for dest in columns:
            a = visa_answer(cat=cat, nationality=passport, destination=dest, stays_days=[5])
            assert a.kind != "no data", (passport, dest)
            assert a.summary


@pytest.mark.parametrize(
    ("raw", "kind", "days"),
    [
        ("90", "visa-free", 90),
        ("visa free", "visa-free", None),
        ("-1", "own country", None),
        ("eta", "eta", None),
        ("e-visa", "e-visa", None),
        ("visa required", "visa required", None),
        ("no admission", "no admission", None),
        (None, "no data", None),
        ("weird", "no data", None),
    ],
)
def test_parse_requirement(raw: str | None, kind: str, days: int | None) -> None:
    assert parse_requirement(raw) == (kind, days)


def test_cli_compare(run: Invoke) -> None:
    result = run("compare", "--countries", "JP,MX,KR", "--details")
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if "Japan (JP)" in line)
    assert header.index("Japan") < header.index("Mexico") < header.index("South Korea")
    assert "Price ranges on one scale" in result.stdout


def test_cli_compare_from_cn(run: Invoke) -> None:
    data = json.loads(run("compare", "--countries", "japan,MX", "--from", "CN", "--json").stdout)
    jp, mx = data["countries"]
    assert jp["trip"]["visa"]["medical_visa_needed"] is True
    assert mx["trip"]["visa"]["kind"] == "visa required"
    table = run("compare", "--countries", "japan,MX", "--from", "CN").stdout
    assert "Visa for Medical Stay" in table
    assert "visa required" in table


def test_cli_visa_from_cn(run: Invoke) -> None:
    result = run("visa", "--from", "CN")
    assert result.exit_code == 0, result.output
    for text in (
        "Visa for Medical Stay",
        "tuberculosis",
        "2025-01-12",
        "confirm with the destination's embassy",
        "visa required",
    ):
        assert text in result.stdout
    data = json.loads(run("visa", "--from", "US", "--to", "JP", "--json").stdout)
    assert data[0]["days"] == 90


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("JP,XX", "unknown destination 'XX'. Destinations tripplan knows: JP (Japan)"),
        ("JPN", "unknown destination 'JPN'. Did you mean: Japan (JP)?"),
        ("", "--countries is empty"),
        ("JP,,MX", "empty entry in the list of countries"),
        ("JP,japan", "country listed twice: JP"),
    ],
)
def test_cli_compare_bad_countries(run: Invoke, value: str, message: str) -> None:
    result = run("compare", "--countries", value)
    assert result.exit_code == 2
    assert message in result.stderr
