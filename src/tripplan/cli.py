"""The command line: parse options, call the domain, hand the result to rendering.

Errors become exit codes here and only here: 0 ok, 1 bad data or a failed write, 2 bad usage.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from tripplan import __version__
from tripplan.errors import DataError, TripplanError, UsageError
from tripplan.render.common import emit_json, err, out

ISSUES_URL = "the tripplan issue tracker"
F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="tripplan",
    help="Plan, cost and compare regenerative-medicine (stem-cell) treatment trips, offline. Every figure is sourced.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state: dict[str, Any] = {"data_dir": None, "debug": False}


def today() -> dt.date:
    """Today's date; TRIPPLAN_TODAY=YYYY-MM-DD fixes it (for tests and reproducible plans)."""
    fixed = os.environ.get("TRIPPLAN_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


def guarded(fn: F) -> F:
    """Run a command; a TripplanError becomes its message on stderr and its exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except DataError as e:
            err().print("Error: the data is not valid:", markup=False)
            err().print(str(e), markup=False, soft_wrap=True)
            raise typer.Exit(e.exit_code) from None
        except TripplanError as e:
            err().print(f"Error: {e}", markup=False, soft_wrap=True)
            raise typer.Exit(e.exit_code) from None
        except KeyboardInterrupt:
            err().print("Interrupted; nothing was half-written.", markup=False)
            raise typer.Exit(1) from None
        except OSError as e:  # a path the user gave that the system refuses (too long, no permission…)
            err().print(
                f"Error: cannot access {e.filename or 'a file'}: {e.strerror or e}", markup=False, soft_wrap=True
            )
            raise typer.Exit(1) from None
        except Exception as e:
            if _state["debug"] or os.environ.get("TRIPPLAN_DEBUG") == "1":
                raise
            err().print(
                f"Internal error: {type(e).__name__}: {e}\nThis is a bug in tripplan. Rerun with --debug "
                f"(or TRIPPLAN_DEBUG=1) for the full traceback and report it on {ISSUES_URL}.",
                markup=False,
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tripplan {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir", envvar="TRIPPLAN_DATA_DIR", help="Your own data folder (default: see 'tripplan data path')."
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback of an internal error.")] = False,
) -> None:
    """tripplan: what a treatment trip costs, when to go, and how destinations compare."""
    _state["data_dir"] = data_dir
    _state["debug"] = debug


def catalog(*, clinics: bool = True) -> Any:
    """The catalog; clinics=False for a command that uses no clinic (faster with a big user catalog)."""
    from tripplan.loader import load_catalog, user_data_dir

    return load_catalog(user_data_dir(_state["data_dir"]), clinics=clinics)


# ---- parsing helpers ---------------------------------------------------------------------------


def parse_date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as e:
        raise UsageError(f"{option} '{value}' is not a valid date (YYYY-MM-DD): {e}") from None


def parse_pair(value: str, option: str, *, unit: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d{1,9})\s*(?:-\s*(\d{1,9})\s*)?", value)
    if not m:
        raise UsageError(f"{option} '{value}' must be a whole number of {unit} or a range MIN-MAX, e.g. 3-6")
    low = int(m.group(1))
    high = int(m.group(2)) if m.group(2) else low
    if low > high:
        raise UsageError(f"{option} '{value}': the minimum {low} is greater than the maximum {high}")
    return low, high


def overrides(
    fare: str | None, nightly: str | None, daily: str | None, visa_fee: str | None, rate: float | None
) -> Any:
    from tripplan.money import Span
    from tripplan.travel import Overrides

    def span(value: str | None, option: str) -> Span | None:
        if value is None:
            return None
        low, high = parse_pair(value, option, unit="US dollars")
        return Span(low=low, high=high)

    if rate is not None and not (0 < rate < 1e7):
        raise UsageError(f"--rate {rate} must be a positive number of currency units per US dollar")
    return Overrides(
        fare=span(fare, "--fare"),
        nightly=span(nightly, "--nightly"),
        daily=span(daily, "--daily"),
        visa_fee=span(visa_fee, "--visa-fee"),
        rate=rate,
    )


Json = Annotated[bool, typer.Option("--json", help="Print JSON (stable keys) instead of tables.")]
From = Annotated[str, typer.Option("--from", help="Your nationality: ISO code (US, CN) or country name.")]


# ---- commands ----------------------------------------------------------------------------------


@app.command()
@guarded
def quote(
    joint: Annotated[str, typer.Option(help="Joint or tendon area: knee, hip, shoulder, elbow, ankle.")],
    nationality: From,
    condition: Annotated[
        str | None, typer.Option(help="Narrow prices to a condition, e.g. osteoarthritis, meniscus.")
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="Destinations, comma-separated (default: all with prices).")
    ] = None,
    clinic: Annotated[str | None, typer.Option(help="Quote one clinic (shipped profile or your own).")] = None,
    airport: Annotated[
        str | None, typer.Option(help="Home airport IATA code (default: your country's first hub).")
    ] = None,
    companion: Annotated[bool, typer.Option(help="A second traveller comes along.")] = False,
    currency: Annotated[
        str | None, typer.Option(help="Show totals in this currency (default: your home currency).")
    ] = None,
    fare: Annotated[str | None, typer.Option(help="Round-trip fare per traveller, USD: AMOUNT or LOW-HIGH.")] = None,
    nightly: Annotated[str | None, typer.Option(help="Hotel per night, USD: AMOUNT or LOW-HIGH.")] = None,
    daily: Annotated[str | None, typer.Option(help="Meals and transport per traveller per day, USD.")] = None,
    visa_fee: Annotated[str | None, typer.Option(help="Visa fee per traveller, USD.")] = None,
    rate: Annotated[float | None, typer.Option(help="Units of the shown currency per USD.")] = None,
    json: Json = False,
) -> None:
    """What the whole trip costs: treatment, flights, nights, visa, in USD and your currency, next to the price at home."""
    from tripplan import lookup
    from tripplan.quote import quote as make_quote

    cat = catalog(clinics=clinic is not None)
    result = make_quote(
        cat=cat,
        joint=lookup.resolve_joint(joint),
        condition=lookup.resolve_condition(cat, condition) if condition else None,
        nationality=lookup.resolve_country(cat, nationality),
        destinations=lookup.resolve_countries(cat, to) if to is not None else None,
        clinic=lookup.resolve_clinic(cat, clinic) if clinic else None,
        airport=lookup.resolve_airport(cat, airport).iata if airport else None,
        companion=companion,
        currency=currency.strip().upper() if currency else None,
        overrides=overrides(fare, nightly, daily, visa_fee, rate),
        today=today(),
    )
    if json:
        return emit_json(result)
    from tripplan.render.quote import render_quote

    render_quote(out(), cat, result)
    return None


@app.command()
@guarded
def schedule(
    harvest: Annotated[str | None, typer.Option(help="Day of the fat harvest on visit 1, YYYY-MM-DD.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Destination country (default: Japan).")] = None,
    clinic: Annotated[str | None, typer.Option(help="Clinic id (default: the destination's clinic profile).")] = None,
    nationality: Annotated[
        str | None, typer.Option("--from", help="Your nationality, for the visa check and flights.")
    ] = None,
    airport: Annotated[str | None, typer.Option(help="Home airport IATA code.")] = None,
    culture_weeks: Annotated[str | None, typer.Option(help="Culture window in weeks, MIN-MAX (e.g. 4-6).")] = None,
    inject: Annotated[str | None, typer.Option(help="Injection day inside the window, YYYY-MM-DD.")] = None,
    stay_through: Annotated[bool, typer.Option(help="Stay in the destination during the culture.")] = False,
    ics: Annotated[Path | None, typer.Option(help="Write the plan as an iCalendar file.")] = None,
    save: Annotated[Path | None, typer.Option(help="Save the plan as TOML.")] = None,
    plan: Annotated[Path | None, typer.Option(help="Re-open a plan saved with --save.")] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing --ics/--save file.")] = False,
    json: Json = False,
) -> None:
    """The dated plan: both visits, the injection window, clinic closures, visa limits, payments and recovery milestones."""
    from tripplan import lookup
    from tripplan.cache import cached_holidays
    from tripplan.export import plan_from_toml, plan_to_ics, plan_to_toml
    from tripplan.files import write_atomic
    from tripplan.schedule import make_plan

    cat = catalog()
    if plan is not None:
        if harvest is not None:
            raise UsageError("give either --plan (re-open a saved plan) or --harvest, not both")
        result = plan_from_toml(plan)
    else:
        if harvest is None:
            raise UsageError("--harvest YYYY-MM-DD is required (or --plan FILE to re-open a saved plan)")
        chosen = lookup.resolve_clinic(cat, clinic) if clinic else None
        destination = (
            chosen.country if chosen else (lookup.resolve_country(cat, to, destinations_only=True) if to else "JP")
        )
        if chosen is None and cat.countries[destination].default_clinic:
            chosen = cat.clinics.get(cat.countries[destination].default_clinic or "")
        if chosen is not None and to and lookup.resolve_country(cat, to, destinations_only=True) != chosen.country:
            raise UsageError(f"clinic {chosen.id} is in {chosen.country}, not {to}")
        result = make_plan(
            cat=cat,
            harvest=parse_date(harvest, "--harvest"),
            destination=destination,
            clinic=chosen,
            nationality=lookup.resolve_country(cat, nationality) if nationality else None,
            airport=lookup.resolve_airport(cat, airport).iata if airport else None,
            culture_weeks=parse_pair(culture_weeks, "--culture-weeks", unit="weeks") if culture_weeks else None,
            inject=parse_date(inject, "--inject") if inject else None,
            stay_through=stay_through,
            today=today(),
            holidays=cached_holidays,
        )
    written = []
    if ics is not None:
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        written.append(write_atomic(ics, plan_to_ics(result, now=now), force=force))
    if save is not None:
        written.append(write_atomic(save, plan_to_toml(result), force=force))
    for w in result.warnings:
        err().print(f"Warning: {w}", markup=False)
    for path in written:
        err().print(f"Wrote {path}", markup=False)
    if json:
        return emit_json(result)
    from tripplan.render.schedule import render_plan

    render_plan(out(), cat, result)
    return None


@app.command()
@guarded
def compare(
    countries: Annotated[str, typer.Option(help="Countries, comma-separated codes or names, e.g. JP,MX,KR.")],
    nationality: Annotated[
        str | None, typer.Option("--from", help="Your nationality: adds visa, flight and trip cost.")
    ] = None,
    joint: Annotated[str | None, typer.Option(help="Prices for this joint (default: single-joint treatment).")] = None,
    airport: Annotated[str | None, typer.Option(help="Home airport IATA code.")] = None,
    sort: Annotated[str, typer.Option(help="Column order: given, name, cost or flight.")] = "given",
    json: Json = False,
) -> None:
    """Countries side by side: price, cells, trips, regulation, visa, flight time, total trip cost."""
    from tripplan import lookup
    from tripplan.compare import compare as make_comparison

    if sort not in ("given", "name", "cost", "flight"):
        raise UsageError(f"--sort '{sort}' is not one of: given, name, cost, flight")
    cat = catalog(clinics=False)
    result = make_comparison(
        cat=cat,
        codes=lookup.resolve_countries(cat, countries),
        joint=lookup.resolve_joint(joint) if joint else None,
        nationality=lookup.resolve_country(cat, nationality) if nationality else None,
        airport=lookup.resolve_airport(cat, airport).iata if airport else None,
        sort=sort,  # type: ignore[arg-type]
        today=today(),
    )
    if json:
        return emit_json(result)
    from tripplan.render.compare import render_compare

    render_compare(out(), cat, result)
    return None


@app.command()
@guarded
def visa(
    nationality: From,
    to: Annotated[
        str | None, typer.Option("--to", help="Destinations, comma-separated (default: every destination).")
    ] = None,
    json: Json = False,
) -> None:
    """The visa a patient needs: requirement, the medical visa, nationality notes, whether both trips fit visa-free."""
    from tripplan import lookup
    from tripplan.quote import trip_visa

    cat = catalog(clinics=False)
    code = lookup.resolve_country(cat, nationality)
    targets = lookup.resolve_countries(cat, to) if to is not None else cat.destinations()
    answers = [trip_visa(cat, code, d, None) for d in targets]
    if json:
        return emit_json([a.model_dump(mode="json") for a in answers])
    from tripplan.render.visa import render_visas

    render_visas(out(), cat, code, answers)
    return None


def run() -> None:
    """Console-script entry: a Ctrl-C anywhere ends quietly with exit 1."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        raise SystemExit(1) from None


def _register() -> None:
    from tripplan.cli_clinics import clinics_app
    from tripplan.cli_data import data_app

    app.add_typer(data_app, name="data")
    app.add_typer(clinics_app, name="clinics")


_register()
