"""One loader for every data file: the shipped data/ folder, then the user's folder on top.

Each TOML file is parsed, each section validated by its pydantic model, and user records add to
or replace shipped ones by key. Every problem found is collected into one DataError that names
the file, the record and the field.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, is_dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, get_args, get_origin

from tripplan.catalog import Catalog, Layered, Records
from tripplan.errors import DataError, Problem
from tripplan.frozen import Constraint, check_fields, validate
from tripplan.i18n import N_, _
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
    InsuranceNote,
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

    from tripplan.cache import Store

ENV_DATA_DIR = "TRIPPLAN_DATA_DIR"
Key = Callable[..., str]


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    """A plain table of a data file rather than a list of records: the type it is validated as."""

    name: str
    kind: object
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


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """One section of a data file, and everything tripplan does with it: the type it is validated as,
    how records are merged (`key`), and where the catalog keeps it (`into`)."""

    model: type[Any] | Table
    key: Key | None = None  # a list of records ([[section]]), each known by this key; None: one record or table
    into: str | None = None  # the Catalog field it fills ("book.FIELD": the price book's); None: not kept
    listed: bool = False  # the catalog keeps the records as a list (else a dict by key)
    optional: bool = False  # may be missing from the data altogether
    adapt: Callable[..., object] | None = None  # what the catalog keeps instead (the list ordered, keys folded…)
    by_line: bool = False  # the cache keeps it one record a line, made only when asked for (big user sections)

    @property
    def plain(self) -> bool:
        """A plain table (a dict): a user's file merges into the shipped one key by key."""
        return isinstance(self.model, Table) and get_origin(self.model.kind) is dict


def _newest_first(actions: list[Any]) -> list[Any]:
    return sorted(actions, key=lambda a: a.date, reverse=True)


def _folded(aliases: dict[str, str]) -> dict[str, str]:
    """Aliases as lookup.py matches them: trimmed and case-folded."""
    return {k.strip().casefold(): v for k, v in aliases.items()}


