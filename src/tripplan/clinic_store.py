"""The user's clinics.toml: read, add, remove. Written atomically under a lock, user-only,
with the previous version kept as clinics.toml.bak. A file that does not validate is never replaced.

A big file (100,000 clinics, 30 MB) is edited as text: the records are read from the catalog cache when
these very bytes were validated before, a new clinic is appended, and a removed one is cut out between its
`[[clinics]]` header and the next, so every comment and the layout stay as written at a cost linear in
the file's size. A file whose layout does not allow that (clinics written as an inline array, or a
header-like line inside a multi-line string) is rewritten through tomlkit as before, which keeps comments
too but needs much more time and memory."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tripplan import files
from tripplan.catalog import Catalog
from tripplan.errors import DataError, UsageError, WriteError
from tripplan.files import write_atomic
from tripplan.i18n import _
from tripplan.models import Clinic
from tripplan.plain import to_plain

FILE = "clinics.toml"
HEADER = (
    "# Your clinics, kept by `tripplan clinics add/remove`. You may edit this file by hand: your comments\n"
    "# and layout are kept when tripplan adds or removes a clinic. The previous version is in clinics.toml.bak.\n"
)


def _lock(folder: Path) -> Any:
    """The folder's lock (waits up to 30 s for another tripplan). A folder where the lock file cannot be
    made at all (read-only, /proc, no permission) fails at once with the system's reason, rather than
    after the wait."""
    from filelock import FileLock

    path = folder / (FILE + ".lock")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as e:
        raise WriteError(
            _("cannot lock the data folder {folder}: {reason}; nothing was changed").format(
                folder=folder, reason=files.reason(e)
            )
        ) from None
    os.close(fd)
    return FileLock(str(path), timeout=30, mode=0o600)


def _read(path: Path) -> tuple[Mapping[str, Clinic], bytes | None]:
    """The file's clinics by id, validated (from the catalog cache when these bytes were validated before:
    then each record is made only when asked for), and its bytes (None when there is no file yet)."""
    from tripplan.files import ReadError, read_regular
    from tripplan.loader import _parsed, cache_store

    for p in (path, path.with_name(path.name + ".bak")):
        if p.is_symlink():
            raise WriteError(
                _("{path} is a symbolic link; tripplan does not write through links (replace it with a file)").format(
                    path=p
                )
            )
    if not path.exists():
        return {}, None
    try:
        data = read_regular(path)
    except ReadError as e:
        raise WriteError(str(e)) from None
    parsed, problems = _parsed(path, FILE, data, cache_store(), None)
    if problems:
        raise DataError(problems)  # never write over a file that could not be read
    clinics = parsed.get("clinics", [])
    return (clinics if isinstance(clinics, Mapping) else {c.id: c for c in clinics}), data


# a `[[clinics]]` header line, in any of the spellings TOML allows for this key
_HEAD = re.compile(r"""^[ \t]*\[\[[ \t]*(?:clinics|"clinics"|'clinics')[ \t]*\]\][ \t]*(?:#[^\r\n]*)?\r?$""", re.M)
_FIRST = re.compile(r"^[ \t]*([^\s#])", re.M)  # the first character of the first line that is not a comment


def _as_toml(clinics: Sequence[Clinic]) -> str:
    """New clinics as `[[clinics]]` tables, laid out as tomlkit lays out a record (only these are built)."""
    import tomlkit

    doc = tomlkit.document()
    table = tomlkit.aot()
    for c in clinics:
        table.append(tomlkit.item(to_plain(c, exclude_defaults=True)))
    doc.append("clinics", table)
    return "\n" + tomlkit.dumps(doc)


def _text_edit(
    text: str, current: Mapping[str, Clinic], *, add: Sequence[Clinic], remove: str | None
) -> tuple[str, list[Clinic]] | None:
    """The file's text with clinics appended or one cut out, and the appended clinics as that text holds
    them; None when its layout is not the plain one: the k-th `[[clinics]]` header must be the k-th record
    (as many headers as records) and no key may precede the first header (clinics written as an inline
    array cannot be appended to). The cut-out text must parse as that one clinic; appended clinics are
    read back from their text. A removed clinic takes with it the comment lines written just above its
    header (no blank line between: they are about it) and the blank lines above them; comments set apart
    by a blank line, and those before the next header, stay."""
    import tomli  # the reader of every data file (loader.read_toml): TOML 1.0

    from tripplan.frozen import validate

    heads = [m.start() for m in _HEAD.finditer(text)]
    first = _FIRST.search(text)
    if len(heads) != len(current) or (first is not None and first.group(1) != "["):
        return None
    if remove is not None:
        index = list(current).index(remove)
        start = heads[index]
        end = heads[index + 1] if index + 1 < len(heads) else len(text)
        lines = text[start:end].splitlines(keepends=True)
        while len(lines) > 1 and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
            lines.pop()  # comments and blank lines before the next header stay (they are about what follows)
        cut = start + sum(map(len, lines))
        try:
            chunk = tomli.loads(text[start:cut])
        except tomli.TOMLDecodeError:
            return None
        if [r.get("id") for r in chunk.get("clinics", [])] != [remove] or len(chunk) != 1:
            return None
        text = text[: _comments_above(text, start)] + text[cut:]
    added: list[Clinic] = []
    if add:
        appended = _as_toml(add)
        text = (text if not text or text.endswith("\n") else text + "\n") + appended
        added = validate(list[Clinic], tomli.loads(appended)["clinics"])
    return text, added


def _comments_above(text: str, start: int) -> int:
    """Where the text that goes with a clinic whose header is at `start` begins: the comment lines written
    just above the header (a blank line, a key or the start of the file ends them), and the blank lines
    above those (the clinic's separation from what precedes it; the blank lines after it stay)."""
    for about in (lambda line: line.lstrip().startswith("#"), lambda line: not line.strip()):
        while start > 0:
            begin = text.rfind("\n", 0, start - 1) + 1
            if not about(text[begin:start]):
                break
            start = begin
    return start


def _edit(
    data: bytes | None, current: Mapping[str, Clinic], *, add: Sequence[Clinic] = (), remove: str | None = None
) -> tuple[bytes, list[Clinic] | None]:
    """The user's file with clinics added or one removed, everything else as they wrote it, and the
    added clinics as it holds them when that is known without parsing it (the text edit; None after a
    rewrite through tomlkit). `data` and `current`: the file's bytes and clinics, as _read validated them."""
    text = data.decode("utf-8") if data is not None else HEADER
    edited = _text_edit(text, current, add=add, remove=remove)
    if edited is not None:
        return edited[0].encode("utf-8"), edited[1]
    import tomlkit

    doc = tomlkit.parse(text)
    if "clinics" not in doc:
        doc.append("clinics", tomlkit.aot())
    table = doc["clinics"]
    if remove is not None:
        for i, record in enumerate(list(table)):
            if record.get("id") == remove:
                _rehome_comments(table, i)
                del table[i]
                break
    for c in add:
        record = to_plain(c, exclude_defaults=True)
        table.append(_inline(record) if isinstance(table, tomlkit.items.Array) else tomlkit.item(record))
    out = tomlkit.dumps(doc).encode("utf-8")
    _same_ids(out, [i for i in current if i != remove] + [c.id for c in add])
    return out, None


def _rehome_comments(table: Any, index: int) -> None:
    """Before the `index`-th of an array of tables is deleted through tomlkit: tomlkit keeps the comment
    lines above a `[[clinics]]` header at the end of the table before it, so the comments just above the
    removed clinic (and the blank lines above them) are cut from the table before, and the comments at
    the end of the removed one (those above the next clinic) are moved there, as the text edit does.
    Not for the first clinic of the file (its comments are in the document's own body): left as they are."""
    from tomlkit.items import AoT, Comment, Table, Whitespace

    if not isinstance(table, AoT) or index == 0 or not all(isinstance(t, Table) for t in table):
        return

    def trailing(body: list[tuple[Any, Any]], kinds: tuple[type[Any], ...]) -> int:
        at = len(body)
        while at > 0 and body[at - 1][0] is None and isinstance(body[at - 1][1], kinds):
            at -= 1
        return at

    def last(record: Any) -> list[tuple[Any, Any]]:
        """The body the lines after a record's text belong to: its last sub-table's ([[clinics.quotes]])."""
        body: list[tuple[Any, Any]] = record.value.body
        end = body[-1][1] if body else None
        if isinstance(end, AoT) and len(end) and isinstance(end[-1], Table):
            return last(end[-1])
        return last(end) if isinstance(end, Table) else body

    before, gone = last(table[index - 1]), last(table[index])
    moved = gone[trailing(gone, (Comment, Whitespace)) :]
    del before[trailing(before, (Comment,)) :]  # the comments just above the removed header
    del before[trailing(before, (Whitespace,)) :]  # and the blank lines above them
    before.extend(moved)


def _inline(value: Any) -> Any:
    """A record as an inline table (its lists of records too): what an inline `clinics = [...]` holds."""
    import tomlkit

    if isinstance(value, dict):
        table = tomlkit.inline_table()
        table.update({k: _inline(v) for k, v in value.items()})
        return table
    if isinstance(value, list):
        return [_inline(v) for v in value]
    return value


def _same_ids(data: bytes, ids: list[str]) -> None:
    """The rewritten file parses and holds exactly these clinics, or nothing is written (a WriteError)."""
    import tomli

    try:
        found = [r.get("id") for r in tomli.loads(data.decode("utf-8")).get("clinics", [])]
    except (tomli.TOMLDecodeError, AttributeError):
        found = None
    if found != ids:
        raise WriteError(
            _("cannot rewrite {file} in its layout; nothing was changed (write the clinic by hand)").format(file=FILE)
        )


def _write(
    path: Path,
    old: bytes | None,
    new: tuple[bytes, list[Clinic] | None],
    current: Mapping[str, Clinic],
    cat: Catalog,
    *,
    removed: str | None = None,
) -> Path:
    """Write the new file (the old one kept as .bak) and, when its clinics are known (the text edit: the
    `current` ones less `removed`, then the added ones), keep them in the catalog cache under the new
    bytes' key, so the next command does not validate every clinic again: the old entry with the added
    records appended and `removed` left out when it can, else every clinic encoded anew; and the new set of
    files is remembered as checked across files when the old one was (loader.checked_after_edit)."""
    from tripplan import cache
    from tripplan.loader import by_line, cache_kind, cache_store, checked_after_edit

    data, added = new
    written = write_atomic(path, data, force=True, backup=True)
    store = cache_store()
    if added is None or store is None:
        return written
    key, kind = cache.file_key(FILE, data), cache_kind(path)
    with contextlib.suppress(OSError):
        fresh = {c.id: c for c in added}
        if old is None or not store.write_edited(kind, cache.file_key(FILE, old), key, "clinics", fresh, removed):
            clinics = [c for i, c in current.items() if i != removed] + added
            store.write(kind, key, {"clinics": clinics}, by_line(FILE))
        checked_after_edit(path, old, data, added, cat)
    return written


def _ensure_folder(folder: Path) -> None:
    from tripplan.files import ensure_private_folder

    try:
        ensure_private_folder(folder)
    except OSError as e:
        raise WriteError(
            _("cannot create the data folder {folder}: {reason}").format(folder=folder, reason=files.reason(e))
        ) from None
    if not os.access(folder, os.W_OK):
        raise WriteError(_("cannot write in the data folder {folder}: permission denied").format(folder=folder))


def _remove_stale_temps(folder: Path) -> None:
    """Temporary files a kill -9 left behind (no handler can run then); called under the lock."""
    for stale in folder.glob(f".{FILE}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def add_clinics(folder: Path, cat: Catalog, new: list[Clinic]) -> Path:
    """Add clinics to the user's file; ids must be new; every problem stops the write."""
    for c in new:
        if c.country not in cat.countries:
            raise UsageError(
                _("clinic {id}: unknown country '{code}'; tripplan knows: {codes}").format(
                    id=c.id, code=c.country, codes=", ".join(cat.countries)
                )
            )
        for q in c.quotes:
            if not cat.has_rate(q.currency):
                raise UsageError(
                    _("clinic {id}: no exchange rate for '{code}'; use USD or one of: {codes}").format(
                        id=c.id, code=q.currency, codes=", ".join(r.currency for r in cat.book.rates)
                    )
                )
        if not c.quotes and not c.price_refs:
            raise UsageError(
                _("clinic {id}: give at least one quoted price (--treatment, --joints, --price)").format(id=c.id)
            )
    ids = [c.id for c in new]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise UsageError(_("clinic id given twice: {ids}").format(ids=", ".join(dupes)))
    _ensure_folder(folder)
    path = folder / FILE
    with _lock(folder):
        _remove_stale_temps(folder)
        current, data = _read(path)
        clash = sorted(i for i in set(ids) if i in current or i in cat.clinics)
        if clash:
            raise UsageError(
                _("a clinic with id {ids} already exists; choose another id or remove it first").format(
                    ids=", ".join(clash)
                )
            )
        return _write(path, data, _edit(data, current, add=new), current, cat)


def remove_clinic(folder: Path, cat: Catalog, clinic_id: str) -> Path:
    path = folder / FILE
    with _lock(folder) if folder.is_dir() else contextlib.nullcontext():
        current, data = _read(path)
        if clinic_id not in current:
            if clinic_id in cat.clinics:
                raise UsageError(
                    _("{id} is a shipped profile, not one of your clinics; it cannot be removed").format(id=clinic_id)
                )
            if not current:
                raise UsageError(_("unknown clinic '{id}'. Your clinics: none").format(id=clinic_id))
            mine = ", ".join(current)
            raise UsageError(_("unknown clinic '{id}'. Your clinics: {ids}").format(id=clinic_id, ids=mine))
        return _write(path, data, _edit(data, current, remove=clinic_id), current, cat, removed=clinic_id)
