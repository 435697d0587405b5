"""Consoles, JSON output and the sources footer shared by every command's rendering."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape

from tripplan.catalog import Catalog


def out() -> Console:
    """stdout: colour only on a terminal (Rich drops it when piped or with NO_COLOR)."""
    return Console(highlight=False, soft_wrap=False)


def err() -> Console:
    return Console(stderr=True, highlight=False)


def emit_json(value: BaseModel | list[Any] | dict[str, Any]) -> None:
    """Exactly one JSON document on stdout, nothing else."""
    data = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def source_label(cat: Catalog, sid: str) -> str:
    s = cat.sources.get(sid)
    if s is None:
        return sid
    when = s.date.isoformat() if s.date else "undated"
    return f"{s.title} ({s.publisher}, {when})"


def sources_footer(console: Console, cat: Catalog, ids: list[str], today: dt.date) -> None:
    console.print("\n[bold]Sources[/bold]")
    for sid in ids:
        s = cat.sources.get(sid)
        tag = "assumption" if s is not None and s.kind == "assumption" else (s.kind if s else "")
        console.print(escape(f"  [{sid}] {source_label(cat, sid)}" + (f" — {tag}" if tag else "")))
    console.print(
        f"[dim]Figures as of the sources above; computed on {today}. Check prices with the clinic before booking.[/dim]"
    )
