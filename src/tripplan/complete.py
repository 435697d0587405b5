"""Shell completion of option values (bash, zsh, fish through Click's completion protocol): the words and
codes each option accepts, read from the catalog the command itself would load. Each function takes Typer's
context and the word typed so far and returns (value, help) pairs; zsh and fish show the help (a country's
name beside its code), bash shows the values. Nothing here prints or writes; a catalog that cannot be read
completes nothing rather than failing the shell."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from tripplan.i18n import _

if TYPE_CHECKING:
    from tripplan.catalog import Catalog

Items = list[tuple[str, str]]


def _catalog(ctx: typer.Context, *, clinics: bool = False) -> Catalog | None:
    """The catalog with the user's folder: --data-dir as typed so far, else TRIPPLAN_DATA_DIR / the default."""
    from tripplan.errors import TripplanError
    from tripplan.loader import load_catalog, user_data_dir

    root = ctx.find_root()
    given = root.params.get("data_dir") if root.params else None
    try:
        return load_catalog(user_data_dir(Path(given) if given else None), clinics=clinics)
    except (TripplanError, OSError):
        return None


def _match(pairs: Iterable[tuple[str, str]], incomplete: str, *, prefix: str = "") -> Items:
    """The pairs whose value starts with what was typed, in any case, or else (two letters or more) whose
    help does: "jap" completes to "japan" (Japan, JP), which lookup reads as well as the code. Typed in
    lower case, values are offered in lower case: the shells offer only values that start with exactly
    what was typed, and tripplan reads codes and names in any case."""
    typed = incomplete.lower()

    def cased(value: str) -> str:
        if value.startswith(incomplete):
            return prefix + value
        return prefix + (value.lower() if incomplete == typed else incomplete + value[len(incomplete) :])

    out = [(cased(v), h) for v, h in pairs if v.lower().startswith(typed)]
    if not out and len(typed) >= 2:
        out = [(cased(h), v) for v, h in pairs if h.lower().startswith(typed)]
    return out


def _listed(incomplete: str) -> tuple[str, str, set[str]]:
    """For a comma-separated value: what comes before the last item, the last item, the items already given."""
    head, _, last = incomplete.rpartition(",")
    before = head + "," if head else ""
    return before, last, {p.strip().upper() for p in head.split(",") if p.strip()}


def joints(ctx: typer.Context, incomplete: str) -> Items:
    """The joints, then the words aliases.toml reads as one (meniscus = knee, 跟腱 = ankle …)."""
    from tripplan.models import JOINTS

    cat = _catalog(ctx)
    words = [(j, _("joint")) for j in JOINTS]
    aliases = cat.aliases.get("joint", {}) if cat else {}
    words += [(w, f"= {j}") for w, j in aliases.items() if " " not in w and w not in JOINTS]
    return _match(words, incomplete)


def conditions(ctx: typer.Context, incomplete: str) -> Items:
    from tripplan import lookup

    cat = _catalog(ctx)
    return _match([(c, _("condition")) for c in lookup.conditions(cat)] if cat else [], incomplete)


def treatments(ctx: typer.Context, incomplete: str) -> Items:
    from tripplan import lookup

    cat = _catalog(ctx)
    return _match([(t, _("treatment")) for t in lookup.treatments(cat)] if cat else [], incomplete)


def nationalities(ctx: typer.Context, incomplete: str) -> Items:
    """Passports the visa data set lists (as lookup.resolve_nationality accepts them)."""
    cat = _catalog(ctx)
    if cat is None:
        return []
    codes = sorted(set(cat.visa_matrix.rows) | set(cat.visa_overrides))
    return _match([(c, cat.country_name(c)) for c in codes], incomplete)


def _destination_pairs(cat: Catalog) -> list[tuple[str, str]]:
    return [(c, cat.country_name(c)) for c in cat.countries]


def destination(ctx: typer.Context, incomplete: str) -> Items:
    cat = _catalog(ctx)
    return _match(_destination_pairs(cat), incomplete) if cat else []


def destinations(ctx: typer.Context, incomplete: str) -> Items:
    """A comma-separated list of destinations: completes the last item, leaving out those already given."""
    cat = _catalog(ctx)
    if cat is None:
        return []
    before, last, given = _listed(incomplete)
    pairs = [(c, n) for c, n in _destination_pairs(cat) if c not in given]
    return _match(pairs, last, prefix=before)


def currencies(ctx: typer.Context, incomplete: str) -> Items:
    """Currencies tripplan has a sourced rate for (and USD)."""
    cat = _catalog(ctx)
    if cat is None:
        return []
    return _match(
        [(c, _("exchange rate on file")) for c in sorted(cat.known_currencies()) if cat.has_rate(c)], incomplete
    )


# The commands that act on the user's own clinics only (`clinics remove` refuses a shipped profile): their
# clinic argument completes the user's ids, not the shipped ones.
OWN_CLINICS_ONLY = frozenset({("clinics", "remove")})


