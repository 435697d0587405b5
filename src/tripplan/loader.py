"""One loader for every data file: the shipped data/ folder, then the user's folder on top.

Each TOML file is parsed, each section validated by its pydantic model, and user records add to
or replace shipped ones by key. Every problem found is collected into one DataError that names
the file, the record and the field.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, get_args, get_origin

from tripplan.catalog import Catalog
from tripplan.errors import DataError, Problem
from tripplan.frozen import Constraint, frozen, validate
from tripplan.models import (
    Airport,
    Assumed,
    CellSourceAlias,
    CityNames,
    Clinic,
    Country,
    Daily,
    Fare,
    FareFormula,
    HomeAirport,
    MedicalVisa,
    Milestone,
    NameForms,
    NationalityNote,
    Nightly,
    Note,
    Peg,
    Price,
    PriceBook,
    ProcessingProtocol,
    Rate,
    RedFlagRule,
    RouteAlias,
    RuleChange,
    SafetyAction,
    SafetyRecord,
    Source,
    SourceFigure,
    VerifyStep,
    VisaDataset,
    VisaFee,
    VisaMatrix,
    WarningSign,
)
from tripplan.validate import cross_check

if TYPE_CHECKING:
    from pydantic import ValidationError

ENV_DATA_DIR = "TRIPPLAN_DATA_DIR"
Key = Callable[[Any], str]


@frozen
class Table:
    """A plain table of a data file rather than a list of records: the type it is validated as."""

    name: str
    kind: Any
    doc: str


_Requirements = Table(
    name="Requirements",
    kind=dict[str, dict[str, str]],
    doc="[requirements.PASSPORT] DESTINATION = \"90\": the user's own visa answers, over the data set's.",
)
_Names = Table(name="Names", kind=dict[str, str], doc='[names] CODE = "Name".')
_Territories = Table(
    name="Territories",
    kind=dict[str, Annotated[str, Constraint(pattern=r"^[A-Z]{3}$")]],
    doc='[territories] CC = "ISO 4217 code": the currency each country uses.',
)
_MinorUnits = Table(
    name="MinorUnits",
    kind=dict[str, Annotated[int, Constraint(ge=0, le=4)]],
    doc="[minor_units] CODE = digits after the decimal point (ISO 4217).",
)
_SourceRef = Table(name="SourceRef", kind=str, doc='source = "id".')
_Aliases = Table(
    name="Aliases",
    kind=dict[str, Annotated[str, Constraint(min_length=1, max_length=40)]],
    doc='[country_aliases] "中华人民共和国" = "CN": a word people type, any case, and what tripplan reads it as.',
)
_NamesByLang = Table(
    name="NamesByLang",
    kind=dict[str, dict[str, str]],
    doc='[country_names_by_lang.zh] CN = "中国": names in each language (CLDR), by code.',
)


# file -> section -> (model, key of a record or None for a single table)
SECTIONS: dict[str, dict[str, tuple[type[Any] | Table, Key | None]]] = {
    "sources.toml": {"sources": (Source, lambda r: r.id)},
    "prices.toml": {
        "prices": (Price, lambda r: r.id),
        "rates": (Rate, lambda r: r.currency),
        "fares": (Fare, lambda r: f"{r.origin}-{r.destination}"),
        "fare_formula": (FareFormula, None),
        "nightly": (Nightly, lambda r: f"{r.country}-{r.city}"),
        "daily": (Daily, lambda r: r.country),
        "daily_default": (Assumed, None),
        "nightly_default": (Assumed, None),
        "visa_fees": (VisaFee, lambda r: r.destination),
        "figures": (SourceFigure, lambda r: r.id),
    },
    "rates.toml": {"rates": (Rate, lambda r: r.currency)},
    "pegs.toml": {"pegs": (Peg, lambda r: r.currency)},
    "currencies.toml": {"territories": (_Territories, None), "minor_units": (_MinorUnits, None)},
    "countries.toml": {"countries": (Country, lambda r: r.code), "notes": (Note, lambda r: r.id)},
    "treatments.toml": {
        "processing": (ProcessingProtocol, lambda r: r.processing),
        "milestones": (Milestone, lambda r: r.id),
    },
    "redflags.toml": {"rules": (RedFlagRule, lambda r: r.code)},
    "brochure.toml": {
        "routes": (RouteAlias, lambda r: r.route),
        "cell_sources": (CellSourceAlias, lambda r: r.name),
        "name_forms": (NameForms, None),
        "cities": (CityNames, lambda r: f"{r.country}-{r.city}"),
    },
    "safety.toml": {
        "record": (SafetyRecord, None),
        "actions": (SafetyAction, lambda r: r.id),
        "warning_signs": (WarningSign, lambda r: r.id),
        "verify": (VerifyStep, lambda r: r.id),
        "rule_changes": (RuleChange, lambda r: r.id),
    },
    "clinics.toml": {"clinics": (Clinic, lambda r: r.id)},
    "visa_rules.toml": {
        "medical_visas": (MedicalVisa, lambda r: r.destination),
        "nationality_notes": (NationalityNote, lambda r: f"{r.nationality}-{r.destination}"),
    },
    "visas.toml": {"dataset": (VisaDataset, None), "matrix": (VisaMatrix, None), "requirements": (_Requirements, None)},
    "airports.toml": {"source": (_SourceRef, None), "airports": (Airport, lambda r: r.iata)},
    "home_airports.toml": {"home_airports": (HomeAirport, lambda r: r.country)},
    "country_names.toml": {"source": (_SourceRef, None), "names": (_Names, None)},
    "names_i18n.toml": {"country_names_by_lang": (_NamesByLang, None), "currency_names_by_lang": (_NamesByLang, None)},
    "aliases.toml": {
        "country_aliases": (_Aliases, None),
        "currency_aliases": (_Aliases, None),
        "joint_aliases": (_Aliases, None),
        "condition_aliases": (_Aliases, None),
    },
}
_PLAIN = {
    "requirements",
    "names",
    "territories",
    "minor_units",
    "country_names_by_lang",
    "currency_names_by_lang",
    "country_aliases",
    "currency_aliases",
    "joint_aliases",
    "condition_aliases",
}  # plain tables: a user's file merges into the shipped one by key


def shipped_data_dir() -> Path:
    """data/ inside the installed wheel, or at the repository root in a source checkout."""
    inside = Path(__file__).resolve().parent / "data"
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parents[2] / "data"


def user_data_dir(override: str | Path | None = None) -> Path:
    """--data-dir, else $TRIPPLAN_DATA_DIR, else the platform's user data folder."""
    if override:
        return Path(override).expanduser()
    if os.environ.get(ENV_DATA_DIR):
        return Path(os.environ[ENV_DATA_DIR]).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("tripplan", appauthor=False))


