"""The user's own records: a clinic's written quote is a source, and one broken file stops only the commands
that read it."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Invoke

BROKEN = '[[clinics]]\nid = "bad"\nname = 3\n'


def test_visa_runs_with_a_broken_clinics_file(run: Invoke, data_dir: Path) -> None:
    (data_dir / "clinics.toml").write_text(BROKEN, encoding="utf-8")
    for args in (
        ("visa", "--from", "US", "--to", "JP"),
        ("safety", "--to", "JP"),
        ("compare", "--countries", "JP,MX"),
        ("quote", "--joint", "knee", "--from", "US"),
        ("schedule", "--harvest", "2027-03-02", "--from", "US"),
    ):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
        assert len(warnings) == 1, (args, result.stderr)
        assert "clinics.toml" in warnings[0]
        assert "was not read" in warnings[0]
    data = json.loads(run("visa", "--from", "US", "--to", "JP", "--json").stdout)
    assert data[0]["destination"] == "JP"


def test_commands_that_read_the_broken_file_fail_naming_it(run: Invoke, data_dir: Path) -> None:
    (data_dir / "clinics.toml").write_text(BROKEN, encoding="utf-8")
    for args in (
        ("clinics", "list"),
        ("clinics", "check"),
        ("quote", "--clinic", "bad", "--joint", "knee", "--from", "US"),
    ):
        result = run(*args)
        assert result.exit_code == 1, args
        assert "clinics.toml: record clinics 'bad' (#1): field 'name'" in result.stderr, args


def test_another_broken_file_still_stops_every_command(run: Invoke, data_dir: Path) -> None:
    (data_dir / "sources.toml").write_text('[[sources]]\nid = "x"\n', encoding="utf-8")
    result = run("visa", "--from", "US", "--to", "JP")
    assert result.exit_code == 1
    assert "sources.toml" in result.stderr


def test_a_clinic_quote_is_a_source_and_conditions_are_optional(run: Invoke, data_dir: Path) -> None:
    (data_dir / "sources.toml").write_text(
        '[[sources]]\nid = "quote-tokyo-a"\nkind = "quote"\ntitle = "Written quote from Clinic A"\n'
        'publisher = "Clinic A"\ndate = 2026-11-20\nno_url_reason = "A paper quote handed to the patient."\n',
        encoding="utf-8",
    )
    (data_dir / "prices.toml").write_text(
        '[[prices]]\nid = "tokyo-a-knee"\ncountries = ["JP"]\ntreatment = "cultured-msc"\nprocessing = "cultured"\n'
        'scope = "knee"\njoints = ["knee"]\nlow = 1500000\nhigh = 1800000\ncurrency = "JPY"\n'
        'source = "quote-tokyo-a"\n',
        encoding="utf-8",
    )
    assert run("data", "check").exit_code == 0, run("data", "check").output
    data = json.loads(run("quote", "--joint", "knee", "--from", "US", "--to", "JP", "--json").stdout)
    rows = data["destinations"][0]["treatment"]["sources"]
    assert "quote-tokyo-a" in [r["source"] for r in rows]
    cited = {s["id"]: s for s in data["sources"]}
    assert cited["quote-tokyo-a"]["kind"] == "quote"
    assert cited["quote-tokyo-a"]["date"] == "2026-11-20"
