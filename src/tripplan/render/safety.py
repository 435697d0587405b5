"""Rendering of `tripplan safety`: the actions per destination, how to verify a provider, the warning signs."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from tripplan.catalog import Catalog
from tripplan.render.common import sources_footer
from tripplan.safety import SafetyReport


def render_safety(console: Console, cat: Catalog, r: SafetyReport) -> None:
    record = f"as of {r.as_of}" if r.as_of else "undated"
    console.print(f"[bold]Safety record[/bold] ({record}; {r.age_days} days old)", highlight=False)
    if r.stale:
        console.print("Warning: the record is more than six months old; newer actions may be missing.")
    if r.checked_on:
        console.print(escape(f"Searched for newer items on {r.checked_on}: {r.not_found}"))
    for d in r.destinations:
        console.print(f"\n[bold]{escape(d.name)} ({d.destination})[/bold]: {escape(d.summary.text)}")
        for a in d.actions:
            names = "; ".join(
                " / ".join(x for x in (p.name_ja, p.name_en) if x)
                + (f" ({p.role}, {p.city})" if p.city else "")
                + (f" [{p.note}]" if p.note else "")
                for p in a.providers
            )
            marks = " [single source]" if a.single_source else ""
            console.print(escape(f"  {a.date}  {a.authority}: {a.action}{marks}"))
            console.print(escape(f"    Who: {names}"))
            console.print(escape(f"    Treatment: {a.treatment}" + (f"; route: {a.route}" if a.route else "")))
            console.print(escape(f"    Patients: {a.outcome}"))
            if a.disputed:
                console.print(escape(f"    Sources disagree: {a.disputed}"))
            console.print(escape(f"    Sources: {', '.join(a.sources)}"))
        if d.changes:
            console.print(escape(f"  Rule changes in {d.name}:"))
        for c in d.changes:
            marks = " [single source]" if c.single_source else ""
            where = f" ({c.region_name})" if c.region_name else ""
            console.print(escape(f"  {c.date}  {c.authority}{where}: {c.what}{marks} [{', '.join(c.sources)}]"))
            if c.disputed:
                console.print(escape(f"    Sources disagree: {c.disputed}"))
    console.print("\n[bold]How to verify a provider[/bold]")
    for v in r.verify:
        console.print(escape(f"  • {v.text} [{', '.join(v.sources)}]"))
    console.print("\n[bold]Warning signs the authorities name[/bold]")
    for w in r.warning_signs:
        marks = " [single source]" if w.single_source else ""
        console.print(escape(f"  • {w.text}{marks} [{', '.join(w.sources)}]"))
    console.print(
        "\n[dim]tripplan informs; it does not tell anyone whether to travel. Decisions belong to the patient and "
        "their doctors.[/dim]"
    )
    sources_footer(console, cat, r.sources, r.as_of or cat.visa_dataset.date)