_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


MAX_DOTS = 32  # parts of a dotted key: deeper is not a tripplan file, and tomllib slows down badly


def read_toml(path: Path, data: bytes | None = None) -> dict[str, Any]:
    """Parse one TOML file (from `data` when the bytes were already read); any problem becomes a
    DataError naming the file, and the line and column where TOML gives them."""
    import tomllib  # only a file not validated before is parsed

    from tripplan.files import ReadError, read_regular

    try:
        raw = read_regular(path) if data is None else data
    except ReadError as e:
        raise DataError([Problem(str(path), str(e).removeprefix(f"{path} "))]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DataError([Problem(str(path), "is not UTF-8 text; save it as UTF-8")]) from None
    for number, row in enumerate(text.splitlines(), 1):
        key = row.split("=", 1)[0]
        if key.count(".") > MAX_DOTS and not key.lstrip().startswith("#"):
            raise DataError([Problem(str(path), f"a key with more than {MAX_DOTS} dotted parts", line=number)])
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = _TOML_AT.search(str(e))
        message = _TOML_AT.sub("", str(e)).strip() + " (not valid TOML)"
        line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        raise DataError([Problem(str(path), message, line=line, column=col)]) from None
    except RecursionError:
        raise DataError([Problem(str(path), "is nested too deeply to be a tripplan data file")]) from None


def _record_label(raw: Any, index: int) -> str:
    if isinstance(raw, dict):
        for key in ("id", "code", "iata", "currency", "destination", "city"):
            if isinstance(raw.get(key), str):
                return f"'{raw[key]}' (#{index + 1})"
    return f"#{index + 1}"


MAX_SHOWN = 120  # characters of a bad value repeated in a message


def shorten(text: str) -> str:
    return text if len(text) <= MAX_SHOWN else f"{text[:MAX_SHOWN]}… ({len(text):,} characters)"


def _problems(path: Path, section: str, raw: Any, error: ValidationError, listed: bool) -> list[Problem]:
    """One problem per pydantic error, naming the record and the field, in words a user acts on."""
    out = []
    for e in error.errors():
        loc = list(e["loc"])
        record = f"[{section}]"
        if listed and loc and isinstance(loc[0], int):
            record = f"{section} {_record_label(raw[loc[0]], loc[0])}"
            loc = loc[1:]
        field = ".".join(str(p) for p in loc) or None
        value = e.get("input")
        shown = "" if isinstance(value, dict) or e["type"].startswith("missing") else f" (got {shorten(repr(value))})"
        message = e["msg"].removeprefix("Value error, ") + shown
        if e["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
            message = "is not a known field; remove it or check its spelling"
        elif e["type"] in ("missing", "missing_keyword_only_argument", "missing_argument"):
            message = "is required but missing; add it"
        out.append(Problem(str(path), message, record=record, field=field))
    return out


def _table_text(path: Path, section: str, value: Any, keys: tuple[str, ...] = ()) -> list[Problem]:
    """A plain table's keys and text values pass the check every record's text passes (textsafe.refused):
    each problem names the file, the table and the key."""
    from tripplan.textsafe import refused

    if isinstance(value, dict):
        found = []
        for k, v in value.items():
            reason = refused(k)
            if reason is not None:
                found.append(Problem(str(path), f"the key {reason}", record=f"[{section}]", field=".".join((*keys, k))))
            found += _table_text(path, section, v, (*keys, k))
        return found
    reason = refused(value) if isinstance(value, str) else None
    return [Problem(str(path), reason, record=f"[{section}]", field=".".join(keys) or None)] if reason else []


def parse_file(path: Path, name: str, data: bytes | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """Validate one file against its sections. Returns the parsed sections and the problems found."""
    from pydantic import ValidationError

    try:
        doc = read_toml(path, data)
    except DataError as e:
        return {}, e.problems
    spec = SECTIONS[name]
    problems = [
        Problem(str(path), f"unknown section; expected one of: {', '.join(spec)}", record=f"[{key}]")
        for key in doc
        if key not in spec
    ]
    parsed: dict[str, Any] = {}
    for section, (model, key) in spec.items():
        if section not in doc:
            continue
        raw = doc[section]
        try:
            if key is None:
                parsed[section] = validate(model.kind if isinstance(model, Table) else model, raw)
                if isinstance(model, Table):
                    problems += _table_text(path, section, parsed[section])
                continue
            if not isinstance(raw, list):
                problems.append(Problem(str(path), f"must be a list of records ([[{section}]])", record=section))
                continue
            records = validate(list[model], raw)  # type: ignore[valid-type]
        except ValidationError as e:
            problems += _problems(path, section, raw, e, listed=key is not None)
            continue
        seen: dict[str, int] = {}
        for i, rec in enumerate(records):
            k = key(rec)
            if k in seen:
                problems.append(
                    Problem(
                        str(path),
                        f"duplicate key '{k}' (first at #{seen[k] + 1}); keep one",
                        record=f"{section} #{i + 1}",
                    )
                )
            seen.setdefault(k, i)
        parsed[section] = records
    return parsed, problems


def _merge_plain(shipped: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    """A user's plain table over the shipped one: key by key, one level down too."""
    out = dict(shipped)
    for k, v in user.items():
        out[k] = {**out[k], **v} if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _merge(shipped: Iterable[Any], user: Iterable[Any], key: Key) -> list[Any]:
    merged = {key(r): r for r in shipped}
    merged.update({key(r): r for r in user})
    return list(merged.values())


class Loaded:
    """What load_sections found: merged sections, where each record came from, and the problems."""

    def __init__(self) -> None:
        self.merged: dict[str, Any] = {}
        self.origins: dict[tuple[str, str], str] = {}
        self.user_clinics: set[str] = set()
        self.problems: list[Problem] = []


def data_files(folders: list[Path]) -> list[Path]:
    """Every known data file present in the folders, in load order."""
    return [f / name for f in folders for name in SECTIONS if (f / name).exists() or (f / name).is_symlink()]


def read_all(files: list[Path]) -> tuple[dict[Path, bytes], list[Problem]]:
    """The bytes of every file, read once: the cache key and the catalog come from the same bytes."""
    from tripplan.files import ReadError, read_regular

    contents, problems = {}, []
    for path in files:
        try:
            contents[path] = read_regular(path)
        except ReadError as e:
            problems.append(Problem(str(path), str(e).removeprefix(f"{path} ")))
    return contents, problems


def _plain(kind: Any, value: Any) -> bool:
    """Whether a plain table's value has its type (str, int, dict of them), as a cached entry must."""
    origin, args = get_origin(kind), get_args(kind)
    if origin is Annotated:
        return _plain(args[0], value)
    if origin is dict:
        return isinstance(value, dict) and all(isinstance(k, str) and _plain(args[1], v) for k, v in value.items())
    return type(value) is kind


def _shaped(name: str, sections: dict[str, Any]) -> bool:
    """Whether a cached entry holds what parse_file returns for this file: its sections, each a list of
    its records, a record, or a plain table of the right type."""
    spec = SECTIONS[name]
    for section, value in sections.items():
        if section not in spec:
            return False
        model, key = spec[section]
        if isinstance(model, Table):
            ok = _plain(model.kind, value)
        elif key is not None:
            ok = isinstance(value, list) and all(type(r) is model for r in value)
        else:
            ok = type(value) is model
        if not ok:
            return False
    return True


def _parsed(
    path: Path, name: str, data: bytes, cached: Path | None, key: str | None, snapshot: Path | None = None
) -> tuple[dict[str, Any], list[Problem]]:
    """One file's validated sections: from the package's snapshot (a shipped file) or the cache when these
    very bytes were validated before."""
    from tripplan import cache

    if snapshot is not None:
        key = key or cache.file_key(name, data)
        hit = cache.snapshot_file(snapshot, path, key)
        if hit is not None and _shaped(name, hit):
            return hit, []
    if cached is not None:
        key = key or cache.file_key(name, data)
        hit = cache.load_file(cached, path, key)
        if hit is not None and _shaped(name, hit):
            return hit, []
    parsed, found = parse_file(path, name, data)
    if cached is not None and key is not None and not found:
        cache.store_file(cached, path, key, parsed)
    return parsed, found


def load_sections(
    folders: list[Path],
    contents: dict[Path, bytes] | None = None,
    *,
    cached: Path | None = None,
    keys: dict[Path, str] | None = None,
    skip: frozenset[str] = frozenset(),
    origins: bool = True,
    snapshot: Path | None = None,
) -> Loaded:
    """Every section of every known file in the folders, later folders adding to or replacing earlier.
    `cached`: the cache folder to take each file's validated sections from (`keys`: each file's cache key,
    when already known); `snapshot`: the package's validated records of the first folder's files;
    `skip`: files not read; `origins`: whether to note where each record came from (only the checks
    across files need it)."""
    out = Loaded()
    merged, user_clinics, problems = out.merged, out.user_clinics, out.problems
    if contents is None:
        contents, problems[:] = read_all(data_files(folders))
    for depth, folder in enumerate(folders):
        for name, spec in SECTIONS.items():
            path = folder / name
            if path not in contents or name in skip:
                continue
            parsed, found = _parsed(
                path, name, contents[path], cached, (keys or {}).get(path), snapshot if depth == 0 else None
            )
            problems += found
            for section, value in parsed.items():
                key = spec[section][1]
                if section in _PLAIN and origins and isinstance(value, dict):
                    out.origins.update({(section, k): str(path) for k in value})
                if section in _PLAIN and section in merged:
                    merged[section] = _merge_plain(merged[section], value)
                elif key is None or section not in merged:
                    merged[section] = value
                else:
                    merged[section] = _merge(merged[section], value, key)
                if key is not None and origins:
                    out.origins.update({(section, key(r)): str(path) for r in value})
                if depth > 0 and section == "clinics":
                    user_clinics |= {c.id for c in value}
    return out


def build_catalog(merged: dict[str, Any], user_clinics: set[str]) -> Catalog:
    book = PriceBook(**{k: merged[k] for k in SECTIONS["prices.toml"]})
    return Catalog(
        sources={s.id: s for s in merged["sources"]},
        book=book,
        countries={c.code: c for c in merged["countries"]},
        clinics={c.id: c for c in merged.get("clinics", [])},
        user_clinic_ids=frozenset(user_clinics),
        processing_protocols={p.processing: p for p in merged.get("processing", [])},
        milestones=merged.get("milestones", []),
        red_flags={r.code: r for r in merged.get("rules", [])},
        route_aliases=merged.get("routes", []),
        cell_sources=merged.get("cell_sources", []),
        name_forms=merged.get("name_forms"),
        city_names=merged.get("cities", []),
        safety_record=merged.get("record"),
        safety_actions=sorted(merged.get("actions", []), key=lambda a: a.date, reverse=True),
        warning_signs=merged.get("warning_signs", []),
        verify_steps=merged.get("verify", []),
        rule_changes=sorted(merged.get("rule_changes", []), key=lambda c: c.date, reverse=True),
        medical_visas={m.destination: m for m in merged.get("medical_visas", [])},
        nationality_notes=merged.get("nationality_notes", []),
        notes=merged.get("notes", []),
        pegs={p.currency: p for p in merged.get("pegs", [])},
        territories=merged.get("territories", {}),
        minor_units=merged.get("minor_units", {}),
        visa_dataset=merged["dataset"],
        visa_matrix=merged["matrix"],
        visa_overrides=merged.get("requirements", {}),
        airports={a.iata: a for a in merged["airports"]},
        home_airports={h.country: h for h in merged.get("home_airports", [])},
        country_names=merged["names"],
        names_by_lang={"country": merged["country_names_by_lang"], "currency": merged["currency_names_by_lang"]},
        aliases={
            kind: {k.strip().casefold(): v for k, v in merged[f"{kind}_aliases"].items()}
            for kind in ("country", "currency", "joint", "condition")
        },
    )


OPTIONAL = {
    "clinics",
    "medical_visas",
    "nationality_notes",
    "notes",
    "source",
    "requirements",
    "rates",
    "routes",
    "cell_sources",
    "name_forms",
    "cities",
}


def _load(
    folders: list[Path],
    contents: dict[Path, bytes] | None = None,
    cached: Path | None = None,
    keys: dict[Path, str] | None = None,
    snapshot: Path | None = None,
) -> tuple[Catalog | None, list[Problem]]:
    loaded = load_sections(folders, contents, cached=cached, keys=keys, snapshot=snapshot)
    problems = loaded.problems
    for name, spec in SECTIONS.items():
        for section in spec:
            if section not in loaded.merged and section not in OPTIONAL:
                problems.append(
                    Problem(str(folders[0] / name), "is missing; reinstall tripplan", record=f"[{section}]")
                )
    if problems:
        return None, problems
    catalog = build_catalog(loaded.merged, loaded.user_clinics)
    return catalog, cross_check(catalog, loaded.origins)


def load_catalog(
    user_dir: Path | None, *, use_cache: bool = True, clinics: bool = True, leave_out: frozenset[str] = frozenset()
) -> Catalog:
    """The shipped data plus the user's folder; raises one DataError listing every problem.

    Each valid file is cached under a key made of its contents, and a set of files that passed the checks
    across files is remembered (see cache.py); the shipped files' validated records come with the package
    (its snapshot). A command that needs no clinic passes clinics=False: when the files were checked
    before, clinics.toml is then not read. use_cache=False validates every file anew. `leave_out`: names of
    the user's files not read at all (a command that does not need a file the user broke)."""
    from tripplan import cache

    try:
        shipped = shipped_data_dir()
        folders = [shipped] + ([user_dir] if user_dir is not None and user_dir.is_dir() else [])
    except OSError as e:
        raise DataError([Problem(str(user_dir), f"the data folder cannot be read: {e.strerror or e}")]) from None
    files = [f for f in data_files(folders) if f.parent == shipped or f.name not in leave_out]
    contents, problems = read_all(files)
    if problems:
        raise DataError(problems)
    where = cache.cache_dir() if use_cache else None
    if where is not None and not cache.usable(where):
        where = None
    snapshot = cache.snapshot_dir(shipped) if use_cache else None
    keys = {path: cache.file_key(path.name, data) for path, data in contents.items()} if use_cache else {}
    key = cache.fingerprint(keys)
    only_shipped = all(path.parent == shipped for path in contents)
    if (where is not None and cache.checked(where, key)) or (
        snapshot is not None and only_shipped and cache.snapshot_checked(snapshot, list(keys.values()))
    ):
        skip = frozenset() if clinics else frozenset({"clinics.toml"})
        loaded = load_sections(folders, contents, cached=where, keys=keys, skip=skip, origins=False, snapshot=snapshot)
        if not loaded.problems:
            return build_catalog(loaded.merged, loaded.user_clinics)
    catalog, problems = _load(folders, contents, cached=where, keys=keys, snapshot=snapshot)
    if problems or catalog is None:
        raise DataError(problems)
    if where is not None:
        cache.mark_checked(where, key)
    return catalog


def check_path(path: Path) -> list[Problem]:
    """Every problem in a data file, or in a folder laid over the shipped data (`tripplan data check PATH`)."""
    try:
        is_file, is_dir = path.is_file(), path.is_dir()
    except OSError as e:
        return [Problem(str(path), f"cannot be read: {e.strerror or e}")]
    if is_file:
        if path.name not in SECTIONS:
            return [Problem(str(path), f"is not a tripplan data file; expected one of: {', '.join(SECTIONS)}")]
        return parse_file(path, path.name)[1]
    if not is_dir:
        return [Problem(str(path), "does not exist")]
    return _load([shipped_data_dir(), path])[1]
