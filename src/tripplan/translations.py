"""Text that lives in data, in the language a person reads: `data/i18n/<lang>.toml`, beside the English.

A translation file is keyed by section, record and field, as the English is:

    [milestones.deposit]                  # section, then the record's key (loader.SECTIONS: id, code…)
    name = "支付细胞培养的定金"
    [countries.JP]
    insurance = "…"
    protocol.assumption = "…"             # a field of a record inside the record
    closures.0.name = "新年休诊"           # the first of a record's list of records
    [fare_formula]                        # a section of one record has no key
    note = "…"

TRANSLATED below is the one list of the fields that are translated, per section; every other field (ids,
codes, figures, dates, source titles and publishers, provider and clinic names, quotations, the words a
check matches) stays as the data gives it. Country and currency names come from CLDR (names_i18n.toml).

A file is checked like the rest of the data (`check`): an unknown section, record or field is refused, a
translation must be text (a list of as many texts for a list), keep every figure, date and [id] of the
English and every {placeholder}, and hold no control character. A record with no translation of a field
it has is named by `missing` (`tripplan data check`); shown in that language, it falls back to its English
(`apply` names such records of the user's folder, so the command can say so).

English reads no translation file at all: `apply` runs only for another language, after the catalog is
loaded, so the English start-up is unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tripplan.errors import Problem
from tripplan.i18n import _

if TYPE_CHECKING:
    from tripplan.catalog import Catalog

FOLDER = "i18n"


def _always(record: Any) -> bool:
    return True


@dataclass(frozen=True, slots=True, kw_only=True)
class Fields:
    """The translated fields of one section's records: dotted paths into the record ("protocol.note"; a
    list of records by "closures.*.name"), and which records need them (`when`)."""

    paths: tuple[str, ...]
    when: Callable[[Any], bool] = field(default=_always)
    only: dict[str, Callable[[Any], bool]] = field(default_factory=dict)
    """Paths translated only for some of the records `when` admits."""
    why: str = ""

    def applies(self, record: Any, path: str) -> bool:
        """Whether a declared path of this record is translated."""
        return self.when(record) and self.only.get(path, _always)(record)


# The one list of what is translated, per section of the data files (loader.SECTIONS). A field left out is
# shown as the data gives it in every language.
TRANSLATED: dict[str, Fields] = {
    "sources": Fields(
        paths=("note", "title", "publisher"),
        when=lambda s: s.kind in ("assumption", "dataset"),
        only={"title": lambda s: s.kind == "assumption", "publisher": lambda s: s.kind == "assumption"},
        why="only the notes of assumptions and data sets are shown (the plan's assumptions, the data sets' ages);"
        " titles and publishers stay as published, but for tripplan's own assumptions, which are its own words",
    ),
    "prices": Fields(paths=("note",)),
    "rates": Fields(paths=("note",)),
    "fares": Fields(paths=("note",)),
    "fare_formula": Fields(paths=("note",)),
    "nightly": Fields(paths=("note",)),
    "daily": Fields(paths=("note",)),
    "daily_default": Fields(paths=("note",)),
    "nightly_default": Fields(paths=("note",)),
    "visa_fees": Fields(paths=("note",)),
    "figures": Fields(paths=("text", "line")),
    "pegs": Fields(paths=("note",)),
    "countries": Fields(
        paths=(
            "law",
            "regulator",
            "strictness",
            "processing_allowed",
            "cell_count",
            "potency",
            "languages",
            "insurance",
            "licence_register",
            "protocol.cell_source",
            "protocol.fly_home_said",
            "protocol.note",
            "protocol.assumption",
            "closures.*.name",
        )
    ),
    "notes": Fields(paths=("text",)),
    "insurance": Fields(paths=("text",)),
    "processing": Fields(paths=("cell_source", "fly_home_said", "note", "assumption")),
    "milestones": Fields(paths=("name",)),
    "rules": Fields(paths=("message", "reasoning")),
    "clinics": Fields(
        paths=("name", "note"),
        when=lambda c: c.profile,
        why="a shipped profile is described in words; a clinic of your own keeps its own name and words",
    ),
    "medical_visas": Fields(paths=("name", "guarantor", "periods", "multiple_entry", "companion", "needs", "note")),
    "nationality_notes": Fields(paths=("text",)),
    "record": Fields(paths=("not_found", "note")),
    "actions": Fields(
        paths=(
            "authority",
            "action",
            "treatment",
            "route",
            "outcome",
            "disputed",
            "brief",
            "providers.*.note",
            "providers.*.name_en",
            "providers.*.city",
        ),
    ),
    "rule_changes": Fields(paths=("authority", "what", "home_rule", "disputed", "region_name", "brief")),
    "warning_signs": Fields(paths=("text",)),
    "verify": Fields(paths=("text", "brief")),
    "home_airports": Fields(paths=("basis",)),
}


def _joints(cat: Catalog) -> set[str]:
    from tripplan.models import JOINTS

    return set(JOINTS)


def _literal(model: str, name: str) -> Callable[[Catalog], set[str]]:
    def words(cat: Catalog) -> set[str]:
        from typing import get_args, get_type_hints

        from tripplan import models

        hint = get_type_hints(getattr(models, model))[name]
        return {a for a in get_args(hint) if isinstance(a, str)} - {"other", "unrecognised"}

    return words


LABELS: dict[str, Callable[[Catalog], set[str]]] = {
    "joint": _joints,
    "condition": lambda cat: {c for p in cat.book.prices for c in p.conditions},
    "treatment": lambda cat: {p.treatment for p in cat.book.prices},
    "cell_source": lambda cat: {a.name for a in cat.cell_sources},
    "route": _literal("RouteAlias", "route"),
    "severity": _literal("SafetyAction", "severity"),
}
"""Words data uses as names, shown to a reader (`[labels.KIND] word = "…"`): the joints, the conditions and
treatments of the price rows, the kinds of cell source, the routes and the severities of the safety record.
Each kind's words are the catalog's own (a label for a word the data does not use is refused)."""

_DIGITS = re.compile(r"\d+")
_IDS = re.compile(r"\[[^\[\]\s]+\]")
_PLACEHOLDERS = re.compile(r"\{[a-z_]+\}")


def file_for(folder: Path, lang: str) -> Path:
    """Where a data folder keeps its translations into `lang`: FOLDER/<lang>.toml."""
    return folder / FOLDER / f"{lang}.toml"


Sections = Mapping[str, Any]
"""The data files' sections by name (loader.by_section(): each a loader.Section, with its record key and the
Catalog field it fills); passed in, so that this module does not import the loader that uses it."""


def records(cat: Catalog, section: str, sections: Sections) -> dict[str | None, Any]:
    """The catalog's records of a section by their key (None: a section of one record)."""
    entry = sections[section]
    where, _dot, part = entry.into.partition(".")
    value = getattr(cat.book if where == "book" else cat, part if where == "book" else where)
    if value is None:
        return {}
    if entry.key is None:
        return {None: value}
    items = value if entry.listed else value.values()
    return {entry.key(r): r for r in items}


