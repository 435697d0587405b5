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
from tripplan.errors import DataError, TripplanError, UsageError, listed
from tripplan.i18n import N_, _, ngettext
from tripplan.render.common import err

if TYPE_CHECKING:
    from tripplan.catalog import Catalog
    from tripplan.travel import Overrides

ISSUES_URL = N_("the tripplan issue tracker")
CLINICS_FILE = "clinics.toml"  # the user's own clinics: the one file a command may do without
F = TypeVar("F", bound=Callable[..., Any])

# the units parse_pair names in its messages (translated where shown)
UNIT_USD = N_("US dollars")
UNIT_DAYS = N_("days")
UNIT_WEEKS = N_("weeks")
UNIT_CURRENCY = N_("currency units")

# the option that carries each input a domain error may name
OPTION_OF = {
    "harvest": "--harvest",
    "plan": "--plan",
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
        raise UsageError(_("TRIPPLAN_TODAY '{value}' is not a date (YYYY-MM-DD)").format(value=fixed[:40])) from None


def _usage_message(e: UsageError) -> str:
    option = OPTION_OF.get(e.field or "")
    return _("{message} (option {option})").format(message=e, option=option) if option else str(e)


def guarded(fn: F) -> F:
    """Run a command; a TripplanError becomes its message on stderr and its exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except DataError as e:
            err().print(_("Error: the data is not valid:"), markup=False)
            err().print(str(e), markup=False, soft_wrap=True)
            raise typer.Exit(e.exit_code) from None
        except UsageError as e:
            err().print(_("Error: {message}").format(message=_usage_message(e)), markup=False, soft_wrap=True)
            raise typer.Exit(e.exit_code) from None
        except TripplanError as e:
            err().print(_("Error: {message}").format(message=e), markup=False, soft_wrap=True)
            raise typer.Exit(e.exit_code) from None
        except KeyboardInterrupt:
            err().print(_("Interrupted; nothing was half-written."), markup=False)
            raise typer.Exit(1) from None
        except BrokenPipeError:  # standard output closed by its reader (tripplan ... | head): end quietly
            raise typer.Exit(1) from None
        except OSError as e:  # a path the user gave that the system refuses (too long, no permission…)
            from tripplan import files

            said = (
                _("Error: cannot access {file}: {reason}").format(file=e.filename, reason=files.reason(e))
                if e.filename
                else _("Error: cannot access a file: {reason}").format(reason=files.reason(e))
            )
            err().print(said, markup=False, soft_wrap=True)
            raise typer.Exit(1) from None
        except Exception as e:
            if state().debug or os.environ.get("TRIPPLAN_DEBUG") == "1":
                raise
            err().print(
                _(
                    "Internal error: {kind}: {error}\nThis is a bug in tripplan. Rerun with --debug "
                    "(or TRIPPLAN_DEBUG=1) for the full traceback and report it on {tracker}."
                ).format(kind=type(e).__name__, error=e, tracker=_(ISSUES_URL)),
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
        return (
            [_("the data folder {folder} does not exist; your own data is not used").format(folder=folder)]
            if given
            else []
        )
    except OSError as e:
        from tripplan import files

        return [_("the data folder {folder} cannot be read: {reason}").format(folder=folder, reason=files.reason(e))]
    if info.st_mode & 0o022:
        return [_("others can write your data folder {folder}; make it yours only (chmod 700)").format(folder=folder)]
    return []


def catalog(*, clinics: bool = True) -> Catalog:
    """The catalog; clinics=False for a command that uses no clinic (faster with a big user catalog).

    A command that uses no clinic still runs when the user's clinics.toml is invalid: it reads the rest and
    prints a one-line warning; a command that reads the file fails with every problem named."""
    from tripplan.loader import load_catalog

    folder = user_folder()
    for warning in folder_warnings(folder, given=state().data_dir is not None):
        err().print(_("Warning: {warning}").format(warning=warning), markup=False, soft_wrap=True)
    broken = str(folder / CLINICS_FILE)
    try:
        return _untranslated_note(load_catalog(folder, clinics=clinics))
    except DataError as e:
        if clinics or not e.problems or any(p.file != broken for p in e.problems):
            raise
        n = len(e.problems)
    err().print(
        ngettext(
            "Warning: {file} has {n} problem and was not read (this command uses no clinic); "
            "`tripplan data check` names it.",
            "Warning: {file} has {n} problems and was not read (this command uses no clinic); "
            "`tripplan data check` names them.",
            n,
        ).format(file=broken, n=n),
        markup=False,
        soft_wrap=True,
    )
    return _untranslated_note(load_catalog(folder, clinics=False, leave_out=frozenset({CLINICS_FILE})))


def _untranslated_note(cat: Catalog) -> Catalog:
    """Say which of the user's own records are shown in English for want of a translation (Catalog.untranslated)."""
    if cat.untranslated:
        from tripplan.i18n import _

        err().print(
            _(
                "Note: {records} of your data folder have no translation and are shown in English; `tripplan data check` names each field."
            ).format(records=", ".join(cat.untranslated)),
            markup=False,
            soft_wrap=True,
        )
    return cat


def parse_date(value: str, option: str) -> dt.date:
    """A date in any form dates.parse_day reads; the error names the option."""
    from tripplan.dates import parse_day

    try:
        return parse_day(value, field=option)
    except UsageError as e:
        raise UsageError(_("{option} {message}").format(option=option, message=e)) from None


def examples(*lines: str) -> str:
    """A command's help epilog: real examples, kept as typed (\\b stops Click re-wrapping them)."""
    return "\b\n" + N_("Examples:") + "\n" + "\n".join(f"  {line}" for line in lines)


# A whole amount as people write it: plain digits, or digits grouped in threes by a comma or a space ("1,500",
# "1 500", also the no-break spaces some keyboards type), optionally followed by 万 (ten thousand: "150万").
_AMOUNT = r"(\d{1,3}(?:[,\u00a0\u202f ]\d{3})+|\d+)\s*(万)?"
_PAIR = re.compile(rf"\s*{_AMOUNT}\s*(?:[-\u2013]\s*{_AMOUNT}\s*)?")


def _amount(digits: str, ten_thousands: str | None) -> int:
    """One amount matched by _AMOUNT: its separators dropped, times 10,000 when it ends in 万."""
    value = int(re.sub(r"\D", "", digits))
    return value * 10_000 if ten_thousands else value


def parse_pair(value: str, option: str, *, unit: str, most: int | None = None) -> tuple[int, int]:
    """A whole number or a range MIN-MAX of `unit`, as a person writes it: "1500", "1,500", "1 500", "150万"
    (万 = 10,000), "1,500,000-1,800,000" (an en dash too). A figure over `most` (default: the largest amount a
    data file may hold, models.MAX_MONEY) is refused as too large, not as malformed. Raises UsageError (exit 2)."""
    from tripplan.models import MAX_MONEY

    most = MAX_MONEY if most is None else most
    m = _PAIR.fullmatch(value)
    if not m:
        raise UsageError(
            _("{option} '{value}' must be a whole number of {unit} or a range MIN-MAX, e.g. 3-6").format(
                option=option, value=value, unit=_(unit)
            )
        )
    amounts = []
    for digits, ten_thousands in ((m.group(1), m.group(2)), (m.group(3), m.group(4))):
        if digits is None:
            continue
        plain = re.sub(r"\D", "", digits).lstrip("0")
        if len(plain) > len(str(most)) or _amount(digits, ten_thousands) > most:
            raise UsageError(
                _("{option} '{value}' is too large: at most {most} {unit}").format(
                    option=option, value=value[:40], most=f"{most:,}", unit=_(unit)
                )
            )
        amounts.append(_amount(digits, ten_thousands))
    low = amounts[0]
    high = amounts[-1]
    if low > high:
        raise UsageError(
            _("{option} '{value}': the minimum {low} is greater than the maximum {high}").format(
                option=option, value=value, low=low, high=high
            )
        )
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
        low, high = parse_pair(value, option, unit=UNIT_USD)
        return Span(low=low, high=high)

    from tripplan.models import MAX_RATE

    if rate is not None and not rate > 0:  # NaN too
        raise UsageError(
            _("--rate {rate} must be a positive number of currency units per US dollar").format(rate=f"{rate:g}")
        )
    if rate is not None and not rate <= MAX_RATE:
        raise UsageError(
            _("--rate {rate} is too large: at most {most} currency units per US dollar").format(
                rate=f"{rate:g}", most=f"{MAX_RATE:,}"
            )
        )
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
        help=N_("Plan the flight home as early as the sources allow (e.g. within 48 h) instead of tripplan's rule."),
    ),
]
Json = Annotated[bool, typer.Option("--json", help=N_("Print JSON (stable keys) instead of tables."))]
Details = Annotated[
    bool,
    typer.Option(
        "--details", help=N_("Show every source row, line, rate and note after the answer (all of it in --json).")
    ),
]
JointOpt = Annotated[
    str | None,
    typer.Option(
        "--joint", help=N_("Joint or tendon area: knee, hip, shoulder, elbow, ankle."), autocompletion=complete.joints
    ),
]
ConditionOpt = Annotated[
    str | None,
    typer.Option(
        help=N_("Narrow prices to a condition, e.g. osteoarthritis, meniscus."), autocompletion=complete.conditions
    ),
]
TreatmentOpt = Annotated[
    str | None,
    typer.Option(
        help=N_("Price a treatment by name (e.g. nk-cells, exosomes, consultation) instead of, or with, a joint."),
        autocompletion=complete.treatments,
    ),
]
AirportOpt = Annotated[
    str | None,
    typer.Option(
        help=N_("Home airport IATA code (default: your country's first hub)."), autocompletion=complete.airports
    ),
]
CompanionOpt = Annotated[
    bool | None,
    typer.Option("--companion/--no-companion", help=N_("A second traveller comes along."), show_default=False),
]
CurrencyOpt = Annotated[
    str | None,
    typer.Option(
        help=N_("Show totals in this currency (default: your home currency)."), autocompletion=complete.currencies
    ),
]
FareOpt = Annotated[str | None, typer.Option(help=N_("Round-trip fare per traveller, USD: AMOUNT or LOW-HIGH."))]
NightlyOpt = Annotated[str | None, typer.Option(help=N_("Hotel per night, USD: AMOUNT or LOW-HIGH."))]
DailyOpt = Annotated[str | None, typer.Option(help=N_("Meals and transport per traveller per day, USD."))]
VisaFeeOpt = Annotated[str | None, typer.Option(help=N_("Visa fee per traveller, USD."))]
RateOpt = Annotated[float | None, typer.Option(help=N_("Units of the shown currency per USD."))]
CellsOpt = Annotated[
    str | None,
    typer.Option(
        help=N_("Only destinations whose cells are: cultured, same-day, donor, cell-free."),
        autocompletion=complete.cells,
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


def _lang(value: str | None) -> str | None:
    """--lang: the language is chosen before Click parses (cli_lazy.LazyGroup.main); this checks the value
    given to a command or to tripplan itself, so a wrong one is refused wherever it stands."""
    from tripplan import i18n

    try:
        i18n.choose(option=value, environ={})
    except i18n.UnknownLanguageError:
        raise typer.BadParameter(
            _("unknown language {given!r}; available: {langs}").format(given=value, langs=listed(i18n.available()))
        ) from None
    return value


LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="LANG",
        help=N_("Language of what is shown: en, zh (default: TRIPPLAN_LANG, else a zh_* locale, else en)."),
        autocompletion=complete.langs,
        callback=_lang,
        show_default=False,
    ),
]

