"""schedule: the dated plan, closures (Golden Week, New Year, Obon), visa, ICS and save/load."""

from __future__ import annotations

import datetime as dt
import json
import stat
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tripplan.catalog import Catalog
from tripplan.closures import closures, is_open
from tripplan.dated import NoOpenDayError
from tripplan.errors import UsageError
from tripplan.export import plan_to_ics, read_saved, saved_to_toml
from tripplan.plans import OpenedPlan, to_save
from tripplan.request import PlanRequest
from tripplan.schedule import Plan, make_plan

from .conftest import TODAY, Invoke


def plan(cat: Catalog, harvest: dt.date, **kw: Any) -> Plan:
    """The plan of a request made as the CLI makes it (knee, Japan unless `kw` says otherwise)."""
    clinic = kw.pop("clinic", None)
    today = kw.pop("today", TODAY)
    if clinic is not None and cat.clinics.get(clinic.id) != clinic:  # a test's own variant of a clinic
        cat = replace(cat, clinics={**cat.clinics, clinic.id: clinic})
    fields: dict[str, Any] = {
        "destination": clinic.country if clinic else "JP",
        "joint": "knee",
        "clinic": clinic.id if clinic else None,
        "harvest": harvest,
        **kw,
    }
    return make_plan(cat=cat, request=PlanRequest(**fields), today=today)


def test_used_by_example(cat: Catalog) -> None:
    p = plan(cat, dt.date(2026, 3, 1))
    assert p.injection_window is not None
    assert p.injection_window.earliest == dt.date(2026, 3, 22)  # harvest + 3 weeks, a Sunday, no holiday
    assert p.injection_window.latest == dt.date(2026, 4, 12)
    assert p.injection == dt.date(2026, 3, 22)
    v1, v2 = p.visits
    # arrive the day before, consult, harvest, and fly home no sooner than the next day (seed-degenerative-us
    # describes days in the city after the harvest): 3 days, inside the articles' 2-4
    assert (v1.arrive, p.consultation, v1.depart) == (dt.date(2026, 2, 28), dt.date(2026, 2, 28), dt.date(2026, 3, 2))
    assert v2.depart - p.injection == dt.timedelta(days=2)  # fly home 48 h after the injection
    assert any(c.date == dt.date(2026, 3, 20) for c in p.closures)  # Vernal Equinox, between the visits


def test_window_meeting_golden_week_skips_the_holidays(cat: Catalog) -> None:
    # harvest 2026-04-08 + 3 weeks = 04-29 (Showa Day); 04-30 is open
    p = plan(cat, dt.date(2026, 4, 8))
    assert p.injection_window is not None
    assert p.injection_window.earliest == dt.date(2026, 4, 30)
    # latest at 6 weeks = 05-20: open; but an --inject during Golden Week is refused
    with pytest.raises(UsageError, match=r"closed on 2026-05-04 \(Greenery Day.*open days after it: 2026-05-07"):
        plan(cat, dt.date(2026, 4, 8), inject=dt.date(2026, 5, 4), today=dt.date(2026, 4, 1))
    with pytest.raises(UsageError, match=r"closed on 2026-05-04 \(Greenery Day.*no open day .* still ahead"):
        plan(cat, dt.date(2026, 4, 8), inject=dt.date(2026, 5, 4))  # made on 2026-11-21: none is ahead
    # a window that ends inside Golden Week ends before it
    q = plan(cat, dt.date(2026, 3, 25), culture_weeks=(5, 6))  # 04-29 .. 05-06
    assert q.injection_window is not None
    assert q.injection_window.earliest == dt.date(2026, 4, 30)
    assert q.injection_window.latest == dt.date(2026, 5, 2)


def test_window_meeting_new_year(cat: Catalog) -> None:
    p = plan(cat, dt.date(2026, 12, 8))  # + 3 weeks = 12-29, closed to 01-03
    assert p.injection_window is not None
    assert p.injection_window.earliest == dt.date(2027, 1, 4)
    names = {c.date: c.name for c in p.closures}
    assert names[dt.date(2026, 12, 30)] == "New Year closure"
    assert "public holiday" in names[dt.date(2027, 1, 1)]


