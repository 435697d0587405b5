"""The language a person reads: which one it is, and gettext's catalog that speaks it.

Messages in code are written in English and marked for translation with `_()` (or `ngettext()` for a count,
`N_()` for a constant translated where it is shown). Their translations live in gettext catalogs:
`locale/<lang>/LC_MESSAGES/tripplan.po`, compiled to `.mo` and shipped in the wheel, kept current by
`scripts/build_catalog.py` (Babel's extract, update and compile; `--check` fails CI when a message has no
translation or the catalogs lag the code). English is the reference text and needs no catalog.

The language is chosen once per run, before any option is parsed (so `--help` and usage errors speak it too):
`--lang` on the command line, else `TRIPPLAN_LANG`, else the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is
set, when it names an available language (`zh_CN.UTF-8` -> `zh`); else English. An unknown `--lang` or
`TRIPPLAN_LANG` is refused with the available ones; an unknown locale is not a request and falls back to English.

Adding a language needs files only: its catalog here and its data translations (`data/i18n/<lang>.toml`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

DOMAIN = "tripplan"
DEFAULT = "en"
LOCALE_DIR = Path(__file__).parent / "locale"
ENV_VAR = "TRIPPLAN_LANG"
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")  # POSIX order: the first one set decides


class _Catalog(Protocol):
    def gettext(self, message: str, /) -> str: ...
    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


class UnknownLanguageError(ValueError):
    """A language asked for by name (`--lang`, `TRIPPLAN_LANG`) that tripplan has no catalog for."""

    def __init__(self, given: str, where: str) -> None:
        self.given, self.where = given, where
        super().__init__(f"{where}: unknown language {given!r}; available: {', '.join(available())}")


_current = DEFAULT
_catalog: _Catalog | None = None  # None while the language is English: messages are their own translation


def available() -> tuple[str, ...]:
    """The languages tripplan speaks: English, and each language with a compiled catalog, e.g. ("en", "zh")."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return (DEFAULT, *(lang for lang in found if lang != DEFAULT))


def _base(tag: str) -> str:
    """The language of a tag or locale name: 'zh_CN.UTF-8' -> 'zh', 'zh-Hans' -> 'zh', 'EN' -> 'en'."""
    return tag.split(".", 1)[0].split("@", 1)[0].replace("-", "_").split("_", 1)[0].strip().lower()


def option_in(args: Sequence[str]) -> str | None:
    """The value of the last `--lang X` or `--lang=X` in a command line (before a `--`), or None."""
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith("--lang="):
            found = arg.removeprefix("--lang=")
    return found


def choose(*, option: str | None, environ: Mapping[str, str]) -> str:
    """The language to speak, by the rules of this module's docstring.

    Raises UnknownLanguageError for an unknown `--lang` or `TRIPPLAN_LANG` value."""
    langs = available()
    for where, given in (("--lang", option), (ENV_VAR, environ.get(ENV_VAR))):
        if given is not None and given.strip():
            lang = _base(given)
            if lang not in langs:
                raise UnknownLanguageError(given, where)
            return lang
    for var in LOCALE_VARS:
        value = environ.get(var, "")
        if value:
            lang = _base(value)
            return lang if lang in langs else DEFAULT
    return DEFAULT


def use(lang: str) -> None:
    """Speak `lang` from now on (one of available()). English loads no catalog."""
    global _current, _catalog
    if lang == DEFAULT:
        _current, _catalog = DEFAULT, None
        return
    import gettext

    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as f:
        _catalog = gettext.GNUTranslations(f)
    _current = lang


def current() -> str:
    """The language being spoken ("en", "zh", ...)."""
    return _current


def _(message: str) -> str:
    """`message` in the current language (itself in English, or where the catalog has no translation)."""
    return message if _catalog is None else _catalog.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n` in the current language (Chinese has one form)."""
    if _catalog is None:
        return singular if n == 1 else plural
    return _catalog.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for a marker)
    """Mark a constant for translation without translating it now; `_()` it where it is shown."""
    return message
