"""Consoles, JSON output and the sources footer shared by every command's rendering."""

from __future__ import annotations

import datetime as dt
import json
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


def print_if_fits(console: Console, renderable: RenderableType, whole: Iterable[str] = ()) -> bool:
    """Print the renderable if it reads whole at the console's width: no cell cut short ("…") and every
    string in `whole` (money, dates, ids) on one line, unbroken. Otherwise print nothing and return False:
    below that width, callers change layout. Rendered once, for the check and the output alike."""
    from rich.cells import cell_len
    from rich.text import Text

    with console.capture() as capture:
        console.print(renderable, crop=False)  # a table wider than the console shows as a line too long
    rendered = capture.get()
    text = Text.from_ansi(rendered).plain if "\x1b" in rendered else rendered
    lines = text.splitlines()
    if "…" in text or any(cell_len(line) > console.width for line in lines):
        return False
    if not all(any(w in line for line in lines) for w in whole):
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


def source_label(cat: Catalog, sid: str) -> str:
    s = cat.sources.get(sid)
    if s is None:
        return sid
    return f"{s.title} ({s.publisher}, {s.date_text})"


def sources_footer(console: Console, cat: Catalog, ids: Iterable[str | Cited], today: dt.date) -> None:
    """The output's sources, once each: id, title, publisher, date, kind and address."""
    from rich.markup import escape

    console.print("\n[bold]Sources[/bold]")
    for item in dict.fromkeys(i if isinstance(i, str) else i.id for i in ids):
        s = cat.sources.get(item)
        if s is None:  # a library rather than a record of sources.toml (e.g. the holidays package)
            console.print(escape(f"  {item}"))
            continue
        console.print(escape(f"  [{item}] {source_label(cat, item)} — {s.kind}"))
        if s.url:  # its own line; folded only where it is longer than the terminal is wide
            console.print(escape(f"    {s.url}"), overflow="fold")
    console.print(
        f"[dim]Figures as of the sources above; computed on {today}. Check prices with the clinic before booking.[/dim]"
    )
    disclaimer_footer(console)


def disclaimer_footer(console: Console) -> None:
    console.print(f"[dim]{DISCLAIMER}[/dim]")


def price_row(line: PriceLine) -> str:
    """One source row as quote and compare both list it: USD range, treatment, what the source printed."""
    from tripplan.money import Span, fmt_span

    extra = []
    if line.quoted is not None:
        when = f" on {line.quoted_on}" if line.quoted_on else ""
        day = f" of {line.rate_as_of}" if line.rate_as_of else ""
        amount = fmt_span(Span(low=line.quoted.low, high=line.quoted.high), line.quoted.currency)
        extra.append(f"quoted {amount}{when}, at {line.rate:g}/USD{day}")
    if line.count is not None:
        extra.append(f"{line.unit} × {line.count} (the source's typical count)")
    if line.local is not None:
        implied = f"; {line.local.high / line.high:.2f} per USD as printed" if line.high else ""
        extra.append(f"the source prints {line.local.low:,}–{line.local.high:,} {line.local.currency}{implied}")
    shown = "; ".join(extra)

    return f"{fmt_span(line.span)}  {line.treatment}  [{line.source}] {line.note}" + (f" ({shown})" if shown else "")


def print_price_rows(console: Console, lines: list[PriceLine], *, indent: str = "    ") -> None:
    from rich.markup import escape

    for line in lines[:MAX_ROWS]:
        console.print(indent + escape(price_row(line)))
    if len(lines) > MAX_ROWS:
        console.print(f"{indent}and {len(lines) - MAX_ROWS} more source rows (all of them with --json)")
