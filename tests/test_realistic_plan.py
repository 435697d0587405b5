"""Issue 23: a plan a patient can act on. The reproductions with their exact dates, and the properties over
many harvest days, nationalities, destinations, joints and plan options."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import fields
from pathlib import Path
from typing import Any

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tripplan.catalog import Catalog
from tripplan.closures import closures, holiday_blocks, is_open, make_up_days, public_holidays
from tripplan.compare import compare
from tripplan.errors import UsageError
from tripplan.events import plan_events
from tripplan.protocol import days_after_treatment
from tripplan.quote import quote
from tripplan.request import PlanRequest, TripRequest
from tripplan.schedule import Plan, make_plan
from tripplan.visas import last_permitted_day

from .conftest import Invoke

NOW = dt.date(2026, 11, 30)  # the day the reproductions were made
PROCEDURES = ("harvest", "treatment", "injection")


def make(cat: Catalog, harvest: dt.date, today: dt.date = NOW, **kw: Any) -> Plan:
    fields_: dict[str, Any] = {"destination": "JP", "joint": "knee", "harvest": harvest, **kw}
    return make_plan(cat=cat, request=PlanRequest(**fields_), today=today)


def cli_plan(run: Invoke, *args: str) -> dict[str, Any]:
    result = run("schedule", *args, "--json", env={"TRIPPLAN_TODAY": NOW.isoformat()})
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# --- the reproductions -------------------------------------------------------------------------------


def test_no_flight_home_on_the_harvest_day(run: Invoke) -> None:
    """schedule --harvest 2027-04-12 --from US --airport ORD: the harvest day held the flight home."""
    p = cli_plan(run, "--harvest", "2027-04-12", "--from", "US", "--airport", "ORD")
    v1, v2 = p["visits"]
    assert (v1["arrive"], p["consultation"], p["harvest"], v1["depart"]) == (
        "2027-04-11",
        "2027-04-11",
        "2027-04-12",
        "2027-04-13",
    )
    assert (v2["arrive"], p["injection"], v2["depart"]) == ("2027-05-05", "2027-05-06", "2027-05-08")
    assert p["after_harvest_days"] == 1
    assert p["after_harvest_source"] == "seed-degenerative-us"


def test_a_closed_day_before_the_harvest_moves_the_arrival_earlier(cat: Catalog) -> None:
    """--harvest 2027-04-30 --from CN: Showa Day (04-29) put consultation, harvest, deposit and flight on 04-30."""
    p = make(cat, dt.date(2027, 4, 30), nationality="CN", joint="ankle")
    v1 = p.visits[0]
    assert (v1.arrive, p.consultation, v1.depart) == (dt.date(2027, 4, 28), dt.date(2027, 4, 28), dt.date(2027, 5, 1))
    days = (v1.depart - v1.arrive).days + 1
    assert days == 4  # lengthened to the protocol's longest visit 1 (3-4 days, seed-degenerative-us)
    # flying home on 05-01, the first day of China's Labour Day holiday: a travel note, not a move
    assert any("2027-05-01" in w and "Labor Day holiday" in w and "China" in w for w in p.warnings)


def test_stay_through_is_one_round_trip_and_costs_its_nights(cat: Catalog, run: Invoke) -> None:
    """--stay-through: one trip of 27 nights was costed as 2 trips of 4-7 nights."""
    p = make(cat, dt.date(2027, 4, 12), nationality="US", airport="ORD", stay_through=True)
    (stay,) = p.visits
    assert (stay.arrive, stay.depart, stay.nights) == (dt.date(2027, 4, 11), dt.date(2027, 5, 8), 27)
    assert p.cost is not None
    assert p.cost.items
    flights, hotel = p.cost.items[0], p.cost.items[1]
    assert "1 trip ×" in flights.basis
    assert hotel.basis.startswith("27 nights, one room")  # a range with equal ends, said once
    fare = next(f for f in cat.book.fares if f.origin == "US" and f.destination == "JP")
    assert flights.amount.low == fare.low  # one round trip's fare, not two
    request = TripRequest(joint="knee", nationality="US", airport="ORD", stay_through=True)
    q = quote(cat=cat, request=request, destinations=["JP"], clinic=None, today=NOW).destinations[0]
    c = compare(cat=cat, request=request, codes=["JP"], sort="given", today=NOW).countries[0].trip
    assert q.total == c.total
    assert q.travel is not None
    assert q.travel.trips == 1
    assert q.total is not None
    assert p.cost.total is not None
    assert q.total.low <= p.cost.total.low
    assert p.cost.total.high <= q.total.high


def test_quote_cli_understands_the_plan_options(run: Invoke) -> None:
    two = json.loads(run("quote", "--joint", "knee", "--from", "US", "--to", "JP", "--json").stdout)
    one = json.loads(run("quote", "--joint", "knee", "--from", "US", "--to", "JP", "--stay-through", "--json").stdout)
    assert two["destinations"][0]["travel"]["trips"] == 2
    assert one["destinations"][0]["travel"]["trips"] == 1
    assert one["destinations"][0]["stay_through"] is True
    cmp = json.loads(run("compare", "--countries", "JP", "--from", "US", "--stay-through", "--json").stdout)
    assert cmp["countries"][0]["trip"]["total"] == one["destinations"][0]["total"]


def test_quote_refuses_an_impossible_culture_window_as_schedule_does(run: Invoke) -> None:
    for command in (("quote", "--joint", "knee", "--from", "US"), ("compare", "--countries", "JP")):
        result = run(*command, "--culture-weeks", "30-40")
        assert result.exit_code == 2
        assert "--culture-weeks" in result.stderr
        assert "between 1 and 26" in result.stderr


def test_treatment_at_home_has_no_flight_visa_or_travel_days(cat: Catalog) -> None:
    """--to US --from US --airport ORD: 'Leave home ORD → ORD, 0 h', back home before the treatment."""
    p = make(cat, dt.date(2027, 4, 12), destination="US", nationality="US", airport="ORD")
    assert p.at_home
    assert p.home_airport is None
    assert p.flight_hours is None
    assert all(v.leave_home is None and v.arrive_home is None for v in p.visits)
    assert not p.visa.visa_needed
    assert p.visa.stays == []
    assert p.cost is not None
    assert p.cost.travel is not None
    assert p.cost.travel.low == p.cost.travel.high == 0
    assert [i.name for i in p.cost.items] == ["local travel"]
    assert p.cost.items[0].source == "tripplan-assumptions"
    kinds = [e.kind for e in plan_events(cat, p)]
    assert not [k for k in kinds if k.startswith(("leave-home", "arrive-", "fly-home", "back-home"))]
    assert kinds.index("consultation") < kinds.index("treatment")


def test_home_holidays_get_a_travel_note(cat: Catalog) -> None:
    """A Beijing patient leaving in Spring Festival week, or flying home on the eve of Labour Day."""
    spring = make(cat, dt.date(2027, 2, 9), nationality="CN")  # leave home 02-08, inside 02-05 – 02-10
    assert spring.visits[0].leave_home == dt.date(2027, 2, 8)
    assert any(
        "leave home on 2027-02-08, Chinese New Year (Spring Festival) holiday (2027-02-05 – 02-10)" in w
        and "in China" in w
        for w in spring.warnings
    )
    assert spring.visits[0].arrive == dt.date(2027, 2, 8)  # noted, not moved
    eve = make(cat, dt.date(2027, 4, 7), nationality="CN")  # injection 04-28: fly home 04-30, Labour Day's eve
    assert eve.visits[1].arrive_home == dt.date(2027, 4, 30)
    assert any("2027-04-30, the eve of Labor Day holiday (2027-05-01 – 05-04)" in w for w in eve.warnings)
    assert not [w for w in make(cat, dt.date(2027, 3, 9), nationality="CN").warnings if "in China" in w]


def test_japan_counts_a_stay_from_the_day_after_landing(cat: Catalog, run: Invoke) -> None:
    """Arrive 02-28, leave 05-29: '91 days of 90 visa-free — too long'. It fits: 90 days run to 05-29."""
    p = make(
        cat,
        dt.date(2027, 3, 1),
        nationality="US",
        stay_through=True,
        culture_weeks=(12, 13),
        inject=dt.date(2027, 5, 27),
    )
    (stay,) = p.visa.stays
    assert (p.visits[0].arrive, p.visits[0].depart) == (dt.date(2027, 2, 28), dt.date(2027, 5, 29))
    assert (stay.days, stay.limit, stay.fits, stay.until) == (90, 90, True, dt.date(2027, 5, 29))
    assert not p.visa.visa_needed
    assert p.visa.stay_count == "arrival-day-not-counted"
    assert p.visa.stay_count_source == "ims-period-count"
    # a departure on 05-30 does not fit
    later = make(
        cat,
        dt.date(2027, 3, 1),
        nationality="US",
        stay_through=True,
        culture_weeks=(12, 13),
        inject=dt.date(2027, 5, 28),
    )
    assert later.visits[0].depart == dt.date(2027, 5, 30)
    assert later.visa.stays[0].fits is False
    text = run(
        "schedule",
        "--harvest",
        "2027-03-01",
        "--from",
        "US",
        "--stay-through",
        "--culture-weeks",
        "12-13",
        "--inject",
        "2027-05-27",
        env={"TRIPPLAN_TODAY": NOW.isoformat()},
    ).stdout
    assert "90 days of 90 visa-free — fits; may stay until 2027-05-29" in text


def test_where_no_source_gives_the_rule_the_arrival_day_counts(cat: Catalog) -> None:
    mx = cat.countries["MX"]
    assert mx.stay_count == "arrival-day-counted"
    assert mx.stay_count_source == "tripplan-assumptions"
    assert last_permitted_day(mx, dt.date(2027, 2, 28), 90) == dt.date(2027, 5, 28)
    assert last_permitted_day(cat.countries["JP"], dt.date(2027, 2, 28), 90) == dt.date(2027, 5, 29)


# the State Council's arrangements (cn-holidays-2025, cn-holidays-2026): blocks of days off, and the
# weekend days worked in exchange
STATE_COUNCIL = {
    2025: (
        [
            ("01-01", "01-01"),
            ("01-28", "02-04"),
            ("04-04", "04-06"),
            ("05-01", "05-05"),
            ("05-31", "06-02"),
            ("10-01", "10-08"),
        ],
        ["01-26", "02-08", "04-27", "09-28", "10-11"],
    ),
    2026: (
        [
            ("01-01", "01-03"),
            ("02-15", "02-23"),
            ("04-04", "04-06"),
            ("05-01", "05-05"),
            ("06-19", "06-21"),
            ("09-25", "09-27"),
            ("10-01", "10-07"),
        ],
        ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"],
    ),
}


@pytest.mark.parametrize("year", sorted(STATE_COUNCIL))
def test_china_closes_each_holiday_block_as_the_state_council_arranges_it(year: int) -> None:
    blocks, worked = STATE_COUNCIL[year]
    listed = public_holidays("CN", [year])
    got = [(a.strftime("%m-%d"), b.strftime("%m-%d")) for a, b, _ in holiday_blocks(listed)]
    assert got == blocks
    assert sorted(d.strftime("%m-%d") for d in make_up_days(listed)) == worked


def test_china_2027_blocks_from_the_package_listing(cat: Catalog) -> None:
    """2027 is not yet arranged (holidays_official_through = 2026): the same rule over the package's listing,
    each day a possible closure to confirm."""
    closed = closures(cat.countries["CN"], None, [2027])
    spring = [d for d, c in closed.items() if "Spring Festival" in c.name]
    assert (min(spring), max(spring)) == (dt.date(2027, 2, 5), dt.date(2027, 2, 10))
    label = "Chinese New Year (Spring Festival) holiday (2027-02-05 – 02-10), estimated: the 2027 schedule"
    assert all(closed[d].name.startswith(label) for d in spring)
    assert not any(closed[d].certain for d in spring)


def test_china_national_day_block_and_make_up_day(cat: Catalog, run: Invoke) -> None:
    """--to CN --from CN --harvest 2026-10-03 offered Sunday 10-04; 10-04 and 02-21 were treatment days."""
    closed = closures(cat.countries["CN"], None, [2026])
    assert closed[dt.date(2026, 10, 4)].name == "National Day holiday (2026-10-01 – 10-07)"
    assert closed[dt.date(2026, 10, 4)].source == "cn-holidays-2026"
    assert not is_open(dt.date(2026, 2, 21), closed)
    assert not is_open(dt.date(2026, 2, 15), closed)
    result = run(
        "schedule", "--to", "CN", "--from", "CN", "--harvest", "2026-10-03", env={"TRIPPLAN_TODAY": "2026-09-01"}
    )
    assert result.exit_code == 2
    assert "National Day holiday (2026-10-01 – 10-07)" in result.stderr
    assert "nearest open days: 2026-09-30, 2026-10-08, 2026-10-09" in result.stderr
    with pytest.raises(UsageError, match="Spring Festival"):
        make(cat, dt.date(2026, 2, 21), destination="CN", nationality="CN")


def test_a_make_up_working_day_is_open_for_a_weekday_clinic(cat: Catalog) -> None:
    from dataclasses import replace

    clinic = replace(next(iter(cat.clinics.values())), closed_weekdays=["sat", "sun"])
    closed = closures(cat.countries["CN"], clinic, [2026])
    assert is_open(dt.date(2026, 10, 10), closed)  # Saturday, worked for National Day
    assert not is_open(dt.date(2026, 10, 17), closed)  # an ordinary Saturday


@pytest.mark.parametrize("code", ["JP", "KR"])
def test_japan_and_korea_closures_unchanged(cat: Catalog, code: str) -> None:
    country = cat.countries[code]
    assert not country.holiday_blocks_sources
    listed = public_holidays(country.holiday_calendar, [2026])
    closed = closures(country, None, [2026])
    certain_holidays = {d for d, c in closed.items() if c.source == "holidays package"}
    assert certain_holidays == set(listed)


def test_steps_in_dependency_order_overdue_and_on_open_days(cat: Catalog) -> None:
    """--harvest 2026-12-07 --from CN --joint achilles: past steps unremarked, the visa before the clinic."""
    p = make(cat, dt.date(2026, 12, 7), nationality="CN", joint="ankle")
    by_id = {s.id: s for s in p.steps}
    assert {"send-scans", "isscr-questions", "verify-plan", "choose-clinic", "visa-apply"} <= {
        s.id for s in p.steps if s.overdue
    }
    assert all(s.overdue == (s.kind == "step" and s.date < NOW) for s in p.steps)
    assert p.visa.too_soon
    assert any("too soon" in w for w in p.warnings)
    assert any("overdue" in w for w in p.warnings)
    order = [s.id for s in p.steps]
    for step in p.steps:
        for dep in step.after:
            assert by_id[dep].date <= step.date
            assert order.index(dep) < order.index(step.id)
    assert "choose-clinic" in by_id["visa-apply"].after
    visa_day = by_id["visa-apply"].date
    assert visa_day.weekday() < 5
    home = closures(cat.countries["CN"], None, [visa_day.year])
    assert visa_day not in home
    assert visa_day not in public_holidays("JP", [visa_day.year])
    country = cat.countries["JP"]
    closed = closures(country, None, range(2026, 2028))
    for pay in ("deposit", "balance"):
        assert is_open(by_id[pay].date, closed)


def test_overdue_steps_are_reminded_tomorrow_in_the_calendar(run: Invoke, tmp_path: Path) -> None:
    ics = tmp_path / "late.ics"
    args = ("schedule", "--harvest", "2026-12-07", "--from", "CN", "--joint", "achilles", "--ics", str(ics))
    assert run(*args, env={"TRIPPLAN_TODAY": NOW.isoformat()}).exit_code == 0
    cal = icalendar.Calendar.from_ical(ics.read_bytes())
    late = [e for e in cal.walk("VEVENT") if str(e["summary"]).startswith("Overdue: ")]
    assert len(late) >= 5
    assert all(e["dtstart"].dt == NOW + dt.timedelta(days=1) for e in late)
    for e in late:  # and their reminders go off on that day, never before the plan was made
        for alarm in e.walk("VALARM"):
            assert e["dtstart"].dt + alarm["trigger"].dt > NOW


def test_recovery_rows_per_joint_from_their_sources(cat: Catalog) -> None:
    ankle = make(cat, dt.date(2027, 4, 12), joint="ankle")
    rows = {s.id: s for s in ankle.steps if s.kind != "step"}
    assert {"rest", "light-training", "moderate-activity", "full-impact"} <= set(rows)
    assert "rest-knee" not in rows
    assert "return-running-knee" not in rows
    assert rows["light-training"].date == ankle.injection + dt.timedelta(weeks=4)
    assert ankle.recovery_note is None
    knee = {s.id: s for s in make(cat, dt.date(2027, 4, 12)).steps}
    running = knee["return-running-knee"]
    assert running.kind == "permits"
    assert running.date == make(cat, dt.date(2027, 4, 12)).injection + dt.timedelta(weeks=4)  # dated at 4 weeks
    hip = make(cat, dt.date(2027, 4, 12), joint="hip")
    assert not [s for s in hip.steps if s.kind != "step"]
    assert hip.recovery_note is not None
    assert "hip" in hip.recovery_note


def test_views_show_the_same_days_in_the_same_order(cat: Catalog, run: Invoke, tmp_path: Path) -> None:
    """The table, the calendar file and the plan document read one list of events: arrive → consultation →
    harvest → … → fly home → back home."""
    p = make(cat, dt.date(2027, 3, 1), nationality="US")
    kinds = [e.kind for e in plan_events(cat, p)]
    day = [e.kind for e in plan_events(cat, p) if e.date == p.visits[0].arrive]
    assert day.index("arrive-1") < day.index("consultation")
    assert kinds.index("harvest") < kinds.index("fly-home-1") < kinds.index("back-home-1")
    ics = tmp_path / "plan.ics"
    args = ("schedule", "--harvest", "2027-03-01", "--from", "US", "--ics", str(ics))
    assert run(*args, env={"TRIPPLAN_TODAY": NOW.isoformat()}).exit_code == 0
    cal = icalendar.Calendar.from_ical(ics.read_bytes())
    shown = [(e["dtstart"].dt, str(e["summary"])) for e in cal.walk("VEVENT")]
    assert shown == [(e.date, e.title) for e in plan_events(cat, p)]


# --- the properties ---------------------------------------------------------------------------------------

NATIONALITIES = ["US", "CN", "GB", "AU", "KR", "IN", "BR", "JP", "MX", "TH", None]
DESTINATIONS = ["JP", "MX", "KR", "TH", "US", "CN"]


@settings(max_examples=150, deadline=None)
@given(
    offset=st.integers(0, (dt.date(2032, 12, 31) - dt.date(2025, 1, 1)).days),
    nationality=st.sampled_from(NATIONALITIES),
    destination=st.sampled_from(DESTINATIONS),
    joint=st.sampled_from(["knee", "hip", "shoulder", "elbow", "ankle"]),
    stay_through=st.booleans(),
    weeks=st.none() | st.sampled_from([(3, 4), (4, 6), (8, 10)]),
)
def test_every_plan_is_one_a_patient_can_follow(
    cat: Catalog,
    offset: int,
    nationality: str | None,
    destination: str,
    joint: str,
    stay_through: bool,
    weeks: tuple[int, int] | None,
) -> None:
    harvest = dt.date(2025, 1, 1) + dt.timedelta(days=offset)
    request = PlanRequest(
        destination=destination,
        nationality=nationality,
        joint=joint,
        harvest=harvest,
        stay_through=stay_through,
        culture_weeks=weeks,
    )
    country = cat.countries[destination]
    if not is_open(harvest, closures(country, None, [harvest.year])):
        with pytest.raises(UsageError, match=r"closed on .* nearest open days"):
            make_plan(cat=cat, request=request, today=NOW)
        return  # refused only for a closed harvest day, with the open days around it
    p = make_plan(cat=cat, request=request, today=NOW)
    protocol = country.protocol
    closed = closures(country, None, range(harvest.year - 1, p.visits[-1].depart.year + 2))
    first, last = p.visits[0], p.visits[-1]
    # arrival ≤ consultation ≤ harvest < departure; no long-haul departure on a procedure day
    assert first.arrive <= p.consultation <= p.harvest < first.depart
    assert p.injection < last.depart
    assert last.depart >= p.injection + dt.timedelta(days=days_after_treatment(protocol))
    procedure_days = {p.harvest, p.injection}
    assert not procedure_days & {v.depart for v in p.visits}
    # every clinic step on an open day
    assert is_open(p.consultation, closed)
    assert is_open(p.harvest, closed)
    assert is_open(p.injection, closed)
    rules = {m.id: m.open_day for m in cat.milestones}
    for s in p.steps:
        if rules.get(s.id) == "clinic":
            assert is_open(s.date, closed), s
        if s.id == "visa-apply":
            assert s.date.weekday() < 5
    # stay-through costs one trip; treatment at home has no flights
    if p.stay_through:
        assert len(p.visits) == 1
        if p.cost and p.cost.travel and not p.at_home and nationality:
            assert p.cost.items[0].basis.startswith("1 trip ×")
    if nationality == destination:
        assert p.at_home
        assert p.flight_hours is None
        assert all(v.leave_home is None for v in p.visits)
        if p.cost and p.cost.travel:
            assert p.cost.travel.high == 0
    # the last permitted day matches the destination's rule
    for v, stay in zip(p.visits if p.visa.stays else [], p.visa.stays, strict=True):
        if stay.until is not None and stay.limit is not None:
            assert stay.until == last_permitted_day(country, v.arrive, stay.limit)
            assert stay.fits == (v.depart <= stay.until)
    # quote and compare resolve the same request the same way
    trip_request = TripRequest(**{f.name: getattr(request, f.name) for f in fields(TripRequest)})
    if nationality is not None:
        q = quote(cat=cat, request=trip_request, destinations=[destination], clinic=None, today=NOW)
        c = compare(cat=cat, request=trip_request, codes=[destination], sort="given", today=NOW)
        assert q.destinations[0].total == c.countries[0].trip.total
        assert q.destinations[0].nights_per_trip == c.countries[0].trip.nights_per_trip


def test_the_month_grid_marks_a_holiday_block_whole(cat: Catalog) -> None:
    """--to CN --from CN --harvest 2026-10-08: the visit starts on 10-07, the last day of the National Day
    block; the grid marked only 10-07 closed though the table named the whole block (2026-10-01 – 10-07)."""
    from tripplan.marks import day_marks

    p = make(cat, dt.date(2026, 10, 8), today=dt.date(2026, 9, 1), destination="CN", nationality="CN")
    assert p.visits[0].arrive == dt.date(2026, 10, 7)
    block = [dt.date(2026, 10, d) for d in range(1, 8)]
    assert [c.date for c in p.closures if c.name.startswith("National Day")] == block
    marks = day_marks(p)
    assert [marks.get(d) for d in block] == ["closed"] * 7
    assert marks.get(dt.date(2026, 9, 30)) is None  # the working day before the block is not closed


@pytest.mark.parametrize(
    "harvest", [dt.date(2027, 4, 12), dt.date(2027, 2, 15), dt.date(2027, 7, 1), dt.date(2028, 1, 12)]
)
def test_the_clinics_documents_come_between_choosing_it_and_the_visa(cat: Catalog, harvest: dt.date) -> None:
    """clinic chosen → the clinic's documents and guarantor → visa application (seed-degenerative-us: the
    clinic or its guarantor issues the treatment plan the application uses): the documents step is data
    (treatments.toml, anchored on the visa's apply-by day, 2 weeks before it: tripplan's assumption), on an
    open clinic day, after choosing the clinic and strictly before the application."""
    p = make(cat, harvest, today=dt.date(2026, 1, 5), nationality="CN")
    by_id = {s.id: s for s in p.steps}
    docs, visa, chosen = by_id["clinic-documents"], by_id["visa-apply"], by_id["choose-clinic"]
    assert docs.after == ["choose-clinic"]
    assert "clinic-documents" in visa.after
    assert chosen.date <= docs.date < visa.date
    assert (visa.date - docs.date).days >= 14
    assert docs.source == "mofa-medical-stay-visa"
    assert is_open(docs.date, closures(cat.countries["JP"], None, range(docs.date.year, docs.date.year + 1)))
    order = [s.id for s in p.steps]
    assert order.index("choose-clinic") < order.index("clinic-documents") < order.index("visa-apply")


def test_no_documents_step_without_a_visa_to_apply_for(cat: Catalog) -> None:
    """A US patient enters visa-free: no visa application, so no documents step for it."""
    p = make(cat, dt.date(2027, 4, 12), nationality="US")
    assert not {"visa-apply", "clinic-documents"} & {s.id for s in p.steps}


def test_the_overdue_warning_counts_its_steps(cat: Catalog) -> None:
    """One overdue step is "1 step … is overdue: do it now", several are "N steps … are overdue: do them now",
    and the count and ids are the plan's overdue steps."""
    seen: dict[int, str] = {}
    for days in range(0, 120, 3):
        try:
            p = make(cat, NOW + dt.timedelta(days=days))
        except UsageError:  # a closed harvest day
            continue
        overdue = [s.id for s in p.steps if s.overdue]
        said = [w for w in p.warnings if "overdue" in w]
        if not overdue:
            assert not said
            continue
        assert len(said) == 1
        assert ", ".join(overdue) in said[0]
        seen[min(len(overdue), 2)] = said[0]
        if len(overdue) == 1:
            assert said[0].startswith("1 step dated before today"), said[0]
            assert "is overdue: do it now" in said[0]
        else:
            assert said[0].startswith(f"{len(overdue)} steps dated before today"), said[0]
            assert "are overdue: do them now" in said[0]
    assert set(seen) == {1, 2}, seen
