"""Rendering of `tripplan safety`: the actions per destination, how to verify a provider, the warning signs."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from tripplan.catalog import Catalog
from tripplan.i18n import _, ngettext
from tripplan.render.common import say, sources_footer
from tripplan.safety import SafetyReport
from tripplan.wording import DECIDE_NOTE, headed


def render_safety(console: Console, cat: Catalog, r: SafetyReport, *, details: bool = False) -> None:
    """The answer first: each destination's record in a line and its actions one line each, then how to
    verify a provider; with `details`, who, what treatment, the patients, disputes and the sources of each
    action, and the warning signs the authorities name."""
    if r.as_of:
        record = _("(as of {date}; {days} days old)").format(date=r.as_of, days=r.age_days)
    else:
        record = _("(undated; {days} days old)").format(days=r.age_days)
    console.print(headed(_("Safety record"), record), highlight=False)
    if r.stale:
        say(console, _("Warning: the record is more than six months old; newer actions may be missing."))
    if r.checked_on:
        say(console, _("Searched for newer items on {date}: {result}").format(date=r.checked_on, result=r.not_found))
    for d in r.destinations:
        console.print()
        say(console, f"{d.name} ({d.destination}): {d.summary.text}", style="bold")
        for a in d.actions:
            marks = " " + _("[single source]") if a.single_source else ""
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
            say(console, _("Who: {names}").format(names=names), indent=4)
            treatment = (
                _("Treatment: {treatment}; route: {route}") if a.route else _("Treatment: {treatment}")
            ).format(treatment=a.treatment, route=a.route)
            say(console, treatment, indent=4)
            say(console, _("Patients: {outcome}").format(outcome=a.outcome), indent=4)
            if a.disputed:
                say(console, _("Sources disagree: {disputed}").format(disputed=a.disputed), indent=4)
            say(console, _("Sources: {ids}").format(ids=", ".join(a.sources)), indent=4)
        if d.changes:
            say(console, _("Rule changes in {name}:").format(name=d.name), indent=2)
        for c in d.changes:
            marks = " " + _("[single source]") if c.single_source else ""
            where = f" ({c.region_name})" if c.region_name else ""
            say(console, f"{c.date}  {c.authority}{where}: {c.what}{marks} [{', '.join(c.sources)}]", indent=2, hang=12)
            if c.disputed and details:
                say(console, _("Sources disagree: {disputed}").format(disputed=c.disputed), indent=4)
    console.print("\n[bold]" + escape(_("How to verify a provider")) + "[/bold]")
    for v in r.verify:
        say(console, f"• {v.text} [{', '.join(v.sources)}]", indent=2)
    if details:
        console.print("\n[bold]" + escape(_("Warning signs the authorities name")) + "[/bold]")
        for w in r.warning_signs:
            marks = " " + _("[single source]") if w.single_source else ""
            say(console, f"• {w.text}{marks} [{', '.join(w.sources)}]", indent=2)
    else:
        say(
            console,
            ngettext(
                "Who, what treatment, the patients and {n} warning sign the authorities name: add --details.",
                "Who, what treatment, the patients and {n} warning signs the authorities name: add --details.",
                len(r.warning_signs),
            ).format(n=len(r.warning_signs)),
            style="dim",
        )
    console.print()
    say(console, _(DECIDE_NOTE), style="dim")
    sources_footer(console, cat, r.sources, r.as_of or cat.visa_dataset.date, details=details)
