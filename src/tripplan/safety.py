"""The safety record: regulatory actions per destination, how to verify a provider, the warning signs.
Pure: what the record holds, counted and matched; the words are the sources'."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import field

from tripplan.catalog import Catalog
from tripplan.frozen import frozen
from tripplan.models import RuleChange, SafetyAction, VerifyStep, WarningSign

RECENT_DAYS = 730  # "the last 24 months"
RECORD_MAX_AGE_DAYS = 183  # a record older than six months is flagged


@frozen
class SafetySummary:
    """One line for quote and compare: how many actions lately, and the most serious."""

    destination: str
    recent: int
    older: int
    text: str


@frozen
class DestinationSafety:
    destination: str
    name: str
    actions: list[SafetyAction]
    summary: SafetySummary
    changes: list[RuleChange] = field(default_factory=list)
    """Changes in the destination's rules (laws in force, society recommendations, committee decisions)."""


@frozen
class SafetyReport:
    as_of: dt.date | None
    age_days: int | None
    stale: bool
    checked_on: dt.date | None = None
    """When the stored sources were last searched for newer items."""
    not_found: str = ""
    """Which searches found nothing newer, and what was left out and why."""
    destinations: list[DestinationSafety]
    verify: list[VerifyStep]
    warning_signs: list[WarningSign]
    sources: list[str]


def _orders_after_deaths(actions: list[SafetyAction]) -> str:
    deaths = [a for a in actions if a.severity == "death" and a.action.startswith("emergency order")]
    if not deaths:
        return ""
    iv = all("intravenous" in a.route for a in deaths)
    during = " during intravenous infusions" if iv else ""
    plural = "s" if len(deaths) > 1 else ""
    return f"{len(deaths)} emergency order{plural} after patient deaths{during}, latest {deaths[0].date}"


def summary(*, cat: Catalog, destination: str, today: dt.date) -> SafetySummary:
    mine = [a for a in cat.safety_actions if a.country == destination]
    recent = [a for a in mine if (today - a.date).days <= RECENT_DAYS]
    older = len(mine) - len(recent)
    if not mine:
        text = "no action in tripplan's safety record (which may not cover this destination)"
    elif not recent:
        text = f"no action in the last 24 months; {older} older (latest {mine[0].date})"
    else:
        worst = _orders_after_deaths(recent)
        serious = sum(1 for a in recent if a.severity != "none stated")
        text = f"{len(recent)} regulatory action{'s' if len(recent) != 1 else ''} in the last 24 months"
        text += f": {worst}" if worst else (f", {serious} after harm to patients" if serious else "")
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
    used += [s for v in cat.verify_steps for s in v.sources] + [s for w in cat.warning_signs for s in w.sources]
    return SafetyReport(
        as_of=record.as_of if record else None,
        age_days=age,
        stale=age is not None and age > RECORD_MAX_AGE_DAYS,
        checked_on=record.checked_on if record else None,
        not_found=record.not_found if record else "",
        destinations=out,
        verify=cat.verify_steps,
        warning_signs=cat.warning_signs,
        sources=[s for s in dict.fromkeys(used) if s in cat.sources],
    )


MIN_PART = 10  # a clinic's name found inside a longer sanctioned name must be this specific (not "clinic")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_LEGAL_FORMS = ("医療法人", "一般社団法人", "株式会社", "medical corporation")


def normalise(name: str) -> str:
    """Case, width, spaces and punctuation folded, so 'ＴＨＥ Ｋ ＣＬＩＮＩＣ' matches 'the k clinic'."""
    text = unicodedata.normalize("NFKC", name).casefold()
    for form in _LEGAL_FORMS:
        text = text.replace(form, "")
    return _NOT_WORD.sub("", text)


def named_in(cat: Catalog, names: list[str]) -> list[tuple[SafetyAction, str]]:
    """Actions naming any of the names (a clinic's or its processor's), with the name as the source gives it."""
    wanted = {normalise(n) for n in names if len(normalise(n)) >= 4}
    found = []
    for action in cat.safety_actions:
        for p in action.providers:
            for given in (p.name_ja, p.name_en, *p.other_names):
                key = normalise(given)
                if len(key) >= 4 and any(key == w or key in w or (len(w) >= MIN_PART and w in key) for w in wanted):
                    found.append((action, given))
                    break
            else:
                continue
            break
    return found
