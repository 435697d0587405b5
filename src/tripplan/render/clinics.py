"""Rendering of the `tripplan clinics` commands."""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table

from tripplan.catalog import Catalog
from tripplan.dateformat import WEEKDAYS_SHORT
from tripplan.errors import listed
from tripplan.i18n import _
from tripplan.models import Clinic
from tripplan.money import Span, fmt, fmt_span
from tripplan.prices import clinic_prices, treatment_for
from tripplan.redflags import ClinicCheck
from tripplan.render.common import cell, print_if_fits, say, say_markup, sources_footer, table_title
from tripplan.wording import amount_line, cells_short, counted


def _kind(cat: Catalog, c: Clinic) -> str:
    return _("yours") if c.id in cat.user_clinic_ids else _("shipped profile")


def _price(cat: Catalog, c: Clinic, joint: str | None) -> str:
    """Each quoted amount in its own currency and in USD with the rate's day, one a line."""
    lines = clinic_prices(cat, c, joint)
    if not lines:
        return "—"
    if c.quotes:
        return "\n".join(amount_line(x) for x in lines)
    t = treatment_for(lines)
    rows = f" ({counted(len(lines), 'source row')})" if len(lines) > 1 else ""
    return (fmt_span(t.span) + rows) if t else "—"


def render_list(console: Console, cat: Catalog, clinics: list[Clinic], joint: str | None) -> None:
    table = Table(title=table_title(_("Clinics")), title_justify="left")
    table.add_column(_("Id"), no_wrap=True)
    table.add_column(_("Kind"), overflow="fold", min_width=7)
    table.add_column(_("Name"), overflow="fold", min_width=12)
    table.add_column(_("City"), overflow="fold", min_width=8)
    table.add_column(_("Cells"), overflow="fold", min_width=10)
    table.add_column(_("Price as quoted = USD"), overflow="fold", min_width=12)
    table.add_column(_("Licence"), overflow="fold", min_width=8)
    rows = [(c, _price(cat, c, joint)) for c in clinics]
    figures = [p for _, price in rows for p in price.split("\n")]
    for c, price in rows:
        row = (
            escape(c.id),
            _kind(cat, c),
            escape(c.name),
            escape(f"{c.city}, {c.country}"),
            escape(f"{cells_short(c.processing)} {cat.label('cell_source', c.cell_source)}"),
            escape(price),
            escape(c.licence or "—"),
        )
        table.add_row(*map(cell, row))
    if not print_if_fits(
        console, table, [c.id for c in clinics] + figures
    ):  # one clinic a block: ids and prices stay whole
        heading = _("Clinics")
        console.print(f"[bold]{escape(heading)}[/bold]")
        for c, price in rows:
            console.print(f"\n[bold]{escape(c.id)}[/bold] ({_kind(cat, c)})")
            for label, value in (
                (_("Name"), c.name),
                (_("City"), f"{c.city}, {c.country}"),
                (_("Cells"), f"{cells_short(c.processing)} {cat.label('cell_source', c.cell_source)}"),
                (_("Price"), price.replace("\n", "; ")),
                (_("Licence"), c.licence or "—"),
            ):
                console.print(Padding(escape(_("{label}: {value}").format(label=label, value=value)), (0, 0, 0, 2)))
    if not clinics:
        console.print(_("No clinic matches."))


def _plan(cat: Catalog, c: Clinic) -> str:
    if not c.plan_number:
        return _("not recorded")
    where = cat.countries[c.country].licence_register if c.country in cat.countries else None
    if where:
        return _("{plan} (as the clinic gave it; tripplan has not verified it; look it up on {where})").format(
            plan=c.plan_number, where=where
        )
    return _("{plan} (as the clinic gave it; tripplan has not verified it)").format(plan=c.plan_number)


def _closed(c: Clinic) -> str:
    """The clinic's weekly closed days in the current language ("Sun", "周日"), or that none are recorded."""
    from tripplan.closures import WEEKDAYS

    days = [_(WEEKDAYS_SHORT[WEEKDAYS.index(w)]) if w in WEEKDAYS else w for w in c.closed_weekdays]
    return ", ".join(days) or _("none recorded")


def render_show(console: Console, cat: Catalog, c: Clinic) -> None:
    console.print(f"[bold]{escape(c.name)}[/bold] ({escape(c.id)}, {_kind(cat, c)})")
    none = _("not recorded")
    route = cat.label("route", c.route) if c.route else none
    if c.route_as_given:
        route = _("{route} (as given: {given})").format(route=route, given=c.route_as_given)
    rows = [
        (_("Where"), f"{c.city}, {cat.country_name(c.country)}"),
        (_("Licence"), c.licence or none),
        (_("Plan number"), _plan(cat, c)),
        (_("Committee"), c.committee or none),
        (_("ASRM class"), c.asrm_class or none),
        (_("Route"), route),
        (_("Processor"), c.processor or none),
        (_("Claims"), c.claims or "—"),
        (_("Cells"), f"{cells_short(c.processing)}, {cat.label('cell_source', c.cell_source)}"),
        (_("Languages"), ", ".join(c.languages) or none),
        (
            _("Culture window (weeks)"),
            "-".join(map(str, c.culture_weeks)) if c.culture_weeks else _("the country's protocol"),
        ),
        (_("Weekly closed days"), _closed(c)),
        (_("Contact"), c.contact or "—"),
        (_("Source"), c.source or _("your own record")),
        (_("Note"), c.note or "—"),
    ]
    for label, value in rows:
        console.print("  " + escape(_("{label}: {value}").format(label=label, value=value)))
    for q in c.quotes:
        values = {"treatment": q.treatment, "joints": listed(cat.label("joint", j) for j in q.joints), "note": q.note}
        values["amount"] = fmt_span(Span(low=q.low, high=q.high), q.currency)
        if q.quoted_on:
            line = _("Quote: {treatment} ({joints}): {amount}, quoted on {date} {note}").format(
                **values, date=q.quoted_on
            )
        else:
            line = _("Quote: {treatment} ({joints}): {amount} {note}").format(**values)
        say(console, line.rstrip(), indent=2)
    for p in map(cat.price, c.price_refs):
        if p is None:
            continue  # every ref is known (validate.py)
        ends = fmt(p.low) if p.low == p.high else f"{fmt(p.low)}–{p.high:,}"  # said once when the ends are equal
        price = f"{ends}{'+' if p.open_high else ''}"
        line = _("Price: {price} {treatment} ({joints}) [{source}]").format(
            price=price,
            treatment=cat.label("treatment", p.treatment),
            joints=listed(cat.label("joint", j) for j in p.joints) or p.scope,
            source=p.source,
        )
        say(console, line, indent=2)


def render_checks(console: Console, cat: Catalog, checks: list[ClinicCheck], today: dt.date) -> None:
    for ch in checks:
        head = f"[bold]{escape(ch.name)}[/bold] ({escape(ch.clinic)})"
        if not ch.flags:
            clean = _("no red flags")  # (not inside the f-string: the catalog's extractor reads only plain calls)
            say_markup(console, f"{head}: [green]{escape(clean)}[/green]")
            continue
        say_markup(console, f"{head}: [red]{counted(len(ch.flags), 'red flag')}[/red]")
        for f in ch.flags:
            say_markup(console, "[red]✗[/red] " + escape(f"{f.message} [{', '.join(f.sources)}]"), indent=2, hang=2)
    cited = [s for ch in checks for s in ch.sources]
    if cited:
        sources_footer(console, cat, cited, today)