def _put(cat: Catalog, section: str, new: dict[str | None, Any], sections: Sections) -> Catalog:
    """The catalog with a section's records replaced (same order, same container)."""
    entry = sections[section]
    where, _dot, part = entry.into.partition(".")
    if entry.key is None:
        value: Any = new[None]
    elif entry.listed:
        value = list(new.values())
    else:
        value = {entry.key(r): r for r in new.values()}
    if where == "book":
        return replace(cat, book=replace(cat.book, **{part: value}))
    return replace(cat, **{where: value})


ITEMS: dict[tuple[str, str], Callable[[Any], bool]] = {
    ("providers", "name_en"): lambda provider: not provider.named,
    ("providers", "city"): lambda provider: not provider.named,
}
"""Items of a list whose field is translated only for some of them: a provider's `name_en` and `city` are
names, kept as the sources give them, except where the sources name no one and they are tripplan's
description ("a Fukuoka clinic (not named in the source)", "Baja California and other Mexican cities")."""


def paths_of(record: Any, path: str) -> Iterator[str]:
    """The concrete paths a declared path names in a record ("closures.*.name" -> closures.0.name, …) whose
    English is not empty (and, for a list, only the items ITEMS admits)."""
    head, _dot, rest = path.partition(".")
    value = getattr(record, head, None)
    if not rest:
        if value:
            yield head
        return
    if rest.startswith("*."):
        admits = ITEMS.get((head, rest[2:]), _always)
        for i, item in enumerate(value or []):
            if not admits(item):
                continue
            yield from (f"{head}.{i}.{p}" for p in paths_of(item, rest[2:]))
    elif value is not None:
        yield from (f"{head}.{p}" for p in paths_of(value, rest))


