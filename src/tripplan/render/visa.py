"""Rendering of `tripplan visa`."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tripplan.catalog import Catalog
from tripplan.errors import listed
from tripplan.i18n import _
from tripplan.render.common import cell, say, table_title
from tripplan.visas import CONFIRM, VisaAnswer
from tripplan.wording import parts


def render_visas(console: Console, cat: Catalog, nationality: str, answers: list[VisaAnswer]) -> None:
    table = Table(
        title=table_title(
            escape(
                _("Visas for a passport of {country} ({code})").format(
                    country=cat.country_name(nationality), code=nationality
                )
            )
        ),
        title_justify="left",
    )
    for name in (_("Destination"), _("Requirement"), _("Both trips visa-free?"), _("Medical visa")):
        table.add_column(cell(escape(name)))
    for a in answers:
        fits = {True: _("yes"), False: _("no"), None: "—"}[a.fits_visa_free]
        if a.longest_stay_days:
            fits = _("{fits} (longest stay {days} days)").format(fits=fits, days=a.longest_stay_days)
        medical = "—"
        if a.medical_visa:
            needed = _("{name} — needed") if a.medical_visa_needed else _("{name} — optional")
            medical = needed.format(name=a.medical_visa.name)
        table.add_row(
            cell(escape(f"{cat.country_name(a.destination)} ({a.destination})")),
            cell(escape(a.summary)),
            cell(escape(fits)),
            cell(escape(medical)),
        )
    console.print(table)
    for a in answers:
        if a.medical_visa is None and not a.notes:
            continue
        console.print(f"\n[bold]{escape(cat.country_name(a.destination))}[/bold]")
        m = a.medical_visa
        if m is not None:  # a paragraph: its wrapped lines keep its indent
            say(
                console,
                _("{name}: guarantor — {guarantor}.").format(name=m.name, guarantor=m.guarantor),
                indent=2,
                hang=0,
            )
            periods = _("Periods of stay: {periods}. {multiple_entry}. {companion}.").format(
                periods=listed(m.periods), multiple_entry=m.multiple_entry, companion=m.companion
            )
            say(console, periods, indent=2, hang=0)
            needs = _("It needs: {needs}.").format(needs=parts(m.needs))
            say(console, f"{needs}  [{', '.join(m.sources)}]", indent=2, hang=0)
        for note in a.notes:
            say(console, f"• {note}", indent=2, hang=2)  # under the text, not the bullet
    date = answers[0].dataset_date if answers else cat.visa_dataset.date
    line = _("Requirements: passport-index data set of {date} (MIT licence).").format(date=date)
    console.print()
    say(console, f"{line} {_(CONFIRM)}", style="dim", hang=0)
