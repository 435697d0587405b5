"""Consoles, JSON output and the sources footer shared by every command's rendering."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import re
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from tripplan import DISCLAIMER
from tripplan.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.measure import Measurement
    from rich.text import Text

    from tripplan.catalog import Catalog
    from tripplan.prices import PriceLine
    from tripplan.sources import Cited

MAX_ROWS = 12  # source rows listed per destination; --json lists every one


def out() -> Console:
    """stdout: colour only on a terminal (Rich drops it when piped or with NO_COLOR). Rich is imported
    here, when something is printed, so `--json` never loads it. Every text shows hidden characters as
    escapes (render/console.py)."""
    from tripplan.render.console import SafeConsole

    return SafeConsole(highlight=False, soft_wrap=False)


# What must never be broken across lines: a figure of money (a range's " – " holds its two ends together), a
# date, an id in brackets (with the count of its item's further sources: "[ld-2025-08-29 +3]") or a bare
# source/clinic id (letters, digits and dashes, with at least one dash).
WHOLE = re.compile(  # a date first: the money alternative would otherwise take its year alone
    r"\d{4}-\d{2}-\d{2}"
    r"|(?:[A-Z]{0,3}[$¥€£₩฿₱₹]|[A-Z]{3} )?\d[\d,]*(?:\.\d+)?\+?(?: [–-] (?:[A-Z]{0,3}[$¥€£₩฿₱₹])?\d[\d,]*(?:\.\d+)?\+?)?"
    r"|\[[^\]\s]+(?: \+\d+)?\]|\b[a-z0-9]+(?:-[a-z0-9]+)+\b"
)


# TRANSLATORS: the units a number is written before ("4 days", "48 hours"), separated by spaces: a line never
# breaks between a number and one of them. Give the language's own words (Chinese: measure words as well).
UNITS = N_("days day nights night weeks week months month years year hours hour h minutes minute min trips trip")


def units_pattern() -> re.Pattern[str]:
    """A number (or a range of numbers) and the unit or word after it, so a layout keeps them on one line: the
    units read from the catalog in the current language (UNITS: "4 天", "3 个月") and in English (titles and
    data text left in English), and, by one general rule, any word in Latin letters right after a figure: its
    unit ("800 km/h", "45 min"), currency code ("3,000–6,000 JPY"), what it counts ("1 traveller") or the
    rate it is ("7.20 per USD": a "per" takes the word after it too)."""
    return _units_pattern(f"{_(UNITS)} {UNITS}")


@functools.cache
def _units_pattern(units: str) -> re.Pattern[str]:
    words = sorted(set(units.split()), key=len, reverse=True)  # the longest first: 个月 before 个
    alternatives = "|".join(re.escape(w) + (r"(?![^\W\d_])" if w[-1].isascii() else "") for w in words)
    latin = r"(?:per )?[A-Za-z][A-Za-z/]*(?![^\W\d_])"  # a word, code or unit in Latin letters ("km/h", "USD")
    number = r"\d[\d,]*(?:\.\d+)?(?:–\d[\d,]*(?:\.\d+)?)?"
    return re.compile(rf"(?<![\w.,:/-]){number} (?:{alternatives}|{latin})")


def _whole_spans(text: str) -> list[tuple[int, int]]:
    """Where the money figures, dates and ids of `text` are (WHOLE), the amounts written in words in the
    current language (money.words_pattern: "人民币52,551元") and each number with its unit (units_pattern:
    "4 天"), as (start, end) offsets."""
    from tripplan.money import words_pattern

    found = [(m.start(), m.end(), m.group()) for m in WHOLE.finditer(text)]
    found += [(m.start(), m.end(), m.group()) for m in words_pattern().finditer(text)]
    found += [(m.start(), m.end(), m.group()) for m in units_pattern().finditer(text)]
    return [(a, b) for a, b, g in found if " " in g or len(g) > 3]


def unbreakable(text: str) -> list[str]:
    """The money figures, dates and ids in `text` that a layout must keep on one line (amounts written in
    words in the current language too)."""
    return [text[a:b] for a, b in sorted(_whole_spans(text))]


def _cells_text(renderable: object) -> str:
    """The text of a table's cells (markup removed), for the strings that must stay whole."""
    from rich.table import Table
    from rich.text import Text

    if not isinstance(renderable, Table):
        return ""
    out = []
    for column in renderable.columns:
        for value in column.cells:
            if isinstance(value, Prose):
                out.append(value.text.plain)
            else:
                out.append(value.plain if isinstance(value, Text) else Text.from_markup(str(value)).plain)
    return "\n".join(out)


