"""Keep tripplan's gettext catalogs current, with Babel (build time only; tripplan reads the `.mo` files with
the standard library's gettext at run time).

    python scripts/build_catalog.py          # extract the messages, update each language's .po, compile its .mo
    python scripts/build_catalog.py --check  # exit 1 when a catalog lags the code or a message is untranslated
    python scripts/build_catalog.py --init LANG  # start a new language's catalog (then translate it and run again)

Messages are extracted from the package's Python modules (`_()`, `N_()`, `ngettext()`) and from the plan
page's Jinja2 template (`_()`, `gettext()`, `ngettext()`). The template (`locale/tripplan.pot`) and each
`locale/<lang>/LC_MESSAGES/tripplan.po` are written without source locations, so a catalog changes only when
a message does. A message with an empty or fuzzy translation is a failure of `--check`, named with its text.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "tripplan"
LOCALE = PACKAGE / "locale"
DOMAIN = "tripplan"
FIXED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # header dates: fixed, so a catalog changes only with its messages
METHODS = [
    ("**/render/plan_template.py", "ignore"),  # generated from the template, which is extracted itself
    ("**.py", "python"),
    ("**/templates/**.j2", "jinja2.ext:babel_extract"),
]
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def _header(catalog: Catalog) -> Catalog:
    catalog.project, catalog.version = "tripplan", "1"
    catalog.copyright_holder, catalog.msgid_bugs_address = "tripplan", ""
    catalog.creation_date = catalog.revision_date = FIXED
    catalog.last_translator = catalog.language_team = "tripplan"
    return catalog


def template() -> Catalog:
    """Every message the code and the template mark, in order of first appearance."""
    cat = _header(Catalog(fuzzy=False))
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE, METHODS, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
    ):
        cat.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return cat


def _po_text(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, no_location=True, ignore_obsolete=True, include_previous=False)
    return buf.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def languages() -> list[str]:
    return sorted(p.parent.parent.name for p in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def updated(lang: str, pot: Catalog) -> Catalog:
    """The language's catalog brought up to the template: new messages untranslated, gone ones dropped."""
    with (LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as f:
        po = read_po(f, locale=lang)
    po.update(pot, no_fuzzy_matching=True)
    po.obsolete.clear()
    return _header(po)


def untranslated(po: Catalog) -> list[str]:
    """The messages of `po` with no (or a fuzzy) translation."""
    missing = []
    for m in po:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple | list) else (m.string,)
        if m.fuzzy or not all(strings):
            missing.append(m.id if isinstance(m.id, str) else m.id[0])
    return missing


def main() -> int:
    args = sys.argv[1:]
    if "--init" in args:
        lang = args[args.index("--init") + 1]
        po_path = LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        po_path.parent.mkdir(parents=True, exist_ok=True)
        po_path.write_bytes(_po_text(_header(Catalog(locale=lang, fuzzy=False))))
    check = "--check" in args
    pot = template()
    files: dict[Path, bytes] = {LOCALE / f"{DOMAIN}.pot": _po_text(pot)}
    problems: list[str] = []
    for lang in languages():
        po = updated(lang, pot)
        folder = LOCALE / lang / "LC_MESSAGES"
        files[folder / f"{DOMAIN}.po"] = _po_text(po)
        files[folder / f"{DOMAIN}.mo"] = _mo_bytes(po)
        problems += [f"{lang}: no translation: {msg!r}" for msg in untranslated(po)]
    if check:
        stale = [p for p, data in files.items() if not p.is_file() or p.read_bytes() != data]
        problems += [
            f"{p.relative_to(PACKAGE.parent.parent)} is not current: run python scripts/build_catalog.py" for p in stale
        ]
        for line in problems:
            print(line, file=sys.stderr)
        return 1 if problems else 0
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path.relative_to(PACKAGE.parent.parent)}")
    for line in problems:
        print(line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