DestinationsOpt = Annotated[
    str | None,
    typer.Option(
        "--to",
        help=N_("Destinations, comma-separated (default: every destination)."),
        autocompletion=complete.destinations,
    ),
]

NationalityOpt = Annotated[
    str,
    typer.Option(
        "--from", help=N_("Your nationality: ISO code (US, CN) or country name."), autocompletion=complete.nationalities
    ),
]
StayThroughOpt = Annotated[
    bool | None,
    typer.Option(
        "--stay-through/--no-stay-through",
        help=N_("Stay at the destination from the harvest to the injection: one round trip instead of two."),
        show_default=False,
    ),
]
CultureWeeksOpt = Annotated[
    str | None, typer.Option(help=N_("Culture window in weeks, MIN-MAX (e.g. 4-6); sets the nights of --stay-through."))
]
HarvestOpt = Annotated[
    str | None,
    typer.Option(
        metavar="DATE",
        help=N_(
            "Day of the fat harvest on visit 1 (2027-03-01, 1 March 2027): cost the visits dated from it, "
            "as schedule lays them out (default: the range over every plan the protocol allows)."
        ),
    ),
]
InjectOpt = Annotated[
    str | None, typer.Option(metavar="DATE", help=N_("Injection day inside the window (with --harvest)."))
]


