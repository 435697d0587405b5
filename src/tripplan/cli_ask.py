"""The interactive `clinics add`: each answer is checked as it is given and asked again with the reason and
the valid choices; Ctrl-C, end of input or a refusal prints the equivalent command line, so nothing typed
is lost."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, get_args

import typer

from tripplan.cli_lazy import confirm
from tripplan.errors import UsageError, listed
from tripplan.i18n import N_, _
from tripplan.render.common import err, say

if TYPE_CHECKING:
    from tripplan.catalog import Catalog

MAX_TRIES = 5  # answers refused in a row before tripplan stops asking (and prints the command so far)
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Question:
    """One question: the option it fills, what is asked, and the check its answer must pass."""

    option: str
    """The `clinics add` option the answer becomes (--country…)."""
    label: str
    """What is asked (in English, marked with N_(); translated where it is asked)."""
    check: Callable[[str], str]
    """The answer as kept, or a UsageError whose message says why it is refused and what is valid."""
    required: bool = True
    """False: Enter skips the question."""


class RefusedError(Exception):
    """The user stopped answering (Ctrl-C, end of input, too many refused answers, or no to adding)."""


def questions(cat: Catalog, answers: dict[str, str]) -> list[Question]:
    """The questions of `clinics add`, in the order asked; later checks read earlier answers."""
    from tripplan import lookup
    from tripplan.brochure import cell_source_of, city_of, route_of
    from tripplan.cli_common import UNIT_CURRENCY, parse_date, parse_pair
    from tripplan.errors import unknown
    from tripplan.models import Processing
    from tripplan.travel import nearest_hub

    def clinic_id(text: str) -> str:
        value = text.strip().lower()
        if not ID.match(value):
            raise UsageError(
                _("'{text}' is not an id: use lowercase letters, digits and dashes, e.g. tokyo-knee-clinic").format(
                    text=text
                )
            )
        if value in cat.clinics:
            raise UsageError(_("a clinic with id {id} already exists; choose another id").format(id=value))
        return value

    def words(text: str) -> str:
        if not text.strip():
            raise UsageError(_("an answer is needed"))
        return text.strip()

    def country(text: str) -> str:
        return lookup.resolve_country(cat, text, destinations_only=True)

    def city(text: str) -> str:
        value = words(text)
        code = answers.get("--country")
        if code and city_of(cat, code, value) is None:
            hub = nearest_hub(cat, None, code, None)
            note = _(
                "Note: tripplan does not recognise the city '{city}' in {country}; "
                "flights will assume {airport} ({airport_city})."
            )
            say(
                err(),
                note.format(city=value, country=cat.country_name(code), airport=hub.iata, airport_city=hub.city),
                indent=2,
            )
        return value

    def risk_class(text: str) -> str:
        value = text.strip().upper()
        if value not in ("I", "II", "III"):
            raise UsageError(_("class '{text}' is not one of: I, II, III (Enter to skip)").format(text=text))
        return value

    def cells(text: str) -> str:
        if cell_source_of(cat, text) is None:
            known = listed(c.name for c in cat.cell_sources)
            raise UsageError(
                _("'{text}' names no cell source tripplan knows; for example: {known}").format(text=text, known=known)
            )
        return text.strip()

    def processing(text: str) -> str:
        value = text.strip().lower().replace(" ", "-")
        kinds = get_args(Processing)
        if value not in kinds:
            raise unknown("processing", text, kinds)
        return value

    def route(text: str) -> str:
        value = words(text)
        if route_of(cat, value) == "unrecognised" and answers.get("route-tried") != value:
            answers["route-tried"] = value
            known = listed(a.route for a in cat.route_aliases)
            raise UsageError(
                _(
                    "'{text}' is not a route tripplan recognises ({known}, in the clinic's words: IV drip, "
                    "関節内注射…); type it again to keep it as the clinic wrote it (it will be flagged)"
                ).format(text=value, known=known)
            )
        return value

    def joints(text: str) -> str:
        parts = [j for j in re.split(r"[,，、]", text) if j.strip()]
        if not parts:
            raise UsageError(_("give at least one joint: knee, hip, shoulder, elbow, ankle"))
        return ",".join(lookup.resolve_joint(cat, j) for j in parts)

    def price(text: str) -> str:
        parse_pair(text, _("price"), unit=UNIT_CURRENCY)
        return text.strip()

    def currency(text: str) -> str:
        value = lookup.resolve_currency(cat, text)
        if not cat.has_rate(value):
            rated = sorted({"USD", *(r.currency for r in cat.book.rates), *cat.pegs})
            raise UsageError(
                _("'{text}' is not a currency with an exchange rate; use one of: {codes}").format(
                    text=text, codes=listed(rated)
                )
            )
        return value

    def day(text: str) -> str:
        return parse_date(text, _("date")).isoformat()

    return [
        Question(option="--id", label=N_("Clinic id (e.g. tokyo-knee-clinic)"), check=clinic_id),
        Question(option="--name", label=N_("Name (as on the clinic's papers)"), check=words),
        Question(option="--country", label=N_("Country (code or English name, e.g. JP)"), check=country),
        Question(option="--city", label=N_("City"), check=city),
        Question(
            option="--asrm-class", label=N_("ASRM class (I, II, III; Enter to skip)"), check=risk_class, required=False
        ),
        Question(option="--cell-source", label=N_("Cell source (adipose, bone-marrow, umbilical-cord…)"), check=cells),
        Question(
            option="--processing", label=N_("Processing (cultured, same-day, donor, cell-free, none)"), check=processing
        ),
        Question(
            option="--route",
            label=N_("How the cells are given, in the clinic's words (Enter to skip)"),
            check=route,
            required=False,
        ),
        Question(option="--treatment", label=N_("Treatment quoted"), check=words),
        Question(option="--joints", label=N_("Joints (comma-separated)"), check=joints),
        Question(option="--price", label=N_("Quoted price (AMOUNT or LOW-HIGH)"), check=price),
        Question(
            option="--currency", label=N_("Currency of the quoted price (ISO code: USD, JPY, EUR…)"), check=currency
        ),
        Question(
            option="--quoted-on", label=N_("Day of the quote (YYYY-MM-DD; Enter to skip)"), check=day, required=False
        ),
    ]


def prompt_text(label: str, width: int | None = None) -> str:
    """A question as the terminal shows it, wrapped by tripplan's wrapper (render.common.wrapped: between
    words, in Chinese between characters, never before closing punctuation nor inside an id or a figure), its
    wrapped lines indented, room left for the ": " Click writes after it. `width`: the terminal's (stdout's
    console) unless given."""
    from tripplan.render.common import out, wrapped

    room = (out().width if width is None else width) - 2
    return "\n".join(wrapped(label, max(room, 20)))


def _one(q: Question) -> str | None:
    for _try in range(MAX_TRIES):
        try:
            answer = str(typer.prompt(prompt_text(_(q.label)), default="", show_default=False))
        except (typer.Abort, EOFError, KeyboardInterrupt):
            raise RefusedError from None
        if not answer.strip() and not q.required:
            return None
        try:
            return q.check(answer) if answer.strip() else q.check("")
        except UsageError as e:
            say(err(), _("Not taken: {reason}").format(reason=e), indent=2)
    err().print("  " + _("{n} answers refused; stopping.").format(n=MAX_TRIES), markup=False)
    raise RefusedError


def command_line(values: dict[str, str]) -> str:
    """The `clinics add` command that gives these answers."""
    parts = ["tripplan", "clinics", "add"]
    for option, value in values.items():
        parts += [option, value]
    return shlex.join(parts)


def ask_missing(cat: Catalog, given: dict[str, str | None]) -> dict[str, str]:
    """Every option given on the command line, and an answer to each question whose option was not given,
    each checked as it is given. Stops with the equivalent command line when the user stops answering."""
    known = {k: v for k, v in given.items() if v is not None}
    answers: dict[str, str] = {}
    scratch: dict[str, str] = {}
    try:
        for q in questions(cat, scratch):
            if q.option in known:
                scratch[q.option] = known[q.option]
                continue
            value = _one(q)
            if value is not None:
                answers[q.option] = scratch[q.option] = value
        everything = {**known, **answers}
        if answers and not confirm(_("Add this clinic?"), default=True):
            raise RefusedError
    except (RefusedError, typer.Abort, KeyboardInterrupt, EOFError):
        so_far = {**known, **answers}
        err().print(
            "\n" + _("Nothing was added. Everything answered so far, as one command (finish it and run it):"),
            markup=False,
        )
        err().print("  " + command_line(so_far), markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    return everything