def test_obon_is_a_warning_not_an_error(cat: Catalog) -> None:
    p = plan(cat, dt.date(2026, 8, 14))
    assert any("Obon" in w for w in p.warnings)
    assert any(c.name.startswith("Obon") and not c.certain for c in p.closures)


def test_harvest_on_a_holiday_says_what_would_work(cat: Catalog) -> None:
    """The New Year closure runs 12-29 to 01-03: the nearest open day before it and the two after it."""
    with pytest.raises(
        UsageError, match=r"closed on 2026-01-01 .*nearest open days: 2025-12-28, 2026-01-04, 2026-01-05"
    ):
        plan(cat, dt.date(2026, 1, 1), today=dt.date(2025, 12, 1))


def test_a_closed_past_harvest_is_offered_the_days_around_it_not_from_today(cat: Catalog) -> None:
    """A closed harvest day in the past is refused as a future one is, with the open days around the day
    asked for (a past harvest on an open day is planned, with a warning), never the days from today."""
    for today in (dt.date(2026, 11, 21), dt.date(2026, 1, 4)):
        with pytest.raises(UsageError, match=r"closed on 2026-01-01 .*nearest open days: 2025-12-28, 2026-01-04, 2026"):
            plan(cat, dt.date(2026, 1, 1), today=today)
    past = plan(cat, dt.date(2026, 1, 5), today=dt.date(2026, 11, 21))
    assert any("the harvest day 2026-01-05 is in the past" in w for w in past.warnings)


def test_a_future_closed_harvest_is_not_offered_a_past_day(cat: Catalog) -> None:
    with pytest.raises(UsageError, match=r"nearest open days: 2026-01-04, 2026-01-05, 2026-01-06\b"):
        plan(cat, dt.date(2026, 1, 1), today=dt.date(2025, 12, 31))


def test_window_without_open_day(cat: Catalog) -> None:
    with pytest.raises(NoOpenDayError):
        plan(cat, dt.date(2026, 12, 1), culture_weeks=(4, 4))  # 12-29: New Year closure


def test_inject_outside_window(cat: Catalog) -> None:
    with pytest.raises(UsageError, match="outside the injection window 2026-03-22 to 2026-04-12"):
        plan(cat, dt.date(2026, 3, 1), inject=dt.date(2026, 5, 1))


def test_weekly_closed_days_of_a_clinic(cat: Catalog) -> None:
    clinic = replace(cat.clinics["jp-tokyo-cultured-adipose"], closed_weekdays=["sun"])
    p = plan(cat, dt.date(2026, 3, 2), clinic=clinic)  # + 3 weeks = Monday 03-23
    assert p.injection.weekday() != 6
    with pytest.raises(UsageError, match="clinic closed on Sun"):
        plan(cat, dt.date(2026, 3, 1), clinic=clinic)


def test_visa_cn_needs_medical_visa_with_apply_by(cat: Catalog) -> None:
    p = plan(cat, dt.date(2027, 3, 1), nationality="CN")
    assert p.visa.visa_needed
    six_weeks = p.visits[0].arrive - dt.timedelta(weeks=6)  # Sunday 2027-01-17: the consulate is closed
    assert p.visa.apply_by == six_weeks - dt.timedelta(days=2)  # the Friday before
    assert "Visa for Medical Stay" in p.visa.advice
    assert p.visits[0].leave_home is not None


def test_stay_through_too_long_for_visa_free(cat: Catalog) -> None:
    p = plan(cat, dt.date(2027, 3, 1), nationality="TH", stay_through=True, culture_weeks=(3, 6))  # TH: 15 days in JP
    assert len(p.visits) == 1
    assert p.visa.stays[0].fits is False
    assert p.visa.visa_needed


def test_us_flights_cross_the_date_line(cat: Catalog) -> None:
    p = plan(cat, dt.date(2027, 3, 1), nationality="US")  # LAX: leave the day before landing in Tokyo
    v1 = p.visits[0]
    assert v1.leave_home == v1.arrive - dt.timedelta(days=1)
    assert v1.arrive_home == v1.depart  # fly east, land the same calendar day


def test_one_trip_protocol(cat: Catalog) -> None:
    p = plan(cat, dt.date(2027, 3, 2), destination="MX", clinic=cat.clinics["mx-tijuana-donor-ucmsc"])
    assert p.injection_window is None
    assert p.injection == dt.date(2027, 3, 2)
    assert len(p.visits) == 1


