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


def _kinds(events: dict[str, icalendar.Event]) -> set[str]:
    return {uid.removesuffix("@tripplan").rsplit("-", 1)[0] for uid in events}


def test_two_plans_from_identical_requests_share_no_uid(run: Invoke, tmp_path: Path) -> None:
    # two patients (or a couple) with the same request: each plan gets its own random id
    one = _events(_export(run, tmp_path / "p1.ics", "--from", "US"))
    two = _events(_export(run, tmp_path / "p2.ics", "--from", "US"))
    assert len(one) == len(two) >= 25
    assert not set(one) & set(two)
    assert _kinds(one) == _kinds(two)  # the same events, each under its plan's id
    knee = _events(_export(run, tmp_path / "k.ics", "--from", "US", "--joint", "knee"))
    hip = _events(_export(run, tmp_path / "h.ics", "--from", "US", "--joint", "hip"))
    assert not set(knee) & set(hip)


def test_uids_name_the_event_and_the_plan(run: Invoke, tmp_path: Path) -> None:
    us = _events(_export(run, tmp_path / "us.ics", "--from", "US"))
    ids = {uid.removesuffix("@tripplan").rsplit("-", 1)[1] for uid in us}
    assert len(ids) == 1
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
                "return-running-",
                "choose-clinic-",
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


def _saved_export(run: Invoke, plan: Path, ics: Path, *args: str) -> dict[str, icalendar.Event]:
    result = run("schedule", "--plan", str(plan), *args, "--save", str(plan), "--ics", str(ics), "--force")
    assert result.exit_code == 0, result.stderr
    return _events(icalendar.Calendar.from_ical(ics.read_bytes()))


def _sequences(events: dict[str, icalendar.Event]) -> dict[str, int]:
    return {uid: int(e["sequence"]) for uid, e in events.items()}


def test_a_saved_plan_keeps_its_uids_through_edits(run: Invoke, tmp_path: Path) -> None:
    plan = tmp_path / "r.toml"
    made = run(
        "schedule", "--harvest", "2027-03-01", "--from", "US", "--save", str(plan), "--ics", str(tmp_path / "r1.ics")
    )
    assert made.exit_code == 0, made.stderr
    first = _events(icalendar.Calendar.from_ical((tmp_path / "r1.ics").read_bytes()))
    assert set(_sequences(first).values()) == {0}
    again = _saved_export(run, plan, tmp_path / "again.ics")  # nothing changed: same UIDs, same SEQUENCE
    assert _sequences(again) == _sequences(first)
    moved = _saved_export(run, plan, tmp_path / "r2.ics", "--harvest", "2027-03-08")
    kept = set(first) & set(moved)
    assert _kinds({u: first[u] for u in kept}) >= {"injection", "harvest", "leave-home-1", "deposit", "fly-home-2"}
    for uid in kept:  # every surviving event: the same UID; a changed one one SEQUENCE higher
        changed = first[uid]["dtstart"].dt != moved[uid]["dtstart"].dt
        assert int(moved[uid]["sequence"]) == int(first[uid]["sequence"]) + (1 if changed else 0)
    assert int(moved[next(u for u in kept if u.startswith("injection-"))]["sequence"]) == 1
    plan_id = {uid.removesuffix("@tripplan").rsplit("-", 1)[1] for uid in first}
    edits = (("--inject", "2027-04-12"), ("--clinic", "jp-tokyo-cultured-adipose"), ("--companion",), ("--to", "KR"))
    for edit in edits:
        later = _saved_export(run, plan, tmp_path / "later.ics", *edit)
        assert {uid.removesuffix("@tripplan").rsplit("-", 1)[1] for uid in later} == plan_id, edit
        assert len(set(later) & set(first)) >= 15, edit  # travel, payments, recovery, follow-ups survive


