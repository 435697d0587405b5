"""Calendar files that import cleanly: stable, unique UIDs; places, sources and reminders; one-day events
for ranges; read back by a second parser (ics) and by a real calendar program (khal)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest

from tests.conftest import Invoke


def _export(run: Invoke, path: Path, *args: str) -> icalendar.Calendar:
    result = run("schedule", "--harvest", "2027-03-01", "--joint", "knee", "--ics", str(path), "--force", *args)
    assert result.exit_code == 0, result.stderr
    return icalendar.Calendar.from_ical(path.read_bytes())


def _events(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_uids_are_stable_and_unique_across_patients(run: Invoke, tmp_path: Path) -> None:
    us = _events(_export(run, tmp_path / "us.ics", "--from", "US"))
    again = _events(_export(run, tmp_path / "us2.ics", "--from", "US"))
    cn = _events(_export(run, tmp_path / "cn.ics", "--from", "CN"))
    assert set(us) == set(again)
    assert not set(us) & set(cn)
    assert all(
        uid.startswith(
            (
                "leave-home-1-",
                "arrive-1-",
                "fly-home-",
                "back-home-",
                "injection-",
                "harvest-",
                "consultation-",
                "window-",
                "deposit-",
                "balance-",
                "send-scans-",
                "rest",
                "light-",
                "moderate-",
                "high-impact-",
                "full-impact-",
                "follow-up-",
                "verify-plan-",
                "isscr-",
                "closed-",
                "arrive-2-",
                "leave-home-2-",
                "visa-apply-",
            )
        )
        for uid in us
    )


def test_adding_a_visa_step_does_not_shift_other_uids(run: Invoke, tmp_path: Path) -> None:
    # a US passport needs no visa for Japan, a Chinese one does: the plans share every other kind of event
    us = {uid.rsplit("-", 1)[0] for uid in _events(_export(run, tmp_path / "us.ics", "--from", "US"))}
    cn = {uid.rsplit("-", 1)[0] for uid in _events(_export(run, tmp_path / "cn.ics", "--from", "CN"))}
    assert cn - us == {"visa-apply"}


def test_travel_days_places_reminders_and_sources(run: Invoke, tmp_path: Path) -> None:
    events = list(_export(run, tmp_path / "cn.ics", "--from", "CN").walk("VEVENT"))
    titles = [str(e["summary"]) for e in events]
    for wanted in ("Leave home: Visit 1 (harvest)", "Fly home: Visit 2 (injection)", "Back home", "Injection"):
        assert wanted in titles
    by_title = {str(e["summary"]): e for e in events}
    assert "Beijing Capital International Airport (PEK)" in str(by_title["Leave home: Visit 1 (harvest)"]["location"])
    assert "Tokyo" in str(by_title["Injection"]["location"])
    # 48 hours before flying is tripplan's planning rule (the articles say "within 48 hours" and "24-48 hours")
    assert "fly home after 48 h\nSource: tripplan-assumptions" in str(by_title["Injection"]["description"])

    def trigger(title: str) -> dt.timedelta:
        alarms = by_title[title].walk("VALARM")
        assert len(alarms) == 1
        return alarms[0]["trigger"].dt  # type: ignore[no-any-return]

    assert trigger("Leave home: Visit 1 (harvest)") == dt.timedelta(days=-1)
    assert trigger("Apply for the Visa for Medical Stay") == dt.timedelta(days=-14)
    assert trigger("Pay the deposit for culturing") == dt.timedelta(days=-3)
    for e in events:  # every event lasts one day: a range is its start, the range in the description
        assert e["dtend"].dt - e["dtstart"].dt == dt.timedelta(days=1)
    full = next(e for e in events if str(e["summary"]).startswith("Return to full-impact sport"))
    assert "until 2027-09-23" in str(full["description"])


def test_reexport_of_an_edited_plan_raises_sequence(run: Invoke, tmp_path: Path) -> None:
    import json

    import tripplan.export as export
    from tripplan.frozen import validate
    from tripplan.schedule import Plan

    plan = validate(Plan, json.loads(run("schedule", "--harvest", "2027-03-01", "--from", "US", "--json").stdout))
    from tripplan.loader import load_catalog

    cat = load_catalog(None, use_cache=False)
    early = icalendar.Calendar.from_ical(export.plan_to_ics(cat, plan, now=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)))
    later = icalendar.Calendar.from_ical(export.plan_to_ics(cat, plan, now=dt.datetime(2026, 11, 2, tzinfo=dt.UTC)))
    a, b = _events(early), _events(later)
    assert set(a) == set(b)
    assert all(int(b[uid]["sequence"]) > int(a[uid]["sequence"]) for uid in a)


def test_a_second_parser_reads_every_event(run: Invoke, tmp_path: Path) -> None:
    import ics

    path = tmp_path / "cn.ics"
    native = list(_export(run, path, "--from", "CN").walk("VEVENT"))
    parsed = ics.Calendar(path.read_text("utf-8"))
    assert len(parsed.events) == len(native) >= 25
    assert {e.uid for e in parsed.events} == {str(e["uid"]) for e in native}
    leave = next(e for e in parsed.events if e.name == "Leave home: Visit 1 (harvest)")
    assert leave.begin.date() == dt.date(2027, 2, 28)
    assert leave.location is not None
    assert "PEK" in leave.location


KHAL_CONFIG = """[calendars]
[[trip]]
path = {path}
type = calendar

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M

[default]
default_calendar = trip
"""


def _khal(tmp_path: Path, *args: str) -> str:
    khal = Path(sys.executable).with_name("khal")
    if not khal.exists():
        pytest.fail("khal is not installed: pip install -e '.[test]'")
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "xdg"), "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    done = subprocess.run(
        [str(khal), "-c", str(tmp_path / "khal.conf"), *args], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_two_patients_survive_one_khal_calendar(run: Invoke, tmp_path: Path) -> None:
    (tmp_path / "cal").mkdir()
    (tmp_path / "khal.conf").write_text(KHAL_CONFIG.format(path=tmp_path / "cal"), "utf-8")
    _export(run, tmp_path / "us.ics", "--from", "US")
    _export(run, tmp_path / "cn.ics", "--from", "CN")
    _khal(tmp_path, "import", "--batch", str(tmp_path / "us.ics"))
    _khal(tmp_path, "import", "--batch", str(tmp_path / "cn.ics"))
    listed = _khal(tmp_path, "list", "2027-02-20", "2027-03-31", "--format", "{start-date} {title} | {location}")
    leaving = [line for line in listed.splitlines() if "Leave home: Visit 1" in line]
    assert len(leaving) == 2
    assert any("(LAX)" in line for line in leaving)
    assert any("(PEK)" in line for line in leaving)
    # the injection moved: importing the new export updates the event instead of adding a second one
    _export(run, tmp_path / "us.ics", "--from", "US", "--inject", "2027-04-05")
    _khal(tmp_path, "import", "--batch", str(tmp_path / "us.ics"))
    listed = _khal(tmp_path, "list", "2027-03-01", "2027-04-30", "--format", "{start-date} {title} | {location}")
    injections = sorted(line.split(" |")[0] for line in listed.splitlines() if " Injection |" in line)
    assert injections == ["2027-03-23 Injection", "2027-04-05 Injection"]  # CN's stays, US's moved
    # a ranged step is one day in khal, not three months of entries
    listed = _khal(tmp_path, "list", "2027-06-01", "2027-09-30", "--format", "{start-date} {title}")
    assert sum("Return to full-impact sport" in line for line in listed.splitlines()) == 2
