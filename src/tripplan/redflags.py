"""clinics check: the red flags the sources name, raised against a clinic's record. Pure.

What each check looks for, says and cites is data (redflags.toml; the licence register and risk classes
per country in countries.toml); this module only applies them."""

from __future__ import annotations

from dataclasses import dataclass, replace

from tripplan.catalog import Catalog
from tripplan.models import Clinic, RedFlagRule
from tripplan.money import span_of, to_usd
from tripplan.prices import matching_prices, price_line
from tripplan.safety import named_in


@dataclass(frozen=True, slots=True, kw_only=True)
class Flag:
    code: str
    message: str
    sources: list[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class ClinicCheck:
    clinic: str
    name: str
    user: bool
    flags: list[Flag]


def _flag(rule: RedFlagRule, **values: object) -> Flag:
    return Flag(code=rule.code, message=rule.message.format(**values), sources=rule.sources)


def _price_flags(cat: Catalog, clinic: Clinic) -> list[Flag]:
    below, above = cat.red_flags.get("price-far-below"), cat.red_flags.get("price-far-above")
    flags = []
    rows = [p for p in cat.book.prices if clinic.country in p.countries]
    for q in clinic.quotes:
        for joint in q.joints:
            matched, _ = matching_prices(rows, joint=joint, condition=None)
            same_kind = [p for p in matched if p.processing == clinic.processing] or matched
            if not same_kind:
                continue
            ref = span_of([price_line(cat, p).span for p in same_kind])
            rate = cat.rate(q.currency)
            low, high = to_usd(q.low, rate), to_usd(q.high, rate)
            where = f"{q.treatment} for the {joint}: quoted ${low:,}–{high:,}, sources say ${ref.low:,}–{ref.high:,}"
            if below and below.threshold is not None and ref.low and low < ref.low * below.threshold:
                flags.append(_flag(below, where=where, pct=round((1 - low / ref.low) * 100)))
            if (
                above
                and above.threshold is not None
                and ref.high
                and not ref.open_high
                and high > ref.high * above.threshold
            ):
                flags.append(_flag(above, where=where, pct=round((high / ref.high - 1) * 100)))
    return flags


def _safety_flags(cat: Catalog, clinic: Clinic, text: str) -> list[Flag]:
    """Named in an action, intravenous routes, and the warning signs in what the clinic claims."""
    rules, flags = cat.red_flags, []
    rule = rules.get("named-in-action")
    if rule:
        for names, who in (([clinic.name], "the clinic"), ([clinic.processor], "its processor")):
            for action, given in named_in(cat, [n for n in names if n]):
                flag = _flag(
                    rule, who=who, name=given, date=action.date, action=action.action, authority=action.authority
                )
                flags.append(replace(flag, sources=action.sources))
    if clinic.route == "intravenous":
        rule = rules.get("iv-cultured")
        if rule and clinic.processing == "cultured":
            flags.append(_flag(rule))
        rule = rules.get("iv-joint")
        if rule and any(q.joints for q in clinic.quotes):
            flags.append(_flag(rule))
    rule = rules.get("warning-sign")
    claims = " ".join([text, clinic.claims.lower()])
    if rule:
        for sign in cat.warning_signs:
            if _mentions(claims, sign.keywords):
                flags.append(
                    Flag(
                        code=f"{rule.code}:{sign.id}", message=rule.message.format(sign=sign.text), sources=sign.sources
                    )
                )
    return flags


def _mentions(text: str, keywords: list[str]) -> bool:
    words = set(text.replace(",", " ").replace("/", " ").split())
    return any((k in words) if k.isascii() and " " not in k and len(k) <= 3 else (k in text) for k in keywords)


def check_clinic(*, cat: Catalog, clinic: Clinic, language: str) -> ClinicCheck:
    """Every red flag for one clinic, each with the sources that name it."""
    rules = cat.red_flags
    country = cat.countries[clinic.country]
    flags: list[Flag] = []
    text = " ".join([clinic.name, clinic.cell_source, clinic.note, *(q.treatment for q in clinic.quotes)]).lower()
    required = country.risk_classes.get(clinic.processing)
    documented = (clinic.licence or "").strip() or clinic.plan_number.strip()
    if country.licence_register and not clinic.profile and not documented:
        rule = rules.get("no-plan-number") if required in ("I", "II") else rules.get("no-licence")
        if rule:
            values = {"register": country.licence_register, "required": required, "country": country.name}
            flags.append(_flag(rule, **values))
    rule = rules.get("class-mismatch")
    if rule and required and clinic.asrm_class != required:
        flags.append(
            _flag(
                rule,
                processing=clinic.processing.capitalize(),
                required=required,
                country=country.name,
                actual=clinic.asrm_class or "not recorded",
            )
        )
    rule = rules.get("same-day-sold-as-cultured")
    if rule and clinic.processing == "same-day" and (_mentions(text, rule.keywords) or clinic.culture_weeks):
        flags.append(_flag(rule))
    rule = rules.get("ips-offered")
    if rule and _mentions(text, rule.keywords):
        flags.append(_flag(rule))
    rule = rules.get("pluripotent-class")
    if rule and country.risk_classes and _mentions(text, rule.keywords) and clinic.asrm_class != "I":
        flags.append(_flag(rule, actual=clinic.asrm_class or "not recorded"))
    rule = rules.get("prp-joint-class")
    if rule and clinic.asrm_class == "III" and clinic.route == "intra-articular" and _mentions(text, rule.keywords):
        flags.append(_flag(rule))
    flags += _safety_flags(cat, clinic, text)
    flags += _price_flags(cat, clinic)
    rule = rules.get("no-coordinator-language")
    if rule and clinic.languages and language not in clinic.languages:
        flags.append(_flag(rule, language=language, languages=", ".join(clinic.languages)))
    return ClinicCheck(clinic=clinic.id, name=clinic.name, user=clinic.id in cat.user_clinic_ids, flags=flags)