def test_removed_events_are_cancelled_once(run: Invoke, tmp_path: Path) -> None:
    plan = tmp_path / "r.toml"
    made = run(
        "schedule", "--harvest", "2027-03-01", "--from", "US", "--save", str(plan), "--ics", str(tmp_path / "a.ics")
    )
    assert made.exit_code == 0, made.stderr
    before = _events(icalendar.Calendar.from_ical((tmp_path / "a.ics").read_bytes()))
    after = _saved_export(run, plan, tmp_path / "b.ics", "--harvest", "2027-06-01")  # the March holidays go
    cancelled = {u: e for u, e in after.items() if str(e.get("status", "")) == "CANCELLED"}
    gone = {u for u in before if u.startswith("closed-2027-03")}
    assert gone
    assert set(cancelled) == gone
    for uid, e in cancelled.items():
        assert int(e["sequence"]) == int(before[uid]["sequence"]) + 1
        assert e["dtstart"].dt == before[uid]["dtstart"].dt
    again = _saved_export(run, plan, tmp_path / "c.ics")  # exported once more, then forgotten
    assert not set(cancelled) & set(again)
    assert _sequences(dict(again.items())) == _sequences({u: e for u, e in after.items() if u not in cancelled})


def test_two_exports_in_the_same_second_of_a_changed_plan_differ(run: Invoke, tmp_path: Path) -> None:
    # SEQUENCE counts changes, not time: the clock is not involved at all
    plan = tmp_path / "r.toml"
    assert run("schedule", "--harvest", "2027-03-01", "--from", "US", "--save", str(plan)).exit_code == 0
    a = _saved_export(run, plan, tmp_path / "a.ics", "--inject", "2027-04-05")
    b = _saved_export(run, plan, tmp_path / "b.ics", "--inject", "2027-04-06")
    inj = next(u for u in a if u.startswith("injection-"))
    assert int(b[inj]["sequence"]) == int(a[inj]["sequence"]) + 1
    assert "revision = 3" in plan.read_text("utf-8")


def test_an_export_without_a_saved_plan_says_how_to_keep_updates(run: Invoke, tmp_path: Path) -> None:
    result = run("schedule", "--harvest", "2027-03-01", "--ics", str(tmp_path / "x.ics"))
    assert "save the plan (--save FILE) and export from it (--plan FILE)" in result.stderr
    result = run("schedule", "--harvest", "2027-03-01", "--ics", str(tmp_path / "y.ics"), "--save", str(tmp_path / "y"))
    assert "save the plan" not in result.stderr


