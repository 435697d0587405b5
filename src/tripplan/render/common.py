"""Consoles, JSON output and the sources footer shared by every command's rendering."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from tripplan import DISCLAIMER

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

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
    r"|(?:[A-Z]{0,3}[$¥€£₩฿₱₹]|[A-Z]{3} )?\d[\d,]*(?:\.\d+)?\+?(?: – (?:[A-Z]{0,3}[$¥€£₩฿₱₹])?\d[\d,]*(?:\.\d+)?\+?)?"
    r"|\[[^\]\s]+(?: \+\d+)?\]|\b[a-z0-9]+(?:-[a-z0-9]+)+\b"
)


def unbreakable(text: str) -> list[str]:
    """The money figures, dates and ids in `text` that a layout must keep on one line."""
    return [m.group() for m in WHOLE.finditer(text) if " " in m.group() or len(m.group()) > 3]


def _cells_text(renderable: object) -> str:
    """The text of a table's cells (markup removed), for the strings that must stay whole."""
    from rich.table import Table
    from rich.text import Text

    if not isinstance(renderable, Table):
        return ""
    out = []
    for column in renderable.columns:
        for cell in column.cells:
            out.append(cell.plain if isinstance(cell, Text) else Text.from_markup(str(cell)).plain)
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
        data = {**data, "disclaimer": DISCLAIMER}
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


def wrapped(text: str, width: int, *, indent: int = 0, hang: int = 2) -> list[str]:
    """`text` as lines of at most `width` cells: the first indented by `indent`, the rest by `indent + hang`
    (a wrapped line keeps its place under its heading). Lines break between words only, never inside a
    figure of money (nor between a range's two ends), a date or an id; a single word longer than the line
    stands alone on its line, whole."""
    from rich.cells import cell_len

    protected = [(m.start(), m.end()) for m in WHOLE.finditer(text) if " " in m.group()]
    words: list[str] = []
    pos = 0
    for piece in re.finditer(r"\S+", text):
        start = piece.start()
        if words and any(a <= start - 1 < b for a, b in protected):  # a space inside a figure: keep together
            words[-1] += text[pos : piece.end()]
        else:
            words.append(piece.group())
        pos = piece.end()
    lines: list[str] = []
    line = " " * indent
    first = True
    for word in words:
        room = width - cell_len(line) - (0 if line.strip() == "" else 1)
        if line.strip() and cell_len(word) > room:
            lines.append(line)
            line = " " * (indent + hang)
            first = False
        line += ("" if not line.strip() else " ") + word
    if line.strip() or first:
        lines.append(line)
    return lines


def say(console: Console, text: str, *, indent: int = 0, hang: int = 2, style: str = "") -> None:
    """Print plain `text` (no markup read) wrapped to the console as `wrapped` does."""
    from rich.text import Text

    for line in wrapped(text, console.width, indent=indent, hang=hang):
        console.print(Text(line, style=style), soft_wrap=True)


def sources_footer(
    console: Console, cat: Catalog, ids: Iterable[str | Cited], today: dt.date, *, details: bool = True
) -> None:
    """The sources a result uses, once each: with its title, publisher, date, kind and address; or, in a
    summary, their ids on a few lines (every figure above names its id; --details gives the rest)."""
    from tripplan.wording import SOURCES_AS_OF, SOURCES_SHORT

    unique = list(dict.fromkeys(i if isinstance(i, str) else i.id for i in ids))
    if details:
        console.print("\n[bold]Sources[/bold]")
        for sid in unique:
            s = cat.sources.get(sid)
            if s is None:  # a library rather than a record of sources.toml (e.g. the holidays package)
                say(console, sid, indent=2, hang=4)
                continue
            say(console, f"[{sid}] {source_label(cat, sid)} — {s.kind}", indent=2, hang=4)
            if s.url:  # its own line; folded only where it is longer than the terminal is wide
                address(console, s.url, indent=4)
        say(console, SOURCES_AS_OF.format(today=today), style="dim")
    else:
        say(console, SOURCES_SHORT.format(ids=", ".join(unique), today=today))
    disclaimer_footer(console)


def address(console: Console, url: str, *, indent: int) -> None:
    """A web address on its own line, indented; one that fits the terminal but not beside its indent goes
    unindented, and only one longer than the line is folded at the terminal's width (the only text ever
    broken: an address has no spaces to break at)."""
    from rich.cells import cell_len
    from rich.text import Text

    if cell_len(url) + indent > console.width >= cell_len(url):
        indent = 0
    room = max(console.width - indent, 20)
    piece = ""
    for ch in url:
        if piece and cell_len(piece + ch) > room:
            console.print(Text(" " * indent + piece), soft_wrap=True)
            piece = ""
        piece += ch
    console.print(Text(" " * indent + piece), soft_wrap=True)


def disclaimer_footer(console: Console) -> None:
    say(console, DISCLAIMER, style="dim", hang=0)


def price_row(line: PriceLine) -> str:
    """One source row as quote and compare both list it: USD range, treatment, what the source printed."""
    from tripplan.money import fmt_span
    from tripplan.wording import source_row_note

    return f"{fmt_span(line.span)}  {line.treatment}  [{line.source}] {source_row_note(line)}"


def print_price_rows(console: Console, lines: list[PriceLine], *, indent: int = 4) -> None:
    for line in lines[:MAX_ROWS]:
        say(console, price_row(line), indent=indent, hang=2)
    if len(lines) > MAX_ROWS:
        say(console, f"and {len(lines) - MAX_ROWS} more source rows (all of them with --json)", indent=indent)
