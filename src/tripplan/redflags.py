"""clinics check: the red flags the sources name, raised against a clinic's record. Pure."""

from __future__ import annotations

from tripplan.catalog import Catalog
from tripplan.models import Clinic
from tripplan.money import Span, span_of, to_usd
from tripplan.quote import matching_prices
from tripplan.travel import Frozen

# how far outside the sourced range a quoted price may fall before it is flagged
FAR_BELOW = 0.5
FAR_ABOVE = 1.5


class Flag(Frozen):
    code: str
    message: str
    sources: list[str]


class ClinicCheck(Frozen):
    clinic: str
    name: str
    user: bool
    flags: list[Flag]


def _price_flags(cat: Catalog, clinic: Clinic) -> list[Flag]:
    flags = []
    rows = [p for p in cat.book.prices if clinic.country in p.countries]
    for q in clinic.quotes:
        for joint in q.joints:
            matched, _ = matching_prices(rows, joint, None)
            same_kind = [p for p in matched if p.processing == clinic.processing] or matched
            if not same_kind:
                continue
            ref = span_of([Span(low=p.low, high=p.high, open_high=p.open_high) for p in same_kind])
            rate = cat.rate(q.currency)
            low, high = to_usd(q.low, rate), to_usd(q.high, rate)
            where = f"{q.treatment} for the {joint}: quoted ${low:,}–{high:,}, sources say ${ref.low:,}–{ref.high:,}"
            ids = sorted({p.source for p in same_kind})
            if low < ref.low * FAR_BELOW:
                pct = round((1 - low / ref.low) * 100)
                flags.append(
                    Flag(code="price-far-below", message=f"{where}: {pct}% below the lowest sourced price", sources=ids)
                )
            if not ref.open_high and high > ref.high * FAR_ABOVE:
                pct = round((high / ref.high - 1) * 100)
                flags.append(
                    Flag(
                        code="price-far-above", message=f"{where}: {pct}% above the highest sourced price", sources=ids
                    )
                )
    return flags


def check_clinic(*, cat: Catalog, clinic: Clinic, language: str) -> ClinicCheck:
    """Every red flag for one clinic, each with the sources that name it."""
    flags: list[Flag] = []
    japan = clinic.country == "JP"
    text = " ".join([clinic.name, clinic.cell_source, clinic.note, *(q.treatment for q in clinic.quotes)]).lower()
    if japan and not clinic.profile and not (clinic.licence or "").strip():
        flags.append(
            Flag(
                code="no-licence",
                message="no MHLW licence or therapy plan number recorded: ask for it and check it on the MHLW register before booking",
                sources=["seed-planning-trip", "seed-degenerative-us"],
            )
        )
    if japan and clinic.processing == "cultured" and clinic.asrm_class != "II":
        flags.append(
            Flag(
                code="cultured-without-class-ii",
                message=f"cultured cells need an ASRM Class II plan; this clinic's class is {clinic.asrm_class or 'not recorded'}",
                sources=["asrm-act", "seed-degenerative-us"],
            )
        )
    if clinic.processing == "same-day" and ("cultur" in text or "expand" in text or clinic.culture_weeks is not None):
        flags.append(
            Flag(
                code="same-day-sold-as-cultured",
                message="a same-day treatment described as cultured/expanded: same-day is not the high-dose cultured protocol",
                sources=["seed-sports-trauma-us"],
            )
        )
    if "ips" in text.replace(",", " ").split() or "ips cell" in text or "induced pluripotent" in text:
        flags.append(
            Flag(
                code="ips-offered",
                message="iPS cells offered commercially: true iPS treatments are in controlled studies, not private clinics",
                sources=["seed-planning-trip"],
            )
        )
    flags += _price_flags(cat, clinic)
    if clinic.languages and language not in clinic.languages:
        flags.append(
            Flag(
                code="no-coordinator-language",
                message=f"no coordinator in your language ({language}); the clinic lists {', '.join(clinic.languages)}",
                sources=["seed-planning-trip"],
            )
        )
    return ClinicCheck(clinic=clinic.id, name=clinic.name, user=clinic.id in cat.user_clinic_ids, flags=flags)