# The one registry of data files: file -> section -> Section. A new data file (or section) is declared
# here, with the Catalog field its records fill; loading, caching, merging and the catalog follow from it.
SECTIONS: dict[str, dict[str, Section]] = {
    "sources.toml": {"sources": Section(model=Source, key=lambda r: r.id, into="sources")},
    "prices.toml": {
        "prices": Section(model=Price, key=lambda r: r.id, into="book.prices", listed=True, by_line=True),
        "rates": Section(model=Rate, key=lambda r: r.currency, into="book.rates", listed=True, optional=True),
        "fares": Section(model=Fare, key=lambda r: f"{r.origin}-{r.destination}", into="book.fares", listed=True),
        "fare_formula": Section(model=FareFormula, into="book.fare_formula"),
        "nightly": Section(model=Nightly, key=lambda r: f"{r.country}-{r.city}", into="book.nightly", listed=True),
        "daily": Section(model=Daily, key=lambda r: r.country, into="book.daily", listed=True),
        "daily_default": Section(model=Assumed, into="book.daily_default"),
        "nightly_default": Section(model=Assumed, into="book.nightly_default"),
        "visa_fees": Section(model=VisaFee, key=lambda r: r.destination, into="book.visa_fees", listed=True),
        "figures": Section(model=SourceFigure, key=lambda r: r.id, into="book.figures", listed=True),
    },
    "rates.toml": {
        "rates": Section(model=Rate, key=lambda r: r.currency, into="book.rates", listed=True, optional=True)
    },
    "pegs.toml": {"pegs": Section(model=Peg, key=lambda r: r.currency, into="pegs")},
    "currencies.toml": {
        "territories": Section(model=_Territories, into="territories"),
        "minor_units": Section(model=_MinorUnits, into="minor_units"),
    },
    "countries.toml": {
        "countries": Section(model=Country, key=lambda r: r.code, into="countries"),
        "notes": Section(model=Note, key=lambda r: r.id, into="notes", listed=True, optional=True),
        "insurance": Section(
            model=InsuranceNote,
            key=lambda r: f"{r.nationality}-{r.destination}",
            into="insurance",
            listed=True,
            optional=True,
        ),
    },
    "treatments.toml": {
        "processing": Section(model=ProcessingProtocol, key=lambda r: r.processing, into="processing_protocols"),
        "milestones": Section(model=Milestone, key=lambda r: r.id, into="milestones", listed=True),
    },
    "redflags.toml": {"rules": Section(model=RedFlagRule, key=lambda r: r.code, into="red_flags")},
    "brochure.toml": {
        "routes": Section(model=RouteAlias, key=lambda r: r.route, into="route_aliases", listed=True, optional=True),
        "cell_sources": Section(
            model=CellSourceAlias, key=lambda r: r.name, into="cell_sources", listed=True, optional=True
        ),
        "name_forms": Section(model=NameForms, into="name_forms", optional=True),
        "cities": Section(
            model=CityNames, key=lambda r: f"{r.country}-{r.city}", into="city_names", listed=True, optional=True
        ),
    },
    "safety.toml": {
        "record": Section(model=SafetyRecord, into="safety_record"),
        "actions": Section(
            model=SafetyAction, key=lambda r: r.id, into="safety_actions", listed=True, adapt=_newest_first
        ),
        "warning_signs": Section(model=WarningSign, key=lambda r: r.id, into="warning_signs", listed=True),
        "verify": Section(model=VerifyStep, key=lambda r: r.id, into="verify_steps", listed=True),
        "rule_changes": Section(
            model=RuleChange, key=lambda r: r.id, into="rule_changes", listed=True, adapt=_newest_first
        ),
    },
    "clinics.toml": {"clinics": Section(model=Clinic, key=lambda r: r.id, into="clinics", optional=True, by_line=True)},
    "visa_rules.toml": {
        "medical_visas": Section(model=MedicalVisa, key=lambda r: r.destination, into="medical_visas", optional=True),
        "nationality_notes": Section(
            model=NationalityNote,
            key=lambda r: f"{r.nationality}-{r.destination}",
            into="nationality_notes",
            listed=True,
            optional=True,
        ),
    },
    "visas.toml": {
        "dataset": Section(model=VisaDataset, into="visa_dataset"),
        "matrix": Section(model=VisaMatrix, into="visa_matrix"),
        "requirements": Section(model=_Requirements, into="visa_overrides", optional=True),
    },
    "airports.toml": {
        "source": Section(model=_SourceRef, optional=True),
        "airports": Section(model=Airport, key=lambda r: r.iata, into="airports"),
    },
    "home_airports.toml": {"home_airports": Section(model=HomeAirport, key=lambda r: r.country, into="home_airports")},
    "country_names.toml": {
        "source": Section(model=_SourceRef, optional=True),
        "names": Section(model=_Names, into="country_names"),
    },
    "names_i18n.toml": {
        "country_names_by_lang": Section(model=_NamesByLang, into="names_by_lang.country"),
        "currency_names_by_lang": Section(model=_NamesByLang, into="names_by_lang.currency"),
    },
    "aliases.toml": {
        "country_aliases": Section(model=_Aliases, into="aliases.country", adapt=_folded),
        "currency_aliases": Section(model=_Aliases, into="aliases.currency", adapt=_folded),
        "joint_aliases": Section(model=_Aliases, into="aliases.joint", adapt=_folded),
        "condition_aliases": Section(model=_Aliases, into="aliases.condition", adapt=_folded),
    },
}


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


MAX_DOTS = 32  # parts of a dotted key: deeper is not a tripplan file, and a TOML parser slows down badly
_DEEP = re.compile(rf"^(?:[^.=\r\n]*\.){{{MAX_DOTS + 1}}}", re.M)