@dataclass(frozen=True, slots=True, kw_only=True)
class TripOptions:
    """The trip options quote and compare share, as typed: declared once here (each field's annotation is its
    option: name, help, completion) and added to a command by `trip_options`, so a new trip option is one
    field. `changes` parses them into the request's fields, `overrides` into the user's own prices."""

    joint: JointOpt = None
    condition: ConditionOpt = None
    treatment: TreatmentOpt = None
    airport: AirportOpt = None
    companion: CompanionOpt = None
    currency: CurrencyOpt = None
    cells: CellsOpt = None
    stay_through: StayThroughOpt = None
    culture_weeks: CultureWeeksOpt = None
    harvest: HarvestOpt = None
    inject: InjectOpt = None
    fare: FareOpt = None
    nightly: NightlyOpt = None
    daily: DailyOpt = None
    visa_fee: VisaFeeOpt = None
    rate: RateOpt = None
    fly_early: FlyEarlyOpt = False

    def changes(self, cat: Catalog, *, nationality: str | None) -> dict[str, Any]:
        """The request's fields the user gave (with the command's own --from), parsed and resolved once
        (request_changes)."""
        return request_changes(
            cat,
            joint=self.joint,
            condition=self.condition,
            treatment=self.treatment,
            nationality=nationality,
            airport=self.airport,
            companion=self.companion,
            currency=self.currency,
            cells=self.cells,
            stay_through=self.stay_through,
            culture_weeks=self.culture_weeks,
            harvest=self.harvest,
            inject=self.inject,
        )

    def overrides(self) -> Overrides:
        """The user's own prices and rate (overrides)."""
        return overrides(self.fare, self.nightly, self.daily, self.visa_fee, self.rate, self.fly_early)