@settings(max_examples=300, deadline=None)
@given(harvest=st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31)))
def test_injection_always_in_window_on_open_day(cat: Catalog, harvest: dt.date) -> None:
    try:
        p = plan(cat, harvest)
    except UsageError:
        shut = closures(cat.countries["JP"], None, [harvest.year])
        assert not is_open(harvest, shut)
        return
    w = p.injection_window
    assert w is not None
    assert w.earliest <= p.injection <= w.latest
    assert p.injection >= harvest + dt.timedelta(weeks=3)
    assert p.injection <= harvest + dt.timedelta(weeks=6)
    shut = closures(cat.countries["JP"], None, range(harvest.year, harvest.year + 2))
    assert is_open(p.injection, shut)
    assert is_open(w.latest, shut)
    assert p.visits[0].arrive < p.harvest <= p.visits[0].depart
    assert p.visits[1].arrive < p.injection < p.visits[1].depart


def test_ics_parses_back_with_the_right_dates(cat: Catalog) -> None:
    import icalendar

    p = plan(cat, dt.date(2026, 3, 1), nationality="US")
    opened = OpenedPlan(plan=p, id="0123456789abcdef", revision=1)
    cal = icalendar.Calendar.from_ical(plan_to_ics(cat, opened, [], now=dt.datetime(2026, 11, 21, tzinfo=dt.UTC)))
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    inj = events["Injection"]
    assert inj.decoded("dtstart") == dt.date(2026, 3, 22)
    assert inj.decoded("dtend") == dt.date(2026, 3, 23)
    closes = events["Injection window closes"]
    assert closes.decoded("dtstart") == dt.date(2026, 4, 12)
    assert closes.decoded("dtend") == dt.date(2026, 4, 13)  # exclusive end of an all-day event
    assert "Arrive: Visit 2 (injection)" in events
    assert len(events) >= 10


def test_save_then_load_reproduces_the_plan(cat: Catalog, tmp_path: Path) -> None:
    from tripplan.schedule import PlanRequest

    request = PlanRequest(destination="JP", joint="knee", nationality="CN", harvest=dt.date(2026, 12, 8))
    p = replace(plan(cat, dt.date(2026, 12, 8), nationality="CN"), request=request)
    saved = to_save(OpenedPlan(plan=p, id="0123456789abcdef", revision=3, patient="A. B."), calendar=[], today=TODAY)
    f = tmp_path / "plan.toml"
    f.write_bytes(saved_to_toml(saved))
    back = read_saved(f, new_id="unused")
    assert back == saved
    assert back.record == replace(p, request=None)


def test_cli_used_by_example(run: Invoke) -> None:
    result = run("schedule", "--harvest", "2026-03-01", "--details")
    assert result.exit_code == 0, result.output
    assert "Injection window opens" in result.stdout
    assert "March 2026" in result.stdout
    assert "in the past" in result.stderr


