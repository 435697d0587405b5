"""clinics check: the red flags the sources name, raised against a clinic's record. Pure.

What each check looks for, says and cites is data (redflags.toml; the licence register and risk classes
per country in countries.toml); this module only applies them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from tripplan.brochure import route_of, routes_in
from tripplan.catalog import Catalog
from tripplan.i18n import _
from tripplan.models import Clinic, RedFlagRule
from tripplan.money import range_text, span_of, to_usd
from tripplan.prices import matching_prices, price_line
from tripplan.safety import name_matches
from tripplan.sources import Cited, cite


@dataclass(frozen=True, slots=True, kw_only=True)
class Flag:
    """One red flag raised for a clinic, with the sources that name the warning sign."""

    code: str
    """The rule that raised it (redflags.toml), e.g. named-in-action."""
    message: str
    """What is wrong, with figures."""
    sources: list[str]
    """Ids of the sources that name the warning sign."""
    rank: int = 50
    """How serious, 1 the most (redflags.toml)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ClinicCheck:
    """A clinic's red flags (what clinics check prints)."""

    clinic: str
    """The clinic's id."""
    name: str
    """Its name."""
    user: bool
    """true for one of your clinics, false for a shipped profile."""
    flags: list[Flag]
    """The red flags raised (empty when clean)."""
    sources: list[Cited] = field(default_factory=list)
    """Every source the flags cite, once, with its title, publisher, date and address."""


def _flag(rule: RedFlagRule, **values: object) -> Flag:
    return Flag(code=rule.code, message=rule.message.format(**values), sources=rule.sources, rank=rule.rank)


def _price_flags(cat: Catalog, clinic: Clinic) -> list[Flag]:
    below, above = cat.red_flags.get("price-far-below"), cat.red_flags.get("price-far-above")
    flags = []
    rows = [p for p in cat.book.prices if clinic.country in p.countries]
    for q in clinic.quotes:
        for joint in q.joints:
            matched, _unmatched = matching_prices(rows, joint=joint, condition=None)
            same_kind = [p for p in matched if p.processing == clinic.processing] or matched
            if not same_kind:
                continue
            ref = span_of([price_line(cat, p).span for p in same_kind])
            rate = cat.rate(q.currency)
            low, high = to_usd(q.low, rate), to_usd(q.high, rate)
            where = _("{treatment} for the {joint}: quoted ${quoted}, sources say ${sources}").format(
                treatment=q.treatment, joint=joint, quoted=range_text(low, high), sources=range_text(ref.low, ref.high)
            )
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


def clinic_routes(cat: Catalog, clinic: Clinic) -> tuple[str | None, list[str]]:
    """(the clinic's canonical route, every route its route wording, claims and notes mention).

    The route is read from the words as given (`route_as_given`, through brochure.toml) when the record
    holds no recognised route; None when neither says."""
    route: str | None = clinic.route
    if clinic.route_as_given and route in (None, "unrecognised", "other"):
        route = route_of(cat, clinic.route_as_given)
    said = routes_in(cat, " ".join([clinic.route_as_given, clinic.claims, clinic.note]))
    return route, list(dict.fromkeys([*([route] if route else []), *said]))


def _name_flags(cat: Catalog, clinic: Clinic) -> list[Flag]:
    """The clinic or its processor named in a regulatory action; a softer flag for a shared name only."""
    rules, flags = cat.red_flags, []
    strong, soft = rules.get("named-in-action"), rules.get("same-name-as-action")
    for name, who in ((clinic.name, _("the clinic")), (clinic.processor, _("its processor"))):
        if not name:
            continue
        for m in name_matches(cat, [name]):
            a = m.action
            rule = soft if m.shared else strong
            if rule is None:
                continue
            values = {"who": who, "date": a.date, "action": a.action, "authority": a.authority}
            values |= {"name": m.given, "given": name} if m.shared else {"name": m.given}
            flags.append(replace(_flag(rule, **values), sources=a.sources))
    return flags