def read_toml(path: Path, data: bytes | None = None) -> dict[str, Any]:
    """Parse one TOML file (from `data` when the bytes were already read); any problem becomes a
    DataError naming the file, and the line and column where TOML gives them."""
    # only a file not validated before is parsed; tomli (compiled: about twice tomllib's speed on a big file)
    # reads TOML 1.0 only, as tomllib does (pyproject.toml pins it below the release that reads TOML 1.1)
    import tomli

    from tripplan.files import ReadError, read_regular

    try:
        raw = read_regular(path) if data is None else data
    except ReadError as e:
        raise DataError([Problem(str(path), str(e).removeprefix(f"{path} "))]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DataError([Problem(str(path), _("is not UTF-8 text; save it as UTF-8"))]) from None
    for deep in _DEEP.finditer(text):  # a line with more dots than that before any "=" (found in C, not per line)
        if not deep.group().lstrip().startswith("#"):
            number = text.count("\n", 0, deep.start()) + 1
            said = _("a key with more than {n} dotted parts").format(n=MAX_DOTS)
            raise DataError([Problem(str(path), said, line=number)])
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as e:
        m = _TOML_AT.search(str(e))
        message = _("{reason} (not valid TOML)").format(reason=_TOML_AT.sub("", str(e)).strip())
        line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        raise DataError([Problem(str(path), message, line=line, column=col)]) from None
    except RecursionError:
        raise DataError([Problem(str(path), _("is nested too deeply to be a tripplan data file"))]) from None


def _record_label(raw: Any, index: int) -> str:
    if isinstance(raw, dict):
        for key in ("id", "code", "iata", "currency", "destination", "city"):
            if isinstance(raw.get(key), str):
                return f"'{raw[key]}' (#{index + 1})"
    return f"#{index + 1}"


MAX_SHOWN = 120  # characters of a bad value repeated in a message


def shorten(text: str) -> str:
    if len(text) <= MAX_SHOWN:
        return text
    return _("{start}… ({n} characters)").format(start=text[:MAX_SHOWN], n=f"{len(text):,}")


# pydantic's own refusals by error type, said in the current language (in English, pydantic's own message is
# kept as it is): the placeholders are the error's context.
PYDANTIC_SAID = {
    "literal_error": N_("must be {expected}"),
    "string_too_short": N_("must have at least {min_length} characters"),
    "string_too_long": N_("is too long: at most {max_length} characters"),
    "string_pattern_mismatch": N_("must match the pattern {pattern}"),
    "too_short": N_("must have at least {min_length} items"),
    "too_long": N_("must have at most {max_length} items"),
    "greater_than": N_("must be greater than {gt}"),
    "greater_than_equal": N_("must be greater than or equal to {ge}"),
    "less_than": N_("must be less than {lt}"),
    "less_than_equal": N_("must be less than or equal to {le}"),
    "int_parsing": N_("must be a whole number"),
    "int_type": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "float_parsing": N_("must be a number"),
    "float_type": N_("must be a number"),
    "finite_number": N_("must be a finite number"),
    "bool_parsing": N_("must be true or false"),
    "bool_type": N_("must be true or false"),
    "string_type": N_("must be text"),
    "list_type": N_("must be a list"),
    "dict_type": N_("must be a table"),
    "dataclass_type": N_("must be a table"),
    "model_type": N_("must be a table"),
    "date_type": N_("must be a date (YYYY-MM-DD)"),
    "date_parsing": N_("must be a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("must be a date (YYYY-MM-DD)"),
    "date_from_datetime_inexact": N_("must be a date without a time of day"),
}


# What a value matching each pattern the records use looks like, in words (models.py: ids, codes, days of the
# year); a pattern not listed here is shown as it is.
PATTERN_SAID = {
    r"^[a-z0-9][a-z0-9-]*$": N_(
        "may use only lower-case letters a-z, digits and hyphens, and must start with a letter or a digit "
        "(e.g. tokyo-knee-1)"
    ),
    r"^[A-Z]{3}$": N_("must be a three-letter currency code in capitals (e.g. USD, JPY)"),
    r"^[A-Z]{2}$": N_("must be a two-letter country code in capitals (e.g. JP, US)"),
    r"^\d\d-\d\d$": N_("must be a month and day as MM-DD (e.g. 03-20)"),
}
# The record classes a field may hold, in words (a pydantic "dataclass_type" error names the class).
CLASS_SAID = {
    "Span": N_("must be a range: a table with a low and a high whole number (e.g. {{ low = 600, high = 1600 }})"),
}


def pydantic_said(error: Any) -> str:
    """One pydantic error's message (its ErrorDetails) in plain words in the current language: PATTERN_SAID by
    the pattern a text missed, CLASS_SAID by the record class a table was expected to be, else PYDANTIC_SAID by
    its type; the message of a field's own check (a ValueError) as it was raised; pydantic's own words only for
    an error type none of these names."""
    message = str(error["msg"]).removeprefix("Value error, ")
    ctx = error.get("ctx") or {}
    if error["type"] == "string_pattern_mismatch" and str(ctx.get("pattern")) in PATTERN_SAID:
        return _(PATTERN_SAID[str(ctx["pattern"])])
    if error["type"] in ("dataclass_type", "model_type") and str(ctx.get("class_name")) in CLASS_SAID:
        return _(CLASS_SAID[str(ctx["class_name"])]).format()
    said = PYDANTIC_SAID.get(error["type"])
    if said is None:
        return message
    try:
        return _(said).format(**{k: str(v) for k, v in ctx.items()})
    except (KeyError, IndexError):
        return message


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
        shown = (
            ""
            if isinstance(value, dict) or e["type"].startswith("missing")
            else " " + _("(got {value})").format(value=shorten(repr(value)))
        )
        message = pydantic_said(e) + shown
        if e["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
            message = _("is not a known field; remove it or check its spelling")
        elif e["type"] in ("missing", "missing_keyword_only_argument", "missing_argument"):
            message = _("is required but missing; add it")
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
                found.append(
                    Problem(
                        str(path),
                        _("the key {reason}").format(reason=reason),
                        record=f"[{section}]",
                        field=".".join((*keys, k)),
                    )
                )
            found += _table_text(path, section, v, (*keys, k))
        return found
    reason = refused(value) if isinstance(value, str) else None
    return [Problem(str(path), reason, record=f"[{section}]", field=".".join(keys) or None)] if reason else []


@contextmanager
def _bulk() -> Iterator[None]:
    """The cyclic garbage collector paused while a file is parsed and validated (restored after, whatever
    happens): parsing makes only acyclic data (dicts, lists, records), yet with 100,000 records alive every
    full collection walks all of them again, which more than doubles the time of validating a big file."""
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def parse_file(path: Path, name: str, data: bytes | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """Validate one file against its sections. Returns the parsed sections and the problems found."""
    with _bulk():
        return _parse_file(path, name, data)


def _parse_file(path: Path, name: str, data: bytes | None) -> tuple[dict[str, Any], list[Problem]]:
    from pydantic import ValidationError

    try:
        doc = read_toml(path, data)
    except DataError as e:
        return {}, e.problems
    spec = SECTIONS[name]
    problems = [
        Problem(
            str(path), _("unknown section; expected one of: {names}").format(names=", ".join(spec)), record=f"[{key}]"
        )
        for key in doc
        if key not in spec
    ]
    parsed: dict[str, Any] = {}
    for section, entry in spec.items():
        model, key = entry.model, entry.key
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
                said = _("must be a list of records ([[{section}]])").format(section=section)
                problems.append(Problem(str(path), said, record=section))
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
                        _("duplicate key '{key}' (first at #{n}); keep one").format(key=k, n=seen[k] + 1),
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


def _merge(shipped: Iterable[Any], user: Iterable[Any], key: Key) -> list[Any] | Layered:
    """A user's records over the shipped ones by key (a record with a shipped key replaces it in place).
    Records kept by key (a cached section made one record at a time) are layered, not copied."""
    if isinstance(shipped, Mapping) or isinstance(user, Mapping):
        return Layered([_by_key(shipped, key), _by_key(user, key)])
    merged = {key(r): r for r in shipped}
    merged.update({key(r): r for r in user})
    return list(merged.values())


def _by_key(records: Iterable[Any], key: Key) -> Mapping[str, Any]:
    return records if isinstance(records, Mapping) else {key(r): r for r in records}


def by_line(name: str) -> dict[str, Key]:
    """The sections of a data file the cache keeps one record a line, with the key of each record."""
    return {section: s.key for section, s in SECTIONS[name].items() if s.by_line and s.key is not None}


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
    its records (or, for a section kept one record a line, a cache.Lazy of them, each checked to be of the
    section's class when made), a record, or a plain table of the right type."""
    from tripplan.cache import Lazy

    spec = SECTIONS[name]
    for section, value in sections.items():
        if section not in spec:
            return False
        model, key = spec[section].model, spec[section].key
        if isinstance(model, Table):
            ok = _plain(model.kind, value)
        elif isinstance(value, Lazy) and spec[section].by_line and isinstance(model, type):
            value.expect = model
            ok = True
        elif key is not None:
            ok = isinstance(value, list) and all(type(r) is model for r in value)
        else:
            ok = type(value) is model
        if not ok:
            return False
    return True


SNAPSHOT = "validated"  # the package's own validated records: data/validated/ (scripts/build_validated.py)


def snapshot_dir(shipped: Path) -> Path:
    return shipped / SNAPSHOT


@cache
def _records() -> dict[str, type[Any]]:
    """The record classes a stored entry may name: every data record (models.py)."""
    from tripplan import models

    return {n: c for n, c in vars(models).items() if isinstance(c, type) and is_dataclass(c)}


def rebuilt(name: str, values: dict[str, Any]) -> Any:
    """A record read back from the cache: made by its constructor (its own checks run) and given the
    same field checks as a record read from a file (types, limits, no control characters)."""
    return check_fields(_records()[name](**values))


def _shipped(name: str, values: dict[str, Any]) -> Any:
    """A record of the package's snapshot: built with the package, as trusted as its code."""
    return _records()[name](**values)


def cache_store() -> Store | None:
    """The user's cache as a store, or None (switched off, or a folder tripplan may not use)."""
    from tripplan import cache

    where = cache.cache_dir()
    return cache.Store(folder=where) if where is not None and cache.usable(where) else None


def cache_kind(path: Path) -> str:
    """The cache's name for a data file's entries: its name and (a digest of) its folder."""
    where = hashlib.blake2b(str(path.parent).encode(), digest_size=6).hexdigest()
    return f"file-{path.stem}-{where}"


def _parsed(
    path: Path, name: str, data: bytes, cached: Store | None, key: str | None, snapshot: Store | None = None
) -> tuple[dict[str, Any], list[Problem]]:
    """One file's validated sections: from the package's snapshot (a shipped file) or the cache when these
    very bytes were validated before; else parsed and validated (and kept in the cache)."""
    from tripplan import cache

    if snapshot is not None:
        key = key or cache.file_key(name, data)
        hit = snapshot.read(path.stem, key, _shipped)
        if isinstance(hit, dict) and _shaped(name, hit):
            return hit, []
    if cached is not None:
        key = key or cache.file_key(name, data)
        hit = cached.read(cache_kind(path), key, rebuilt)
        if isinstance(hit, dict) and _shaped(name, hit):
            for section, value in hit.items():
                if isinstance(value, cache.Lazy):
                    value.rescue = _rescue(path, name, data, section, cached, key)
            return hit, []
    parsed, found = parse_file(path, name, data)
    if cached is not None and key is not None and not found:
        with _bulk():
            cached.write(cache_kind(path), key, parsed, by_line(name))
    return parsed, found


def _rescue(path: Path, name: str, data: bytes, section: str, cached: Store, key: str) -> Callable[[], dict[str, Any]]:
    """What a section kept one record a line falls back on when one of its records fails its checks (an
    entry altered behind a recomputed seal): the file's own bytes validated again, and the entry rebuilt."""

    def rescue() -> dict[str, Any]:
        parsed, found = parse_file(path, name, data)
        if found:
            raise DataError(found)
        cached.write(cache_kind(path), key, parsed, by_line(name))
        entry = SECTIONS[name][section]
        assert entry.key is not None
        return {entry.key(r): r for r in parsed.get(section, [])}

    return rescue


def load_sections(
    folders: list[Path],
    contents: dict[Path, bytes] | None = None,
    *,
    cached: Store | None = None,
    keys: dict[Path, str] | None = None,
    skip: frozenset[str] = frozenset(),
    origins: bool = True,
    snapshot: Store | None = None,
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
                key = spec[section].key
                if spec[section].plain and origins and isinstance(value, dict):
                    out.origins.update({(section, k): str(path) for k in value})
                if spec[section].plain and section in merged:
                    merged[section] = _merge_plain(merged[section], value)
                elif key is None or section not in merged:
                    merged[section] = value
                else:
                    merged[section] = _merge(merged[section], value, key)
                if key is not None and origins:
                    ids, where = (value if isinstance(value, Mapping) else map(key, value)), str(path)
                    out.origins.update({(section, k): where for k in ids})
                if depth > 0 and section == "clinics":
                    user_clinics |= set(value) if isinstance(value, Mapping) else {c.id for c in value}
    return out


def build_catalog(merged: dict[str, Any], user_clinics: set[str]) -> Catalog:
    """The catalog from the merged sections, each put where its Section says ("a.b": key b of field a)."""
    values: dict[str, Any] = {}
    book: dict[str, Any] = {}
    for spec in SECTIONS.values():
        for section, entry in spec.items():
            if entry.into is None or section not in merged:
                continue
            value = merged[section]
            if isinstance(value, Mapping) and entry.key is not None:
                value = Records(value) if entry.listed else value  # kept by key: made one record at a time
            elif entry.key is not None and not entry.listed:
                value = {entry.key(r): r for r in value}
            if entry.adapt is not None:
                value = entry.adapt(value)
            field, _, part = entry.into.partition(".")
            if field == "book":
                book[part] = value
            elif part:
                values.setdefault(field, {})[part] = value
            else:
                values[field] = value
    return Catalog(book=PriceBook(**book), user_clinic_ids=frozenset(user_clinics), **values)


def _load(
    folders: list[Path],
    contents: dict[Path, bytes] | None = None,
    cached: Store | None = None,
    keys: dict[Path, str] | None = None,
    snapshot: Store | None = None,
) -> tuple[Catalog | None, list[Problem]]:
    loaded = load_sections(folders, contents, cached=cached, keys=keys, snapshot=snapshot)
    problems = loaded.problems
    for name, spec in SECTIONS.items():
        for section, entry in spec.items():
            if section not in loaded.merged and not entry.optional:
                problems.append(
                    Problem(str(folders[0] / name), _("is missing; reinstall tripplan"), record=f"[{section}]")
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
        from tripplan.files import reason

        said = _("the data folder cannot be read: {reason}").format(reason=reason(e))
        raise DataError([Problem(str(user_dir), said)]) from None
    files = [f for f in data_files(folders) if f.parent == shipped or f.name not in leave_out]
    contents, problems = read_all(files)
    if problems:
        raise DataError(problems)
    store = cache_store() if use_cache else None
    snapshot = cache.Store(folder=snapshot_dir(shipped), ours=False) if use_cache else None
    keys = {path: cache.file_key(path.name, data) for path, data in contents.items()} if use_cache else {}
    everything = sorted([str(path), k] for path, k in keys.items())  # the inputs the checks across files saw
    key = cache.digest(*(part for pair in everything for part in pair))
    only_shipped = all(path.parent == shipped for path in contents)
    if (store is not None and store.read("checked", key) == everything) or (
        snapshot is not None and only_shipped and _snapshot_checked(snapshot, list(keys.values()))
    ):
        skip = frozenset() if clinics else frozenset({"clinics.toml"})
        loaded = load_sections(folders, contents, cached=store, keys=keys, skip=skip, origins=False, snapshot=snapshot)
        if not loaded.problems:
            _checked[:] = everything
            return in_language(build_catalog(loaded.merged, loaded.user_clinics), folders, contents, store, keys)
    catalog, problems = _load(folders, contents, cached=store, keys=keys, snapshot=snapshot)
    if problems or catalog is None:
        raise DataError(problems)
    if store is not None:
        store.write("checked", key, everything)
        _checked[:] = everything
    return in_language(catalog, folders, contents, store, keys)


@cache
def by_section() -> dict[str, Section]:
    """Every section of SECTIONS by its name (the first file that declares a name: rates.toml's `rates`
    merge into prices.toml's), as translations.py addresses records."""
    found: dict[str, Section] = {}
    for spec in SECTIONS.values():
        for name, entry in spec.items():
            found.setdefault(name, entry)
    return found


def user_keys(
    folder: Path,
    contents: dict[Path, bytes] | None = None,
    cached: Store | None = None,
    keys: dict[Path, str] | None = None,
) -> dict[str, set[str | None]]:
    """The keys of the records a user's folder holds, by section (None: a section of one record); plain
    tables are left out."""
    mine = {p: b for p, b in contents.items() if p.parent == folder} if contents is not None else None
    loaded = load_sections([folder], mine, cached=cached, keys=keys, origins=False)
    found: dict[str, set[str | None]] = {}
    for spec in SECTIONS.values():
        for section, entry in spec.items():
            value = loaded.merged.get(section)
            if value is None or isinstance(entry.model, Table):
                continue
            ids = (set(value) if isinstance(value, Mapping) else {entry.key(r) for r in value}) if entry.key else {None}
            found.setdefault(section, set()).update(ids)
    return found


def in_language(
    catalog: Catalog,
    folders: list[Path],
    contents: dict[Path, bytes] | None = None,
    cached: Store | None = None,
    keys: dict[Path, str] | None = None,
) -> Catalog:
    """The catalog in the language being spoken (i18n.current()): unchanged in English (no file is read);
    else with the data folders' translations applied (translations.py), each checked first (a problem in
    one is a DataError, as in any data file)."""
    from tripplan import i18n

    lang = i18n.current()
    if lang == i18n.DEFAULT:
        return catalog
    from tripplan import translations

    sections = by_section()
    shipped, problems = translations.read(translations.file_for(folders[0], lang), sections=sections, parse=read_toml)
    user, mine = None, {}
    if len(folders) > 1:
        user, found = translations.read(translations.file_for(folders[1], lang), sections=sections, parse=read_toml)
        problems += found
        mine = user_keys(folders[1], contents, cached, keys)
    problems += translations.check(catalog, shipped, sections=sections, skip=mine)
    if user is not None:
        problems += translations.check(catalog, user, sections=sections)
    if problems:
        raise DataError(problems)
    return translations.apply(catalog, lang, shipped=shipped, user=user, user_keys=mine, sections=sections)


def translation_languages(folders: list[Path]) -> list[str]:
    """The languages any of the folders has data translations for (FOLDER/<lang>.toml)."""
    from tripplan.translations import FOLDER

    return sorted({p.stem for f in folders for p in (f / FOLDER).glob("*.toml")})


def check_translations(user_dir: Path | None) -> tuple[list[Problem], list[Problem]]:
    """The data translations of the shipped data and the user's folder, in every language either has:
    (problems, untranslated). Problems: a file's shape, a record or field it names that does not exist, a
    translation that alters a figure, date or id, and a shipped record left untranslated. Untranslated: the
    user's own records with no translation (shown in English in that language; not an error). Nothing when
    the data itself does not load (those problems are named by load_catalog)."""
    from tripplan import translations

    shipped = shipped_data_dir()
    folders = [shipped] + ([user_dir] if user_dir is not None and user_dir.is_dir() else [])
    catalog, found = _load(folders)
    if catalog is None or found:
        return [], []
    mine = user_keys(folders[1]) if len(folders) > 1 else {}
    sections = by_section()
    problems: list[Problem] = []
    untranslated: list[Problem] = []
    for lang in translation_languages(folders):
        tables = []
        for depth, folder in enumerate(folders):
            table, bad = translations.read(translations.file_for(folder, lang), sections=sections, parse=read_toml)
            skip = mine if depth == 0 else None
            problems += bad + translations.check(catalog, table, sections=sections, skip=skip)
            problems += translations.stale(catalog, table, sections=sections, skip=skip)
            tables.append(table)
        user = tables[1] if len(tables) > 1 else None
        for section, key, path, theirs in translations.missing(catalog, tables[0], user, mine, sections=sections):
            file = translations.file_for(folders[-1] if theirs else shipped, lang)
            (untranslated if theirs else problems).append(translations.missing_problem(file, section, key, path))
        ours = _load([shipped])[0] if len(folders) > 1 else catalog
        shipped_words = set(translations.missing_labels(ours, [])) if ours is not None else set()
        for kind, word in translations.missing_labels(catalog, tables):
            theirs = (kind, word) not in shipped_words
            file = translations.file_for(folders[-1] if theirs else shipped, lang)
            problem = translations.missing_problem(file, "labels", kind, word)
            (untranslated if theirs else problems).append(problem)
    return problems, untranslated


_checked: list[list[str]] = []  # the set of files (path, key) this process last found checked across files


def checked_after_edit(path: Path, old: bytes | None, new: bytes, added: Iterable[Clinic], cat: Catalog) -> bool:
    """After `clinics add/remove` edited the user's clinics file (`old` bytes, or None when it was new, to
    `new`): remember the new set of files as checked across files, so the next command does not check
    every clinic again. Only when this process found the set the edit started from checked (load_catalog)
    and the added clinics pass the checks across files (validate.cross_check) themselves; removing a
    clinic breaks no reference (no record refers to a clinic). Returns whether the marker was written."""
    from tripplan import cache

    store = cache_store()
    before = [str(path), cache.file_key(path.name, old)] if old is not None else None
    inputs = [pair for pair in _checked if pair != before]
    if store is None or not _checked or (before is not None and len(inputs) == len(_checked)):
        return False
    if any(p == str(path) for p, _ in inputs):
        return False  # the set checked was made with other bytes of this file
    new_clinics = {c.id: c for c in added}
    if new_clinics:  # checked with the price records they refer to, not every price (made one at a time)
        refs = [p for p in {r: cat.price(r) for c in new_clinics.values() for r in c.price_refs}.values() if p]
        book = dataclasses.replace(cat.book, prices=refs)
        theirs = {f"clinics '{i}'" for i in new_clinics}
        found = cross_check(dataclasses.replace(cat, clinics=new_clinics, book=book), {})
        if any(p.record in theirs for p in found):
            return False  # the next load checks them and names the problem
    inputs = sorted([*inputs, [str(path), cache.file_key(path.name, new)]])
    store.write("checked", cache.digest(*(part for pair in inputs for part in pair)), inputs)
    _checked[:] = inputs
    return True


def _snapshot_checked(snapshot: Store, keys: list[str]) -> bool:
    """Whether the package's own files, with exactly these keys, passed the checks across files."""
    from tripplan import cache

    return bool(snapshot.read("checked", cache.set_key(keys)) == sorted(keys))


def check_path(path: Path) -> list[Problem]:
    """Every problem in a data file, or in a folder laid over the shipped data (`tripplan data check PATH`)."""
    try:
        is_file, is_dir = path.is_file(), path.is_dir()
    except OSError as e:
        from tripplan.files import reason

        return [Problem(str(path), _("cannot be read: {reason}").format(reason=reason(e)))]
    if is_file and path.parent.name == "i18n" and path.suffix == ".toml":
        from tripplan import translations

        catalog, found = _load([shipped_data_dir()])
        table, bad = translations.read(path, sections=by_section(), parse=read_toml)
        if catalog is None or found:
            return bad + found
        found = translations.check(catalog, table, sections=by_section())
        return bad + found + translations.stale(catalog, table, sections=by_section())
    if is_file:
        if path.name not in SECTIONS:
            said = _("is not a tripplan data file; expected one of: {names}").format(names=", ".join(SECTIONS))
            return [Problem(str(path), said)]
        return parse_file(path, path.name)[1]
    if not is_dir:
        return [Problem(str(path), _("does not exist"))]
    found = _load([shipped_data_dir(), path])[1]
    return found or check_translations(path)[0]