def print_if_fits(console: Console, renderable: RenderableType, whole: Iterable[str] = ()) -> bool:
    """Print the renderable if it reads whole at the console's width: no cell cut short ("…") and every
    string in `whole`, and every money figure, date and id of a table's cells, on one line, unbroken.
    Otherwise print nothing and return False: below that width, callers change layout. Rendered once, for
    the check and the output alike."""
    from rich.cells import cell_len
    from rich.text import Text

    whole = [*whole, *unbreakable(_cells_text(renderable))]

    with console.capture() as capture:
        console.print(renderable, crop=False)  # a table wider than the console shows as a line too long
    rendered = capture.get()
    text = Text.from_ansi(rendered).plain if "\x1b" in rendered else rendered
    lines = text.splitlines()
    if "…" in text or any(cell_len(line) > console.width for line in lines):
        return False
    if not all(any(w in line for line in lines) for w in dict.fromkeys(whole)):
        return False
    console.file.write(rendered)
    console.file.flush()
    return True


def money_parts(text: str) -> list[str]:
    """The figures of a formatted amount or range ("$5,000 – $11,000" -> "$5,000", "$11,000")."""
    return [p for p in text.split(" – ") if p]


def err() -> Console:
    from tripplan.render.console import SafeConsole

    return SafeConsole(stderr=True, highlight=False)


def emit_json(value: Any, *, disclaimer: bool = False) -> None:
    """Exactly one JSON document on stdout, nothing else (a plan or a cost carries the medical disclaimer).
    Hidden characters in text are written as JSON escapes (textsafe.visible_json): same data, nothing raw."""
    from tripplan.plain import to_plain
    from tripplan.textsafe import visible_json

    data = to_plain(value)
    if disclaimer and isinstance(data, dict):
        data = {**data, "disclaimer": _(DISCLAIMER)}
    sys.stdout.write(visible_json(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)) + "\n")


def emit_json_list(items: Iterable[Any]) -> None:
    """One JSON array on stdout written item by item, as `emit_json` would write the whole list (the same
    bytes): a list of 100,000 records streams in bounded memory. Each item is made, written and let go."""
    from tripplan.plain import to_plain
    from tripplan.textsafe import visible_json

    write = sys.stdout.write
    first = True
    for item in items:
        text = json.dumps(to_plain(item), indent=2, ensure_ascii=False, allow_nan=False)
        write(("[\n  " if first else ",\n  ") + visible_json(text).replace("\n", "\n  "))
        first = False
    write("[]\n" if first else "\n]\n")


def source_label(cat: Catalog, sid: str) -> str:
    s = cat.sources.get(sid)
    if s is None:
        return sid
    return f"{s.title} ({s.publisher}, {s.date_text})"


# Characters a line may not start with (closing punctuation) or end with (opening punctuation), after the
# line-breaking rules of Unicode (UAX #14, classes CL, CP, IS, EX, NS and OP) for the characters tripplan writes.
NO_START = frozenset("，。、；：！？）」』》〉】〕”’,.;:!?)]}%")
NO_END = frozenset("（「『《〈【〔“‘([{")


def _breaks_inside(word: str, offset: int, whole: list[tuple[int, int]]) -> list[int]:
    """Where a run of text without spaces may break (offsets into `word`): between two characters when
    either is two columns wide (Chinese, Japanese: no spaces between words), never inside a figure, date or
    id (`whole`, offsets into the text, `offset` being where the word starts), never before closing or after
    opening punctuation."""
    from rich.cells import cell_len

    cuts = []
    for i in range(1, len(word)):
        a, b = word[i - 1], word[i]
        if cell_len(a) < 2 and cell_len(b) < 2:
            continue
        if b in NO_START or a in NO_END:
            continue
        if any(s < offset + i < e for s, e in whole):
            continue
        cuts.append(i)
    return cuts


