"""The one output boundary: what text from data, files, the environment or the command line may show.

Every text tripplan writes to a terminal goes through `visible` (the Rich consoles, standard error, JSON on
standard output); the HTML page and the calendar file pass their text through it too. It shows as a visible
escape (`\\x1b`, `\\u202e`) every character that can act instead of being seen: control characters (C0, DEL
and C1: terminal escapes, bells, carriage returns), format characters (Unicode category Cf: bidirectional
controls that can display a name reversed, zero-width spaces and joiners, the byte order mark, tags), line
and paragraph separators, and the blank Hangul fillers. A newline and a tab stay as they are.

`refused` is the stricter check data files and saved plans pass: a control character (other than a tab or
a newline) or a bidirectional control in a value or a key is an error, naming where it is. Zero-width
characters are allowed in data (an emoji or a Persian name needs a joiner) and only shown escaped.

Rule sources: Unicode's general categories (UAX #44) and its bidirectional formatting characters
(UAX #9 section 2); Trojan Source (CVE-2021-42574) for the attack on bidirectional controls."""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from typing import Any

# Cc other than \t and \n; Cf (Unicode 15.1); Zl, Zp; fillers that render as nothing (Lo).
_HIDDEN = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
HIDDEN = re.compile(f"[{_HIDDEN}]")
"""Characters shown as escapes in every output."""

BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
REFUSED = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}\u2028\u2029]")
"""Characters a data value, key or saved plan may not hold."""


def _escape(m: re.Match[str]) -> str:
    n = ord(m.group())
    if n < 0x100:
        return f"\\x{n:02x}"
    if n < 0x10000:
        return f"\\u{n:04x}"
    return f"\\U{n:08x}"


def visible(text: str) -> str:
    """`text` with every hidden character (see HIDDEN) written as its escape: str -> str, same text when
    there is none (the common case costs one regular-expression search)."""
    return HIDDEN.sub(_escape, text) if HIDDEN.search(text) else text


def _json_escape(m: re.Match[str]) -> str:
    n = ord(m.group())
    if n < 0x10000:
        return f"\\u{n:04x}"
    n -= 0x10000
    return f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}"


def visible_json(text: str) -> str:
    """A JSON document (as json.dumps writes it) with every hidden character as a JSON `\\uXXXX` escape:
    the same data when parsed, nothing that acts on a terminal when shown. Hidden characters can only be
    inside JSON strings (the rest of the document is ASCII), where the escape is valid."""
    return HIDDEN.sub(_json_escape, text) if HIDDEN.search(text) else text


def refused(text: str) -> str | None:
    """Why `text` may not be in data (a control or bidirectional character, named by its escape), or None."""
    m = REFUSED.search(text)
    if m is None:
        return None
    from tripplan.i18n import _

    if ord(m.group()) < 0x100:
        said = _("contains a control character (such as a terminal escape) ({char}); remove it")
    elif m.group() in "\u2028\u2029":
        said = _("contains a line or paragraph separator ({char}); remove it")
    else:
        said = _("contains a bidirectional control ({char}); remove it")
    return said.format(char=_escape(m))


WEB_SCHEMES = ("http://", "https://")


def web_address(url: str) -> bool:
    """Whether `url` is an http(s) address with a host: the only kind the page writes as a link."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and HIDDEN.search(url) is None


class VisibleStream:
    """A text stream that writes through `visible`: standard error while a command runs, so every message
    (tripplan's, Click's usage errors echoing the user's arguments, a library's warning) is shown safely."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(visible(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


@contextlib.contextmanager
def visible_stderr() -> Iterator[None]:
    """sys.stderr through `visible` for the duration (a no-op when it already is)."""
    before = sys.stderr
    if isinstance(before, VisibleStream) or before is None:
        yield
        return
    sys.stderr = VisibleStream(before)
    try:
        yield
    finally:
        sys.stderr = before