def test_adding_a_visa_step_does_not_shift_other_uids(run: Invoke, tmp_path: Path) -> None:
    # a US passport needs no visa for Japan, a Chinese one does: the plans share every other kind of event
    us = {uid.rsplit("-", 1)[0] for uid in _events(_export(run, tmp_path / "us.ics", "--from", "US"))}
    cn = {uid.rsplit("-", 1)[0] for uid in _events(_export(run, tmp_path / "cn.ics", "--from", "CN"))}
    assert cn - us == {"clinic-documents", "visa-apply"}  # the visa and the clinic documents it needs


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
    # a row that permits something is dated when it becomes permitted, its range in the description
    assert full["dtstart"].dt == dt.date(2027, 6, 23)
    assert "permitted from 2027-06-23; typically by 2027-09-23" in str(full["description"])


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
    xdg = str(tmp_path / "xdg")  # khal keeps its database in the cache folder: one per test, never shared
    env = {**os.environ, "XDG_DATA_HOME": xdg, "XDG_CONFIG_HOME": xdg, "XDG_CACHE_HOME": xdg}
    done = subprocess.run(
        [str(khal), "-c", str(tmp_path / "khal.conf"), *args], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _uids_in_khal(tmp_path: Path, start: str = "2026-01-01", end: str = "2029-12-31") -> set[str]:
    listed = _khal(tmp_path, "list", start, end, "--format", "{uid}")
    return {line.strip() for line in listed.splitlines() if line.strip().endswith("@tripplan")}


def test_two_patients_survive_one_khal_calendar(run: Invoke, tmp_path: Path) -> None:
    (tmp_path / "cal").mkdir()
    (tmp_path / "khal.conf").write_text(KHAL_CONFIG.format(path=tmp_path / "cal"), "utf-8")
    # two patients, same nationality, airport and harvest, one knee and one hip
    files = {}
    for who, joint in (("p1", "knee"), ("p2", "shoulder")):  # the hip has no recovery rows in the sources
        made = run(
            "schedule", "--harvest", "2027-04-12", "--from", "US", "--joint", joint,
            "--patient", who, "--save", str(tmp_path / f"{who}.toml"), "--ics", str(tmp_path / f"{who}.ics"),
        )  # fmt: skip
        assert made.exit_code == 0, made.stderr
        files[who] = _events(icalendar.Calendar.from_ical((tmp_path / f"{who}.ics").read_bytes()))
        _khal(tmp_path, "import", "--batch", str(tmp_path / f"{who}.ics"))
    assert not set(files["p1"]) & set(files["p2"])
    assert _uids_in_khal(tmp_path) == set(files["p1"]) | set(files["p2"])  # nothing overwritten
    listed = _khal(tmp_path, "list", "2027-04-01", "2027-06-30", "--format", "{start-date} {title} | {location}")
    injections = [line for line in listed.splitlines() if " Injection |" in line]
    assert len(injections) == 2
    # p1's injection moves: importing p1's new export updates its event instead of adding a second one
    _saved_export(run, tmp_path / "p1.toml", tmp_path / "p1.ics", "--inject", "2027-05-20")
    _khal(tmp_path, "import", "--batch", str(tmp_path / "p1.ics"))
    assert _uids_in_khal(tmp_path) == set(files["p1"]) | set(files["p2"])
    listed = _khal(tmp_path, "list", "2027-04-01", "2027-06-30", "--format", "{start-date} {title} | {location}")
    injections = sorted(line.split(" |")[0] for line in listed.splitlines() if " Injection |" in line)
    assert len(injections) == 2
    assert "2027-05-20 Injection" in injections
    # a ranged step is one day in khal, not three months of entries
    listed = _khal(tmp_path, "list", "2027-06-01", "2027-12-31", "--format", "{start-date} {title} {uid}")
    assert sum("Return to full-impact sport" in line for line in listed.splitlines()) == 2, listed


def test_khal_marks_a_removed_event_cancelled(run: Invoke, tmp_path: Path) -> None:
    (tmp_path / "cal").mkdir()
    (tmp_path / "khal.conf").write_text(KHAL_CONFIG.format(path=tmp_path / "cal"), "utf-8")
    plan = tmp_path / "r.toml"
    made = run(
        "schedule", "--harvest", "2027-03-01", "--from", "US", "--save", str(plan), "--ics", str(tmp_path / "a.ics")
    )
    assert made.exit_code == 0, made.stderr
    _khal(tmp_path, "import", "--batch", str(tmp_path / "a.ics"))
    before = _khal(tmp_path, "list", "2027-03-22", "2027-03-22", "--format", "{status}|{title}")
    assert "|Closed: Substitute Holiday" in before
    assert "CANCELLED" not in before
    _saved_export(run, plan, tmp_path / "b.ics", "--harvest", "2027-06-01")
    _khal(tmp_path, "import", "--batch", str(tmp_path / "b.ics"))
    after = [
        line
        for line in _khal(tmp_path, "list", "2027-03-22", "2027-03-22", "--format", "{status}|{title}").splitlines()
        if "|" in line
    ]
    assert after
    assert all(line.startswith("CANCELLED") for line in after)


def test_a_copy_of_a_saved_plan_says_it_is_the_same_plan(run: Invoke, tmp_path: Path) -> None:
    first = tmp_path / "a.toml"
    assert run("schedule", "--harvest", "2027-03-01", "--save", str(first)).exit_code == 0
    copy = run("schedule", "--plan", str(first), "--save", str(tmp_path / "b.toml"))
    assert copy.exit_code == 0, copy.stderr
    assert "is the same plan as" in copy.stderr
    assert "make a new plan" in copy.stderr
    same = run("schedule", "--plan", str(first), "--save", str(first), "--force")
    assert "is the same plan as" not in same.stderr
