"""`tripplan clinics`: the user's own clinics and quotes, kept safely and checked for red flags."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from tripplan import complete
from tripplan.cli_common import Json, catalog, examples, guarded, parse_date, parse_pair, today, user_folder
from tripplan.cli_lazy import Commands
from tripplan.errors import UsageError
from tripplan.render.common import emit_json, emit_json_list, err, out
from tripplan.textsafe import visible

clinic_commands = Commands()
clinics_app = typer.Typer(
    cls=clinic_commands.group_class(),
    rich_markup_mode=None,
    help="Your own clinics and quotes: list, show, add, remove, check for red flags.",
    no_args_is_help=True,
)


LIST_LIMIT = 50  # rows of the clinics table without --all: a long list stays readable and quick


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


@clinic_commands.command(
    "list", epilog=examples("tripplan clinics list", "tripplan clinics list --country JP --joint knee")
)
@guarded
def clinics_list(
    country: Annotated[
        str | None, typer.Option(help="Only clinics in this country.", autocompletion=complete.destination)
    ] = None,
    joint: Annotated[
        str | None, typer.Option(help="Only clinics with a price for this joint.", autocompletion=complete.joints)
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help=f"List every clinic (the table shows the first {LIST_LIMIT}).")
    ] = False,
    json: Json = False,
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
            f"Showing {len(shown)} of {total:,} clinics: --all lists every one, --country or --joint narrow "
            "the list, --json gives them all as data.",
            markup=False,
        )
    return None


@clinic_commands.command("show", epilog=examples("tripplan clinics list  # the ids", "tripplan clinics show ID --json"))
@guarded
def clinics_show(
    clinic_id: Annotated[str, typer.Argument(metavar="ID", help="The clinic's id.", autocompletion=complete.clinics)],
    json: Json = False,
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
    from tripplan.models import Clinic

    try:
        return validate(Clinic, {k: v for k, v in fields.items() if v is not None})
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "clinic"
        raise UsageError(f"invalid clinic: {where}: {first['msg'].removeprefix('Value error, ')}") from None


@clinic_commands.command(
    "add",
    epilog=examples(
        "tripplan clinics add  # asks for each field in a terminal",
        "tripplan clinics add --from-file my-clinics.toml",
    ),
)
@guarded
def clinics_add(
    clinic_id: Annotated[str | None, typer.Option("--id", help="Short id: lowercase letters, digits, dashes.")] = None,
    name: Annotated[str | None, typer.Option(help="The clinic's name as on its papers.")] = None,
    city: Annotated[str | None, typer.Option(help="City.")] = None,
    country: Annotated[str | None, typer.Option(help="Country code or name.")] = None,
    licence: Annotated[str | None, typer.Option(help="MHLW licence or therapy plan number.")] = None,
    asrm_class: Annotated[str | None, typer.Option(help="ASRM class: I, II or III.")] = None,
    cell_source: Annotated[str | None, typer.Option(help="adipose, bone-marrow, umbilical-cord, …")] = None,
    processing: Annotated[str | None, typer.Option(help="cultured, same-day, donor, cell-free or none.")] = None,
    treatment: Annotated[str | None, typer.Option(help="Treatment quoted, e.g. 'cultured adipose MSC'.")] = None,
    joints: Annotated[str | None, typer.Option(help="Joints the quote covers, comma-separated.")] = None,
    price: Annotated[str | None, typer.Option(help="Quoted price: AMOUNT or LOW-HIGH.")] = None,
    currency: Annotated[
        str | None, typer.Option(help="Currency of the quoted price (ISO code: USD, JPY, EUR…); required.")
    ] = None,
    quoted_on: Annotated[str | None, typer.Option(help="Day the clinic gave the quote, YYYY-MM-DD.")] = None,
    visit1_days: Annotated[str | None, typer.Option(help="Days of visit 1 at the clinic's city, MIN-MAX.")] = None,
    visit2_days: Annotated[str | None, typer.Option(help="Days of visit 2 at the clinic's city, MIN-MAX.")] = None,
    culture_weeks: Annotated[str | None, typer.Option(help="Culture window in weeks, MIN-MAX.")] = None,
    closed: Annotated[str | None, typer.Option(help="Weekly closed days, e.g. sun,wed.")] = None,
    languages: Annotated[str | None, typer.Option(help="Coordinator languages, e.g. en,zh.")] = None,
    route: Annotated[
        str | None,
        typer.Option(
            help="How the cells are given, in the clinic's words (IV drip, 関節内注射, into the joint…): read as "
            "intra-articular, intravenous, intrathecal or soft-tissue, the words kept beside it."
        ),
    ] = None,
    processor: Annotated[str | None, typer.Option(help="The cell processing centre, as the clinic names it.")] = None,
    plan_number: Annotated[str | None, typer.Option(help="The treatment plan number the clinic gave.")] = None,
    committee: Annotated[str | None, typer.Option(help="The committee that reviewed the plan.")] = None,
    claims: Annotated[
        str | None, typer.Option(help="What the clinic claims (advertising, papers), in its words.")
    ] = None,
    contact: Annotated[str | None, typer.Option(help="Contact (email, coordinator).")] = None,
    notes: Annotated[str | None, typer.Option(help="Anything else.")] = None,
    from_file: Annotated[Path | None, typer.Option(help="Add the [[clinics]] of a TOML file.")] = None,
    json: Json = False,
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
            raise UsageError(f"{from_file} has no [[clinics]] records")
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
            raise UsageError(f"missing {', '.join(missing)} (give them as options, or run in a terminal to be asked)")
        assert price is not None
        assert joints is not None
        assert country is not None
        assert currency is not None
        code = lookup.resolve_currency(cat, currency)
        low, high = parse_pair(price, "--price", unit="currency units")
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
            "visit1_days": parse_pair(visit1_days, "--visit1-days", unit="days") if visit1_days else None,
            "visit2_days": parse_pair(visit2_days, "--visit2-days", unit="days") if visit2_days else None,
            "culture_weeks": parse_pair(culture_weeks, "--culture-weeks", unit="weeks") if culture_weeks else None,
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
                f"Warning: {c.id}: tripplan does not recognise the city '{c.city}' in {cat.country_name(c.country)}; "
                f"flights assume {hub.iata} ({hub.city}) or the hub nearest home.",
                markup=False,
                soft_wrap=True,
            )
    if json:
        from tripplan.results import ClinicsAdded

        emit_json(ClinicsAdded(added=[c.id for c in new], file=str(path)))
    err().print(f"Added {', '.join(c.id for c in new)} to {path}", markup=False)


@clinic_commands.command(
    "remove", epilog=examples("tripplan clinics remove my-clinic", "tripplan clinics remove my-clinic --yes")
)
@guarded
def clinics_remove(
    clinic_id: Annotated[
        str, typer.Argument(metavar="ID", help="The id of one of your clinics.", autocompletion=complete.clinics)
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask to confirm.")] = False,
    json: Json = False,
) -> None:
    """Remove one of your clinics (asks to confirm in a terminal)."""
    from tripplan.clinic_store import remove_clinic

    cat = catalog()
    if not yes and _interactive() and not typer.confirm(visible(f"Remove clinic {clinic_id}?")):
        err().print("Nothing removed.", markup=False)
        raise typer.Exit(0)
    path = remove_clinic(user_folder(), cat, clinic_id.strip().lower())
    if json:
        from tripplan.results import ClinicRemoved

        emit_json(ClinicRemoved(removed=clinic_id.strip().lower(), file=str(path), backup=str(path) + ".bak"))
    err().print(f"Removed {clinic_id} from {path} (previous version in {path.name}.bak)", markup=False)


@clinic_commands.command(
    "check", epilog=examples("tripplan clinics check", "tripplan clinics check my-clinic --language zh")
)
@guarded
def clinics_check(
    clinic_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="One clinic (default: all of yours, else all).")
    ] = None,
    language: Annotated[
        str,
        typer.Option(help="Your language, for the coordinator check (e.g. en, zh).", autocompletion=complete.languages),
    ] = "en",
    json: Json = False,
) -> None:
    """The red flags the sources name, each with its source. Exit 0 when clean, 1 when a flag is raised."""
    from tripplan import lookup
    from tripplan.redflags import check_clinic

    cat = catalog()
    if clinic_id is not None:
        chosen = [lookup.resolve_clinic(cat, clinic_id)]
    else:
        chosen = [c for c in cat.clinics.values() if c.id in cat.user_clinic_ids] or list(cat.clinics.values())
    checks = [check_clinic(cat=cat, clinic=c, language=language.strip().lower()) for c in chosen]
    if json:
        emit_json(checks)
    else:
        from tripplan.render.clinics import render_checks

        render_checks(out(), cat, checks, today())
    if any(c.flags for c in checks):
        raise typer.Exit(1)
