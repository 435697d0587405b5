"""Build data/validated/: the shipped data files' validated records, in the cache's format.

    python scripts/build_validated.py          # write the folder (after editing data/*.toml)
    python scripts/build_validated.py --check  # exit 1 if it is not current (the tests do the same)

The package ships them so that its first run after installing parses no TOML and imports no pydantic
for its own data. Each entry is named by the key of the exact bytes it was built from (tripplan's
version, the cache format, the file's name and contents): once a data file changes, its old entry is
simply not found and the file is validated as before, so a stale folder is slower, never wrong.
Also written: the entry that records that the shipped set passed the checks across files, and each
destination's public holidays for holiday_table.HOLIDAY_YEARS from the installed `holidays` release (used
only with that same release; `--check` compares them only then). Every entry is written by the store
(cache.Store's format: a digest over its key and body), as the cache writes its own.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tripplan import cache, holiday_table
from tripplan.closures import public_holidays
from tripplan.loader import _load, data_files, parse_file, read_all, shipped_data_dir, snapshot_dir

ROOT = Path(__file__).resolve().parent.parent


def expected() -> dict[str, bytes]:
    """Every file the folder must hold, by name."""
    shipped = shipped_data_dir()
    contents, problems = read_all(data_files([shipped]))
    if problems:
        sys.exit(f"build_validated: {problems}")
    keys = []
    with tempfile.TemporaryDirectory() as tmp:
        store = cache.Store(folder=Path(tmp))
        for path, data in contents.items():
            parsed, found = parse_file(path, path.name, data)
            if found:
                sys.exit(f"build_validated: {path} is not valid: {found}")
            key = cache.file_key(path.name, data)
            keys.append(key)
            store.write(path.stem, key, parsed)
        catalog, found = _load([shipped], contents)
        if catalog is None or found:
            sys.exit(f"build_validated: the shipped data fails the checks across files: {found}")
        store.write("checked", cache.set_key(keys), sorted(keys))  # as loader._snapshot_checked reads it
        years = list(holiday_table.HOLIDAY_YEARS)
        release = holiday_table.holidays_release()
        for calendar in sorted({c.holiday_calendar for c in catalog.countries.values()}):
            days = public_holidays(calendar, years)
            table = holiday_table.table(calendar, years, release, days)
            store.write(holiday_table.kind(calendar), holiday_table.key(calendar, years, None), table)
        return {p.name: p.read_bytes() for p in sorted(Path(tmp).glob("*.json"))}


def _other_release(path: Path) -> bool:
    """A holiday table built with another `holidays` release than the installed one: tripplan does not
    use it here, so it is not compared (each table names the release it was built with)."""
    if not path.name.startswith("holidays-"):
        return False
    body = path.read_bytes().partition(b"\n")[2]
    return b'"release":' in body and f'"release":"{holiday_table.holidays_release()}"'.encode() not in body


def stale(folder: Path, files: dict[str, bytes]) -> list[str]:
    """The names that are missing, different or left over."""
    present = {p.name for p in folder.glob("*.json")} if folder.is_dir() else set()
    wrong = [
        n
        for n, data in files.items()
        if n not in present or ((folder / n).read_bytes() != data and not _other_release(folder / n))
    ]
    return sorted(wrong + list(present - set(files)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if the folder is not current")
    check = parser.parse_args().check
    folder = snapshot_dir(shipped_data_dir())
    files = expected()
    wrong = stale(folder, files)
    if check:
        for name in wrong:
            print(f"not current: {folder / name} (run python scripts/build_validated.py)")
        sys.exit(1 if wrong else 0)
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.json"):
        if old.name not in files:
            old.unlink()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    print(f"wrote {len(files)} files to {folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder}")


if __name__ == "__main__":
    main()
