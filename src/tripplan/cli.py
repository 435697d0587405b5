"""The command line: parse options, call the domain, hand the result to rendering (see cli_common.py
for the error guard and the options several commands share)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tripplan import DISCLAIMER, __version__, complete
from tripplan.cli_clinics import clinics_app
from tripplan.cli_common import (
    AirportOpt,
    CompanionOpt,
    ConditionOpt,
    CultureWeeksOpt,
    CurrencyOpt,
    DailyOpt,
    DestinationsOpt,
    Details,
    FareOpt,
    FlyEarlyOpt,
    JointOpt,
    Json,
    LangOpt,
    NationalityOpt,
    NightlyOpt,
    RateOpt,
    State,
    StayThroughOpt,
    TripOptions,
    VisaFeeOpt,
    catalog,
    examples,
    guarded,
    overrides,
    request_changes,
    today,
    trip_options,
)
from tripplan.cli_data import data_app
from tripplan.cli_lazy import Commands
from tripplan.errors import TripplanError, UsageError
from tripplan.i18n import N_, _
from tripplan.render.common import emit_json, err, out, say

if TYPE_CHECKING:
    from tripplan.catalog import Catalog
    from tripplan.request import TripRequest

commands = Commands()  # quote, schedule, compare, visa, safety: each built only when run
app = typer.Typer(
    name="tripplan",
    cls=commands.group_class(),
    help=N_(
        "Plan, cost and compare regenerative-medicine (stem-cell) treatment trips, offline. Every figure is sourced."
    )
    + "\n\n"
    + DISCLAIMER,  # two paragraphs, each translated (cli_lazy.translated)
    epilog=examples(
        "tripplan quote --joint knee --from US",
        "tripplan schedule --harvest 2027-03-01 --from US --joint knee",
        "tripplan compare --countries JP,MX,KR --from CN",
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(data_app, name="data")
app.add_typer(clinics_app, name="clinics")

DEFAULT_JOINT = "knee"  # compare's joint when none is given (a new plan's default lives in plans.py)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tripplan {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help=N_("Show the version and exit."))
    ] = False,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            envvar="TRIPPLAN_DATA_DIR",
            help=N_("Your own data folder (default: see 'tripplan data path')."),
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help=N_("Show the full traceback of an internal error."))] = False,
    lang: LangOpt = None,
) -> None:
    """tripplan: what a treatment trip costs, when to go, and how destinations compare."""
    from tripplan.textsafe import visible_stderr

    ctx.with_resource(visible_stderr())  # every message of the command, and Click's, shown safely
    ctx.obj = State(data_dir=data_dir, debug=debug)


def _trip_request(
    cat: Catalog, trip: TripOptions, *, nationality: str | None, default_joint: str | None
) -> TripRequest:
    """The one trip request quote and compare resolve from their trip options and --from (schedule builds its
    PlanRequest from the same fields)."""
    from tripplan.request import TripRequest

    given = trip.changes(cat, nationality=nationality)
    if given.get("joint") is None and given.get("treatment") is None:
        if default_joint is None:
            raise UsageError(_("give --joint (knee, hip, shoulder, elbow, ankle) or --treatment"))
        given = {**given, "joint": default_joint}
    return TripRequest(**given, overrides=trip.overrides())


@commands.command(
    help=N_(
        "What the whole trip costs: treatment, flights, nights, visa, in USD and your currency, next to the price at home."
    ),
    epilog=examples(
        "tripplan quote --joint knee --from US",
        "tripplan quote --joint hip --from CN --cells cultured",
        "tripplan quote --joint knee --from GB --to JP,KR --fare 900-1400",
        "tripplan quote --joint knee --from US --to JP --harvest 2027-03-01",
    ),
)
@guarded
@trip_options(placed={"to": "treatment", "clinic": "to"})
def quote(
    nationality: NationalityOpt,
    *,
    trip: TripOptions,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            help=N_("Destinations, comma-separated (default: all with prices)."),
            autocompletion=complete.destinations,
        ),
    ] = None,
    clinic: Annotated[
        str | None,
        typer.Option(help=N_("Quote one clinic (shipped profile or your own)."), autocompletion=complete.clinics),
    ] = None,
    details: Details = False,
    json: Json = False,
    lang: LangOpt = None,
) -> None:
    """What the whole trip costs: treatment, flights, nights, visa, in USD and your currency, next to the price at home."""
    from tripplan import lookup
    from tripplan.holiday_table import cached_holidays
    from tripplan.quote import quote as make_quote

    cat = catalog(clinics=clinic is not None)
    request = _trip_request(cat, trip, nationality=nationality, default_joint=None)
    result = make_quote(
        cat=cat,
        request=request,
        holidays=cached_holidays,
        destinations=lookup.resolve_countries(cat, to) if to is not None else None,
        clinic=lookup.resolve_clinic(cat, clinic) if clinic else None,
        today=today(),
    )
    if json:
        return emit_json(result, disclaimer=True)
    from tripplan.render.quote import render_quote

    render_quote(out(), cat, result, details=details)
    return None


@commands.command(
    help=N_(
        "The dated plan: both visits, the injection window, clinic closures, visa limits, payments, recovery and what it costs."
    ),
    epilog=examples(
        "tripplan schedule --harvest 2027-03-01 --from US --joint knee",
        'tripplan schedule --harvest "1 March 2027" --from CN --save plan.toml',
        "tripplan schedule --plan plan.toml --inject 2027-04-05 --html plan.html",
    ),
)
@guarded
def schedule(
    harvest: Annotated[
        str | None,
        typer.Option(metavar="DATE", help=N_("Day of the fat harvest on visit 1 (2027-03-01, 1 March 2027).")),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", help=N_("Destination country (default: Japan)."), autocompletion=complete.destination),
    ] = None,
    clinic: Annotated[
        str | None,
        typer.Option(
            help=N_("Clinic id (default: the destination's usual protocol and prices)."),
            autocompletion=complete.clinics,
        ),
    ] = None,
    nationality: Annotated[
        str | None,
        typer.Option(
            "--from",
            help=N_("Your nationality, for the visa check, flights and costs."),
            autocompletion=complete.nationalities,
        ),
    ] = None,
    joint: JointOpt = None,
    condition: ConditionOpt = None,
    airport: AirportOpt = None,
    companion: CompanionOpt = None,
    currency: CurrencyOpt = None,
    culture_weeks: CultureWeeksOpt = None,
    inject: Annotated[str | None, typer.Option(metavar="DATE", help=N_("Injection day inside the window."))] = None,
    stay_through: StayThroughOpt = None,
    fare: FareOpt = None,
    nightly: NightlyOpt = None,
    daily: DailyOpt = None,
    visa_fee: VisaFeeOpt = None,
    rate: RateOpt = None,
    fly_early: FlyEarlyOpt = False,
    ics: Annotated[Path | None, typer.Option(help=N_("Write the plan as an iCalendar file."))] = None,
    save: Annotated[Path | None, typer.Option(help=N_("Save the plan as TOML (re-open it with --plan)."))] = None,
    html: Annotated[
        Path | None, typer.Option(help=N_("Write the plan as one self-contained HTML page to share."))
    ] = None,
    plan: Annotated[
        Path | None, typer.Option(help=N_("Re-open a plan saved with --save; other options given change it."))
    ] = None,
    force: Annotated[bool, typer.Option(help=N_("Replace an existing --ics/--save/--html file."))] = False,
    patient: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT",
            help=N_(
                "Whose plan this is (kept in the saved plan, shown in the calendar and the document; "
                "never in --json unless --json-patient; it stays on this computer)."
            ),
        ),
    ] = None,
    json_patient: Annotated[bool, typer.Option(help=N_("Include the --patient label in --json."))] = False,
    details: Details = False,
    json: Json = False,
    lang: LangOpt = None,
) -> None:
    """The dated plan: both visits, the injection window, clinic closures, visa limits, payments, recovery and what it costs."""
    import os

    from tripplan import lookup
    from tripplan.errors import DataError, Problem
    from tripplan.files import check_writable, write_atomic
    from tripplan.holiday_table import cached_holidays
    from tripplan.plans import Changes, SavedPlanError, json_view, number_events, open_plan, to_save

    _distinct_files({"--plan": plan, "--ics": ics, "--save": save, "--html": html})
    cat = catalog(clinics=clinic is not None or plan is not None)
    chosen = lookup.resolve_clinic(cat, clinic) if clinic is not None else None
    changes = Changes(
        **request_changes(  # parsed as quote and compare parse them
            cat,
            joint=joint,
            condition=condition,
            nationality=nationality,
            airport=airport,
            companion=companion,
            currency=currency,
            stay_through=stay_through,
            culture_weeks=culture_weeks,
            harvest=harvest,
            inject=inject,
        ),
        destination=lookup.resolve_country(cat, to, destinations_only=True) if to is not None else None,
        clinic=chosen.id if chosen else None,
        clinic_country=chosen.country if chosen else None,
        overrides=overrides(fare, nightly, daily, visa_fee, rate, fly_early),
    )
    new_id = os.urandom(8).hex()  # what secrets.token_hex(8) returns, without importing `secrets` (and `random`)
    saved = None
    if plan is not None:
        from tripplan.export import read_saved

        saved = read_saved(plan, new_id=new_id)
    try:
        opened = open_plan(
            cat=cat,
            saved=saved,
            changes=changes,
            patient=patient,
            new_id=new_id,
            today=today(),
            holidays=cached_holidays,
        )
    except SavedPlanError as e:
        raise DataError([Problem(str(plan), reason, record="plan", field=f) for f, reason in e.problems]) from None
    result = opened.plan
    for target in (ics, save, html):  # every target checked before any is written: a refusal writes none
        if target is not None:
            check_writable(target, force=force)
    written = []
    if ics is not None or save is not None:  # the calendar's events, numbered (only these outputs need them)
        from tripplan.events import plan_events
        from tripplan.export import plan_to_ics, saved_to_toml

        numbered = number_events(events=plan_events(cat, result), previous=opened.calendar, patient=opened.patient)
    if ics is not None:
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        written.append(write_atomic(ics, plan_to_ics(cat, opened, numbered, now=now), force=force))
    if save is not None:
        kept = to_save(opened, calendar=numbered, today=today())
        written.append(write_atomic(save, saved_to_toml(kept, previous=_previous(save, force)), force=force))
    if html is not None:
        from tripplan.render.html import plan_to_html

        written.append(write_atomic(html, plan_to_html(cat, result, today=today(), opened=opened), force=force))
    for w in result.warnings:
        say(err(), _("Warning: {warning}").format(warning=w), hang=0)
    for note in opened.notes:
        err().print(_("Note: {note}").format(note=note), markup=False, soft_wrap=True)
    for path in written:
        err().print(_("Wrote {path}").format(path=path), markup=False)
    if plan is not None and save is not None and not _same_file(plan, save):
        err().print(
            _(
                "Note: {save} is the same plan as {plan} (same id): their calendar events update each other. "
                "For another patient, make a new plan (--harvest …)."
            ).format(save=save, plan=plan),
            markup=False,
            soft_wrap=True,
        )
    if (ics is not None or html is not None) and plan is None and save is None:
        err().print(
            _(
                "Note: to update these events in place later, save the plan (--save FILE) and export from it "
                "(--plan FILE)."
            ),
            markup=False,
            soft_wrap=True,
        )
    if json:
        return emit_json(json_view(opened, with_patient=json_patient), disclaimer=True)
    from tripplan.render.schedule import render_plan

    render_plan(out(), cat, result, opened=opened, details=details)
    return None


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file: the same resolved path, or (both existing) the same file by another
    name (a hard link)."""
    try:
        if a.expanduser().resolve() == b.expanduser().resolve():
            return True
        return a.exists() and b.exists() and a.samefile(b)
    except (OSError, RuntimeError):
        return a == b