def _safety_flags(cat: Catalog, clinic: Clinic, text: str) -> list[Flag]:
    """Named in an action, intravenous routes, and the warning signs in what the clinic claims."""
    rules, flags = cat.red_flags, _name_flags(cat, clinic)
    route, mentioned = clinic_routes(cat, clinic)
    if "intravenous" in mentioned:
        rule = rules.get("iv-cultured")
        if rule and clinic.processing == "cultured":
            flags.append(_flag(rule))
        rule = rules.get("iv-joint")
        if rule and any(q.joints for q in clinic.quotes):
            flags.append(_flag(rule))
    rule = rules.get("route-unrecognised")
    if rule and route == "unrecognised":
        flags.append(_flag(rule, words=clinic.route_as_given or _("not given")))
    rule = rules.get("warning-sign")
    claims = " ".join([text, clinic.claims.lower()])
    if rule:
        for sign in cat.warning_signs:
            if _mentions(claims, sign.keywords):
                flags.append(
                    Flag(
                        code=f"{rule.code}:{sign.id}",
                        message=rule.message.format(sign=sign.text),
                        sources=sign.sources,
                        rank=rule.rank,
                    )
                )
    return flags


def _mentions(text: str, keywords: list[str]) -> bool:
    words = set(text.replace(",", " ").replace("/", " ").split())
    return any((k in words) if k.isascii() and " " not in k and len(k) <= 3 else (k in text) for k in keywords)


def check_clinic(*, cat: Catalog, clinic: Clinic, language: str | None) -> ClinicCheck:
    """Every red flag for one clinic, most serious first (rank), each with the sources that name it
    (redflags.toml's rules; the coordinator-language check only when the patient's language is given)."""
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
                actual=clinic.asrm_class or _("not recorded"),
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
        flags.append(_flag(rule, actual=clinic.asrm_class or _("not recorded")))
    rule = rules.get("prp-joint-class")
    joint_route = clinic_routes(cat, clinic)[0] == "intra-articular"
    if rule and clinic.asrm_class == "III" and joint_route and _mentions(text, rule.keywords):
        flags.append(_flag(rule))
    flags += _safety_flags(cat, clinic, text)
    flags += _price_flags(cat, clinic)
    rule = rules.get("no-coordinator-language")
    if rule and language and clinic.languages and language not in clinic.languages:
        flags.append(_flag(rule, language=language, languages=", ".join(clinic.languages)))
    flags.sort(key=lambda f: f.rank)  # the most serious first (stable: equals keep the order found)
    return ClinicCheck(
        clinic=clinic.id,
        name=clinic.name,
        user=clinic.id in cat.user_clinic_ids,
        flags=flags,
        sources=cite(cat, (s for f in flags for s in f.sources)),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ClinicFlags:
    """A chosen clinic's red flags where the patient looks (quote, schedule, the plan): how many, the most
    serious, and the command that lists them all."""

    clinic: str
    """The clinic's id."""
    count: int
    """How many red flags `clinics check` raises for it (the coordinator language aside)."""
    most_serious: Flag | None = None
    """The flag with the lowest rank (redflags.toml), the first found among equals; none when clean."""
    flags: list[Flag]
    """Every flag, most serious first."""
    check: str
    """The command that lists them with their sources."""


def clinic_flags(*, cat: Catalog, clinic: Clinic) -> ClinicFlags:
    """The chosen clinic's flags, computed once for the trip and every view of it (the patient's language
    is not known there: the coordinator check is left to `clinics check --language`)."""
    flags = check_clinic(cat=cat, clinic=clinic, language=None).flags
    return ClinicFlags(
        clinic=clinic.id,
        count=len(flags),
        most_serious=flags[0] if flags else None,
        flags=flags,
        check=f"tripplan clinics check {clinic.id}",
    )