def _pieces(text: str) -> list[tuple[int, int, bool]]:
    """The pieces a line may break between, as (start, end, spaced): runs between spaces (a figure with
    spaces inside kept as one), cut where Chinese may break (_breaks_inside); `spaced` when a space comes
    before the piece."""
    whole = _whole_spans(text)
    protected = [(a, b) for a, b in whole if " " in text[a:b]]
    words: list[tuple[int, int]] = []
    for found in re.finditer(r"\S+", text):
        start = found.start()
        if words and any(a <= start - 1 < b for a, b in protected):  # a space inside a figure: keep together
            words[-1] = (words[-1][0], found.end())
        else:
            words.append((start, found.end()))
    pieces = []
    for start, end in words:
        cuts = [0, *_breaks_inside(text[start:end], start, whole), end - start]
        pieces += [(start + a, start + b, i == 0) for i, (a, b) in enumerate(itertools.pairwise(cuts))]
    return pieces


def _fill(text: str, width: int, first: int, rest: int) -> list[list[tuple[int, int, bool]]]:
    """The pieces of `text` a line each, greedily: the first line has `first` cells of indent, the others
    `rest`; a piece longer than the line stands alone."""
    from rich.cells import cell_len

    lines: list[list[tuple[int, int, bool]]] = [[]]
    used = first
    for start, end, spaced in _pieces(text):
        size = cell_len(text[start:end])
        gap = 1 if spaced and lines[-1] else 0
        if lines[-1] and used + gap + size > width:
            lines.append([])
            used, gap = rest, 0
        lines[-1].append((start, end, spaced))
        used += gap + size
    return lines


def wrapped(text: str, width: int, *, indent: int = 0, hang: int = 2) -> list[str]:
    """`text` as lines of at most `width` cells: the first indented by `indent`, the rest by `indent + hang`
    (a wrapped line keeps its place under its heading). Lines break between words, and in Chinese between
    characters (widths measured in cells: a Chinese character is two); never inside a figure of money (nor
    between a range's two ends), a date or an id; a single piece longer than the line stands alone, whole."""
    out = []
    for i, line in enumerate(_fill(text, width, indent, indent + hang)):
        words = "".join((" " if spaced and j else "") + text[a:b] for j, (a, b, spaced) in enumerate(line))
        out.append(" " * (indent if i == 0 else indent + hang) + words)
    return out


class Prose:
    """A table cell of text (Rich markup) that wraps as `wrapped` does: between words, and in Chinese between
    characters, never inside a figure, date or id, never before closing punctuation. (Rich itself folds a
    run without spaces at any character.) Its narrowest width is its longest piece."""

    def __init__(self, markup: str) -> None:
        from rich.text import Text

        self.text = Text.from_markup(markup)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.cells import cell_len
        from rich.measure import Measurement

        lines = self.text.plain.split("\n")
        pieces = [cell_len(line[a:b]) for line in lines for a, b, _s in _pieces(line)]
        return Measurement(max(pieces, default=1), max(cell_len(line) for line in lines))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        from rich.text import Text

        out = []
        offset = 0
        for line in self.text.plain.split("\n"):
            for part in _fill(line, options.max_width, 0, 0):
                if part:
                    out.append(self.text[offset + part[0][0] : offset + part[-1][1]])
                elif not line:
                    out.append(Text(""))
            offset += len(line) + 1
        yield Text("\n").join(out)


def cell(markup: str) -> str | Prose:
    """A table cell: Prose where the text has two-column characters (Chinese) or a number and its unit to keep
    together ("longest stay 4 days"), else the markup as it is (so English tables lay out as Rich always has)."""
    from rich.cells import cell_len
    from rich.text import Text

    plain = Text.from_markup(markup).plain
    return Prose(markup) if cell_len(plain) != len(plain) or units_pattern().search(plain) else markup


def table_title(markup: str) -> Text:
    """A table's title (Rich markup) that wraps as `wrapped` does (Rich would break "1 / traveller"): Rich
    renders a title that is not a string as it is, so Prose stands in for its Text."""
    from typing import cast

    return cast("Text", Prose(f"[italic]{markup}[/italic]"))


