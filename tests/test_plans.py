"""Saved plans a patient can rely on: a hand-edited impossible plan is refused, options given with --plan
change it (and are re-checked), a rewrite keeps the user's comments, and fresh plans always pass the checks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import TODAY, Invoke
from tripplan.catalog import Catalog
from tripplan.closures import closures
from tripplan.errors import UsageError
from tripplan.plancheck import check_plan
from tripplan.schedule import PlanRequest, plan_for


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


def test_a_saved_plan_reopens_unchanged(run: Invoke, saved: Path) -> None:
    fresh = json.loads(run("schedule", "--harvest", "2027-03-01", "--from", "US", "--joint", "knee", "--json").stdout)
    again = json.loads(run("schedule", "--plan", str(saved), "--json").stdout)
    assert again == fresh


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'harvest = "2027-03-01"',
            'harvest = "2027-04-01"',
            "field 'harvest': the harvest (2027-04-01) is not during Visit 1 (harvest) (2027-02-28 to 2027-03-02)",
        ),
        (
            'injection = "2027-03-23"',
            'injection = "2027-03-27"',
            "field 'visits': Visit 2 (injection) flies home on 2027-03-25, less than 48 h after the injection on 2027-03-27",
        ),
        (
            'injection = "2027-03-23"',
            'injection = "2027-02-20"',
            "field 'injection': the injection (2027-02-20) is before the harvest (2027-03-01)",
        ),
        (
            'harvest = "2027-03-01"',
            'harvest = "2127-03-01"',
            "field 'harvest': 2127-03-01 is outside the years tripplan plans for (2000-01-01 to 2099-12-31)",
        ),
        (
            'depart = "2027-03-02"\narrive_home = "2027-03-02"\nnights = 2',
            'depart = "2027-03-01"\narrive_home = "2027-03-01"\nnights = 1',
            "field 'visits': Visit 1 (harvest) flies home on 2027-03-01, the day of the harvest (2027-03-01) or before it",
        ),
        ('destination = "JP"', 'destination = "ZZ"', "field 'destination': unknown destination 'ZZ'"),
        ("stay_through = false", "stay_through = false\nharvset = 1", "field 'harvset': unknown key"),
    ],
)
def test_an_impossible_plan_is_refused(run: Invoke, saved: Path, old: str, new: str, message: str) -> None:
    result = run("schedule", "--plan", str(_edit(saved, old, new)))
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_plan_on_a_closed_day_is_refused(run: Invoke, saved: Path) -> None:
    # 2027-03-22 is a substitute holiday in Japan: move the injection (and its visit) onto it
    edited = _edit(saved, 'injection = "2027-03-23"', 'injection = "2027-03-22"')
    text = edited.read_text("utf-8").replace('earliest = "2027-03-23"', 'earliest = "2027-03-22"')
    edited.write_text(text, "utf-8")
    result = run("schedule", "--plan", str(edited))
    assert result.exit_code == 1
    assert "field 'injection': the clinic is closed on 2027-03-22 (Substitute Holiday" in result.stderr


def test_options_given_with_a_plan_change_it(run: Invoke, saved: Path) -> None:
    moved = json.loads(run("schedule", "--plan", str(saved), "--inject", "2027-04-05", "--json").stdout)
    assert moved["injection"] == "2027-04-05"
    assert moved["visits"][1]["arrive"] == "2027-04-04"
    cn = json.loads(run("schedule", "--plan", str(saved), "--from", "CN", "--json").stdout)
    assert (cn["nationality"], cn["home_airport"], cn["cost"]["home"]["currency"]) == ("CN", "PEK", "CNY")
    assert cn["visa"]["apply_by"] is not None  # a Chinese passport needs the medical visa
    later = json.loads(run("schedule", "--plan", str(saved), "--harvest", "2027-05-10", "--json").stdout)
    assert later["harvest"] == "2027-05-10"
    assert later["injection"] > "2027-05-10"  # the old injection day belonged to the old window


def test_an_option_that_cannot_apply_is_refused(run: Invoke, saved: Path) -> None:
    result = run("schedule", "--plan", str(saved), "--inject", "2027-05-30")
    assert result.exit_code == 2
    assert "2027-05-30 is outside the injection window 2027-03-23 to 2027-04-12 (option --inject)" in result.stderr
    result = run("schedule", "--plan", str(saved), "--clinic", "jp-profile-tokyo-cultured", "--to", "MX")
    assert result.exit_code == 2


def test_rewriting_a_plan_keeps_comments(run: Invoke, saved: Path) -> None:
    text = saved.read_text("utf-8")
    text = text.replace('made_on = "2026-11-21"', 'made_on = "2026-11-21"  # first made with Dr. Sato')
    saved.write_text("# booked flights on 2026-11-20\n" + text, "utf-8")
    result = run("schedule", "--plan", str(saved), "--inject", "2027-04-05", "--save", str(saved), "--force")
    assert result.exit_code == 0, result.stderr
    after = saved.read_text("utf-8")
    assert after.startswith("# booked flights on 2026-11-20\n")
    assert "# first made with Dr. Sato" in after
    assert 'injection = "2027-04-05"' in after
    assert json.loads(run("schedule", "--plan", str(saved), "--json").stdout)["injection"] == "2027-04-05"


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
