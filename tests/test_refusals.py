"""Input refused for the right reason, with the exact message: a weekday that contradicts its date, a number
over a cap, an unknown nationality (every command alike), an empty value; and the years a plan may hold are
the same when it is written and when it is re-opened."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Invoke


def _error(run: Invoke, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    return " ".join(result.stderr.split())


def test_a_weekday_that_contradicts_its_date_is_refused(run: Invoke) -> None:
    message = _error(run, "schedule", "--harvest", "Fri 1 March 2027", "--from", "US")
    assert message == (
        "Error: --harvest 'Fri 1 March 2027': 1 March 2027 is a Monday, not a Friday; "
        "give the date alone or its right weekday"
    )


@pytest.mark.parametrize("text", ["Mon 1 March 2027", "Monday, 1 March 2027", "1 March 2027", "Mon 1st March 2027"])
def test_a_weekday_that_agrees_is_read(run_json: object, text: str) -> None:
    plan = run_json("schedule", "--harvest", text, "--from", "US")  # type: ignore[operator]
    assert plan["harvest"] == "2027-03-01"


def test_an_ordinal_is_not_taken_for_a_weekday() -> None:
    from tripplan.dates import parse_day

    assert parse_day("4th March 2027", field="x").isoformat() == "2027-03-04"  # "th" is no Thursday
    assert parse_day("Tues 2 March 2027", field="x").isoformat() == "2027-03-02"


def test_a_fare_over_the_cap_is_too_large_not_malformed(run: Invoke) -> None:
    message = _error(run, "quote", "--joint", "knee", "--from", "US", "--fare", "99999999999999999")
    assert message == "Error: --fare '99999999999999999' is too large: at most 1,000,000,000 US dollars"
    message = _error(run, "quote", "--joint", "knee", "--from", "US", "--nightly", "10-1000000001")
    assert message == "Error: --nightly '10-1000000001' is too large: at most 1,000,000,000 US dollars"
    assert run("quote", "--joint", "knee", "--from", "US", "--fare", "0000000000000900", "--json").exit_code == 0


def test_a_rate_over_the_cap_is_too_large_not_negative(run: Invoke) -> None:
    message = _error(run, "quote", "--joint", "knee", "--from", "US", "--currency", "CNY", "--rate", "1e9")
    assert message == "Error: --rate 1e+09 is too large: at most 10,000,000 currency units per US dollar"
    message = _error(run, "quote", "--joint", "knee", "--from", "US", "--rate", "0")
    assert message == "Error: --rate 0 must be a positive number of currency units per US dollar"


@pytest.mark.parametrize(
    "args",
    [
        ("visa", "--from", "ZZ"),
        ("quote", "--joint", "knee", "--from", "ZZ"),
        ("quote", "--joint", "knee", "--from", "ZZ", "--airport", "LAX"),
        ("compare", "--countries", "JP,MX", "--from", "ZZ"),
        ("schedule", "--harvest", "2027-03-01", "--from", "ZZ"),
    ],
    ids=lambda a: a[0],
)
def test_an_unknown_nationality_is_refused_by_every_command_alike(run: Invoke, args: tuple[str, ...]) -> None:
    assert _error(run, *args) == (
        "Error: unknown nationality 'ZZ': the passport data set (passport-index, 2025-01-12) lists no passport of "
        "Unknown or unassigned country (ZZ). Give the country that issued your passport, e.g. US, CN (option --from)"
    )


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("quote", "--joint", "knee", "--from", "US", "--currency", ""), "--currency"),
        (("quote", "--joint", " ", "--from", "US"), "--joint"),
        (("quote", "--joint", "knee", "--from", "US", "--clinic", ""), "--clinic"),
        (("compare", "--countries", "JP", "--condition", ""), "--condition"),
        (("schedule", "--harvest", "2027-03-01", "--airport", ""), "--airport"),
        (("visa", "--from", ""), "--from"),
    ],
    ids=lambda a: a if isinstance(a, str) else a[0],
)
def test_an_empty_value_is_refused_never_ignored(run: Invoke, args: tuple[str, ...], option: str) -> None:
    assert _error(run, *args) == f"Error: {option} is empty: give a value, or leave the option out"


def _every_value_taken() -> list[tuple[tuple[str, ...], str, str]]:
    """(command words, how the value is given, what the refusal names) for every option and argument of
    every command that takes a value, read from the CLI itself (so a new option is covered when added)."""
    import typer.main

    from tripplan.cli import app

    found = []

    def walk(command: object, words: tuple[str, ...]) -> None:
        for p in command.params:  # type: ignore[attr-defined]
            if getattr(p, "is_flag", False) or getattr(p, "hidden", False):
                continue
            if p.param_type_name == "option":
                found.append((words, max(p.opts, key=len), max(p.opts, key=len)))
            else:
                found.append((words, "", p.make_metavar(None).strip("[].").upper()))
        if hasattr(command, "list_commands"):
            for name in command.list_commands(None):
                walk(command.get_command(None, name), (*words, name))

    walk(typer.main.get_command(app), ())
    return found


EVERY_VALUE = _every_value_taken()


@pytest.mark.parametrize("empty", ["", " "], ids=["empty", "blank"])
@pytest.mark.parametrize(
    ("words", "option", "named"), EVERY_VALUE, ids=lambda a: " ".join(a) if isinstance(a, tuple) else a
)
def test_every_option_refuses_an_empty_value_before_reading_it(
    run: Invoke, words: tuple[str, ...], option: str, named: str, empty: str
) -> None:
    """`--rate ""` is "empty", not Click's "not a valid float"; `--ics ""` is not the current folder; an
    empty argument (`clinics show ""`) is refused alike: every option and argument, whatever its type."""
    if not option:  # an argument
        assert _error(run, *words, empty) == f"Error: {named} is empty: give a value"
        return
    if not words:  # the group's own option, before a command
        words, option = (option,), "safety"
        assert _error(run, *words, empty, option) == f"Error: {named} is empty: give a value, or leave the option out"
        return
    assert _error(run, *words, option, empty) == f"Error: {named} is empty: give a value, or leave the option out"
    assert _error(run, *words, f"{option}={empty}") == f"Error: {named} is empty: give a value, or leave the option out"


def test_the_walk_sees_the_options_of_every_type() -> None:
    """The test above covers the float, path and argument values the issue names (so it can fail)."""
    given = {(" ".join(w), o or n) for w, o, n in EVERY_VALUE}
    for wanted in [
        ("quote", "--rate"),
        ("compare", "--rate"),
        ("schedule", "--ics"),
        ("schedule", "--plan"),
        ("", "--data-dir"),
        ("clinics add", "--from-file"),
        ("data check", "PATH"),
        ("clinics show", "ID"),
    ]:
        assert wanted in given, wanted


def test_a_plan_whose_follow_ups_pass_the_last_harvest_year_re_opens(run: Invoke, tmp_path: Path) -> None:
    import json

    saved = tmp_path / "late.toml"
    made = run("schedule", "--harvest", "2099-11-01", "--from", "US", "--save", str(saved), "--json")
    assert made.exit_code == 0, made.stderr
    written = json.loads(made.stdout)
    assert any(s["date"] >= "2100-01-01" for s in written["steps"])  # the follow-ups run into 2100
    again = run("schedule", "--plan", str(saved), "--json")
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout)["steps"] == written["steps"]
    late = _error(run, "schedule", "--harvest", "2100-01-04", "--from", "US")
    assert "outside the years tripplan plans for (2000-01-01 to 2099-12-31)" in late
