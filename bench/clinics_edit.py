"""Benchmark: `clinics add` and `clinics remove` on a big user catalog (issue 29: <= 10 s and <= 1 GB at
100,000 clinics on a 2-core machine, comments kept).

    python bench/clinics_edit.py [--clinics 100000] [--runs 3]

Prints figures; asserts nothing (a speed goal is not a test). For each command: wall seconds, CPU seconds
(user + system: less disturbed than wall time on a shared machine) and the child's peak resident set.
First `clinics add` with an empty cache (the whole file validated once, as on a first run), then with the
catalog cache filled (`data check`), as after any earlier command; each add is followed by the remove of
the same clinic, so every run starts from the same file. A comment written at the top, in the middle and
at the end of the file (each set apart by a blank line: about the file, not a clinic) is checked to be
there after every write."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench import make_user_data, tripplan_exe

COMMENTS = ("# bench: top comment\n", "# bench: middle comment\n", "# bench: last comment\n")


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, int]:
    """(wall s, CPU s, peak RSS in MB, exit code) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0 and proc.stderr is not None:
        print(f"  {' '.join(argv[1:3])} exited {code}: {proc.stderr.read().decode()[-300:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code


def with_comments(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    middle = text.find("[[clinics]]", len(text) // 2)
    path.write_text(
        COMMENTS[0] + "\n" + text[:middle] + COMMENTS[1] + "\n" + text[middle:] + "\n" + COMMENTS[2], "utf-8"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clinics", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    exe = tripplan_exe()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        make_user_data(folder, args.clinics)  # the clinics file alone
        with_comments(folder / "clinics.toml")
        size = (folder / "clinics.toml").stat().st_size
        env = {**os.environ, "TRIPPLAN_DATA_DIR": str(folder), "TRIPPLAN_CACHE_DIR": str(Path(tmp) / "cache")}
        env.pop("TRIPPLAN_DEBUG", None)
        add = [exe, "clinics", "add", "--id", "bench-new", "--name", "Bench new", "--city", "Tokyo"]
        add += ["--country", "JP", "--cell-source", "adipose", "--processing", "cultured", "--treatment", "x"]
        add += ["--joints", "knee", "--price", "9000-12000", "--currency", "USD"]
        remove = [exe, "clinics", "remove", "bench-new", "--yes"]
        results: dict[str, list[tuple[float, float, float, int]]] = {
            "add (empty cache)": [],
            "remove (after it)": [],
            "add": [],
            "remove": [],
            "remove (middle)": [],
        }
        for i in range(args.runs):
            cold = {**env, "TRIPPLAN_CACHE_DIR": str(Path(tmp) / f"empty-cache-{i}")}
            results["add (empty cache)"].append(timed(add, cold))
            results["remove (after it)"].append(timed(remove, cold))
        check = timed([exe, "data", "check"], env)
        print(f"clinics.toml: {args.clinics:,} clinics, {size / 1e6:.1f} MB; cache filled in {check[0]:.1f} s")
        for _ in range(args.runs):
            results["add"].append(timed(add, env))
            results["remove"].append(timed(remove, env))
        middle_id = f"bench-{args.clinics // 2}"
        results["remove (middle)"].append(timed([exe, "clinics", "remove", middle_id, "--yes"], env))
        text = (folder / "clinics.toml").read_text(encoding="utf-8")
        kept = all(c in text for c in COMMENTS) and f'id = "{middle_id}"' not in text
        print(f"{'command':<18} {'runs':>4} {'wall s':>8} {'CPU s':>7} {'peak MB':>8}  goal <= 10 s, <= 1024 MB")
        for name, rows in results.items():
            ok = all(r[3] == 0 for r in rows)
            wall = statistics.median(r[0] for r in rows)
            cpu = statistics.median(r[1] for r in rows)
            peak = max(r[2] for r in rows)
            verdict = "met" if ok and wall <= 10 and peak <= 1024 else ("FAILED" if not ok else "MISSED")
            print(f"{name:<18} {len(rows):>4} {wall:8.2f} {cpu:7.2f} {peak:8.0f}  {verdict}")
        print(f"comments kept and the middle clinic gone: {'yes' if kept else 'NO'}")
        print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
