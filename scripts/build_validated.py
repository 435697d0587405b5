"""Build data/validated/: the shipped data files' validated records, in the cache's format.

    python scripts/build_validated.py          # write the folder (after editing data/*.toml)
    python scripts/build_validated.py --check  # exit 1 if it is not current (the tests do the same)

The package ships them so that its first run after installing parses no TOML and imports no pydantic
for its own data. Each entry is named by the key of the exact bytes it was built from (tripplan's
version, the cache format, the file's name and contents): once a data file changes, its old entry is
simply not found and the file is validated as before, so a stale folder is slower, never wrong.
Also written: the entry that records that the shipped set passed the checks across files, and each
destination's public holidays for cache.HOLIDAY_YEARS from the installed `holidays` release (used only
with that same release; `--check` compares them only then).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tripplan import cache
from tripplan.closures import public_holidays
from tripplan.loader import _load, data_files, parse_file, read_all, shipped_data_dir

ROOT = Path(__file__).resolve().parent.parent


def expected() -> dict[str, bytes]:
    """Every file the folder must hold, by name."""
    shipped = shipped_data_dir()
    contents, problems = read_all(data_files([shipped]))
    if problems:
        sys.exit(f"build_validated: {problems}")
    out: dict[str, bytes] = {}
    keys = []
    for path, data in contents.items():
        parsed, found = parse_file(path, path.name, data)
        if found:
            sys.exit(f"build_validated: {path} is not valid: {found}")
        key = cache.file_key(path.name, data)
        keys.append(key)
        out[cache.snapshot_name(path, key)] = cache.encode(parsed)
    catalog, found = _load([shipped], contents)
    if catalog is None or found:
        sys.exit(f"build_validated: the shipped data fails the checks across files: {found}")
    checked = cache.set_key(keys)
    out[f"checked-{checked}.json"] = json.dumps(checked).encode()  # as cache.mark_checked writes it
    years = list(cache.HOLIDAY_YEARS)
    for calendar in sorted({c.holiday_calendar for c in catalog.countries.values()}):
        days = {d.isoformat(): name for d, name in sorted(public_holidays(calendar, years).items())}
        table = {"release": cache.holidays_release(), "years": [years[0], years[-1]], "days": days}
        out[f"holidays-{calendar}.json"] = cache.encode(table)
    return out


def _other_release(path: Path) -> bool:
    """A holiday table built with another `holidays` release than the installed one: tripplan does not
    use it here, so it is not compared (each table names the release it was built with)."""
    table = cache.decode(path.read_bytes()) if path.name.startswith("holidays-") else None
    return isinstance(table, dict) and table.get("release") != cache.holidays_release()


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
    folder = cache.snapshot_dir(shipped_data_dir())
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
