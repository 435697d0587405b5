"""What every command shares: state through Typer's context, the error guard, parsing helpers and the
options several commands take. Errors become exit codes here and only here: 0 ok, 1 bad data or a failed
write, 2 bad usage."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer.main import get_current_context  # type: ignore[attr-defined]

from tripplan import complete
from tripplan.errors import DataError, TripplanError, UsageError
from tripplan.render.common import err

if TYPE_CHECKING:
    from tripplan.catalog import Catalog
    from tripplan.travel import Overrides

ISSUES_URL = "the tripplan issue tracker"
CLINICS_FILE = "clinics.toml"  # the user's own clinics: the one file a command may do without
F = TypeVar("F", bound=Callable[..., Any])

# the option that carries each input a domain error may name
OPTION_OF = {
    "harvest": "--harvest",
    "inject": "--inject",
    "culture_weeks": "--culture-weeks",
    "rate": "--rate",
    "joint": "--joint",
    "nationality": "--from",
    "airport": "--airport",
    "currency": "--currency",
    "treatment": "--treatment",
    "cells": "--cells",
    "destination": "--to",
    "clinic": "--clinic",
    "condition": "--condition",
    "patient": "--patient",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class State:
    """Global options, kept on Typer's context for the commands."""

    data_dir: Path | None = None
    debug: bool = False


def state() -> State:
    ctx = get_current_context(silent=True)
    root = ctx.find_root() if ctx is not None else None
    return root.obj if root is not None and isinstance(root.obj, State) else State()


def today() -> dt.date:
    """Today's date; TRIPPLAN_TODAY=YYYY-MM-DD fixes it (for tests and reproducible plans)."""
    fixed = os.environ.get("TRIPPLAN_TODAY")
    if not fixed:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(fixed.strip())
    except ValueError:
        raise UsageError(f"TRIPPLAN_TODAY '{fixed[:40]}' is not a date (YYYY-MM-DD)") from None


