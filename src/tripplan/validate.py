"""Checks across records and files: every reference points at something that exists."""

from __future__ import annotations

from collections.abc import Iterable

from tripplan.catalog import Catalog
from tripplan.errors import Problem
from tripplan.i18n import _
from tripplan.models import JOINTS
from tripplan.visas import parse_requirement


def cross_check(cat: Catalog, origins: dict[tuple[str, str], str]) -> list[Problem]:
    """Every problem of reference between records: unknown sources, countries, currencies, airports."""
    problems: list[Problem] = []
    visa_columns = set(cat.visa_matrix.destinations.split())

    def where(section: str, key: str) -> str:
        return origins.get((section, key), _("{section} data").format(section=section))

    def need(ok: bool, section: str, key: str, field: str, message: str) -> None:
        if not ok:
            problems.append(Problem(where(section, key), message, record=f"{section} '{key}'", field=field))

    def need_sources(ids: Iterable[str], section: str, key: str, field: str) -> None:
        for sid in ids:
            need(
                sid in cat.sources,
                section,
                key,
                field,
                _("unknown source '{id}'; add it to sources.toml or use one of: {ids}").format(
                    id=sid, ids=", ".join(cat.sources)
                ),
            )

    def need_country(code: str, section: str, key: str, field: str, *, destination: bool = False) -> None:
        known = cat.countries if destination else cat.country_names
        said = (
            _("unknown country code '{code}'; expected one of the countries.toml")
            if destination
            else _("unknown country code '{code}'; expected one of the ISO 3166 alpha-2 codes")
        )
        need(code in known, section, key, field, said.format(code=code))

    def need_rate(currency: str, section: str, key: str, field: str) -> None:
        need(
            cat.has_rate(currency),
            section,
            key,
            field,
            _("no exchange rate for '{currency}'; add a [[rates]] record").format(currency=currency),
        )

    def need_joints(joints: Iterable[str], section: str, key: str, field: str) -> None:
        for j in joints:
            said = _("unknown joint '{joint}'; expected one of: {joints}").format(joint=j, joints=", ".join(JOINTS))
            need(j in JOINTS, section, key, field, said)

    for p in cat.book.prices:
        need_sources([p.source], "prices", p.id, "source")
        for c in p.countries:
            need_country(c, "prices", p.id, "countries", destination=True)
        need_rate(p.currency, "prices", p.id, "currency")
        need_joints(p.joints, "prices", p.id, "joints")
    for r in cat.book.rates:
        need_sources([r.source], "rates", r.currency, "source")
    for peg in cat.pegs.values():
        need_sources([peg.source], "pegs", peg.currency, "source")
        need(
            peg.anchor == "USD" or cat.has_rate(peg.anchor), "pegs", peg.currency, "anchor", _("no rate for the anchor")
        )
    for f in cat.book.fares:
        key = f"{f.origin}-{f.destination}"
        need_sources([f.source], "fares", key, "source")
        need_country(f.origin, "fares", key, "origin")
        need_country(f.destination, "fares", key, "destination", destination=True)
    for n in cat.book.nightly:
        need_sources([n.source], "nightly", f"{n.country}-{n.city}", "source")
        need_country(n.country, "nightly", f"{n.country}-{n.city}", "country", destination=True)
    for d in cat.book.daily:
        need_sources([d.source], "daily", d.country, "source")
        need_country(d.country, "daily", d.country, "country", destination=True)
    for v in cat.book.visa_fees:
        need_sources([v.source], "visa_fees", v.destination, "source")
        need_rate(v.currency, "visa_fees", v.destination, "currency")
        need_country(v.destination, "visa_fees", v.destination, "destination", destination=True)
    for single in (cat.book.fare_formula, cat.book.daily_default, cat.book.nightly_default):
        need_sources([single.source], "prices", "defaults", "source")

    for h in cat.home_airports.values():
        need_sources([h.source], "home_airports", h.country, "source")
        need_country(h.country, "home_airports", h.country, "country")
        port = cat.airports.get(h.airport)
        need(
            port is not None,
            "home_airports",
            h.country,
            "airport",
            _("unknown airport '{code}'").format(code=h.airport),
        )
        need(
            port is None or port.country == h.country,
            "home_airports",
            h.country,
            "airport",
            _("{airport} is not in {country}").format(airport=h.airport, country=h.country),
        )
    for country in cat.countries.values():
        proto = country.protocol
        extra = [country.risk_class_source] if country.risk_class_source else []
        extra += [country.holidays_source] if country.holidays_source else []
        need_sources(
            [
                *country.sources,
                proto.source,
                proto.fly_home_source,
                proto.after_harvest_source,
                country.stay_count_source,
                country.stay_unit_source,
                *country.holiday_blocks_sources,
                *proto.fly_home_sources,
                *(x.source for x in country.closures),
                *extra,
            ],
            "countries",
            country.code,
            "sources",
        )
        if country.cities:
            need(
                country.code in visa_columns or any(country.code in row for row in cat.visa_overrides.values()),
                "countries",
                country.code,
                "code",
                _(
                    "no visa data for destination '{code}': add [requirements.PASSPORT] {code} = \"90\" "
                    "(or visa required, e-visa…) to visas.toml in your data folder"
                ).format(code=country.code),
            )
        need(
            country.code in cat.country_names,
            "countries",
            country.code,
            "code",
            _("unknown country code '{code}'").format(code=country.code),
        )
        for hub in country.hubs:
            need(hub in cat.airports, "countries", country.code, "hubs", _("unknown airport '{code}'").format(code=hub))

    price_ids = cat.price_ids()
    for cl in cat.clinics.values():
        need_country(cl.country, "clinics", cl.id, "country", destination=True)
        usual = cat.countries[cl.country].protocol.processing if cl.country in cat.countries else cl.processing
        need(
            cl.processing in (usual, *cat.processing_protocols),
            "clinics",
            cl.id,
            "processing",
            _("no [[processing]] protocol for '{processing}' in treatments.toml").format(processing=cl.processing),
        )
        if cl.source is not None:
            need_sources([cl.source], "clinics", cl.id, "source")
        for ref in cl.price_refs:
            need(ref in price_ids, "clinics", cl.id, "price_refs", _("unknown price record '{id}'").format(id=ref))
        for q in cl.quotes:
            need_rate(q.currency, "clinics", cl.id, "quotes.currency")
            need_joints(q.joints, "clinics", cl.id, "quotes.joints")
        need(bool(cl.price_refs or cl.quotes), "clinics", cl.id, "quotes", _("a clinic needs price_refs or quotes"))

    for note in cat.notes:
        need_sources([note.source], "notes", note.id, "source")
    for ins in cat.insurance:
        key = f"{ins.nationality}-{ins.destination}"
        need_sources([ins.source], "insurance", key, "source")
        need_country(ins.nationality, "insurance", key, "nationality")
        need_country(ins.destination, "insurance", key, "destination", destination=True)
    for m in cat.medical_visas.values():
        need_sources(m.sources, "medical_visas", m.destination, "sources")
        for dep in m.after:
            need(
                dep in {s.id for s in cat.milestones},
                "medical_visas",
                m.destination,
                "after",
                _("unknown milestone '{id}'").format(id=dep),
            )
    for nn in cat.nationality_notes:
        need_sources(nn.sources, "nationality_notes", f"{nn.nationality}-{nn.destination}", "sources")
    need_sources([cat.visa_dataset.source], "dataset", "visas", "source")
    for passport, row in cat.visa_overrides.items():
        need_country(passport, "requirements", passport, "passport")
        for dest, value in row.items():
            need_country(dest, "requirements", passport, dest)
            need(
                parse_requirement(value)[0] != "no data",
                "requirements",
                passport,
                dest,
                _(
                    "unknown requirement '{value}'; use a number of days, visa free, visa on arrival, eta, e-visa, "
                    "visa required or no admission"
                ).format(value=value),
            )
    for proc in cat.processing_protocols.values():
        need_sources(
            [proc.source, proc.fly_home_source, proc.after_harvest_source, *proc.fly_home_sources],
            "processing",
            proc.processing,
            "source",
        )
    ids = {m.id for m in cat.milestones}
    for step in cat.milestones:
        need_sources([step.source], "milestones", step.id, "source")
        need_joints(step.joints, "milestones", step.id, "joints")
        for dep in step.after:
            need(dep in ids, "milestones", step.id, "after", _("unknown milestone '{id}'").format(id=dep))
        if step.replaces is not None:
            need(
                step.replaces in ids,
                "milestones",
                step.id,
                "replaces",
                _("unknown milestone '{id}'").format(id=step.replaces),
            )
    for rule in cat.red_flags.values():
        need_sources(rule.sources, "rules", rule.code, "sources")
    for action in cat.safety_actions:
        need_sources(action.sources, "actions", action.id, "sources")
        need_country(action.country, "actions", action.id, "country")
    for sign in cat.warning_signs:
        need_sources(sign.sources, "warning_signs", sign.id, "sources")
    for check in cat.verify_steps:
        need_sources(check.sources, "verify", check.id, "sources")
        for code in check.countries:
            need_country(code, "verify", check.id, "countries", destination=True)
    for alias in cat.route_aliases:
        need_sources([alias.source], "routes", alias.route, "source")
    for cells in cat.cell_sources:
        need_sources([cells.source], "cell_sources", cells.name, "source")
    if cat.name_forms is not None:
        need_sources([cat.name_forms.source], "name_forms", "name_forms", "source")
    for city in cat.city_names:
        key = f"{city.country}-{city.city}"
        need_sources([city.source], "cities", key, "source")
        served = cat.countries.get(city.country)
        need(served is not None, "cities", key, "country", _("unknown destination '{code}'").format(code=city.country))
        if served is not None:
            need(
                city.city in served.cities,
                "cities",
                key,
                "city",
                _("not one of {code}'s cities in countries.toml").format(code=served.code),
            )
            need(
                city.hub in served.hubs,
                "cities",
                key,
                "hub",
                _("'{hub}' is not one of {code}'s hubs").format(hub=city.hub, code=served.code),
            )
    for change in cat.rule_changes:
        need_sources(change.sources, "rule_changes", change.id, "sources")
        need_country(change.country, "rule_changes", change.id, "country")
    for fig in cat.book.figures:
        need_sources([fig.source], "figures", fig.id, "source")
        need_joints(fig.joints, "figures", fig.id, "joints")
        for c in fig.countries:
            need_country(c, "figures", fig.id, "countries")
    conditions = {c for p in cat.book.prices for c in p.conditions}
    targets = {
        "country": (set(cat.country_names), _("'{target}' is not an ISO 3166 alpha-2 code of country_names.toml")),
        "currency": (cat.known_currencies(), _("'{target}' is not an ISO 4217 code of currencies.toml or rates.toml")),
        "joint": (set(JOINTS), _("'{target}' is not one of: {known}")),
        "condition": (conditions, _("'{target}' is not a condition of prices.toml: {known}")),
    }
    listed = {"joint": ", ".join(JOINTS), "condition": ", ".join(sorted(conditions))}
    for kind, words in cat.aliases.items():
        known, said = targets[kind]
        for word, target in words.items():
            need(target in known, f"{kind}_aliases", word, word, said.format(target=target, known=listed.get(kind, "")))
    return problems