def test_cli_json_keys(run: Invoke) -> None:
    data = json.loads(run("schedule", "--harvest", "2027-03-01", "--from", "US", "--json").stdout)
    assert set(data) >= {"harvest", "injection_window", "injection", "visits", "closures", "steps", "visa", "cost"}
    assert set(data["visits"][0]) >= {"name", "leave_home", "arrive", "depart"}
    assert set(data["injection_window"]) >= {"earliest", "latest"}
    assert all(set(m) >= {"date", "name", "source"} for m in data["steps"])
    assert all(set(c) >= {"date", "name", "certain"} for c in data["closures"])


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ("--harvest", "2026-02-30"),
            2,
            "--harvest '2026-02-30' is not a valid date: day is out of range for month",
        ),
        (("--harvest", "soon"), 2, "--harvest 'soon' is not a date; write it as 2027-03-01, 2027/3/1 or 1 March 2027"),
        (("--harvest", "2026-03-01", "--culture-weeks", "6-3"), 2, "the minimum 6 is greater than the maximum 3"),
        (("--harvest", "2026-03-01", "--inject", "2026-06-01"), 2, "outside the injection window"),
        (("--harvest", "2027-01-01"), 2, "nearest open days: 2026-12-28, 2027-01-04"),
        (
            ("--harvest", "2026-12-01", "--culture-weeks", "4-4"),
            1,
            "the clinic is closed on every day from 2026-12-29 to 2026-12-29",
        ),
        ((), 2, "a harvest day is required to make a plan (or re-open a saved one) (option --harvest)"),
    ],
)
def test_cli_bad_input(run: Invoke, args: tuple[str, ...], code: int, message: str) -> None:
    result = run("schedule", *args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_cli_files_written_safely(run: Invoke, tmp_path: Path) -> None:
    ics, saved = tmp_path / "trip.ics", tmp_path / "trip.toml"
    result = run("schedule", "--harvest", "2027-03-01", "--ics", str(ics), "--save", str(saved))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(ics.stat().st_mode) == 0o600
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    before = saved.read_bytes()
    again = run("schedule", "--harvest", "2027-04-01", "--save", str(saved))
    assert again.exit_code == 1
    assert "already exists; add --force" in again.stderr
    assert saved.read_bytes() == before
    reopened = run("schedule", "--plan", str(saved), "--json")
    assert json.loads(reopened.stdout)["harvest"] == "2027-03-01"
    forced = run("schedule", "--harvest", "2027-04-01", "--save", str(saved), "--force")
    assert forced.exit_code == 0
    assert saved.read_bytes() != before


def test_every_harvest_day_2025_to_2035_plans_or_says_why(cat: Catalog) -> None:
    day, plans, refused = dt.date(2025, 1, 1), 0, 0
    while day <= dt.date(2035, 12, 31):
        try:
            p = plan(cat, day, nationality="US", today=dt.date(2025, 1, 1))
            assert p.injection_window is not None
            assert p.injection_window.earliest <= p.injection <= p.injection_window.latest
            plans += 1
        except UsageError as e:
            message = str(e)
            refused += 1
            assert "closed on" in message
        day += dt.timedelta(days=1)
    assert plans + refused == 4017
    assert refused < 400  # holidays and New Year closures only


def test_leap_day_and_year_end(cat: Catalog) -> None:
    harvest_on_leap_day = plan(cat, dt.date(2028, 2, 29))
    assert harvest_on_leap_day.injection_window is not None
    assert harvest_on_leap_day.injection_window.earliest == dt.date(2028, 3, 21)
    leap = plan(cat, dt.date(2028, 2, 8))  # + 3 weeks = Tuesday 2028-02-29
    assert leap.injection == dt.date(2028, 2, 29)
    assert leap.steps[-1].date == dt.date(2029, 2, 28)  # 12 months after Feb 29: the last day of February
    end = plan(cat, dt.date(2027, 12, 28))  # harvest just before the New Year closure
    assert end.visits[0].depart == dt.date(2027, 12, 29)  # the day after the harvest, the closure or not


def test_dst_change_at_home_airport(cat: Catalog) -> None:
    # US clocks spring forward on 2027-03-14; a landing in Tokyo at 15:00 on 03-15 leaves LAX on 03-14 local
    from tripplan.zones import leave_date

    lax, hnd = cat.airports["LAX"], cat.airports["HND"]
    assert leave_date(dt.date(2027, 3, 15), lax, hnd, 11.8) == dt.date(2027, 3, 14)
    assert leave_date(dt.date(2027, 3, 14), lax, hnd, 11.8) == dt.date(2027, 3, 13)
    # London (BST from 2027-03-28): a flight landing in Tokyo at 15:00 leaves the day before, late morning
    assert leave_date(dt.date(2027, 3, 29), cat.airports["LHR"], hnd, 14.0) == dt.date(2027, 3, 28)


def test_an_injection_refusal_offers_only_days_inside_the_window(cat: Catalog) -> None:
    """Harvest 2027-03-25: the window runs to 2027-05-06 (6 weeks). The 2027-05-03 injection (Constitution
    Day) is refused with the one open day after it that is still inside the window, not 05-07 and 05-08."""
    p = plan(cat, dt.date(2027, 3, 25))
    assert p.injection_window is not None
    assert p.injection_window.latest == dt.date(2027, 5, 6)
    with pytest.raises(UsageError, match=r"closed on 2027-05-03 .*open days after it: 2027-05-06$"):
        plan(cat, dt.date(2027, 3, 25), inject=dt.date(2027, 5, 3))