def english(record: Any, path: str) -> Any:
    """The English value at a concrete path."""
    value = record
    for part in path.split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return value


def _with(record: Any, path: str, text: Any) -> Any:
    """The record with the value at a concrete path replaced."""
    head, _dot, rest = path.partition(".")
    if not rest:
        return replace(record, **{head: text})
    value = getattr(record, head)
    if isinstance(value, list):
        index, _dot, deeper = rest.partition(".")
        items = list(value)
        items[int(index)] = _with(items[int(index)], deeper, text)
        return replace(record, **{head: items})
    return replace(record, **{head: _with(value, rest, text)})


def _flat(tree: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for k, v in tree.items():
        if isinstance(v, dict):
            yield from _flat(v, f"{prefix}{k}.")
        else:
            yield f"{prefix}{k}", v


def _declared(section: str, path: str) -> bool:
    pattern = re.sub(r"\.\d+\.", ".*.", path)
    return pattern in TRANSLATED[section].paths


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    """One translation file, read: {section: {record key (None: the one record): {path: text}}}."""

    path: Path
    texts: dict[str, dict[str | None, dict[str, Any]]]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    """{kind: {word: its name}} of the [labels] section (LABELS)."""
    sums: dict[str, str] = field(default_factory=dict)
    """The fingerprint of the English each field was translated from (`sums_for`: FILE.english.json beside
    the file, written by `scripts/translation_todo.py LANG --accept`), by `where(section, key, path)`."""


def sums_for(path: Path) -> Path:
    """Where a translation file keeps the fingerprints of the English it translates: zh.toml -> zh.english.json."""
    return path.with_suffix(".english.json")


def where(section: str, key: str | None, path: str) -> str:
    """A translated field's name in the fingerprints: "section|key|path" ("" for a section of one record)."""
    return f"{section}|{key or ''}|{path}"


def fingerprint(english: Any) -> str:
    """A short digest of a field's English (a text or a list of texts): it changes when the English does."""
    import hashlib
    import json

    return hashlib.blake2b(json.dumps(english, ensure_ascii=False).encode(), digest_size=6).hexdigest()


def is_stale(table: Table | None, section: str, key: str | None, path: str, english_value: Any) -> bool:
    """Whether a table's translation of a field was made from other English than the data now has (a field
    with no fingerprint is taken as current)."""
    if table is None:
        return False
    known = table.sums.get(where(section, key, path))
    return known is not None and known != fingerprint(english_value)


def read(path: Path, *, sections: Sections, parse: Callable[[Path], dict[str, Any]]) -> tuple[Table, list[Problem]]:
    """A translation file as a Table, and the problems of its shape (unknown sections and fields, values
    that are not text). `parse`: the loader's TOML reader (a DataError names the file, line and column).
    A missing file is an empty table."""
    from tripplan.textsafe import refused

    texts: dict[str, dict[str | None, dict[str, Any]]] = {}
    if not path.exists():
        return Table(path=path, texts=texts), []
    from tripplan.errors import DataError

    try:
        doc = parse(path)
    except DataError as e:
        return Table(path=path, texts=texts), e.problems
    problems = []
    where = str(path)
    labels: dict[str, dict[str, str]] = {}
    for section, body in doc.items():
        if section == "labels":
            labels, found = _read_labels(where, body)
            problems += found
            continue
        if section not in TRANSLATED:
            problems.append(
                Problem(
                    where,
                    _("is not a section with translated text; expected one of: {sections}").format(
                        sections=", ".join([*TRANSLATED, "labels"])
                    ),
                    record=f"[{section}]",
                )
            )
            continue
        single = sections[section].key is None
        by_key = {None: body} if single else body
        for key, tree in by_key.items():
            record = f"[{section}]" if key is None else f"{section} '{key}'"
            if not isinstance(tree, dict):
                problems.append(Problem(where, _("must be a table of translated fields"), record=record))
                continue
            kept: dict[str, Any] = {}
            for p, value in _flat(tree):
                if not _declared(section, p):
                    problems.append(
                        Problem(
                            where,
                            _("is not a translated field; translated fields: {fields}").format(
                                fields=", ".join(TRANSLATED[section].paths)
                            ),
                            record=record,
                            field=p,
                        )
                    )
                    continue
                texts_in = value if isinstance(value, list) else [value]
                if not texts_in or not all(isinstance(t, str) and t.strip() for t in texts_in):
                    problems.append(Problem(where, _("must be text (or a list of texts)"), record=record, field=p))
                    continue
                reason = next((r for t in texts_in if (r := refused(t))), None)
                if reason:
                    problems.append(Problem(where, reason, record=record, field=p))
                    continue
                kept[p] = value
            texts.setdefault(section, {})[key] = kept
    sums, found = _read_sums(path)
    return Table(path=path, texts=texts, labels=labels, sums=sums), problems + found


def _read_sums(path: Path) -> tuple[dict[str, str], list[Problem]]:
    import json

    file = sums_for(path)
    if not file.exists():
        return {}, []
    try:
        sums = json.loads(file.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        return {}, [Problem(str(file), _("cannot be read: {reason}").format(reason=e))]
    if not isinstance(sums, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in sums.items()):
        return {}, [Problem(str(file), _("must be a JSON object of texts"))]
    return sums, []


def _read_labels(where: str, body: Any) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    from tripplan.textsafe import refused

    labels: dict[str, dict[str, str]] = {}
    problems = []
    for kind, words in body.items() if isinstance(body, dict) else []:
        record = f"[labels.{kind}]"
        if kind not in LABELS:
            message = _("is not a kind of label; expected one of: {kinds}").format(kinds=", ".join(LABELS))
            problems.append(Problem(where, message, record=record))
            continue
        if not isinstance(words, dict):
            problems.append(Problem(where, _("must be a table of translated fields"), record=record))
            continue
        for word, text in words.items():
            if not isinstance(text, str) or not text.strip():
                problems.append(Problem(where, _("must be text (or a list of texts)"), record=record, field=word))
            elif reason := refused(text):
                problems.append(Problem(where, reason, record=record, field=word))
            else:
                labels.setdefault(kind, {})[word] = text
    if not isinstance(body, dict):
        problems.append(Problem(where, _("must be a table of translated fields"), record="[labels]"))
    return labels, problems


def label_problems(cat: Catalog, table: Table) -> list[Problem]:
    """Labels of words the catalog does not use (a misspelt word would never be shown)."""
    problems = []
    for kind, words in table.labels.items():
        known = LABELS[kind](cat)
        for word in words:
            if known and word not in known:
                message = _("is not a word the data uses; known: {words}").format(words=", ".join(sorted(known)))
                problems.append(Problem(str(table.path), message, record=f"[labels.{kind}]", field=word))
    return problems


def missing_labels(cat: Catalog, tables: Sequence[Table | None]) -> list[tuple[str, str]]:
    """(kind, word) of every word the catalog uses that no table names."""
    have = {(k, w) for t in tables if t is not None for k, words in t.labels.items() for w in words}
    return sorted((kind, w) for kind, words in LABELS.items() for w in words(cat) if (kind, w) not in have)


def _kept(source: str, text: str) -> list[str]:
    """What of the English `source` a translation `text` dropped or altered: figures (digit runs), [ids]
    and {placeholders}, each of which it must keep."""
    lost = [d for d in dict.fromkeys(_DIGITS.findall(source)) if d not in _DIGITS.findall(text)]
    lost += [i for i in dict.fromkeys(_IDS.findall(source)) if i not in text]
    if set(_PLACEHOLDERS.findall(source)) != set(_PLACEHOLDERS.findall(text)):
        lost += sorted(set(_PLACEHOLDERS.findall(source)) ^ set(_PLACEHOLDERS.findall(text)))
    return lost


def check(
    cat: Catalog, table: Table, *, sections: Sections, skip: dict[str, set[str | None]] | None = None
) -> list[Problem]:
    """A translation file against the catalog: every record it translates exists and has the field, and
    each translation keeps the English's figures, dates, [ids] and {placeholders} (a list: as many items).
    `skip`: records (section -> keys) another folder replaced, whose translations here are not used."""
    problems = label_problems(cat, table)
    where = str(table.path)
    for section, by_key in table.texts.items():
        known = records(cat, section, sections)
        if not known:
            continue  # a section this command did not load (clinics.toml for a command that uses no clinic)
        for key, texts in by_key.items():
            if key in (skip or {}).get(section, set()):
                continue
            label = f"[{section}]" if key is None else f"{section} '{key}'"
            record = known.get(key)
            if record is None:
                problems.append(
                    Problem(where, _("no such record in the data; remove it or check its key"), record=label)
                )
                continue
            for p, text in texts.items():
                try:
                    source = english(record, p)
                except (AttributeError, IndexError, ValueError):
                    source = None
                if not source:
                    problems.append(
                        Problem(where, _("the record has no English text here to translate"), record=label, field=p)
                    )
                    continue
                if isinstance(source, list) != isinstance(text, list) or (
                    isinstance(source, list) and len(source) != len(text)
                ):
                    problems.append(
                        Problem(
                            where,
                            _("must be a list of {n} texts, one for each item of the English").format(
                                n=len(source) if isinstance(source, list) else 1
                            ),
                            record=label,
                            field=p,
                        )
                    )
                    continue
                pairs = zip(source, text, strict=True) if isinstance(source, list) else [(source, text)]
                lost = [x for s, t in pairs for x in _kept(s, t)]
                if lost:
                    problems.append(
                        Problem(
                            where,
                            _(
                                "drops or alters {items} of the English; keep figures, dates, ids and placeholders as they are"
                            ).format(items=", ".join(lost)),
                            record=label,
                            field=p,
                        )
                    )
    return problems


def needed(cat: Catalog, sections: Sections) -> Iterator[tuple[str, str | None, Any, str]]:
    """Every (section, key, record, concrete path) the catalog has English for and a translation must cover."""
    for section, spec in TRANSLATED.items():
        for key, record in records(cat, section, sections).items():
            for declared in spec.paths:
                if spec.applies(record, declared):
                    for p in paths_of(record, declared):
                        yield section, key, record, p


def missing(
    cat: Catalog,
    shipped: Table,
    user: Table | None = None,
    user_keys: dict[str, set[str | None]] | None = None,
    *,
    sections: Sections,
) -> list[tuple[str, str | None, str, bool]]:
    """Each translated field of a record that no table translates, as (section, key, path, the user's own
    record). A record of the user's folder (`user_keys`) counts only the user's table (see apply)."""
    mine = user_keys or {}
    found = []
    for section, key, _record, p in needed(cat, sections):
        theirs = key in mine.get(section, set())
        tables = [user] if theirs else [shipped, user]
        if not any(t is not None and p in t.texts.get(section, {}).get(key, {}) for t in tables):
            found.append((section, key, p, theirs))
    return found


def stale(
    cat: Catalog, table: Table, *, sections: Sections, skip: dict[str, set[str | None]] | None = None
) -> list[Problem]:
    """Each translation whose English has changed since it was translated (shown in English until the
    translation is brought up to date and its fingerprint accepted)."""
    found = []
    for section, key, record, p in needed(cat, sections):
        if key in (skip or {}).get(section, set()) or p not in table.texts.get(section, {}).get(key, {}):
            continue
        if is_stale(table, section, key, p, english(record, p)):
            found.append(
                Problem(
                    str(table.path),
                    _(
                        "the English has changed since this was translated (shown in English until then): update the translation, then run scripts/translation_todo.py --accept"
                    ),
                    record=f"[{section}]" if key is None else f"{section} '{key}'",
                    field=p,
                )
            )
    return found


def accepted(cat: Catalog, table: Table, *, sections: Sections) -> dict[str, str]:
    """The fingerprints of the English of every field the table translates now (what --accept writes)."""
    return {
        where(section, key, p): fingerprint(english(record, p))
        for section, key, record, p in needed(cat, sections)
        if p in table.texts.get(section, {}).get(key, {})
    }


def missing_problem(file: Path, section: str, key: str | None, path: str) -> Problem:
    """A missing translation, named by the file it belongs in, the record and the field."""
    record = f"[{section}]" if key is None else f"[labels.{key}]" if section == "labels" else f"{section} '{key}'"
    return Problem(str(file), _("has no translation; shown in English"), record=record, field=path)


def apply(
    cat: Catalog,
    lang: str,
    *,
    shipped: Table | None,
    user: Table | None = None,
    user_keys: dict[str, set[str | None]] | None = None,
    sections: Sections,
) -> Catalog:
    """The catalog in `lang`: each translated field replaced where a table translates it, and country names
    from CLDR. A record of the user's folder (`user_keys`: section -> keys) takes its translations from the
    user's table only (a record replaced there is never shown in the shipped record's words); any other
    from the shipped table, the user's over it. A translation made from other English than the record now
    has (its fingerprint, `is_stale`) is not used. A field no table translates keeps its English; the
    user's records left so are named in `Catalog.untranslated`."""
    user_keys = user_keys or {}
    as_given = cat
    empty: dict[str | None, dict[str, Any]] = {}
    untranslated: dict[str, None] = {}
    for section, spec in TRANSLATED.items():
        known = records(cat, section, sections)
        if not known:
            continue
        ours = (shipped.texts if shipped else {}).get(section, empty)
        theirs = (user.texts if user else {}).get(section, empty)
        mine = user_keys.get(section, set())
        new = {}
        for key, record in known.items():
            order = [(user, theirs)] if key in mine else [(user, theirs), (shipped, ours)]
            for declared in spec.paths:
                if not spec.applies(record, declared):
                    continue
                for p in paths_of(record, declared):
                    source = english(record, p)
                    text = next(
                        (
                            by_key[key][p]
                            for table, by_key in order
                            if p in by_key.get(key, {}) and not is_stale(table, section, key, p, source)
                        ),
                        None,
                    )
                    if text is None or isinstance(text, list) != isinstance(source, list):
                        if key in mine:
                            untranslated[f"[{section}]" if key is None else f"{section} '{key}'"] = None
                        continue
                    if isinstance(text, list) and len(text) != len(source):
                        continue
                    record = _with(record, p, text)
            new[key] = record
        cat = _put(cat, section, new, sections)
    names = cat.names_by_lang.get("country", {}).get(lang, {})
    countries = {code: replace(c, name=names.get(code, c.name)) for code, c in cat.countries.items()}
    labels: dict[str, dict[str, str]] = {}
    for t in (shipped, user):
        for kind, words in (t.labels if t else {}).items():
            labels.setdefault(kind, {}).update(words)
    return replace(
        cat, countries=countries, lang=lang, untranslated=tuple(untranslated), labels=labels, english=as_given
    )
