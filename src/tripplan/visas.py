"""Visas: what a passport needs to enter a destination, and whether the trips fit visa-free."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from tripplan.catalog import Catalog
from tripplan.i18n import N_, _
from tripplan.models import Country, MedicalVisa

Kind = Literal[
    "visa-free", "visa on arrival", "eta", "e-visa", "visa required", "no admission", "own country", "no data"
]
CONFIRM = N_("Visa rules change: confirm with the destination's embassy or consulate before you book.")


@dataclass(frozen=True, slots=True, kw_only=True)
class VisaAnswer:
    """What a passport needs to enter a destination, and whether the trip's stays fit visa-free."""

    nationality: str
    """The passport (ISO code)."""
    destination: str
    """The destination (ISO code)."""
    requirement: str
    """The requirement as the passport-index data set writes it (a number is visa-free days)."""
    kind: Kind
    """The requirement's kind."""
    days: int | None = None
    """Visa-free days allowed per stay, or null (no limit given, or not visa-free)."""
    summary: str
    """The requirement in words."""
    longest_stay_days: int | None = None
    """The longest stay of the trip, days (arrival and departure counted), or null when no stays were checked."""
    fits_visa_free: bool | None = None
    """Whether every stay fits visa-free; null when not known."""
    medical_visa_needed: bool = False
    """Whether the destination's medical visa is needed for this passport and trip."""
    medical_visa: MedicalVisa | None = None
    """The destination's medical visa (data record), or null when it has none."""
    notes: list[str] = field(default_factory=list)
    """Notes of the sources for this passport and destination."""
    sources: list[str]
    """Ids of the sources of the answer: the data set, the notes, the medical visa."""
    dataset_date: dt.date
    """The date of the passport-index snapshot."""
    confirm: str = CONFIRM
    """A reminder that visa rules change."""

    @property
    def fee_applies(self) -> bool:
        free = self.kind in ("visa-free", "own country") and self.fits_visa_free is not False
        return self.medical_visa_needed or not free


def parse_requirement(raw: str | None) -> tuple[Kind, int | None]:
    if raw is None:
        return "no data", None
    value = raw.strip().lower()
    if value == "-1":
        return "own country", None
    if value.isdigit():
        return "visa-free", int(value)
    if value == "visa free":
        return "visa-free", None
    known: dict[str, Kind] = {
        "visa on arrival": "visa on arrival",
        "eta": "eta",
        "e-visa": "e-visa",
        "visa required": "visa required",
        "no admission": "no admission",
    }
    return known.get(value, "no data"), None


def _summary(kind: Kind, days: int | None, months: int | None = None) -> str:
    """The answer in words, in the language being spoken ("visa-free, up to 30 days")."""
    if kind == "visa-free" and months is not None:
        return _("visa-free, up to {n} months").format(n=months)
    if kind == "visa-free":
        return _("visa-free, up to {n} days").format(n=days) if days else _("visa-free (no day limit given)")
    return _(SUMMARY[kind]) if kind in SUMMARY else kind


SUMMARY: dict[str, str] = {
    "visa on arrival": N_("visa on arrival"),
    "eta": N_("electronic travel authorisation (ETA) needed"),
    "e-visa": N_("e-visa"),
    "visa required": N_("visa required"),
    "no admission": N_("no admission"),
    "own country": N_("own country: no visa"),
    "no data": N_("no data for this passport"),
}
"""Each kind of answer but visa-free, in words (the kind itself is a code: --json)."""


