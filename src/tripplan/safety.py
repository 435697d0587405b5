"""The safety record: regulatory actions per destination, how to verify a provider, the warning signs.
Pure: what the record holds, counted and matched; the words are the sources'."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from tripplan.catalog import Catalog
from tripplan.dateformat import in_prose
from tripplan.i18n import _, ngettext
from tripplan.models import RuleChange, SafetyAction, VerifyStep, WarningSign
from tripplan.sources import Cited, cite

RECENT_DAYS = 730  # "the last 24 months"
RECORD_MAX_AGE_DAYS = 183  # a record older than six months is flagged


@dataclass(frozen=True, slots=True, kw_only=True)
class SafetySummary:
    """One line for quote and compare: how many actions lately, and the most serious."""

    destination: str
    """The destination (ISO code)."""
    recent: int
    """Regulatory actions in the last 24 months."""
    older: int
    """Older regulatory actions."""
    text: str
    """The summary in words."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DestinationSafety:
    """One destination's regulatory actions."""

    destination: str
    """The destination (ISO code)."""
    name: str
    """Its name."""
    actions: list[SafetyAction]
    """The regulatory actions of the record for it, newest first (data records)."""
    summary: SafetySummary
    """The one-line summary quote and compare print."""
    changes: list[RuleChange] = field(default_factory=list)
    """Changes in the destination's rules (laws in force, society recommendations, committee decisions)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SafetyReport:
    """What tripplan's safety record holds for the destinations asked for: what safety prints."""

    as_of: dt.date | None
    """The date of tripplan's safety record, or null."""
    age_days: int | None
    """Its age in days on the day of the report, or null."""
    stale: bool
    """true when the record is more than six months old (newer actions may be missing)."""
    checked_on: dt.date | None = None
    """When the stored sources were last searched for newer items."""
    not_found: str = ""
    """Which searches found nothing newer, and what was left out and why."""
    destinations: list[DestinationSafety]
    """Per destination asked for, its regulatory actions, newest first."""
    verify: list[VerifyStep]
    """How to verify a provider: the steps for the destinations asked for (a step naming countries is shown
    for those only) and the steps that apply everywhere."""
    no_registry: list[str] = field(default_factory=list)
    """The destinations asked for that no step names (country codes): tripplan knows of no registry check
    for a provider there."""
    warning_signs: list[WarningSign]
    """Warning signs the authorities name."""
    sources: list[Cited]
    """Every source the report cites, once, with its title, publisher, date and address."""


def _orders_after_deaths(actions: list[SafetyAction], english: dict[str, SafetyAction]) -> str:
    """The emergency orders after patient deaths among `actions`, in words; which they are is read from the
    data's own (English) words, `english` by id, so the summary says the same in every language."""
    words = [english.get(a.id, a) for a in actions]
    deaths = [
        a
        for a, en in zip(actions, words, strict=True)
        if a.severity == "death" and en.action.startswith("emergency order")
    ]
    if not deaths:
        return ""
    iv = all("intravenous" in english.get(a.id, a).route for a in deaths)
    n, latest = len(deaths), in_prose(deaths[0].date)
    if iv:
        return ngettext(
            "{n} emergency order after patient deaths during intravenous infusions, latest {date}",
            "{n} emergency orders after patient deaths during intravenous infusions, latest {date}",
            n,
        ).format(n=n, date=latest)
    return ngettext(
        "{n} emergency order after patient deaths, latest {date}",
        "{n} emergency orders after patient deaths, latest {date}",
        n,
    ).format(n=n, date=latest)


def summary(*, cat: Catalog, destination: str, today: dt.date) -> SafetySummary:
    mine = [a for a in cat.safety_actions if a.country == destination]
    recent = [a for a in mine if (today - a.date).days <= RECENT_DAYS]
    older = len(mine) - len(recent)
    if not mine:
        text = _("no action in tripplan's safety record (which may not cover this destination)")
    elif not recent:
        text = _("no action in the last 24 months; {n} older (latest {date})").format(
            n=older, date=in_prose(mine[0].date)
        )
    else:
        english = {a.id: a for a in (cat.english or cat).safety_actions}
        worst = _orders_after_deaths(recent, english)
        serious = sum(1 for a in recent if a.severity != "none stated")
        n = len(recent)
        if worst:
            text = ngettext(
                "{n} regulatory action in the last 24 months: {worst}",
                "{n} regulatory actions in the last 24 months: {worst}",
                n,
            ).format(n=n, worst=worst)
        elif serious:
            text = ngettext(
                "{n} regulatory action in the last 24 months, {serious} after harm to patients",
                "{n} regulatory actions in the last 24 months, {serious} after harm to patients",
                n,
            ).format(n=n, serious=serious)
        else:
            text = ngettext(
                "{n} regulatory action in the last 24 months", "{n} regulatory actions in the last 24 months", n
            ).format(n=n)
    return SafetySummary(destination=destination, recent=len(recent), older=older, text=text)


