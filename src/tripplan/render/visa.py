"""Rendering of `tripplan visa`."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tripplan.catalog import Catalog
from tripplan.visas import CONFIRM, VisaAnswer


def render_visas(console: Console, cat: Catalog, nationality: str, answers: list[VisaAnswer]) -> None:
    table = Table(
        title=escape(f"Visas for a passport of {cat.country_name(nationality)} ({nationality})"), title_justify="left"
    )
    for name in ("Destination", "Requirement", "Both trips visa-free?", "Medical visa"):
        table.add_column(name)
    for a in answers:
        fits = {True: "yes", False: "no", None: "—"}[a.fits_visa_free]
        if a.longest_stay_days:
            fits += f" (longest stay {a.longest_stay_days} days)"
        medical = (
            a.medical_visa.name + (" — needed" if a.medical_visa_needed else " — optional") if a.medical_visa else "—"
        )
        table.add_row(
            escape(f"{cat.country_name(a.destination)} ({a.destination})"), escape(a.summary), fits, escape(medical)
        )
    console.print(table)
    for a in answers:
        if a.medical_visa is None and not a.notes:
            continue
        console.print(f"\n[bold]{escape(cat.country_name(a.destination))}[/bold]")
        m = a.medical_visa
        if m is not None:
            console.print(escape(f"  {m.name}: guarantor — {m.guarantor}."))
            console.print(escape(f"  Periods of stay: {', '.join(m.periods)}. {m.multiple_entry}. {m.companion}."))
            console.print(escape(f"  It needs: {'; '.join(m.needs)}.  [{', '.join(m.sources)}]"))
        for note in a.notes:
            console.print(f"  • {escape(note)}")
    date = answers[0].dataset_date if answers else cat.visa_dataset.date
    console.print(f"\n[dim]Requirements: passport-index data set of {date} (MIT licence). {CONFIRM}[/dim]")
