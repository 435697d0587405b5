"""Saved plans a patient can rely on: a plan is a request plus a record, re-opening recomputes it and lists
what the file said differently, the re-open rules hold without the CLI, a hand-edited file is read as
data (field by field), a rewrite keeps the user's comments, and fresh plans always pass the checks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import TODAY, Invoke
from tripplan.catalog import Catalog
from tripplan.closures import closures
from tripplan.errors import UsageError
from tripplan.money import Span
from tripplan.plancheck import check_plan
from tripplan.plans import (
    Changes,
    SavedPlan,
    SavedPlanError,
    bad_values,
    digest,
    number_events,
    open_plan,
    plan_request,
    to_save,
)
from tripplan.schedule import PlanRequest, plan_for
from tripplan.travel import Overrides

IDENTITY = {"plan_id", "revision", "saved_on", "changed_since_saved", "notes"}


@pytest.fixture
def saved(run: Invoke, tmp_path: Path) -> Path:
    path = tmp_path / "plan.toml"
    result = run("schedule", "--harvest", "2027-03-01", "--from", "US", "--joint", "knee", "--save", str(path))
    assert result.exit_code == 0, result.stderr
    return path


def _edit(path: Path, old: str, new: str, *, count: int = 1) -> Path:
    text = path.read_text("utf-8")
    assert old in text
    out = path.with_name("edited.toml")
    out.write_text(text.replace(old, new, count), "utf-8")
    return out


def _json(run: Invoke, *args: str) -> dict[str, object]:
    result = run("schedule", *args, "--json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


# --- request + record, recomputed on re-open -------------------------------------------------------------


def test_a_saved_plan_reopens_unchanged(run: Invoke, saved: Path) -> None:
    fresh = _json(run, "--harvest", "2027-03-01", "--from", "US", "--joint", "knee")
    again = _json(run, "--plan", str(saved))
    assert {k: v for k, v in again.items() if k not in IDENTITY} == {
        k: v for k, v in fresh.items() if k not in IDENTITY
    }
    assert again["changed_since_saved"] == []
    assert again["notes"] == []
    assert again["revision"] == 1
    assert fresh["revision"] == 1
    assert again["plan_id"] != fresh["plan_id"]  # each plan made gets its own id


def test_hand_edited_money_is_recomputed_and_listed(run: Invoke, saved: Path, tmp_path: Path) -> None:
    edited = _edit(saved, "[record.cost.total]\nlow = 9250", "[record.cost.total]\nlow = 1")
    result = run("schedule", "--plan", str(edited), "--html", str(tmp_path / "e.html"))
    assert result.exit_code == 0, result.stderr
    said = "cost.total: the file said $1 – $35,770; recomputed $9,250 – $35,770"
    shown = "  cost.total:\n    the file said $1 – $35,770\n    recomputed $9,250 – $35,770\n"
    assert shown in result.stdout
    assert "Total: $9,250 – $35,770" in result.stdout
    assert "$1 –" not in result.stdout.replace(shown, "")
    narrow = run("schedule", "--plan", str(edited), env={"COLUMNS": "60"}).stdout
    assert shown in narrow  # no figure split at 60 columns
    page = re.sub(r"<[^>]+>", "", (tmp_path / "e.html").read_text("utf-8"))  # the text a reader sees
    assert said in page
    assert "$1 – $35,770" not in page.replace(said, "")
    data = _json(run, "--plan", str(edited))
    assert data["changed_since_saved"] == [
        {"field": "cost.total", "saved": "$1 – $35,770", "recomputed": "$9,250 – $35,770", "edited": True}
    ]
    assert data["cost"]["total"]["low"] == 9250  # type: ignore[index]
    assert any("(1 value differs)" in n for n in data["notes"])  # type: ignore[attr-defined]


def test_hand_edited_flight_hours_and_closures_are_recomputed(run: Invoke, saved: Path) -> None:
    hours = _edit(saved, "flight_hours = 11.8", "flight_hours = 1.0")
    data = _json(run, "--plan", str(hours))
    assert data["flight_hours"] == 11.8
    assert [d["field"] for d in data["changed_since_saved"]] == ["flight_hours"]  # type: ignore[union-attr]
    moved = _edit(saved, 'date = "2027-03-22"', 'date = "2027-03-25"')
    data = _json(run, "--plan", str(moved))
    assert "2027-03-22" in [c["date"] for c in data["closures"]]  # type: ignore[union-attr]
    (change,) = data["changed_since_saved"]  # type: ignore[misc]
    assert change["field"] == "closures"
    assert "2027-03-25" in change["saved"]
    assert "2027-03-21" not in change["saved"] + change["recomputed"]  # only what differs is shown


def test_an_edited_closure_name_shows_the_names_that_differ(run: Invoke, saved: Path) -> None:
    renamed = _edit(saved, 'name = "Substitute Holiday (public holiday)"', 'name = "Spring break"')
    (change,) = _json(run, "--plan", str(renamed))["changed_since_saved"]  # type: ignore[misc]
    assert change == {
        "field": "closures",
        "saved": "2027-03-22 name Spring break",
        "recomputed": "2027-03-22 name Substitute Holiday (public holiday)",
        "edited": True,
    }


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("flight_hours = 11.8", "flight_hours = nan", "record.flight_hours"),
        ("flight_hours = 11.8", "flight_hours = inf", "record.flight_hours"),
        ("flight_hours = 11.8", "flight_hours = 1e400", "record.flight_hours"),
        ("[record.cost.total]\nlow = 9250", "[record.cost.total]\nlow = 1e400", "record.cost.total.low"),
        ('cell_source = "', 'cell_source = "\\u001b[2J', "record.cell_source"),
        ("warnings = []", 'warnings = ["\\u001b]52;c;aGk=\\u0007"]', "record.warnings[0]"),
        ('basis = "', 'basis = "\\u009b31m', "record.home_assumed.basis"),
        ('harvest = "2027-03-01"\nstay', 'harvest = "2127-03-01"\nstay', "request.harvest"),
        ('consultation = "2027-02-28"', 'consultation = "1900-02-28"', "record.consultation"),
        ("stay_through = false", "stay_through = false\nharvset = 1", "request.harvset"),
        ("nights = 2", "nights = 2\nnigts = 2", "record.visits[0].nigts"),
        ("revision = 1", "revision = 100000000000000", "revision"),
        ("format = 4", "format = 9", "format"),
        ('id = "', 'id = "x;y@z ', "id"),
        ("revision = 1", "revision = 0", "revision"),
        ("revision = 1", 'revision = 1\npatient = "' + "x" * 81 + '"', "patient"),
        ("sequence = 0", "sequence = -3", "calendar[0].sequence"),
        ("sequence = 0", "sequence = 4294967296", "calendar[0].sequence"),
        ("sequence = 0", 'sequence = "2"', "calendar[0].sequence"),
        ("cancelled = false", 'cancelled = "yes"', "calendar[0].cancelled"),
        ("cancelled = false", "cancelled = 1", "calendar[0].cancelled"),
        ('key = "send-scans"', 'key = "evil@x;y"', "calendar[0].key"),
        ('key = "send-scans"', 'key = "isscr-questions"', "calendar[1].key"),
        ('sequence = 0\ndigest = "', 'sequence = 0\ndigest = "x;', "calendar[0].digest"),
        ("stay_through = false", 'stay_through = "no"', "request.stay_through"),
        ("nights = 2", 'nights = "2"', "record.visits[0].nights"),
    ],
)
def test_a_saved_plan_is_read_as_data(run: Invoke, saved: Path, old: str, new: str, field: str) -> None:
    result = run("schedule", "--plan", str(_edit(saved, old, new)), "--json")
    assert result.exit_code == 1, result.stdout
    assert f"field '{field}'" in result.stderr
    assert result.stdout == ""
    assert "\x1b" not in result.stderr
    assert "\x9b" not in result.stderr
    assert "Traceback" not in result.stderr


def test_a_huge_plan_file_is_refused(run: Invoke, saved: Path) -> None:
    big = saved.with_name("big.toml")
    big.write_text(saved.read_text("utf-8") + "# " + "x" * (3 * 1024 * 1024) + "\n", "utf-8")
    result = run("schedule", "--plan", str(big))
    assert result.exit_code == 1
    assert "tripplan reads files up to 2,097,152 bytes" in result.stderr


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (  # 2027-03-21 is a Sunday and a holiday: the same rule as --harvest, the field named
            'harvest = "2027-03-01"\nstay',
            'harvest = "2027-03-21"\nstay',
            "field 'request.harvest': the clinic is closed on 2027-03-21",
        ),
        ('destination = "JP"\njoint', 'destination = "ZZ"\njoint', "field 'request.destination': unknown"),
        ('nationality = "US"\ncompanion', 'nationality = "XX"\ncompanion', "field 'request.nationality': unknown"),
        ("[request.overrides]\n", "[request.overrides]\nrate = -3.0\n", "field 'request.overrides.rate'"),
        ("[request.overrides]\n", "[request.overrides]\nfare = { low = 900, high = 100 }\n", "request.overrides.fare"),
    ],
)
def test_an_edited_request_is_checked_like_the_options(
    run: Invoke, saved: Path, old: str, new: str, message: str
) -> None:
    result = run("schedule", "--plan", str(_edit(saved, old, new)))
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_edited_request_changes_the_plan(run: Invoke, saved: Path) -> None:
    edited = _edit(saved, 'harvest = "2027-03-01"\nstay', 'harvest = "2027-03-08"\nstay')
    data = _json(run, "--plan", str(edited))
    assert data["harvest"] == "2027-03-08"
    assert data["revision"] == 2
    assert data["changed_since_saved"] == []  # the record belonged to the old request: not compared
    assert data["notes"] == ["The request in the file was edited since it was saved: the plan was re-made from it."]


def test_options_given_with_a_plan_change_it(run: Invoke, saved: Path) -> None:
    moved = _json(run, "--plan", str(saved), "--inject", "2027-04-05")
    assert moved["injection"] == "2027-04-05"
    assert moved["visits"][1]["arrive"] == "2027-04-04"  # type: ignore[index]
    cn = _json(run, "--plan", str(saved), "--from", "CN")
    assert (cn["nationality"], cn["home_airport"], cn["cost"]["home"]["currency"]) == ("CN", "PEK", "CNY")  # type: ignore[index]
    assert cn["visa"]["apply_by"] is not None  # type: ignore[index]
    later = _json(run, "--plan", str(saved), "--harvest", "2027-05-10")
    assert later["harvest"] == "2027-05-10"
    assert str(later["injection"]) > "2027-05-10"  # the old injection day belonged to the old window


def test_an_option_that_cannot_apply_is_refused(run: Invoke, saved: Path) -> None:
    result = run("schedule", "--plan", str(saved), "--inject", "2027-05-30")
    assert result.exit_code == 2
    assert "2027-05-30 is outside the injection window 2027-03-23 to 2027-04-12 (option --inject)" in result.stderr
    result = run("schedule", "--plan", str(saved), "--clinic", "jp-tokyo-cultured-adipose", "--to", "MX")
    assert result.exit_code == 2
    assert "clinic jp-tokyo-cultured-adipose is in JP, not MX (option --to)" in result.stderr


def test_a_plan_saved_in_the_earlier_layout_opens_with_a_note(run: Invoke, saved: Path, tmp_path: Path) -> None:
    import tomli_w

    from tripplan.export import read_saved
    from tripplan.plain import to_plain
    from tripplan.plans import record_of

    now = read_saved(saved, new_id="x")
    old = {**to_plain(dataclasses.replace(now.record, request=now.request)), "version": 3}
    earlier = tmp_path / "old.toml"
    earlier.write_text(tomli_w.dumps(_no_none(old)), "utf-8")
    result = run("schedule", "--plan", str(earlier), "--save", str(earlier), "--force")
    assert result.exit_code == 0, result.stderr
    assert "saved by an earlier tripplan (layout 3)" in result.stderr
    text = earlier.read_text("utf-8")
    assert text.count("format = 4") == 1
    assert "[request]" in text
    assert "[record]" in text
    again = read_saved(earlier, new_id="y")
    assert again.record == record_of(dataclasses.replace(now.record, made_on=TODAY))
    assert again.id != "y"  # the id it was given when re-saved is kept from now on
    v2 = {k: v for k, v in old.items() if k != "request"} | {"version": 2}
    earlier.write_text(tomli_w.dumps(_no_none(v2)), "utf-8")
    data = _json(run, "--plan", str(earlier))
    assert data["harvest"] == "2027-03-01"
    assert data["injection"] == "2027-03-23"
    assert "layout 2" in data["notes"][0]  # type: ignore[index]


def _no_none(value: object) -> object:
    if isinstance(value, dict):
        return {k: _no_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_no_none(v) for v in value]
    return value


# --- the patient label -----------------------------------------------------------------------------------


def test_the_patient_label_is_kept_and_shown_but_not_in_json(run: Invoke, tmp_path: Path) -> None:
    import icalendar

    plan, ics, html = tmp_path / "p.toml", tmp_path / "p.ics", tmp_path / "p.html"
    args = ("--harvest", "2027-03-01", "--from", "US", "--patient", "Mrs Tanaka (room 4)")
    result = run("schedule", *args, "--save", str(plan), "--ics", str(ics), "--html", str(html))
    assert result.exit_code == 0, result.stderr
    assert 'patient = "Mrs Tanaka (room 4)"' in plan.read_text("utf-8")
    cal = icalendar.Calendar.from_ical(ics.read_bytes())
    assert str(cal["x-wr-calname"]) == "Treatment trip: Japan — Mrs Tanaka (room 4)"
    assert all("Plan for: Mrs Tanaka (room 4)" in str(e["description"]) for e in cal.walk("VEVENT"))
    assert "<title>Treatment trip plan for Mrs Tanaka (room 4): Japan (knee)</title>" in html.read_text("utf-8")
    for where in (args, ("--plan", str(plan))):
        out = run("schedule", *where, "--json").stdout
        assert "Tanaka" not in out
        assert json.loads(run("schedule", *where, "--json", "--json-patient").stdout)["patient"] == (
            "Mrs Tanaka (room 4)"
        )
    relabelled = _json(run, "--plan", str(plan), "--patient", "T. K.", "--json-patient")
    assert relabelled["patient"] == "T. K."
    assert relabelled["revision"] == 2


@pytest.mark.parametrize(
    "label", ["x" * 81, "a\x1b[2Jb", "a\u009bb", "Bob\u202eecilA", "Bo\u200bb", "A\u2066b\u2069", "a\ufeffb"]
)
def test_a_bad_patient_label_is_refused(run: Invoke, label: str) -> None:
    result = run("schedule", "--harvest", "2027-03-01", "--patient", label)
    assert result.exit_code == 2
    assert "(option --patient)" in result.stderr
    assert "\x1b" not in result.stderr


# --- strict JSON -----------------------------------------------------------------------------------------


def test_json_output_is_strict(capsys: pytest.CaptureFixture[str]) -> None:
    from tripplan.render.common import emit_json

    emit_json({"hours": 1.5})
    assert json.loads(capsys.readouterr().out) == {"hours": 1.5}
    for bad in (math.nan, math.inf, -math.inf):  # a non-finite number is an internal error, never printed
        with pytest.raises(ValueError, match="JSON compliant"):
            emit_json({"hours": bad})
        assert capsys.readouterr().out == ""


# --- comments and layout kept ----------------------------------------------------------------------------

COMMENTS = {
    "# A tripplan plan.": "# A tripplan plan.\n# top: booked with Dr. Sato on 2026-11-20",
    "id = ": "# above the id\nid = ",
    'destination = "JP"\njoint': 'destination = "JP"  # request: Tokyo first\njoint',
    "[request.overrides]\n": "[request.overrides]\n# no overrides yet\n",
    "[record]\n": "[record]\n# record: computed\n\n",
    "flight_hours = 11.8": "flight_hours = 11.8  # checked on the airline site",
    "[record.injection_window]\n": "[record.injection_window]\n# window from the lab\n",
    'name = "Visit 1 (harvest)"\nleave_home': '# first visit\nname = "Visit 1 (harvest)"  # fat harvest\nleave_home',
    'name = "Visit 2 (injection)"\nleave_home': 'name = "Visit 2 (injection)"  # the injection trip\nleave_home',
    'date = "2027-03-21"': 'date = "2027-03-21"  # a Sunday anyway',
    "[record.visa]\n": "[record.visa]\n\n\n# visa: US passport\n",
    "[[calendar]]\n": "[[calendar]]\n# exported to Google on 2026-11-22\n",
}


def _commented(saved: Path) -> str:
    text = saved.read_text("utf-8")
    for old, new in COMMENTS.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    text = text.replace("culture_weeks = [\n    3,\n    6,\n]", "culture_weeks = [\n    3,  # min\n    6,  # max\n]", 1)
    saved.write_text(text, "utf-8")
    return text


def test_rewriting_an_unchanged_plan_keeps_the_file_byte_for_byte(run: Invoke, saved: Path) -> None:
    before = _commented(saved)
    result = run("schedule", "--plan", str(saved), "--save", str(saved), "--force")
    assert result.exit_code == 0, result.stderr
    after = saved.read_text("utf-8")
    assert after == before.replace(f'saved_on = "{TODAY}"', f'saved_on = "{TODAY}"')


def test_rewriting_a_changed_plan_keeps_every_comment(run: Invoke, saved: Path) -> None:
    before = _commented(saved)
    result = run("schedule", "--plan", str(saved), "--inject", "2027-04-05", "--save", str(saved), "--force")
    assert result.exit_code == 0, result.stderr
    after = saved.read_text("utf-8")
    for new in COMMENTS.values():
        for line in new.splitlines():
            if line.lstrip().startswith("#") or "  # " in line:
                assert line.split("#", 1)[1] in after, line
    assert "    3,  # min\n    6,  # max\n" in after
    assert 'inject = "2027-04-05"' in after
    assert 'injection = "2027-04-05"' in after
    assert "revision = 2" in after
    # outside the values that changed, the file is the same, line for line: only `key = value` lines differ
    import difflib

    diff = [d for d in difflib.ndiff(before.splitlines(), after.splitlines()) if d[:2] in ("- ", "+ ")]
    assert diff
    tables = ("[[calendar]]", "[[record.steps]]", "[[record.visa.stays]]", "]", "")  # a changed list re-laid out
    odd = [d for d in diff if not (" = " in d or d[2:].strip() in tables)]
    assert not odd, odd
    removed = [d[2:] for d in diff if d.startswith("- ")]
    assert not [line for line in removed if "#" in line and not line.startswith("saved_on")], removed
    assert json.loads(run("schedule", "--plan", str(saved), "--json").stdout)["injection"] == "2027-04-05"


# --- the re-open rules, without the CLI ------------------------------------------------------------------

REQUEST = PlanRequest(destination="JP", joint="knee", nationality="US", harvest=dt.date(2027, 3, 1))


def test_a_new_request_needs_a_harvest_and_takes_the_defaults(cat: Catalog) -> None:
    with pytest.raises(UsageError, match="a harvest day is required") as e:
        plan_request(cat=cat, saved=None, changes=Changes(nationality="US"))
    assert e.value.field == "harvest"
    r = plan_request(cat=cat, saved=None, changes=Changes(harvest=dt.date(2027, 3, 1)))
    assert (r.destination, r.joint, r.clinic, r.inject) == ("JP", "knee", None, None)
    assert plan_request(cat=cat, saved=None, changes=Changes(harvest=r.harvest, joint="hip")).joint == "hip"


def test_a_clinic_sets_the_destination(cat: Catalog) -> None:
    clinic = next(c for c in cat.clinics.values() if c.country == "JP")
    r = plan_request(cat=cat, saved=REQUEST, changes=Changes(clinic=clinic.id))
    assert (r.clinic, r.destination) == (clinic.id, "JP")
    with pytest.raises(UsageError, match=f"clinic {clinic.id} is in JP, not MX") as e:
        plan_request(cat=cat, saved=REQUEST, changes=Changes(clinic=clinic.id, destination="MX"))
    assert e.value.field == "destination"


def test_a_changed_window_drops_the_saved_injection_day(cat: Catalog) -> None:
    kept = dataclasses.replace(REQUEST, inject=dt.date(2027, 4, 5))
    assert plan_request(cat=cat, saved=kept, changes=Changes(nationality="CN")).inject == dt.date(2027, 4, 5)
    assert plan_request(cat=cat, saved=kept, changes=Changes(harvest=dt.date(2027, 3, 8))).inject is None
    assert plan_request(cat=cat, saved=kept, changes=Changes(culture_weeks=(4, 6))).inject is None
    assert plan_request(cat=cat, saved=kept, changes=Changes(destination="KR")).inject is None
    given = plan_request(cat=cat, saved=kept, changes=Changes(harvest=dt.date(2027, 3, 8), inject=dt.date(2027, 4, 9)))
    assert given.inject == dt.date(2027, 4, 9)
    same = plan_request(cat=cat, saved=kept, changes=Changes(harvest=kept.harvest))  # the same day: nothing moved
    assert same.inject == kept.inject


def test_a_changed_destination_drops_the_saved_clinic(cat: Catalog) -> None:
    clinic = next(c for c in cat.clinics.values() if c.country == "JP")
    at = dataclasses.replace(REQUEST, clinic=clinic.id)
    assert plan_request(cat=cat, saved=at, changes=Changes(destination="KR")).clinic is None
    assert plan_request(cat=cat, saved=at, changes=Changes(destination="JP")).clinic == clinic.id
    assert plan_request(cat=cat, saved=at, changes=Changes(joint="hip")).clinic == clinic.id


def test_overrides_are_merged_field_by_field(cat: Catalog) -> None:
    at = dataclasses.replace(REQUEST, overrides=Overrides(fare=Span(low=900, high=900), nightly=Span(low=80, high=80)))
    r = plan_request(cat=cat, saved=at, changes=Changes(overrides=Overrides(fare=Span(low=700, high=1000), rate=150.0)))
    assert r.overrides == Overrides(fare=Span(low=700, high=1000), nightly=Span(low=80, high=80), rate=150.0)


def _saved(cat: Catalog, request: PlanRequest = REQUEST) -> SavedPlan:
    opened = open_plan(cat=cat, saved=None, changes=Changes(**{
        k: getattr(request, k) for k in ("harvest", "destination", "joint", "nationality")
    }), patient=None, new_id="0123456789abcdef", today=TODAY)  # fmt: skip
    return to_save(opened, calendar=[], today=TODAY)


def test_reopening_recomputes_and_counts_revisions(cat: Catalog) -> None:
    saved = _saved(cat)
    same = open_plan(cat=cat, saved=saved, changes=Changes(), patient=None, new_id="unused", today=TODAY)
    assert (same.id, same.revision, same.changed_since_saved, same.notes) == ("0123456789abcdef", 1, [], [])
    moved = open_plan(
        cat=cat, saved=saved, changes=Changes(inject=dt.date(2027, 4, 5)), patient=None, new_id="x", today=TODAY
    )
    assert (moved.id, moved.revision, moved.plan.injection) == ("0123456789abcdef", 2, dt.date(2027, 4, 5))


def test_a_catalog_change_is_told_apart_from_a_hand_edit(cat: Catalog) -> None:
    saved = _saved(cat)
    assert saved.record.cost is not None
    assert saved.record.cost.total is not None
    cost = dataclasses.replace(saved.record.cost, total=Span(low=8000, high=30000))
    older = dataclasses.replace(saved.record, cost=cost)  # as an older catalog computed it, digest and all
    then = dataclasses.replace(saved, record=older, record_digest=digest(older), saved_on=dt.date(2026, 6, 1))
    opened = open_plan(cat=cat, saved=then, changes=Changes(), patient=None, new_id="x", today=TODAY)
    (d,) = opened.changed_since_saved
    assert (d.field, d.edited, str(d)) == (
        "cost.total",
        False,
        "cost.total: saved as $8,000 – $30,000; recomputed $9,250 – $35,770",
    )
    assert "changed since this plan was saved on 2026-06-01" in opened.notes[0]
    assert opened.revision == saved.revision + 1
    edited = dataclasses.replace(then, record_digest=saved.record_digest)  # the record no longer matches its digest
    (d,) = open_plan(
        cat=cat, saved=edited, changes=Changes(), patient=None, new_id="x", today=TODAY
    ).changed_since_saved
    assert d.edited
    assert str(d).startswith("cost.total: the file said $8,000 – $30,000")


def test_a_broken_saved_request_names_its_field(cat: Catalog) -> None:
    saved = dataclasses.replace(_saved(cat), request=dataclasses.replace(REQUEST, harvest=dt.date(2027, 3, 21)))
    with pytest.raises(SavedPlanError) as e:
        open_plan(cat=cat, saved=saved, changes=Changes(), patient=None, new_id="x", today=TODAY)
    assert e.value.problems[0][0] == "request.harvest"
    # the same harvest given on the command line is the user's usage error, not the file's
    with pytest.raises(UsageError):
        open_plan(
            cat=cat,
            saved=_saved(cat),
            changes=Changes(harvest=dt.date(2027, 3, 21)),
            patient=None,
            new_id="x",
            today=TODAY,
        )
    fixed = open_plan(
        cat=cat, saved=saved, changes=Changes(harvest=dt.date(2027, 3, 8)), patient=None, new_id="x", today=TODAY
    )
    assert fixed.plan.harvest == dt.date(2027, 3, 8)


def test_bad_values_walks_every_field(cat: Catalog) -> None:
    plan = _saved(cat).record
    assert bad_values(plan) == []
    odd = dataclasses.replace(plan, flight_hours=math.nan, cell_source="a\x1bb", harvest=dt.date(1999, 1, 1))
    fields = [f for f, _ in bad_values(odd)]
    assert fields == ["harvest", "flight_hours", "cell_source"] or sorted(fields) == sorted(
        ["harvest", "flight_hours", "cell_source"]
    )


# --- calendar numbering, without the CLI -----------------------------------------------------------------


def test_event_numbers_grow_by_change_not_by_clock(cat: Catalog) -> None:
    from tripplan.events import plan_events

    saved = _saved(cat)
    first = number_events(events=plan_events(cat, saved.record), previous=[], patient=None)
    assert {s.sequence for s in first} == {0}
    assert number_events(events=plan_events(cat, saved.record), previous=first, patient=None) == first
    moved = open_plan(
        cat=cat, saved=saved, changes=Changes(inject=dt.date(2027, 4, 5)), patient=None, new_id="x", today=TODAY
    )
    second = {s.key: s for s in number_events(events=plan_events(cat, moved.plan), previous=first, patient=None)}
    before = {s.key: s for s in first}
    assert second["injection"].sequence == 1
    assert second["harvest"].sequence == 0
    relabelled = number_events(events=plan_events(cat, saved.record), previous=first, patient="A")
    assert {s.sequence for s in relabelled} == {1}  # the label is in every description
    later = open_plan(
        cat=cat, saved=saved, changes=Changes(harvest=dt.date(2027, 6, 1)), patient=None, new_id="x", today=TODAY
    )
    third = number_events(events=plan_events(cat, later.plan), previous=first, patient=None)
    cancelled = [s for s in third if s.cancelled]
    assert {s.key for s in cancelled} == {"closed-2027-03-21", "closed-2027-03-22"}
    assert all(s.sequence == before[s.key].sequence + 1 for s in cancelled)
    fourth = number_events(events=plan_events(cat, later.plan), previous=third, patient=None)
    assert not [s for s in fourth if s.cancelled]


def test_events_take_airports_from_the_plan(cat: Catalog) -> None:
    from tripplan.events import plan_events

    plan = dataclasses.replace(
        _saved(cat).record, home_airport_place="Home Field (XXX)", destination_airport_place="Far (YYY)"
    )
    places = {e.kind: e.place for e in plan_events(cat, plan)}
    assert places["leave-home-1"] == "Home Field (XXX)"
    assert places["arrive-1"] == "Far (YYY)"


# --- every plan schedule makes keeps the rules -----------------------------------------------------------

DESTINATIONS = ["JP", "MX", "KR", "TH"]


@settings(deadline=None)  # a plan now also reads the home country's holidays (the holidays package, uncached here)
@given(
    destination=st.sampled_from(DESTINATIONS),
    nationality=st.sampled_from(["US", "CN", "GB", "IN", "BR", None]),
    offset=st.integers(min_value=0, max_value=3 * 365),
    stay_through=st.booleans(),
    joint=st.sampled_from(["knee", "hip", "shoulder"]),
)
def test_every_plan_schedule_makes_passes_the_checks(
    cat: Catalog, destination: str, nationality: str | None, offset: int, stay_through: bool, joint: str
) -> None:
    harvest = dt.date(2027, 1, 4) + dt.timedelta(days=offset)
    request = PlanRequest(
        destination=destination, nationality=nationality, joint=joint, harvest=harvest, stay_through=stay_through
    )
    closed = closures(cat.countries[destination], None, [harvest.year])
    if harvest in closed and closed[harvest].certain:  # refused before any plan exists
        with pytest.raises(UsageError, match="the clinic is closed on"):
            plan_for(cat=cat, request=request, today=TODAY)
        return
    plan = plan_for(cat=cat, request=request, today=TODAY)
    assert check_plan(cat=cat, plan=plan) == []
    assert bad_values(plan) == []


def test_new_safety_actions_since_saving_are_listed(cat: Catalog) -> None:
    saved = _saved(cat)
    known = saved.safety_actions
    assert known  # the shipped catalog lists Japan's actions
    before = dataclasses.replace(saved, safety_actions=known[1:], saved_on=dt.date(2026, 1, 5))
    opened = open_plan(cat=cat, saved=before, changes=Changes(), patient=None, new_id="x", today=TODAY)
    (d,) = opened.changed_since_saved
    newest = next(a for a in cat.safety_actions if a.id == known[0])
    assert d.field == "safety_actions"
    assert not d.edited
    assert f"{newest.date} {newest.authority}: {newest.action}" in d.recomputed
    assert "saved on 2026-01-05" in opened.notes[0]
    assert open_plan(cat=cat, saved=saved, changes=Changes(), patient=None, new_id="x", today=TODAY).notes == []
    unrecorded = dataclasses.replace(saved, safety_actions=None)  # an earlier layout kept none
    assert open_plan(cat=cat, saved=unrecorded, changes=Changes(), patient=None, new_id="x", today=TODAY).notes == []


# --- any hand edit is a plan or a named problem, never a crash -------------------------------------------


@pytest.fixture(scope="module")
def saved_text(tmp_path_factory: pytest.TempPathFactory, cat: Catalog) -> str:
    from tripplan.export import saved_to_toml

    return saved_to_toml(_saved(cat)).decode("utf-8")


def _leaves(value: object, at: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaves(v, (*at, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaves(v, (*at, i))]
    return [at]


HOSTILE = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["\x1b[2J", "\u202e", "2027-02-30", "9999-01-01", "", "nan", "ZZ"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.booleans(),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.lists(st.integers(), max_size=3),
)


@settings(max_examples=150)
@given(pick=st.integers(min_value=0), value=HOSTILE)
def test_any_hand_edit_reopens_or_is_named(
    cat: Catalog, saved_text: str, tmp_path_factory: pytest.TempPathFactory, pick: int, value: object
) -> None:
    import tomlkit

    from tripplan.errors import DataError
    from tripplan.export import read_saved

    doc = tomlkit.parse(saved_text)
    paths = _leaves(doc.unwrap())
    path = paths[pick % len(paths)]
    target: object = doc
    for key in path[:-1]:
        target = target[key]  # type: ignore[index]
    target[path[-1]] = value  # type: ignore[index]
    f = tmp_path_factory.mktemp("edit") / "plan.toml"
    f.write_text(tomlkit.dumps(doc), "utf-8")
    problem: Exception | None = None
    try:
        saved = read_saved(f, new_id="0123456789abcdef")
        opened = open_plan(cat=cat, saved=saved, changes=Changes(), patient=None, new_id="x", today=TODAY)
    except (DataError, SavedPlanError) as e:  # anything else (a usage error, a crash) fails the test
        problem = e
    if isinstance(problem, DataError):  # every problem named: the field, or the line TOML gives
        assert problem.problems
        assert all(p.field or p.line for p in problem.problems), problem
    elif isinstance(problem, SavedPlanError):
        assert all(field.startswith("request") for field, _ in problem.problems)
    elif problem is None:
        assert bad_values(opened.plan) == []
        json.dumps(to_plain_json(opened), allow_nan=False)


def to_plain_json(opened: object) -> object:
    from tripplan.plans import OpenedPlan, json_view

    assert isinstance(opened, OpenedPlan)
    return json_view(opened, with_patient=True)


# --- outputs never overwrite each other or the plan read ---------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"), [("--plan", "--ics"), ("--plan", "--html"), ("--ics", "--save"), ("--ics", "--html")]
)
def test_two_outputs_or_an_output_and_the_plan_naming_one_file_are_refused(
    run: Invoke, saved: Path, tmp_path: Path, first: str, second: str
) -> None:
    before = saved.read_bytes()
    args = ("--harvest", "2027-03-01") if first != "--plan" else ()
    result = run("schedule", *args, first, str(saved), second, str(tmp_path / "." / saved.name), "--force")
    assert result.exit_code == 2, result.stdout
    assert f"{first} and {second} name the same file" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
    assert saved.read_bytes() == before


def test_a_hard_link_to_the_plan_is_the_same_file(run: Invoke, saved: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.ics"
    link.hardlink_to(saved)
    before = saved.read_bytes()
    result = run("schedule", "--plan", str(saved), "--ics", str(link), "--force")
    assert result.exit_code == 2
    assert saved.read_bytes() == before


def test_the_plan_may_still_be_saved_over_itself(run: Invoke, saved: Path) -> None:
    result = run("schedule", "--plan", str(saved), "--save", str(saved), "--force")
    assert result.exit_code == 0, result.stderr


# --- a plan saved by the previous release (922caf3, layout 3) ----------------------------------------------

RELEASE = Path(__file__).parent / "fixtures" / "release_922caf3"


def test_a_plan_of_the_previous_release_reopens_without_false_edits(run: Invoke, tmp_path: Path) -> None:
    old = tmp_path / "old.toml"
    old.write_bytes((RELEASE / "plan.toml").read_bytes())
    result = run("schedule", "--plan", str(old), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    changed = data["changed_since_saved"]
    fields = {c["field"] for c in changed}
    assert not fields & {"home_airport_place", "destination_airport_place"}  # the old layout lacked them
    assert all(c["saved"] for c in changed)
    assert not any(c["edited"] for c in changed)  # no digest: a difference is the catalog's, not a hand edit
    if "fly_home_source" in fields:
        assert any(n.startswith("The catalog") for n in data["notes"])
    assert not any("edited in the file" in n for n in data["notes"])


def test_a_plan_of_the_previous_release_keeps_its_calendar_events(run: Invoke, tmp_path: Path) -> None:
    import icalendar

    old = tmp_path / "old.toml"
    old.write_bytes((RELEASE / "plan.toml").read_bytes())
    before = icalendar.Calendar.from_ical((RELEASE / "plan.ics").read_bytes())
    sent = {str(e["uid"]): int(e["sequence"]) for e in before.walk("VEVENT")}
    ics = tmp_path / "new.ics"
    cancelled: set[str] = set()
    for first in (True, False):  # exported from the old file, then from the plan saved over it
        result = run("schedule", "--plan", str(old), "--ics", str(ics), "--save", str(old), "--force")
        assert result.exit_code == 0, result.stderr
        after = icalendar.Calendar.from_ical(ics.read_bytes())
        uids = [str(e["uid"]) for e in after.walk("VEVENT")]
        assert len(uids) == len(set(uids))
        # every old event is updated or (once, in the first export) cancelled; none added twice
        assert set(sent) - (set() if first else cancelled) <= set(uids)
        for e in after.walk("VEVENT"):
            if str(e["uid"]) in sent:
                assert int(e["sequence"]) > sent[str(e["uid"])]  # a calendar takes the update
            if first and str(e.get("status", "")) == "CANCELLED":
                cancelled.add(str(e["uid"]))
    assert "format = 4" in old.read_text("utf-8")