def clinics(ctx: typer.Context, incomplete: str) -> Items:
    """The shipped clinic profiles and the user's own, by id; for a command in OWN_CLINICS_ONLY, the user's
    own only (the ones it accepts)."""
    cat = _catalog(ctx, clinics=True)
    if cat is None:
        return []
    parent = ctx.parent.info_name if ctx.parent is not None else None
    own = (parent, ctx.info_name) in OWN_CLINICS_ONLY
    found = (c for c in cat.clinics.values() if not own or c.id in cat.user_clinic_ids)
    return _match([(c.id, f"{c.name}, {c.city}") for c in found], incomplete)


def cells(ctx: typer.Context, incomplete: str) -> Items:
    from tripplan.quote import KINDS
    from tripplan.wording import CELLS

    return _match([(k, CELLS.get(k, k)) for k in KINDS], incomplete)


def languages(ctx: typer.Context, incomplete: str) -> Items:
    """Coordinator languages the clinic profiles record (ISO 639-1), and English."""
    cat = _catalog(ctx, clinics=True)
    found = {"en"} | ({lang for c in cat.clinics.values() for lang in c.languages} if cat else set())
    return _match([(lang, _("language")) for lang in sorted(found)], incomplete)


def langs(ctx: typer.Context, incomplete: str) -> Items:
    """The languages tripplan speaks (--lang): English and each one with a catalog (i18n.available)."""
    from tripplan import i18n

    return _match([(lang, i18n._("language")) for lang in i18n.available()], incomplete)


def airports(ctx: typer.Context, incomplete: str) -> Items:
    cat = _catalog(ctx)
    if cat is None:
        return []
    return _match([(a.iata, f"{a.city}, {a.country}") for a in cat.airports.values()], incomplete)


def sorts(ctx: typer.Context, incomplete: str) -> Items:
    return _match([(s, _("column order")) for s in ("given", "name", "cost", "flight")], incomplete)


Completer = Callable[[typer.Context, str], Items]


def one_line(help_text: str) -> str:
    """A completion's description as the shells show it: one line, whatever its length (every run of white
    space one space; the shell, not tripplan, fits it to the terminal)."""
    return " ".join(help_text.split())


def use_shells() -> None:
    """Register the zsh, fish and PowerShell completion formats that never wrap a description (Typer's own
    render it through Rich at 80 columns, folding a long clinic name onto a second line: a second fish
    candidate, a newline in zsh's list) and with which zsh offers nothing, rather than the folder's files,
    when an option's value has no match. Called as a shell asks for completions (cli_lazy), after Typer has
    registered its own."""
    from typer import _click as click  # Typer's own copy of Click, the one its completion runs on
    from typer import _completion_classes as typer_shells
    from typer._click.shell_completion import (
        CompletionItem,
        ShellComplete,
        _resolve_context,
        _resolve_incomplete,
        add_completion_class,
    )

    def value_option(shell: ShellComplete, args: list[str], incomplete: str) -> bool:
        """Whether the word being completed is the value of an option (or argument) that completes words."""
        try:
            ctx = _resolve_context(shell.cli, shell.ctx_args, shell.prog_name, args)
            param, _incomplete = _resolve_incomplete(ctx, args, incomplete)
        except click.ClickException:
            return False
        return isinstance(param, click.Parameter) and param._custom_shell_complete is not None

    class Zsh(typer_shells.ZshComplete):
        def format_completion(self, item: CompletionItem) -> str:
            def escape(s: str) -> str:  # as Typer's: zsh's _arguments quoting
                return (
                    s.replace('"', '""').replace("'", "''").replace("$", "\\$").replace("`", "\\`").replace(":", r"\\:")
                )

            if item.help:
                return f'"{escape(item.value)}":"{escape(one_line(item.help))}"'
            return f'"{escape(item.value)}"'

        def complete(self) -> str:
            args, incomplete = self.get_completion_args()
            found = [self.format_completion(item) for item in self.get_completions(args, incomplete)]
            if found:
                return "_arguments '*: :((" + "\n".join(found) + "))'"
            return "" if value_option(self, args, incomplete) else "_files"

    class Fish(typer_shells.FishComplete):
        def format_completion(self, item: CompletionItem) -> str:
            return f"{item.value}\t{one_line(item.help)}" if item.help else f"{item.value}"

    class PowerShell(typer_shells.PowerShellComplete):
        def format_completion(self, item: CompletionItem) -> str:
            return f"{item.value}:::{one_line(item.help) if item.help else ' '}"

    typer_shells.completion_init()  # Typer's bash (and the rest, replaced below)
    add_completion_class(Zsh, "zsh")
    add_completion_class(Fish, "fish")
    add_completion_class(PowerShell, "powershell")
    add_completion_class(PowerShell, "pwsh")
