"""A catalog a user can grow: a new destination from data files only, prices in any currency, docs current."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from .conftest import Invoke

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "add-destination"


@pytest.fixture
def germany(data_dir: Path) -> Path:
    for f in EXAMPLE.glob("*.toml"):
        shutil.copy(f, data_dir / f.name)
    return data_dir


def test_example_validates(run: Invoke, germany: Path) -> None:
    result = run("data", "check")
    assert result.exit_code == 0, result.output
    assert "is valid" in result.stdout


def test_germany_quote_converts_the_eur_price(run: Invoke, germany: Path) -> None:
    data = json.loads(run("quote", "--joint", "knee", "--from", "US", "--to", "DE", "--json").stdout)
    de = data["destinations"][0]
    assert de["destination"] == "DE"
    row = de["treatment"]["sources"][0]
    assert row["quoted"] == {"low": 9000, "high": 14000, "currency": "EUR"}
    assert row["low"] == round(9000 / row["rate"])
    assert de["total"]["low"] == de["treatment"]["low"] + de["travel"]["total"]["low"]


def test_germany_clinic_quote_in_eur(run: Invoke, germany: Path) -> None:
    data = json.loads(run("quote", "--joint", "knee", "--from", "US", "--clinic", "example-frankfurt", "--json").stdout)
    line = data["destinations"][0]["treatment"]["sources"][0]
    assert line["quoted"]["currency"] == "EUR"
    assert line["low"] == round(10500 / line["rate"])


def test_germany_every_command(run: Invoke, germany: Path) -> None:
    for args in (
        ("quote", "--joint", "knee", "--from", "CN", "--to", "DE"),
        ("compare", "--countries", "DE,JP", "--from", "US"),
        ("schedule", "--harvest", "2027-03-03", "--to", "DE", "--from", "US"),
        ("visa", "--from", "CN", "--to", "DE"),
    ):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        assert "Germany" in result.stdout
    plan = json.loads(run("schedule", "--harvest", "2027-03-03", "--to", "DE", "--from", "US", "--json").stdout)
    assert plan["destination_airport"] == "FRA"
    assert plan["culture_weeks"] == [4, 6]  # the example's own protocol
    assert plan["cost"]["total"]["low"] > 0
    visa = json.loads(run("visa", "--from", "CN", "--to", "DE", "--json").stdout)
    assert visa[0]["kind"] == "visa required"  # from the passport-index matrix (no visas.toml in the example)


def test_price_in_a_currency_without_rate_is_a_data_problem(run: Invoke, germany: Path) -> None:
    prices = germany / "prices.toml"
    prices.write_text(prices.read_text("utf-8").replace('currency = "EUR"', 'currency = "VND"'), "utf-8")
    result = run("data", "check")
    assert result.exit_code == 1
    assert "prices.toml: record prices 'example-de-knee': field 'currency': no exchange rate for 'VND'" in result.stderr


def test_destination_outside_the_visa_data_is_named(run: Invoke, germany: Path) -> None:
    countries = germany / "countries.toml"
    countries.write_text(countries.read_text("utf-8").replace('code = "DE"', 'code = "AQ"'), "utf-8")
    for f in ("prices.toml", "clinics.toml"):
        (germany / f).write_text((germany / f).read_text("utf-8").replace('"DE"', '"AQ"'), "utf-8")
    result = run("data", "check")
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if line.startswith("  ")]
    assert len(problems) == 1, result.stderr
    assert "no visa data for destination 'AQ'" in problems[0]


def test_treatments_no_joint_reaches(run_json: object) -> None:
    data = run_json("quote", "--treatment", "nk-cells", "--from", "US")  # type: ignore[operator]
    jp = data["destinations"][0]
    row = jp["treatment"]["sources"][0]
    assert (row["unit"], row["count"]) == ("per infusion", 6)
    assert (row["low"], row["high"]) == (3000 * 6, 5000 * 6)  # the article's "typically 6" sessions


def test_rmb_figures_are_shown(run: Invoke) -> None:
    result = run("quote", "--joint", "knee", "--from", "CN", "--to", "JP", "--details")
    assert "the source prints 46,000–108,000 CNY" in " ".join(result.stdout.split())


def test_docs_are_current() -> None:
    spec = importlib.util.spec_from_file_location("build_docs", ROOT / "scripts" / "build_docs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stale = [str(p) for p, text in module.expected().items() if not p.is_file() or p.read_text("utf-8") != text]
    assert not stale, f"run python scripts/build_docs.py: {stale}"
    reference = (ROOT / "docs" / "data.md").read_text("utf-8")
    for name in ("treatments.toml", "redflags.toml", "visit1_days", "fly_home_source", "VisaMatrix"):
        assert name in reference