def _distinct_files(paths: dict[str, Path | None]) -> None:
    """Refuse (UsageError, exit 2) two outputs naming one file, or an output naming the --plan it reads:
    one would overwrite the other (--save may name the --plan file: that updates the plan in place)."""
    given = [(option, path) for option, path in paths.items() if path is not None]
    for i, (first, a) in enumerate(given):
        for second, b in given[i + 1 :]:
            if {first, second} != {"--plan", "--save"} and _same_file(a, b):
                raise UsageError(
                    _(
                        "{first} and {second} name the same file ({path}): one would overwrite the other; "
                        "give each output its own file"
                    ).format(first=first, second=second, path=b)
                )


def _previous(path: Path, force: bool) -> bytes | None:
    """The plan file about to be replaced, so its comments survive the rewrite."""
    from tripplan.files import read_regular

    if not force or not path.is_file() or path.is_symlink():
        return None
    try:
        return read_regular(path)
    except (OSError, TripplanError):
        return None


@commands.command(
    help=N_(
        "Countries side by side: price, cells, trips, regulation, visa, flight time, total trip cost (as quote adds it "
        "up). The joint is the knee unless --joint or --treatment says otherwise."
    ),
    epilog=examples(
        "tripplan compare --countries JP,MX,KR",
        "tripplan compare --countries JP,KR,TH --from CN --joint shoulder",
        "tripplan compare --countries JP,MX --from US --sort cost --json",
    ),
)
@guarded
@trip_options(placed={"sort": "rate"})
def compare(
    countries: Annotated[
        str,
        typer.Option(
            help=N_("Countries, comma-separated codes or names, e.g. JP,MX,KR."), autocompletion=complete.destinations
        ),
    ],
    nationality: Annotated[
        str | None,
        typer.Option(
            "--from",
            help=N_("Your nationality: adds visa, flight and trip cost."),
            autocompletion=complete.nationalities,
        ),
    ] = None,
    *,
    trip: TripOptions,
    sort: Annotated[
        str, typer.Option(help=N_("Column order: given, name, cost or flight."), autocompletion=complete.sorts)
    ] = "given",
    details: Details = False,
    json: Json = False,
    lang: LangOpt = None,
) -> None:
    """Countries side by side: price, cells, trips, regulation, visa, flight time, total trip cost (as quote adds it up).
    The joint is the knee unless --joint or --treatment says otherwise."""
    from tripplan import lookup
    from tripplan.compare import compare as make_comparison
    from tripplan.holiday_table import cached_holidays

    if sort not in ("given", "name", "cost", "flight"):
        raise UsageError(_("--sort '{sort}' is not one of: given, name, cost, flight").format(sort=sort))
    cat = catalog(clinics=False)
    request = _trip_request(cat, trip, nationality=nationality, default_joint=DEFAULT_JOINT)
    result = make_comparison(
        cat=cat,
        request=request,
        holidays=cached_holidays,
        codes=lookup.resolve_countries(cat, countries),
        sort=sort,  # type: ignore[arg-type]
        today=today(),
    )
    if json:
        return emit_json(result, disclaimer=True)
    from tripplan.render.compare import render_compare

    render_compare(out(), cat, result, details=details)
    return None


