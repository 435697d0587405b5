"""Rendering of `tripplan safety`: the actions per destination, how to verify a provider, the warning signs."""

from __future__ import annotations

from rich.console import Console

from tripplan.catalog import Catalog
from tripplan.render.common import say, sources_footer
from tripplan.safety import SafetyReport
from tripplan.wording import DECIDE_NOTE


def render_safety(console: Console, cat: Catalog, r: SafetyReport, *, details: bool = False) -> None:
    """The answer first: each destination's record in a line and its actions one line each, then how to
    verify a provider; with `details`, who, what treatment, the patients, disputes and the sources of each
    action, and the warning signs the authorities name."""
    record = f"as of {r.as_of}" if r.as_of else "undated"
    console.print(f"[bold]Safety record[/bold] ({record}; {r.age_days} days old)", highlight=False)
    if r.stale:
        say(console, "Warning: the record is more than six months old; newer actions may be missing.")
    if r.checked_on:
        say(console, f"Searched for newer items on {r.checked_on}: {r.not_found}")
    for d in r.destinations:
        console.print()
        say(console, f"{d.name} ({d.destination}): {d.summary.text}", style="bold")
        for a in d.actions:
            marks = " [single source]" if a.single_source else ""
            if not details:
                say(console, f"{a.date}  {a.authority}: {a.action}{marks} [{', '.join(a.sources)}]", indent=2, hang=12)
                continue
            names = "; ".join(
                " / ".join(x for x in (p.name_ja, p.name_en) if x)
                + (f" ({p.role}, {p.city})" if p.city else "")
                + (f" [{p.note}]" if p.note else "")
                for p in a.providers
            )
            say(console, f"{a.date}  {a.authority}: {a.action}{marks}", indent=2)
            say(console, f"Who: {names}", indent=4)
            say(console, f"Treatment: {a.treatment}" + (f"; route: {a.route}" if a.route else ""), indent=4)
            say(console, f"Patients: {a.outcome}", indent=4)
            if a.disputed:
                say(console, f"Sources disagree: {a.disputed}", indent=4)
            say(console, f"Sources: {', '.join(a.sources)}", indent=4)
        if d.changes:
            say(console, f"Rule changes in {d.name}:", indent=2)
        for c in d.changes:
            marks = " [single source]" if c.single_source else ""
            where = f" ({c.region_name})" if c.region_name else ""
            say(console, f"{c.date}  {c.authority}{where}: {c.what}{marks} [{', '.join(c.sources)}]", indent=2, hang=12)
            if c.disputed and details:
                say(console, f"Sources disagree: {c.disputed}", indent=4)
    console.print("\n[bold]How to verify a provider[/bold]")
    for v in r.verify:
        say(console, f"• {v.text} [{', '.join(v.sources)}]", indent=2)
    if details:
        console.print("\n[bold]Warning signs the authorities name[/bold]")
        for w in r.warning_signs:
            marks = " [single source]" if w.single_source else ""
            say(console, f"• {w.text}{marks} [{', '.join(w.sources)}]", indent=2)
    else:
        say(
            console,
            f"Who, what treatment, the patients and {len(r.warning_signs)} warning signs the authorities name: "
            "add --details.",
            style="dim",
        )
    console.print()
    say(console, DECIDE_NOTE, style="dim")
    sources_footer(console, cat, r.sources, r.as_of or cat.visa_dataset.date, details=details)
