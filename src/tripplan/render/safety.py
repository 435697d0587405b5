"""Rendering of `tripplan safety`: the actions per destination, how to verify a provider, the warning signs."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from tripplan.catalog import Catalog
from tripplan.errors import listed
from tripplan.i18n import N_, _
from tripplan.render.common import disclaimer_footer, say, say_markup, sources_footer
from tripplan.safety import DestinationSafety, SafetyReport
from tripplan.wording import (
    DECIDE_NOTE,
    SAFETY_DETAILS_HINT,
    SAFETY_MORE_CHANGES,
    SAFETY_OLDER,
    SAFETY_OLDER_AND_CHANGES,
    SAFETY_SEARCHED,
    counted,
    headed,
)


def render_safety(console: Console, cat: Catalog, r: SafetyReport, *, details: bool = False) -> None:
    """The answer first, on one screen: the record's date, each destination's headline with its recent actions
    (or its latest) and its latest rule change one line each (their brief words and first source id, "+N" for
    the sources --details adds), the count of the rest, and how to verify a provider, in brief. With `details`,
    the full record: every action (who, what treatment, the patients, disputes, every source), every rule
    change in full, how to verify a provider in full, the warning signs the authorities name, and every source
    with its title, date and address."""
    if r.as_of:
        record = _("(as of {date}; {days} days old)").format(date=r.as_of, days=r.age_days)
    else:
        record = _("(undated; {days} days old)").format(days=r.age_days)
    say_markup(console, headed(_("Safety record"), record))
    if r.stale:
        say(console, _("Warning: the record is more than six months old; newer actions may be missing."))
    if details:
        _details(console, cat, r)
    else:
        _summary(console, r)


def _no_registry(console: Console, r: SafetyReport) -> None:
    """The destinations asked for that no verification step names: tripplan knows of no registry there."""
    if r.no_registry:
        names = listed(d.name for d in r.destinations if d.destination in r.no_registry)
        say(console, _(NO_REGISTRY).format(countries=names), indent=2)


def _cited(ids: list[str]) -> str:
    """An item's sources in a summary line: its first source id, and how many more --details lists."""
    return f"[{ids[0]}]" if len(ids) == 1 else f"[{ids[0]} +{len(ids) - 1}]"


def _single(single_source: bool) -> str:
    """The mark of an item only one source gives (" [single source]"), or nothing."""
    return " " + _("[single source]") if single_source else ""


def _summary(console: Console, r: SafetyReport) -> None:
    if r.checked_on:
        say(console, _(SAFETY_SEARCHED).format(day=r.checked_on))
    for d in r.destinations:
        console.print()
        _destination_summary(console, d)
    console.print("\n[bold]" + escape(_("How to verify a provider")) + "[/bold]")
    _no_registry(console, r)
    for v in r.verify:
        say(console, f"• {v.brief or v.text} {_cited(v.sources)}", indent=2)
    say(console, _(SAFETY_DETAILS_HINT).format(signs=counted(len(r.warning_signs), "warning sign")), style="dim")
    console.print()
    say(console, _(DECIDE_NOTE), style="dim")
    disclaimer_footer(console)


def _destination_summary(console: Console, d: DestinationSafety) -> None:
    """A destination's headline, its recent actions (or, with none recent, its latest), its latest rule change,
    and how many more of each --details gives: one line each."""
    say(console, f"{d.name} ({d.destination}): {d.summary.text}", style="bold")
    listed = d.actions[: d.summary.recent] or d.actions[:1]  # newest first: the recent ones lead
    for a in listed:
        marks = _single(a.single_source)
        say(console, f"{a.date}  {a.authority}: {a.brief or a.action}{marks} {_cited(a.sources)}", indent=2, hang=4)
    for c in d.changes[:1]:  # newest first
        values = {"date": c.date, "what": c.brief or c.what, "region": c.region_name}
        line = (
            _("{date}  rule change ({region}): {what}") if c.region_name else _("{date}  rule change: {what}")
        ).format(**values)
        say(console, f"{line}{_single(c.single_source)} {_cited(c.sources)}", indent=2, hang=4)
    older = d.actions[len(listed) :]
    changes = counted(len(d.changes) - 1, "more rule change") if len(d.changes) > 1 else ""
    if older:
        span = {"older": counted(len(older), "older action"), "first": older[-1].date, "last": older[0].date}
        line = (
            _(SAFETY_OLDER_AND_CHANGES).format(**span, changes=changes) if changes else _(SAFETY_OLDER).format(**span)
        )
        say(console, line, indent=2, hang=4)
    elif changes:
        say(console, _(SAFETY_MORE_CHANGES).format(changes=changes), indent=2, hang=4)