def visa_answer(
    *,
    cat: Catalog,
    nationality: str,
    destination: str,
    stays_days: list[int] | None = None,
    arrivals: list[dt.date] | None = None,
) -> VisaAnswer:
    """The requirement from the passport-index data, the medical visa and nationality notes, and
    whether every stay (in days, as the destination counts them: counted_days) fits the visa-free limit;
    where the destination gives its limit in months, each stay is held to the days those months hold from
    its landing day (`arrivals`, one per stay; without them, the fewest days: stay_limit_days)."""
    raw = cat.visa_requirement(nationality, destination)
    kind, days = parse_requirement(raw)
    country = cat.countries.get(destination)
    notes = [n for n in cat.nationality_notes if n.nationality == nationality and n.destination == destination]
    longest = max(stays_days) if stays_days else None
    fits: bool | None = None
    if stays_days and longest is not None and kind in ("visa-free", "own country"):
        lands: list[dt.date | None] = list(arrivals) if arrivals else [None] * len(stays_days)
        fits = (
            kind == "own country"
            or days is None
            or all(
                d <= (stay_limit_days(country, a, days) if country is not None else days)
                for d, a in zip(stays_days, lands, strict=True)
            )
        )
    elif longest is not None and kind in ("visa required", "no admission", "e-visa", "visa on arrival", "eta"):
        fits = False
    medical = cat.medical_visas.get(destination)
    needed = (
        any(n.medical_visa_needed for n in notes)
        or (medical is not None and kind not in ("visa-free", "own country"))
        or (medical is not None and fits is False)
    )
    sources = [cat.visa_dataset.source] + [s for n in notes for s in n.sources]
    if medical is not None:
        sources += medical.sources
    return VisaAnswer(
        nationality=nationality,
        destination=destination,
        requirement=raw or "no data",
        kind=kind,
        days=days,
        summary=_summary(kind, days, limit_months(country, days) if country is not None and days else None),
        longest_stay_days=longest,
        fits_visa_free=fits,
        medical_visa_needed=needed,
        medical_visa=medical,
        notes=[n.text for n in notes],
        sources=list(dict.fromkeys(sources)),
        dataset_date=cat.visa_dataset.date,
        confirm=_(CONFIRM),
    )


def counted_days(country: Country, arrive: dt.date, depart: dt.date) -> int:
    """Days of a stay as the destination counts a permitted stay (models.Country.stay_count): from the day
    after landing to the departure day ("arrival-day-not-counted", Japan: Civil Code art. 140), or arrival
    and departure days both counted (tripplan's conservative assumption where no source gives the rule)."""
    nights = (depart - arrive).days
    return nights if country.stay_count == "arrival-day-not-counted" else nights + 1


def limit_months(country: Country, limit_days: int) -> int | None:
    """The visa-free limit in calendar months where the destination gives its periods of stay in months
    (models.Country.stay_unit "months"): the data set's days read as months of 30 (90 -> 3); None where it
    counts in days, or for a number of days that is no whole number of months (kept in days)."""
    if country.stay_unit != "months" or limit_days <= 0 or limit_days % 30:
        return None
    return limit_days // 30


def last_permitted_day(country: Country, arrive: dt.date, limit_days: int) -> dt.date:
    """The last day a visa-free stay permitted on landing `arrive` allows, counted as the destination counts
    it (models.Country.stay_count and stay_unit): a 90-day stay from 2027-02-28 runs to 2027-05-29 in Japan
    (the landing day not counted), to 2027-05-28 where the landing day is counted; a 3-month stay from
    2027-02-28 runs to 2027-05-28 (the same date three months on, dateutil's relativedelta), to 2027-05-27
    where the landing day is counted."""
    from dateutil.relativedelta import relativedelta

    counted = country.stay_count != "arrival-day-not-counted"
    months = limit_months(country, limit_days)
    if months is not None:
        return arrive + relativedelta(months=months) - dt.timedelta(days=1 if counted else 0)
    return arrive + dt.timedelta(days=limit_days - 1 if counted else limit_days)


def stay_limit_days(country: Country, arrive: dt.date | None, limit_days: int) -> int:
    """The visa-free limit in days as the destination counts a stay (counted_days) for a stay landing on
    `arrive`: the data set's days, or for a limit in months the days to its last permitted day. Without a
    landing day (an undated quote), the fewest days those months can hold (3 months: 89, from 1 February),
    so a stay that fits fits whenever it starts."""
    if limit_months(country, limit_days) is None:
        return limit_days
    starts = [arrive] if arrive is not None else [dt.date(2027, 1, 1) + dt.timedelta(days=k) for k in range(4 * 366)]
    return min(counted_days(country, d, last_permitted_day(country, d, limit_days)) for d in starts)
