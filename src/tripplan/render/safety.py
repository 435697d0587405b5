"""Rendering of `tripplan safety`: the actions per destination, how to verify a provider, the warning signs."""

from __future__ import annotations

from rich.console import Console

from tripplan.catalog import Catalog
from tripplan.render.common import disclaimer_footer, say, sources_footer
from tripplan.safety import DestinationSafety, SafetyReport
from tripplan.wording import (
    DECIDE_NOTE,
    SAFETY_DETAILS_HINT,
    SAFETY_MORE_CHANGES,
    SAFETY_OLDER,
    SAFETY_OLDER_AND_CHANGES,
    SAFETY_SEARCHED,
    counted,
)


def render_safety(console: Console, cat: Catalog, r: SafetyReport, *, details: bool = False) -> None:
    """The answer first, on one screen: the record's date, each destination's headline with its recent actions
    (or its latest) and its latest rule change one line each (their brief words and first source id, "+N" for
    the sources --details adds), the count of the rest, and how to verify a provider, in brief. With `details`, the full record: every action (who, what treatment, the patients, disputes, every
    source), every rule change in full, how to verify a provider in full, the warning signs the authorities
    name, and every source with its title, date and address."""
    record = f"as of {r.as_of}" if r.as_of else "undated"
    console.print(f"[bold]Safety record[/bold] ({record}; {r.age_days} days old)", highlight=False)
    if r.stale:
        say(console, "Warning: the record is more than six months old; newer actions may be missing.")
    if details:
        _details(console, cat, r)
    else:
        _summary(console, r)


def _cited(ids: list[str]) -> str:
    """An item's sources in a summary line: its first source id, and how many more --details lists."""
    return f"[{ids[0]}]" if len(ids) == 1 else f"[{ids[0]} +{len(ids) - 1}]"


def _summary(console: Console, r: SafetyReport) -> None:
    if r.checked_on:
        say(console, SAFETY_SEARCHED.format(day=r.checked_on))
    for d in r.destinations:
        console.print()
        _destination_summary(console, d)
    console.print("\n[bold]How to verify a provider[/bold]")
    for v in r.verify:
        say(console, f"• {v.brief or v.text} {_cited(v.sources)}", indent=2)
    say(console, SAFETY_DETAILS_HINT.format(signs=counted(len(r.warning_signs), "warning sign")), style="dim")
    console.print()
    say(console, DECIDE_NOTE, style="dim")
    disclaimer_footer(console)


def _destination_summary(console: Console, d: DestinationSafety) -> None:
    """A destination's headline, its recent actions (or, with none recent, its latest), its latest rule change,
    and how many more of each --details gives: one line each."""
    say(console, f"{d.name} ({d.destination}): {d.summary.text}", style="bold")
    listed = d.actions[: d.summary.recent] or d.actions[:1]  # newest first: the recent ones lead
    for a in listed:
        marks = " [single source]" if a.single_source else ""
        say(console, f"{a.date}  {a.authority}: {a.brief or a.action}{marks} {_cited(a.sources)}", indent=2, hang=4)
    for c in d.changes[:1]:  # newest first
        marks = " [single source]" if c.single_source else ""
        where = f" ({c.region_name})" if c.region_name else ""
        say(console, f"{c.date}  rule change{where}: {c.brief or c.what}{marks} {_cited(c.sources)}", indent=2, hang=4)
    older = d.actions[len(listed) :]
    changes = counted(len(d.changes) - 1, "more rule change") if len(d.changes) > 1 else ""
    if older:
        span = {"older": counted(len(older), "older action"), "first": older[-1].date, "last": older[0].date}
        line = SAFETY_OLDER_AND_CHANGES.format(**span, changes=changes) if changes else SAFETY_OLDER.format(**span)
        say(console, line, indent=2, hang=4)
    elif changes:
        say(console, SAFETY_MORE_CHANGES.format(changes=changes), indent=2, hang=4)


def _details(console: Console, cat: Catalog, r: SafetyReport) -> None:
    """The full record: nothing of the data left out."""
    if r.checked_on:
        say(console, f"Searched for newer items on {r.checked_on}: {r.not_found}")
    for d in r.destinations:
        console.print()
        say(console, f"{d.name} ({d.destination}): {d.summary.text}", style="bold")
        for a in d.actions:
            marks = " [single source]" if a.single_source else ""
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
            if c.disputed:
                say(console, f"Sources disagree: {c.disputed}", indent=4)
    console.print("\n[bold]How to verify a provider[/bold]")
    for v in r.verify:
        say(console, f"• {v.text} [{', '.join(v.sources)}]", indent=2)
    console.print("\n[bold]Warning signs the authorities name[/bold]")
    for w in r.warning_signs:
        marks = " [single source]" if w.single_source else ""
        say(console, f"• {w.text}{marks} [{', '.join(w.sources)}]", indent=2)
    console.print()
    say(console, DECIDE_NOTE, style="dim")
    sources_footer(console, cat, r.sources, r.as_of or cat.visa_dataset.date, details=True)
