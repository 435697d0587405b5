"""Print what a language's data translation still lacks, as TOML to fill in (the English in comments).

    python scripts/translation_todo.py zh            # the shipped data/i18n/zh.toml
    python scripts/translation_todo.py zh FOLDER     # a user's data folder laid over the shipped data
    python scripts/translation_todo.py zh [FOLDER] --accept   # record the English each translation is of

A translation is shown only while the English it was made from is unchanged: --accept (after translating
or reviewing) writes the fingerprints of the current English beside the file (i18n/<lang>.english.json);
`tripplan data check` names each translation whose English has changed since.

Copy the output into the folder's i18n/<lang>.toml and replace each English value with its translation
(keep figures, dates, [ids] and {placeholders}); `tripplan data check` then names anything still missing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tripplan import translations
from tripplan.loader import _load, by_section, read_toml, shipped_data_dir, user_keys


def main(argv: list[str]) -> int:
    if not argv:
        sys.exit(__doc__)
    accept = "--accept" in argv
    argv = [a for a in argv if a != "--accept"]
    lang, user = argv[0], (Path(argv[1]) if len(argv) > 1 else None)
    shipped = shipped_data_dir()
    folders = [shipped] + ([user] if user else [])
    catalog, problems = _load(folders)
    if catalog is None or problems:
        sys.exit("\n".join(str(p) for p in problems))
    mine = user_keys(user) if user else {}
    sections = by_section()
    tables = [translations.read(translations.file_for(f, lang), sections=sections, parse=read_toml)[0] for f in folders]
    if accept:
        table = tables[-1]
        sums = translations.accepted(catalog, table, sections=sections)
        target = translations.sums_for(table.path)
        target.write_text(json.dumps(sums, ensure_ascii=False, indent=0, sort_keys=True) + "\n", "utf-8")
        print(f"wrote {len(sums)} fingerprints to {target}")
        return 0
    last = None
    for section, key, path, _theirs in translations.missing(
        catalog, tables[0], tables[-1] if user else None, mine, sections=sections
    ):
        head = section if key is None else f"{section}.{json.dumps(key, ensure_ascii=False)}"
        if head != last:
            print(f"\n[{head}]")
            last = head
        record = translations.records(catalog, section, sections)[key]
        value = translations.english(record, path)
        print(f"{path} = {json.dumps(value, ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
