"""Plan steps keep their order and the spacing their offsets give; a step pushed earlier says why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Invoke

FIRST = ["send-scans", "isscr-questions", "verify-plan", "choose-clinic", "clinic-documents", "visa-apply"]


def _steps(run: Invoke, nationality: str) -> dict[str, dict[str, str]]:
    """The plan's steps by id, as --json gives them."""
    result = run("schedule", "--harvest", "2027-03-01", "--from", nationality, "--json")
    assert result.exit_code == 0, result.output
    return {s["id"]: s for s in json.loads(result.stdout)["steps"]}


@pytest.mark.parametrize(
    ("nationality", "expected"),
    [
        # first arrival 2027-02-28: scans -8w, the questions, the MHLW check and the choice -4w; no medical visa
        ("US", {"send-scans": "2027-01-03", "isscr-questions": "2027-01-31", "verify-plan": "2027-01-31"}),
        # the Visa for Medical Stay: apply by 2027-01-15; the clinic's documents 2 weeks before (2027-01-01, New
        # Year closure: 2026-12-28); the choice no later; the scans still 4 weeks before the choice
        (
            "CN",
            {
                "send-scans": "2026-11-30",
                "isscr-questions": "2026-12-28",
                "verify-plan": "2026-12-28",
                "choose-clinic": "2026-12-28",
                "clinic-documents": "2026-12-28",
                "visa-apply": "2027-01-15",
            },
        ),
    ],
)
def test_exact_dates(run: Invoke, nationality: str, expected: dict[str, str]) -> None:
    steps = _steps(run, nationality)
    assert {k: steps[k]["date"] for k in expected} == expected


def test_steps_keep_order_and_spacing_and_say_why(run: Invoke) -> None:
    cn, us = _steps(run, "CN"), _steps(run, "US")
    assert us["choose-clinic"]["date"] == "2027-01-31"
    assert not any(s["moved_from"] or s["moved_by"] for s in us.values())
    dates = [cn[k]["date"] for k in FIRST]
    assert dates == sorted(dates)
    assert (cn["send-scans"]["moved_from"], cn["send-scans"]["moved_by"]) == ("2027-01-03", "choose-clinic")
    assert cn["send-scans"]["moved_gap_days"] == 28
    assert (cn["choose-clinic"]["moved_from"], cn["choose-clinic"]["moved_by"]) == ("2027-01-31", "clinic-documents")
    for key in ("isscr-questions", "verify-plan"):
        assert cn[key]["moved_by"] == "choose-clinic"
        assert cn[key]["moved_gap_days"] == 0
    assert cn["clinic-documents"]["moved_from"] is None
    wide = {"COLUMNS": "400"}
    text = run("schedule", "--harvest", "2027-03-01", "--from", "CN", "--details", env=wide).output
    assert "moved earlier from 2027-01-03: it comes 28 days before “Choose the clinic" in text
    assert "moved earlier from 2027-01-31: it comes before “Ask the chosen clinic for the visa documents" in text


def test_the_reason_is_in_the_page_and_the_calendar(run: Invoke, tmp_path: Path) -> None:
    page, ics = tmp_path / "plan.html", tmp_path / "plan.ics"
    result = run("schedule", "--harvest", "2027-03-01", "--from", "CN", "--html", str(page), "--ics", str(ics))
    assert result.exit_code == 0, result.output
    assert page.read_text(encoding="utf-8").count("moved earlier from") == 4
    assert "moved earlier from 2027-01-03" in ics.read_text(encoding="utf-8").replace("\r\n ", "")


def test_the_reason_in_chinese(run: Invoke) -> None:
    args = ("--lang", "zh", "schedule", "--harvest", "2027-03-01", "--from", "CN", "--details")
    text = run(*args, env={"COLUMNS": "400"}).output
    assert "已从2027-01-03提前" in text or "已从2027年1月3日" in text


def test_a_departure_before_today_is_said_everywhere(run: Invoke, tmp_path: Path) -> None:
    """Harvest 2026-12-01 made on 2026-11-30: visit 1 leaves home on 2026-11-29, yesterday."""
    today = {"TRIPPLAN_TODAY": "2026-11-30"}
    args = ("schedule", "--harvest", "2026-12-01", "--from", "US")
    data = json.loads(run(*args, "--json", env=today).stdout)
    assert data["visits"][0]["leave_home"] == "2026-11-29"
    said = "Visit 1 (harvest): you would leave home on 2026-11-29, before today (2026-11-30)"
    assert [w for w in data["warnings"] if w.startswith(said)]
    assert not [w for w in data["warnings"] if w.startswith("Visit 2 (injection): you would")]
    assert said in " ".join(run(*args, env=today).stderr.split())
    page = tmp_path / "plan.html"
    assert run(*args, "--html", str(page), env=today).exit_code == 0
    assert "you would leave home on" in page.read_text(encoding="utf-8")
    later = json.loads(run(*args, "--json", env={"TRIPPLAN_TODAY": "2026-11-29"}).stdout)
    assert not [w for w in later["warnings"] if "you would leave home" in w]


def test_a_past_harvest_says_each_visit_is_past(run: Invoke) -> None:
    result = run("schedule", "--harvest", "2020-01-06", "--json")
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.stdout)["warnings"]
    assert any(w.startswith("Visit 1 (harvest): you would arrive on 2020-01-05, before today") for w in warnings)
    assert any(w.startswith("Visit 2 (injection): you would arrive on") for w in warnings)
    refused = run("schedule", "--harvest", "2020-01-01")
    assert refused.exit_code == 2
    assert "nearest open days: 2019-12-28, 2020-01-04, 2020-01-05" in " ".join(refused.stderr.split())


def test_a_past_visit_in_chinese(run: Invoke) -> None:
    args = ("--lang", "zh", "schedule", "--harvest", "2026-12-01", "--from", "US", "--json")
    warnings = json.loads(run(*args, env={"TRIPPLAN_TODAY": "2026-11-30"}).stdout)["warnings"]
    assert any("早于今天" in w and "请选择更晚的采集日" in w for w in warnings)