def say(console: Console, text: str, *, indent: int = 0, hang: int = 2, style: str = "") -> None:
    """Print plain `text` (no markup read) wrapped to the console as `wrapped` does."""
    from rich.text import Text

    for line in wrapped(text, console.width, indent=indent, hang=hang):
        console.print(Text(line, style=style), soft_wrap=True)


def say_markup(console: Console, markup: str, *, indent: int = 0, hang: int = 2) -> None:
    """Print Rich `markup` wrapped to the console as `wrapped` does, its styles kept: a heading with a detail,
    a red ✗ before a line; the wrapped lines indented by `indent + hang`."""
    from rich.text import Text

    text = Text.from_markup(markup)
    plain = text.plain
    for i, line in enumerate(_fill(plain, console.width, indent, indent + hang)):
        shown = Text(" " * (indent if i == 0 else indent + hang))
        for j, (a, b, spaced) in enumerate(line):
            if spaced and j:
                shown.append(" ")
            shown.append_text(text[a:b])
        console.print(shown, soft_wrap=True)


def sources_footer(
    console: Console,
    cat: Catalog,
    ids: Iterable[str | Cited],
    today: dt.date,
    *,
    details: bool = True,
    closing: str | None = None,
) -> None:
    """The sources a result uses, once each: with its title, publisher, date, kind and address; or, in a
    summary, their ids on a few lines (every figure above names its id; --details gives the rest). After the
    full list, `closing` (a page's own last word on its sources), else the figures' date and the advice to
    check prices (SOURCES_AS_OF)."""
    from tripplan.wording import SOURCES_AS_OF, SOURCES_SHORT, source_kind

    unique = list(dict.fromkeys(i if isinstance(i, str) else i.id for i in ids))
    if details:
        console.print("\n[bold]" + _("Sources") + "[/bold]")
        for sid in unique:
            s = cat.sources.get(sid)
            if s is None:  # a library rather than a record of sources.toml (e.g. the holidays package)
                say(console, sid, indent=2, hang=4)
                continue
            say(console, f"[{sid}] {source_label(cat, sid)} — {source_kind(s.kind)}", indent=2, hang=4)
            if s.url:  # its own line; folded only where it is longer than the terminal is wide
                address(console, s.url, indent=4)
        say(console, closing if closing is not None else _(SOURCES_AS_OF).format(today=today), style="dim")
    else:
        say(console, _(SOURCES_SHORT).format(ids=", ".join(unique), today=today))
    disclaimer_footer(console)


def address(console: Console, url: str, *, indent: int) -> None:
    """A web address on its own line, indented; one that does not fit beside its indent goes unindented, and
    one longer than the terminal is still printed whole, never broken nor indented inside (the terminal may
    soft-wrap it; a copied address is the address)."""
    from rich.cells import cell_len
    from rich.text import Text

    if cell_len(url) + indent > console.width:
        indent = 0
    console.print(Text(" " * indent + url), soft_wrap=True)


def disclaimer_footer(console: Console) -> None:
    say(console, _(DISCLAIMER), style="dim", hang=0)


def price_row(line: PriceLine, cat: Catalog | None = None) -> str:
    """One source row as quote and compare both list it: USD range, treatment, what the source printed."""
    from tripplan.money import fmt_span
    from tripplan.wording import source_row_note

    treatment = cat.label("treatment", line.treatment) if cat is not None else line.treatment
    return f"{fmt_span(line.span)}  {treatment}  [{line.source}] {source_row_note(line)}"


def print_price_rows(console: Console, lines: list[PriceLine], *, indent: int = 4, cat: Catalog | None = None) -> None:
    """The source rows (at most MAX_ROWS, then how many more), each as price_row writes it; with `cat`, the
    treatment's name in the current language (Catalog.label)."""
    for line in lines[:MAX_ROWS]:
        say(console, price_row(line, cat), indent=indent, hang=2)
    if len(lines) > MAX_ROWS:
        more = len(lines) - MAX_ROWS
        say(
            console,
            ngettext(
                "and {n} more source row (all of them with --json)",
                "and {n} more source rows (all of them with --json)",
                more,
            ).format(n=more),
            indent=indent,
        )
