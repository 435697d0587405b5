"""`tripplan clinics`: the user's own clinics and quotes, kept safely and checked for red flags."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from tripplan import complete
from tripplan.cli_common import (
    UNIT_CURRENCY,
    UNIT_DAYS,
    UNIT_WEEKS,
    Json,
    LangOpt,
    catalog,
    examples,
    guarded,
    parse_date,
    parse_pair,
    today,
    user_folder,
)
from tripplan.cli_lazy import Commands, confirm
from tripplan.errors import UsageError
from tripplan.i18n import N_, _
from tripplan.render.common import emit_json, emit_json_list, err, out
from tripplan.textsafe import visible

clinic_commands = Commands()
clinics_app = typer.Typer(
    cls=clinic_commands.group_class(),
    rich_markup_mode=None,
    help=N_("Your own clinics and quotes: list, show, add, remove, check for red flags."),
    no_args_is_help=True,
)


@clinics_app.callback()
def clinics_group(lang: LangOpt = None) -> None:
    """`tripplan clinics --lang zh …`: the language may also be given to the group (cli_lazy chose it already)."""


LIST_LIMIT = 50  # rows of the clinics table without --all: a long list stays readable and quick


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


@clinic_commands.command(
    "list",
    help=N_("Shipped profiles and your clinics, marked which is which."),
    epilog=examples("tripplan clinics list", "tripplan clinics list --country JP --joint knee"),
)
@guarded
def clinics_list(
    country: Annotated[
        str | None, typer.Option(help=N_("Only clinics in this country."), autocompletion=complete.destination)
    ] = None,
    joint: Annotated[
        str | None, typer.Option(help=N_("Only clinics with a price for this joint."), autocompletion=complete.joints)
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help=N_("List every clinic (else the table shows only the first ones)."))
    ] = False,
    json: Json = False,
    lang: LangOpt = None,
) -> None:
    """Shipped profiles and your clinics, marked which is which."""
    from tripplan import lookup
    from tripplan.plain import shallow
    from tripplan.prices import clinic_lines

    cat = catalog()
    code = lookup.resolve_country(cat, country, destinations_only=True) if country else None
    j = lookup.resolve_joint(cat, joint) if joint is not None else None
    matching = (
        c
        for c in cat.clinics.values()
        if (code is None or c.country == code) and (j is None or clinic_lines(cat, c, j))
    )
    if json:  # streamed: each clinic made, written and let go (100,000 clinics in bounded memory)
        return emit_json_list({**shallow(c), "user": c.id in cat.user_clinic_ids} for c in matching)
    from tripplan.render.clinics import render_list

    shown: list[Any] = []
    total = 0
    for c in matching:  # only the rows shown are kept; the others are counted
        total += 1
        if show_all or len(shown) < LIST_LIMIT:
            shown.append(c)
    render_list(out(), cat, shown, j)
    if len(shown) < total:
        out().print(
            _(
                "Showing {shown} of {total} clinics: --all lists every one, --country or --joint narrow "
                "the list, --json gives them all as data."
            ).format(shown=len(shown), total=f"{total:,}"),
            markup=False,
        )
    return None


@clinic_commands.command(
    "show",
    help=N_("One clinic in full."),
    epilog=examples(N_("tripplan clinics list  # the ids"), "tripplan clinics show ID --json"),
)
@guarded
def clinics_show(
    clinic_id: Annotated[
        str, typer.Argument(metavar="ID", help=N_("The clinic's id."), autocompletion=complete.clinics)
    ],
    json: Json = False,
    lang: LangOpt = None,
) -> None:
    """One clinic in full."""
    from tripplan import lookup
    from tripplan.plain import shallow

    cat = catalog()
    c = lookup.resolve_clinic(cat, clinic_id)
    if json:
        return emit_json({**shallow(c), "user": c.id in cat.user_clinic_ids})
    from tripplan.render.clinics import render_show

    render_show(out(), cat, c)
    return None


def _record(fields: dict[str, Any]) -> Any:
    from pydantic import ValidationError

    from tripplan.frozen import validate
    from tripplan.loader import pydantic_said
    from tripplan.models import Clinic

    try:
        return validate(Clinic, {k: v for k, v in fields.items() if v is not None})
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "clinic"
        raise UsageError(
            _("invalid clinic: {field}: {reason}").format(field=where, reason=pydantic_said(first))
        ) from None


@clinic_commands.command(
    "add",
    help=N_("Add a clinic (every field as an option; in a terminal it asks for what is missing)."),
    epilog=examples(
        N_("tripplan clinics add  # asks for each field in a terminal"),
        "tripplan clinics add --from-file my-clinics.toml",
    ),
)
@guarded
def clinics_add(
    clinic_id: Annotated[
        str | None, typer.Option("--id", help=N_("Short id: lowercase letters, digits, dashes."))
    ] = None,
    name: Annotated[str | None, typer.Option(help=N_("The clinic's name as on its papers."))] = None,
    city: Annotated[str | None, typer.Option(help=N_("City."))] = None,
    country: Annotated[str | None, typer.Option(help=N_("Country code or name."))] = None,
    licence: Annotated[str | None, typer.Option(help=N_("MHLW licence or therapy plan number."))] = None,
    asrm_class: Annotated[str | None, typer.Option(help=N_("ASRM class: I, II or III."))] = None,
    cell_source: Annotated[str | None, typer.Option(help=N_("adipose, bone-marrow, umbilical-cord, …"))] = None,
    processing: Annotated[str | None, typer.Option(help=N_("cultured, same-day, donor, cell-free or none."))] = None,
    treatment: Annotated[str | None, typer.Option(help=N_("Treatment quoted, e.g. 'cultured adipose MSC'."))] = None,
    joints: Annotated[str | None, typer.Option(help=N_("Joints the quote covers, comma-separated."))] = None,
    price: Annotated[str | None, typer.Option(help=N_("Quoted price: AMOUNT or LOW-HIGH."))] = None,
    currency: Annotated[
        str | None, typer.Option(help=N_("Currency of the quoted price (ISO code: USD, JPY, EUR…); required."))
    ] = None,
    quoted_on: Annotated[str | None, typer.Option(help=N_("Day the clinic gave the quote, YYYY-MM-DD."))] = None,
    visit1_days: Annotated[str | None, typer.Option(help=N_("Days of visit 1 at the clinic's city, MIN-MAX."))] = None,
    visit2_days: Annotated[str | None, typer.Option(help=N_("Days of visit 2 at the clinic's city, MIN-MAX."))] = None,
    culture_weeks: Annotated[str | None, typer.Option(help=N_("Culture window in weeks, MIN-MAX."))] = None,
    closed: Annotated[str | None, typer.Option(help=N_("Weekly closed days, e.g. sun,wed."))] = None,
    languages: Annotated[str | None, typer.Option(help=N_("Coordinator languages, e.g. en,zh."))] = None,
    route: Annotated[
        str | None,
        typer.Option(
            help=N_(
                "How the cells are given, in the clinic's words (IV drip, 関節内注射, into the joint…): read as "
                "intra-articular, intravenous, intrathecal or soft-tissue, the words kept beside it."
            )
        ),
    ] = None,
    processor: Annotated[
        str | None, typer.Option(help=N_("The cell processing centre, as the clinic names it."))
    ] = None,
    plan_number: Annotated[str | None, typer.Option(help=N_("The treatment plan number the clinic gave."))] = None,
    committee: Annotated[str | None, typer.Option(help=N_("The committee that reviewed the plan."))] = None,
    claims: Annotated[
        str | None, typer.Option(help=N_("What the clinic claims (advertising, papers), in its words."))
    ] = None,
    contact: Annotated[str | None, typer.Option(help=N_("Contact (email, coordinator)."))] = None,
    notes: Annotated[str | None, typer.Option(help=N_("Anything else."))] = None,
    from_file: Annotated[Path | None, typer.Option(help=N_("Add the [[clinics]] of a TOML file."))] = None,
    json: Json = False,
    lang: LangOpt = None,
) -> None:
    """Add a clinic (every field as an option; in a terminal it asks for what is missing)."""
    from tripplan import lookup
    from tripplan.brochure import route_of
    from tripplan.clinic_store import add_clinics
    from tripplan.loader import parse_file, read_toml

    cat = catalog()
    if from_file is not None:
        read_toml(from_file.expanduser())  # a clear message for a file that is not TOML
        parsed, problems = parse_file(from_file.expanduser(), "clinics.toml")
        if problems:
            from tripplan.errors import DataError

            raise DataError(problems)
        new = parsed.get("clinics", [])
        if not new:
            raise UsageError(_("{file} has no [[clinics]] records").format(file=from_file))
    else:
        if _interactive():
            from tripplan.cli_ask import ask_missing

            given = {
                "--id": clinic_id,
                "--name": name,
                "--country": country,
                "--city": city,
                "--licence": licence,
                "--asrm-class": asrm_class,
                "--cell-source": cell_source,
                "--processing": processing,
                "--route": route,
                "--treatment": treatment,
                "--joints": joints,
                "--price": price,
                "--currency": currency,
                "--quoted-on": quoted_on,
                "--visit1-days": visit1_days,
                "--visit2-days": visit2_days,
                "--culture-weeks": culture_weeks,
                "--closed": closed,
                "--languages": languages,
                "--processor": processor,
                "--plan-number": plan_number,
                "--committee": committee,
                "--claims": claims,
                "--contact": contact,
                "--notes": notes,
            }
            a = ask_missing(cat, given)
            clinic_id, name, country, city = a.get("--id"), a.get("--name"), a.get("--country"), a.get("--city")
            asrm_class, cell_source, processing = a.get("--asrm-class"), a.get("--cell-source"), a.get("--processing")
            route, treatment, joints, price = (
                a.get("--route"),
                a.get("--treatment"),
                a.get("--joints"),
                a.get("--price"),
            )
            currency, quoted_on = a.get("--currency"), a.get("--quoted-on")
        missing = [
            opt
            for opt, v in (
                ("--id", clinic_id),
                ("--name", name),
                ("--city", city),
                ("--country", country),
                ("--cell-source", cell_source),
                ("--processing", processing),
                ("--treatment", treatment),
                ("--joints", joints),
                ("--price", price),
                ("--currency", currency),
            )
            if not v
        ]
        if missing:
            raise UsageError(
                _("missing {options} (give them as options, or run in a terminal to be asked)").format(
                    options=", ".join(missing)
                )
            )
        assert price is not None
        assert joints is not None
        assert country is not None
        assert currency is not None
        code = lookup.resolve_currency(cat, currency)
        low, high = parse_pair(price, "--price", unit=UNIT_CURRENCY)
        fields = {
            "id": clinic_id,
            "name": name,
            "city": city,
            "country": lookup.resolve_country(cat, country, destinations_only=True),
            "licence": licence,
            "asrm_class": asrm_class,
            "cell_source": cell_source,
            "processing": processing,
            "quotes": [
                {
                    "treatment": treatment,
                    "joints": [lookup.resolve_joint(cat, j) for j in re.split(r"[,，、]", joints) if j.strip()],
                    "low": low,
                    "high": high,
                    "currency": code,
                    "quoted_on": parse_date(quoted_on, "--quoted-on") if quoted_on else None,
                }
            ],
            "visit1_days": parse_pair(visit1_days, "--visit1-days", unit=UNIT_DAYS) if visit1_days else None,
            "visit2_days": parse_pair(visit2_days, "--visit2-days", unit=UNIT_DAYS) if visit2_days else None,
            "culture_weeks": parse_pair(culture_weeks, "--culture-weeks", unit=UNIT_WEEKS) if culture_weeks else None,
            "closed_weekdays": [d.strip().lower()[:3] for d in closed.split(",") if d.strip()] if closed else None,
            "languages": [x.strip().lower() for x in languages.split(",") if x.strip()] if languages else None,
            "route": route_of(cat, route) if route and route.strip() else None,
            "route_as_given": route.strip() if route else None,
            "processor": processor,
            "plan_number": plan_number,
            "committee": committee,
            "claims": claims,
            "contact": contact,
            "note": notes,
        }
        new = [_record(fields)]
    path = add_clinics(user_folder(), cat, new)
    from tripplan.brochure import city_of
    from tripplan.travel import nearest_hub

    for c in new:
        if c.country in cat.countries and city_of(cat, c.country, c.city) is None:
            hub = nearest_hub(cat, None, c.country, c.city)
            err().print(
                _(
                    "Warning: {id}: tripplan does not recognise the city '{city}' in {country}; "
                    "flights assume {airport} ({airport_city}) or the hub nearest home."
                ).format(
                    id=c.id, city=c.city, country=cat.country_name(c.country), airport=hub.iata, airport_city=hub.city
                ),
                markup=False,
                soft_wrap=True,
            )
    if json:
        from tripplan.results import ClinicsAdded

        emit_json(ClinicsAdded(added=[c.id for c in new], file=str(path)))
    err().print(_("Added {ids} to {file}").format(ids=", ".join(c.id for c in new), file=path), markup=False)


@clinic_commands.command(
    "remove",
    help=N_("Remove one of your clinics (asks to confirm in a terminal)."),
    epilog=examples("tripplan clinics remove my-clinic", "tripplan clinics remove my-clinic --yes"),
)
@guarded
def clinics_remove(
    clinic_id: Annotated[
        str, typer.Argument(metavar="ID", help=N_("The id of one of your clinics."), autocompletion=complete.clinics)
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help=N_("Do not ask to confirm."))] = False,
    json: Json = False,
    lang: LangOpt = None,
) -> None:
    """Remove one of your clinics (asks to confirm in a terminal)."""
    from tripplan.clinic_store import remove_clinic

    cat = catalog()
    if not yes and _interactive() and not confirm(visible(_("Remove clinic {id}?").format(id=clinic_id))):
        err().print(_("Nothing removed."), markup=False)
        raise typer.Exit(0)
    path = remove_clinic(user_folder(), cat, clinic_id.strip().lower())
    if json:
        from tripplan.results import ClinicRemoved

        emit_json(ClinicRemoved(removed=clinic_id.strip().lower(), file=str(path), backup=str(path) + ".bak"))
    err().print(
        _("Removed {id} from {file} (previous version in {backup})").format(
            id=clinic_id, file=path, backup=f"{path.name}.bak"
        ),
        markup=False,
    )


@clinic_commands.command(
    "check",
    help=N_("The red flags the sources name, each with its source. Exit 0 when clean, 1 when a flag is raised."),
    epilog=examples("tripplan clinics check", "tripplan clinics check my-clinic --language zh"),
)
@guarded
def clinics_check(
    clinic_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help=N_("One clinic (default: all of yours, else all)."))
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            help=N_("Your language, for the coordinator check (e.g. en, zh; default: the language of --lang)."),
            autocompletion=complete.languages,
        ),
    ] = None,
    json: Json = False,
    lang: LangOpt = None,
) -> None:
    """The red flags the sources name, each with its source. Exit 0 when clean, 1 when a flag is raised."""
    from tripplan import lookup
    from tripplan.redflags import check_clinic

    cat = catalog()
    if clinic_id is not None:
        chosen = [lookup.resolve_clinic(cat, clinic_id)]
    else:
        chosen = [c for c in cat.clinics.values() if c.id in cat.user_clinic_ids] or list(cat.clinics.values())
    from tripplan import i18n

    spoken = (language or i18n.current()).strip().lower()
    checks = [check_clinic(cat=cat, clinic=c, language=spoken) for c in chosen]
    if json:
        emit_json(checks)
    else:
        from tripplan.render.clinics import render_checks

        render_checks(out(), cat, checks, today())
    if any(c.flags for c in checks):
        raise typer.Exit(1)
