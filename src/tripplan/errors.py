"""The errors tripplan raises. Only cli.py turns them into exit codes (DataError/WriteError 1, UsageError 2)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tripplan.i18n import N_, _

# the kinds of name unknown() refuses, marked for translation (a caller passes one of these)
KINDS = (
    N_("joint"),
    N_("condition"),
    N_("treatment"),
    N_("airport"),
    N_("clinic"),
    N_("currency"),
    N_("processing"),
    N_("kind of cells"),
)


class TripplanError(Exception):
    """Base class: every error a user may see. `exit_code` is read by cli.py only."""

    exit_code = 1


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a data file: where it is, what is wrong and how to fix it."""

    file: str
    message: str
    record: str | None = None
    field: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        parts = [where]
        if self.record is not None:
            parts.append(_("record {record}").format(record=self.record))
        if self.field is not None:
            parts.append(_("field '{field}'").format(field=self.field))
        return ": ".join(parts) + f": {self.message}"


@dataclass
class DataError(TripplanError):
    """Bad data: a TOML file that does not parse or a record that does not validate."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class UsageError(TripplanError):
    """The command line asked for something that does not exist or cannot be. `field` names the input
    (e.g. "inject"); only the CLI turns it into an option name."""

    exit_code = 2

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class WriteError(TripplanError):
    """A file could not be written; the file that was there is untouched."""


def listed(items: Iterable[str]) -> str:
    """Values (codes, names, options) as one list, separated as the current language writes a list."""
    # TRANSLATORS: the separator between the items of a list of values (codes, names, options): "a, b"
    return _(", ").join(items)


def sentences(*said: str) -> str:
    """Whole sentences said one after the other, spaced as the current language spaces sentences."""
    joined = said[0] if said else ""
    for more in said[1:]:
        # TRANSLATORS: two whole sentences of one message, one after the other (no space between them in Chinese)
        joined = _("{sentence} {next_sentence}").format(sentence=joined, next_sentence=more)
    return joined


def unknown(kind: str, value: str, valid: Iterable[str], *, show_all_below: int = 40) -> UsageError:
    """An error for an unknown name: a "did you mean" when one is close, else the valid choices. `kind` is
    one of KINDS (in English; said in the current language), the suggestions are the choices as they are."""
    choices = sorted(set(valid))
    close = difflib.get_close_matches(value.lower(), [c.lower() for c in choices], n=3, cutoff=0.6)
    by_lower = {c.lower(): c for c in choices}
    said = [_("unknown {kind} '{value}'.").format(kind=_(kind), value=value)]
    if close:
        said.append(_("Did you mean: {choices}?").format(choices=listed(by_lower[c] for c in close)))
    if len(choices) <= show_all_below:
        said.append(_("Valid: {choices}.").format(choices=listed(choices)))
    return UsageError(sentences(*said))


def data_dir_hint(path: Path) -> str:
    return _("fix it in {path} or remove the file; run 'tripplan data check {path}' to list every problem").format(
        path=path
    )