@commands.command(
    help=N_(
        "The visa a patient needs: requirement, the medical visa, nationality notes, whether both trips fit visa-free."
    ),
    epilog=examples(
        "tripplan visa --from CN",
        "tripplan visa --from IN --to JP,KR",
    ),
)
@guarded
def visa(
    nationality: NationalityOpt,
    to: DestinationsOpt = None,
    json: Json = False,
    lang: LangOpt = None,
) -> None:
    """The visa a patient needs: requirement, the medical visa, nationality notes, whether both trips fit visa-free."""
    from tripplan import lookup
    from tripplan.protocol import visit_nights
    from tripplan.trip import trip_visa

    cat = catalog(clinics=False)
    code = lookup.resolve_nationality(cat, nationality)
    targets = lookup.resolve_countries(cat, to) if to is not None else cat.destinations()
    answers = [trip_visa(cat, code, d, visit_nights(cat.countries[d].protocol)) for d in targets]
    if json:
        return emit_json(answers)
    from tripplan.render.visa import render_visas

    render_visas(out(), cat, code, answers)
    return None


@commands.command(
    help=N_("The regulatory record per destination (dated, sourced), how to verify a provider, the warning signs."),
    epilog=examples(
        "tripplan safety",
        "tripplan safety --to JP --json",
    ),
)
@guarded
def safety(
    to: DestinationsOpt = None,
    details: Annotated[
        bool,
        typer.Option(
            "--details",
            help=N_(
                "Show the full record after the answer: who, the treatment, the patients and every source of "
                "each action; every rule change; how to verify a provider in full; the warning signs the "
                "authorities name; each source's title, date and address (all of it in --json)."
            ),
        ),
    ] = False,
    json: Json = False,
    lang: LangOpt = None,
) -> None:
    """The regulatory record per destination (dated, sourced), how to verify a provider, the warning signs."""
    from tripplan import lookup
    from tripplan.safety import report

    cat = catalog(clinics=False)
    targets = lookup.resolve_countries(cat, to) if to is not None else cat.destinations()
    result = report(cat=cat, destinations=targets, today=today())
    if json:
        return emit_json(result)
    from tripplan.render.safety import render_safety

    render_safety(out(), cat, result, details=details)
    return None


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # unwinds like Ctrl-C, so every temporary file is removed on the way out


def run() -> None:
    """Console-script entry: a Ctrl-C or a SIGTERM anywhere ends quietly with exit 1, files whole.

    The process ends as Python ends (sys.exit): exit handlers run, so `coverage run` and the like see it.
    What is left is frozen first (gc.freeze, a documented gc call): the final collection skips it."""
    import signal

    from tripplan.textsafe import VisibleStream

    if sys.stdout is None or sys.stderr is None:  # started with a standard stream closed (>&-)
        sys.exit(1)  # nothing can be said, and nothing is half-done: end at once, quietly
    sys.stderr = VisibleStream(sys.stderr)  # every message, Click's usage errors too, through the boundary
    signal.signal(signal.SIGTERM, _terminated)
    code: int = 0
    try:
        app()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if isinstance(e.code, str):
            sys.stderr.write(e.code + "\n")
    except KeyboardInterrupt:
        sys.stderr.write(_("Interrupted.") + "\n")
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # the reader went away (tripplan quote | head)
        code = code or 1
        _quiet_stdout()
    import gc

    gc.freeze()  # the interpreter's final collection need not walk what is left (~20 ms); exit handlers still run
    sys.exit(code)


def _quiet_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's own flush at exit stays quiet."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
