"""The small results some commands print with --json (data check, data path, clinics add and remove).

Each field's docstring is its entry in the --json reference (docs/json.md, generated)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True, kw_only=True)
class DataCheck:
    """What `tripplan data check` found."""

    checked: str
    """What was checked: "the shipped data and FOLDER", or the file or folder given."""
    ok: bool
    """true when no problem was found (the exit code is then 0, else 1)."""
    problems: list[str]
    """Every problem, each naming the file, the record, the field and what to do."""
    untranslated: list[str] = field(default_factory=list)
    """Fields of your own records with no translation in your data folder's i18n/<lang>.toml, each naming the
    file, the record and the field: shown in English in that language (not a problem)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DataPath:
    """Where tripplan reads data from."""

    user_data_dir: str
    """Your data folder: clinics.toml and any data file that adds to or replaces shipped records."""
    shipped_data_dir: str
    """The folder of the data shipped with tripplan (read-only)."""
    exists: bool
    """Whether your data folder exists yet."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ClinicsAdded:
    """What `tripplan clinics add` wrote."""

    added: list[str]
    """The ids of the clinics added."""
    file: str
    """The clinics.toml written (in your data folder)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ClinicRemoved:
    """What `tripplan clinics remove` wrote."""

    removed: str
    """The id of the clinic removed."""
    file: str
    """The clinics.toml rewritten."""
    backup: str
    """The previous version of that file, kept beside it."""