# The last line of `safety --details` (shown through _()): the record's date and where it comes from.
RECORD_FROM = N_(
    "tripplan's safety record as of {date} ({days} days old), compiled from the sources above: each action "
    "and rule change names its own."
)
RECORD_FROM_CHECKED = N_(
    "tripplan's safety record as of {date} ({days} days old), compiled from the sources above: each action "
    "and rule change names its own; searched again for newer items on {checked}."
)
RECORD_UNDATED = N_(
    "tripplan's safety record is undated; it is compiled from the sources above: each action and rule change "
    "names its own."
)

# TRANSLATORS: {countries} is a list of country names ("Mexico, South Korea")
NO_REGISTRY = N_("{countries}: tripplan knows of no registry check for a provider there.")

# What a provider named in an action is (models.Provider.role), in words a reader is shown.
PROVIDER_ROLES = {
    "clinic": N_("clinic"),
    "processor": N_("processor"),
    "person": N_("person"),
    "operator": N_("operator"),
}


def _details(console: Console, cat: Catalog, r: SafetyReport) -> None:
    """The full record: nothing of the data left out."""
    if r.checked_on:
        say(console, _("Searched for newer items on {date}: {result}").format(date=r.checked_on, result=r.not_found))
    for d in r.destinations:
        console.print()
        say(console, f"{d.name} ({d.destination}): {d.summary.text}", style="bold")
        for a in d.actions:
            marks = _single(a.single_source)
            names = "; ".join(
                " / ".join(x for x in (p.name_ja, p.name_en) if x)
                + (f" ({_(PROVIDER_ROLES[p.role])}, {p.city})" if p.city else "")
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
            marks = _single(c.single_source)
            where = f" ({c.region_name})" if c.region_name else ""
            say(console, f"{c.date}  {c.authority}{where}: {c.what}{marks} [{', '.join(c.sources)}]", indent=2, hang=12)
            if c.disputed:
                say(console, _("Sources disagree: {disputed}").format(disputed=c.disputed), indent=4)
    console.print("\n[bold]" + escape(_("How to verify a provider")) + "[/bold]")
    _no_registry(console, r)
    for v in r.verify:
        say(console, f"• {v.text} [{', '.join(v.sources)}]", indent=2)
    console.print("\n[bold]" + escape(_("Warning signs the authorities name")) + "[/bold]")
    for w in r.warning_signs:
        say(console, f"• {w.text}{_single(w.single_source)} [{', '.join(w.sources)}]", indent=2)
    console.print()
    say(console, _(DECIDE_NOTE), style="dim")
    sources_footer(console, cat, r.sources, r.as_of or cat.visa_dataset.date, details=True, closing=_record_from(r))


def _record_from(r: SafetyReport) -> str:
    """The last line of the full record: its date, that tripplan compiled it from the sources listed, and
    when they were last searched for newer items (what a safety reader needs; nothing about prices)."""
    if r.as_of is None:
        return _(RECORD_UNDATED)
    if r.checked_on is not None:
        return _(RECORD_FROM_CHECKED).format(date=r.as_of, days=r.age_days, checked=r.checked_on)
    return _(RECORD_FROM).format(date=r.as_of, days=r.age_days)
