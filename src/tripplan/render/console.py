"""The Rich console every table and line on a terminal is printed through (see tripplan.textsafe).

Two guards, both through textsafe.visible: each string is made visible before Rich lays it out (so widths
are counted on what is shown), and every segment of text is made visible again as it is written (so text
that reaches Rich another way, such as a Text object, is covered too). Rich's own styles are not text
segments and keep their colours. Emoji codes (":warning:") in data are never replaced."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.segment import Segment
from rich.text import Text

from tripplan.textsafe import visible


class SafeConsole(Console):
    """A rich Console whose output shows hidden characters as escapes (emoji codes off by default)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**{"emoji": False, **options})

    def render_str(self, text: str, **options: Any) -> Text:
        return super().render_str(visible(text), **options)

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            Segment(visible(s.text), s.style, s.control) if not s.control else s for s in buffer
        )