def report(*, cat: Catalog, destinations: list[str], today: dt.date) -> SafetyReport:
    record = cat.safety_record
    age = (today - record.as_of).days if record else None
    out = []
    for code in destinations:
        out.append(
            DestinationSafety(
                destination=code,
                name=cat.country_name(code),
                actions=[a for a in cat.safety_actions if a.country == code],
                summary=summary(cat=cat, destination=code, today=today),
                changes=[c for c in cat.rule_changes if c.country == code],
            )
        )
    used = [s for d in out for a in d.actions for s in a.sources]
    used += [s for d in out for c in d.changes for s in c.sources]
    verify = [v for v in cat.verify_steps if not v.countries or set(v.countries) & set(destinations)]
    named = {c for v in verify for c in v.countries}
    used += [s for v in verify for s in v.sources] + [s for w in cat.warning_signs for s in w.sources]
    return SafetyReport(
        as_of=record.as_of if record else None,
        age_days=age,
        stale=age is not None and age > RECORD_MAX_AGE_DAYS,
        checked_on=record.checked_on if record else None,
        not_found=record.not_found if record else "",
        destinations=out,
        verify=verify,
        no_registry=[code for code in destinations if code not in named],
        warning_signs=cat.warning_signs,
        sources=cite(cat, used),
    )


MIN_PART = 10  # a name found inside a longer one (either way) must be this specific (not "clinic")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise(name: str, legal_forms: tuple[str, ...] = ()) -> str:
    """Case, width, spaces and punctuation folded, and the legal-entity forms given removed, so
    'ＴＨＥ Ｋ ＣＬＩＮＩＣ' matches 'the k clinic'."""
    text = unicodedata.normalize("NFKC", name).casefold()
    for form in legal_forms:
        text = text.replace(form.casefold(), "")
    return _NOT_WORD.sub("", text)


def _forms(cat: Catalog) -> tuple[tuple[str, ...], frozenset[str]]:
    """(legal forms, longest first; the squeezed clinic names many clinics share), from brochure.toml."""
    names = cat.name_forms
    if names is None:
        return (), frozenset()
    forms = tuple(sorted(names.legal_forms, key=len, reverse=True))
    return forms, frozenset(normalise(n) for n in names.shared)


def clinic_part(name: str, legal_forms: tuple[str, ...]) -> str:
    """The clinic's own name in a legal name: after the legal-entity prefix and the corporation's own name
    that follows it ('医療法人聖慈会 福岡MSC医療クリニック' -> '福岡MSC医療クリニック'); a name without a
    prefix, or with nothing after the corporation, is returned whole. English names lose a trailing
    parenthesis ('Ginza Clinic (Neopolis Clinic medical corporation)' -> 'Ginza Clinic')."""
    text = unicodedata.normalize("NFKC", name).strip()
    text = re.sub(r"\s*\([^()]*\)$", "", text)
    for form in legal_forms:
        if text.casefold().startswith(form.casefold()):
            rest = text[len(form) :].replace("「", " ").replace("」", "").strip().split(maxsplit=1)
            return rest[1] if len(rest) == 2 else text
    return text


@dataclass(frozen=True, slots=True, kw_only=True)
class NameMatch:
    """A name the user gave that a provider in an action bears."""

    action: SafetyAction
    given: str
    """The provider's name as the source prints it."""
    shared: bool
    """True when only a clinic name many clinics share matched: ask which corporation operates it."""


def name_matches(cat: Catalog, names: list[str]) -> list[NameMatch]:
    """Actions naming any of the names (a clinic's or its processor's), one per action, newest first.

    A provider is matched by its full legal name, by its clinic name without the legal-entity prefix and
    the corporation's own name, and by its English and former names (brochure.toml gives the legal forms
    and the names many clinics share). A match on one of those shared names alone is `shared`."""
    forms, shared = _forms(cat)
    wanted: set[str] = set()
    for n in names:
        wanted |= {
            k for k in (normalise(n), normalise(n, forms), normalise(clinic_part(n, forms), forms)) if len(k) >= 4
        }
    found = []
    for action in cat.safety_actions:
        strong: tuple[str, bool] | None = None
        for p in action.providers:
            if not p.named:
                continue
            for given in (p.name_ja, p.name_en, *p.other_names):
                if not given:
                    continue
                full = normalise(given, forms)
                part = normalise(clinic_part(given, forms), forms)
                keys = {k for k in (normalise(given), full, part) if len(k) >= 4}
                distinct = keys - shared
                if distinct & wanted or any(
                    (len(k) >= MIN_PART and k in w) or (len(w) >= MIN_PART and w not in shared and w in k)
                    for k in distinct
                    for w in wanted
                ):
                    strong = (given, False)
                    break
                if strong is None and keys & wanted & shared:
                    strong = (given, True)
            if strong is not None and not strong[1]:
                break
        if strong is not None:
            found.append(NameMatch(action=action, given=strong[0], shared=strong[1]))
    return found