def _usage_message(e: UsageError) -> str:
    option = OPTION_OF.get(e.field or "")
    return f"{e} (option {option})" if option else str(e)


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
        except UsageError as e:
            err().print(f"Error: {_usage_message(e)}", markup=False, soft_wrap=True)
            raise typer.Exit(e.exit_code) from None
        except TripplanError as e:
            err().print(f"Error: {e}", markup=False, soft_wrap=True)
            raise typer.Exit(e.exit_code) from None
        except KeyboardInterrupt:
            err().print("Interrupted; nothing was half-written.", markup=False)
            raise typer.Exit(1) from None
        except BrokenPipeError:  # standard output closed by its reader (tripplan ... | head): end quietly
            raise typer.Exit(1) from None
        except OSError as e:  # a path the user gave that the system refuses (too long, no permission…)
            err().print(
                f"Error: cannot access {e.filename or 'a file'}: {e.strerror or e}", markup=False, soft_wrap=True
            )
            raise typer.Exit(1) from None
        except Exception as e:
            if state().debug or os.environ.get("TRIPPLAN_DEBUG") == "1":
                raise
            err().print(
                f"Internal error: {type(e).__name__}: {e}\nThis is a bug in tripplan. Rerun with --debug "
                f"(or TRIPPLAN_DEBUG=1) for the full traceback and report it on {ISSUES_URL}.",
                markup=False,
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def user_folder() -> Path:
    from tripplan.loader import user_data_dir

    return user_data_dir(state().data_dir)


def folder_warnings(folder: Path, *, given: bool) -> list[str]:
    """What is wrong with the user's data folder, said on every command: a folder the user named that
    does not exist (a typo hides their clinics), or one that others can write."""
    try:
        info = folder.stat()
    except FileNotFoundError:
        return [f"the data folder {folder} does not exist; your own data is not used"] if given else []
    except OSError as e:
        return [f"the data folder {folder} cannot be read: {e.strerror or e}"]
    if info.st_mode & 0o022:
        return [f"others can write your data folder {folder}; make it yours only (chmod 700)"]
    return []


def catalog(*, clinics: bool = True) -> Catalog:
    """The catalog; clinics=False for a command that uses no clinic (faster with a big user catalog).

    A command that uses no clinic still runs when the user's clinics.toml is invalid: it reads the rest and
    prints a one-line warning; a command that reads the file fails with every problem named."""
    from tripplan.loader import load_catalog

    folder = user_folder()
    for warning in folder_warnings(folder, given=state().data_dir is not None):
        err().print(f"Warning: {warning}", markup=False, soft_wrap=True)
    broken = str(folder / CLINICS_FILE)
    try:
        return load_catalog(folder, clinics=clinics)
    except DataError as e:
        if clinics or not e.problems or any(p.file != broken for p in e.problems):
            raise
        n = len(e.problems)
    err().print(
        f"Warning: {broken} has {n} problem{'s' if n != 1 else ''} and was not read "
        "(this command uses no clinic); `tripplan data check` names them.",
        markup=False,
        soft_wrap=True,
    )
    return load_catalog(folder, clinics=False, leave_out=frozenset({CLINICS_FILE}))


def parse_date(value: str, option: str) -> dt.date:
    """A date in any form dates.parse_day reads; the error names the option."""
    from tripplan.dates import parse_day

    try:
        return parse_day(value, field=option)
    except UsageError as e:
        raise UsageError(f"{option} {e}") from None


def examples(*lines: str) -> str:
    """A command's help epilog: real examples, kept as typed (\\b stops Click re-wrapping them)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def parse_pair(value: str, option: str, *, unit: str, most: int | None = None) -> tuple[int, int]:
    """A whole number or a range MIN-MAX of `unit`; a figure over `most` (default: the largest amount a
    data file may hold, models.MAX_MONEY) is refused as too large, not as malformed."""
    from tripplan.models import MAX_MONEY

    most = MAX_MONEY if most is None else most
    m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", value)
    if not m:
        raise UsageError(f"{option} '{value}' must be a whole number of {unit} or a range MIN-MAX, e.g. 3-6")
    for digits in m.groups():
        if digits is not None and (len(digits.lstrip("0")) > len(str(most)) or int(digits) > most):
            raise UsageError(f"{option} '{value[:40]}' is too large: at most {most:,} {unit}")
    low = int(m.group(1))
    high = int(m.group(2)) if m.group(2) else low
    if low > high:
        raise UsageError(f"{option} '{value}': the minimum {low} is greater than the maximum {high}")
    return low, high


def overrides(
    fare: str | None,
    nightly: str | None,
    daily: str | None,
    visa_fee: str | None,
    rate: float | None,
    fly_early: bool = False,
) -> Overrides:
    from tripplan.money import Span
    from tripplan.travel import Overrides

    def span(value: str | None, option: str) -> Span | None:
        if value is None:
            return None
        low, high = parse_pair(value, option, unit="US dollars")
        return Span(low=low, high=high)

    from tripplan.models import MAX_RATE

    if rate is not None and not rate > 0:  # NaN too
        raise UsageError(f"--rate {rate:g} must be a positive number of currency units per US dollar")
    if rate is not None and not rate <= MAX_RATE:
        raise UsageError(f"--rate {rate:g} is too large: at most {MAX_RATE:,} currency units per US dollar")
    return Overrides(
        fare=span(fare, "--fare"),
        nightly=span(nightly, "--nightly"),
        daily=span(daily, "--daily"),
        visa_fee=span(visa_fee, "--visa-fee"),
        rate=rate,
        fly_early=fly_early,
    )


FlyEarlyOpt = Annotated[
    bool,
    typer.Option(
        "--fly-early",
        help="Plan the flight home as early as the sources allow (e.g. within 48 h) instead of tripplan's rule.",
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON (stable keys) instead of tables.")]
Details = Annotated[
    bool,
    typer.Option(
        "--details", help="Show every source row, line, rate and note after the answer (all of it in --json)."
    ),
]
JointOpt = Annotated[
    str | None,
    typer.Option(
        "--joint", help="Joint or tendon area: knee, hip, shoulder, elbow, ankle.", autocompletion=complete.joints
    ),
]
ConditionOpt = Annotated[
    str | None,
    typer.Option(
        help="Narrow prices to a condition, e.g. osteoarthritis, meniscus.", autocompletion=complete.conditions
    ),
]
TreatmentOpt = Annotated[
    str | None,
    typer.Option(
        help="Price a treatment by name (e.g. nk-cells, exosomes, consultation) instead of, or with, a joint.",
        autocompletion=complete.treatments,
    ),
]
AirportOpt = Annotated[
    str | None,
    typer.Option(help="Home airport IATA code (default: your country's first hub).", autocompletion=complete.airports),
]
CompanionOpt = Annotated[
    bool | None,
    typer.Option("--companion/--no-companion", help="A second traveller comes along.", show_default=False),
]
CurrencyOpt = Annotated[
    str | None,
    typer.Option(
        help="Show totals in this currency (default: your home currency).", autocompletion=complete.currencies
    ),
]
FareOpt = Annotated[str | None, typer.Option(help="Round-trip fare per traveller, USD: AMOUNT or LOW-HIGH.")]
NightlyOpt = Annotated[str | None, typer.Option(help="Hotel per night, USD: AMOUNT or LOW-HIGH.")]
DailyOpt = Annotated[str | None, typer.Option(help="Meals and transport per traveller per day, USD.")]
VisaFeeOpt = Annotated[str | None, typer.Option(help="Visa fee per traveller, USD.")]
RateOpt = Annotated[float | None, typer.Option(help="Units of the shown currency per USD.")]
CellsOpt = Annotated[
    str | None,
    typer.Option(
        help="Only destinations whose cells are: cultured, same-day, donor, cell-free.", autocompletion=complete.cells
    ),
]


def parse_cells(value: str | None) -> str | None:
    from tripplan.errors import unknown
    from tripplan.quote import KINDS

    if value is None:
        return None
    word = value.strip().lower().replace(" ", "-")
    if word in KINDS:
        return word
    raise unknown("kind of cells", value, KINDS)


DestinationsOpt = Annotated[
    str | None,
    typer.Option(
        "--to", help="Destinations, comma-separated (default: every destination).", autocompletion=complete.destinations
    ),
]

NationalityOpt = Annotated[
    str,
    typer.Option(
        "--from", help="Your nationality: ISO code (US, CN) or country name.", autocompletion=complete.nationalities
    ),
]
StayThroughOpt = Annotated[
    bool | None,
    typer.Option(
        "--stay-through/--no-stay-through",
        help="Stay at the destination from the harvest to the injection: one round trip instead of two.",
        show_default=False,
    ),
]
CultureWeeksOpt = Annotated[
    str | None, typer.Option(help="Culture window in weeks, MIN-MAX (e.g. 4-6); sets the nights of --stay-through.")
]
HarvestOpt = Annotated[
    str | None,
    typer.Option(
        metavar="DATE",
        help="Day of the fat harvest on visit 1 (2027-03-01, 1 March 2027): cost the visits dated from it, "
        "as schedule lays them out (default: the range over every plan the protocol allows).",
    ),
]
InjectOpt = Annotated[
    str | None, typer.Option(metavar="DATE", help="Injection day inside the window (with --harvest).")
]


def request_changes(
    cat: Catalog,
    *,
    joint: str | None = None,
    condition: str | None = None,
    treatment: str | None = None,
    nationality: str | None = None,
    airport: str | None = None,
    companion: bool | None = None,
    currency: str | None = None,
    cells: str | None = None,
    stay_through: bool | None = None,
    culture_weeks: str | None = None,
    harvest: str | None = None,
    inject: str | None = None,
) -> dict[str, Any]:
    """The trip-request fields (request.TripRequest) the user gave, each parsed and resolved once, the same
    way for quote, compare and schedule; options not given are left out. Unknown names are usage errors with
    the valid choices or a "did you mean"."""
    from tripplan import lookup

    raw: dict[str, Any] = {
        "joint": (lambda v: lookup.resolve_joint(cat, v), joint),
        "condition": (lambda v: lookup.resolve_condition(cat, v), condition),
        "treatment": (lambda v: lookup.resolve_treatment(cat, v), treatment),
        "nationality": (lambda v: lookup.resolve_nationality(cat, v), nationality),
        "airport": (lambda v: lookup.resolve_airport(cat, v).iata, airport),
        "companion": (lambda v: v, companion),
        "currency": (lambda v: lookup.resolve_currency(cat, v), currency),
        "cells": (parse_cells, cells),
        "stay_through": (lambda v: v, stay_through),
        "culture_weeks": (lambda v: parse_pair(v, "--culture-weeks", unit="weeks"), culture_weeks),
        "harvest": (lambda v: parse_date(v, "--harvest"), harvest),
        "inject": (lambda v: parse_date(v, "--inject"), inject),
    }
    return {name: parse(value) for name, (parse, value) in raw.items() if value is not None}