def trip_options(*, placed: dict[str, str] | None = None) -> Callable[[F], F]:
    """Give a command the trip options (TripOptions' fields, as options): the command declares one
    keyword-only parameter `trip: TripOptions` where they go, and is called with them gathered into it.
    `placed` keeps an option of the command's own after a trip option in --help ({"to": "treatment"}: --to
    after --treatment), so help lists them as it always has."""
    import dataclasses
    import inspect
    import typing

    def decorate(fn: F) -> F:
        hints = typing.get_type_hints(TripOptions, include_extras=True)
        names = [f.name for f in dataclasses.fields(TripOptions)]
        own = inspect.signature(fn, eval_str=True)
        params: list[inspect.Parameter] = []
        for p in own.parameters.values():
            if p.name != "trip":
                params.append(p)
                continue
            shared = {f.name: f.default for f in dataclasses.fields(TripOptions)}
            params += [inspect.Parameter(n, p.kind, annotation=hints[n], default=shared[n]) for n in names]
        for name, after in (placed or {}).items():
            moved = next(p for p in params if p.name == name)
            params.remove(moved)
            params.insert(next(i for i, p in enumerate(params) if p.name == after) + 1, moved)

        @functools.wraps(fn)
        def wrapper(**given: Any) -> Any:
            trip = TripOptions(**{n: given.pop(n) for n in names})
            return fn(trip=trip, **given)

        wrapper.__signature__ = own.replace(parameters=params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in params} | {"return": own.return_annotation}
        return typing.cast(F, wrapper)

    return decorate


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
        "culture_weeks": (lambda v: parse_pair(v, "--culture-weeks", unit=UNIT_WEEKS), culture_weeks),
        "harvest": (lambda v: parse_date(v, "--harvest"), harvest),
        "inject": (lambda v: parse_date(v, "--inject"), inject),
    }
    return {name: parse(value) for name, (parse, value) in raw.items() if value is not None}
