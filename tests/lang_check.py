"""What a Chinese reader would still find in English: runs of four or more English words.

`english_runs(text, allowed=...)` returns each run of four or more English words in `text` after removing
what stays in its own language by design: web addresses, option names (--joint), ids and codes
(seed-degenerative-us, JP-KNEE-1, USD), file names, and the `allowed` strings (source titles, publishers,
provider and clinic names, quotations). Used by the `--lang zh` tests of every command, its help, the plan
document and the calendar file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_KEEP = re.compile(
    r"https?://\S+"  # addresses
    r"|--?[A-Za-z][\w-]*"  # option names
    r"|\b[\w.-]*\.(?:toml|ics|html|json|pdf|po|mo)\b"  # file names
    r"|\b[A-Za-z0-9]+(?:[-_./][A-Za-z0-9]+)+\b"  # ids and codes with separators
    r"|\b[A-Z0-9]{2,}\b"  # codes and abbreviations (USD, JP, MRI, ISSCR)
)
_WORD = r"[A-Za-z][A-Za-z'’]*"
_RUN = re.compile(rf"{_WORD}(?:[ \t,:;()/&-]+{_WORD}){{3,}}")


def english_runs(text: str, *, allowed: Iterable[str] = ()) -> list[str]:
    """Runs of four or more English words left in `text` once `allowed` strings and kept tokens are removed."""
    for kept in sorted({a for a in allowed if a}, key=len, reverse=True):
        text = text.replace(kept, " · ")
    text = _KEEP.sub(" · ", text)
    return [m.group(0) for m in _RUN.finditer(text)]
