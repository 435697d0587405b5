"""A git merge driver for gettext catalogs: the union of both sides' translations (git's own line merge
cannot merge .po files that two branches extended). Set up once per clone:

    git config merge.po-union.driver "python scripts/po_merge.py %O %A %B"
    git config merge.mo-regenerate.driver "true"   # keep ours; then run scripts/build_catalog.py

(.gitattributes names which files use them). After a merge, run `python scripts/build_catalog.py` so the
template, the catalogs and the compiled .mo files follow the merged code.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def main(base: str, ours: str, theirs: str) -> int:
    with Path(ours).open("rb") as f:
        merged = read_po(f)
    with Path(theirs).open("rb") as f:
        other = read_po(f)
    for message in other:
        if not message.id:
            continue
        mine = merged.get(message.id, context=message.context)
        if mine is None:
            merged[message.id] = message
        elif not (mine.string if isinstance(mine.string, str) else all(mine.string)) and message.string:
            mine.string = message.string
    with Path(ours).open("wb") as f:
        write_po(f, merged, width=100, no_location=True, ignore_obsolete=True, include_previous=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
