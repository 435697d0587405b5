"""tripplan benchmark: start-up against the reference floor, and scale with large user catalogs.

    python bench/bench.py [--runs 15] [--ref PATH] [--sizes 1000,10000] [--large] [--out docs/speed.md]

The reference floor is found beside the repository (shared/bench/ref_floor.py in the repository's parent
or any folder above it, or TRIPPLAN_REF_FLOOR); without it the benchmark stops and says so.

Prints figures with each target met or MISSED, and writes them to docs/speed.md (--out; figures there
are written by this script only, never by hand); asserts nothing. Timings are compared as ratios measured
in the same run, so the machine's absolute speed does not matter. Peak memory is the child's maximum
resident set (ru_maxrss); its target is the floor's own peak.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = Path(tempfile.gettempdir()) / "tripplan-bench-plan.html"  # schedule's plan document and calendar,
CALENDAR = Path(tempfile.gettempdir()) / "tripplan-bench-plan.ics"  # rewritten (--force) at every run


def harvest_date(today: dt.date) -> str:
    """The harvest date the schedule commands use: the first day of the month four months after today's, so
    that every run plans a trip still ahead (a date in the past makes every run print overdue warnings)."""
    month = today.month + 4
    return dt.date(today.year + (month - 1) // 12, (month - 1) % 12 + 1, 1).isoformat()


HARVEST = harvest_date(dt.date.today())
USED_BY = [
    ["--version"],
    ["--help"],
    ["quote", "--joint", "knee", "--from", "US"],
    ["quote", "--joint", "knee", "--from", "US", "--json"],
    ["schedule", "--harvest", HARVEST],
    ["schedule", "--harvest", HARVEST, "--json"],
    ["schedule", "--harvest", HARVEST, "--html", str(PAGE), "--ics", str(CALENDAR), "--force"],
    ["compare", "--countries", "JP,MX,KR"],
    ["compare", "--countries", "JP,MX,KR", "--json"],
    ["visa", "--from", "CN"],
    ["clinics", "list"],
]
EDITED = '[[sources]]\nid = "my-notes"\nkind = "article"\ntitle = "My notes"\npublisher = "Me"\n'
COLD = [["quote", "--joint", "knee", "--from", "US"], ["schedule", "--harvest", HARVEST]]
ONE_CLINIC = "jp-tokyo-cultured-adipose"  # a shipped clinic: the commands that need one clinic
SCALE_LIMIT = 2.0  # a command that needs one clinic, at 100,000 clinics: at most this times its shipped time
STREAM_MB = 300  # `clinics list --json` at 100,000 clinics: peak memory at most this


class Report:
    """The figures as printed, kept for docs/speed.md."""

    def __init__(self) -> None:
        self.sections: list[tuple[str, list[str], list[list[str]]]] = []
        self.notes: dict[int, list[str]] = {}  # lines written under a section's title

    def table(self, title: str, header: list[str]) -> list[list[str]]:
        rows: list[list[str]] = []
        self.sections.append((title, header, rows))
        return rows

    def markdown(self, intro: list[str]) -> str:
        out = ["# Speed", "", *intro, ""]
        for i, (title, header, rows) in enumerate(self.sections):
            out += [f"## {title}", ""]
            out += [*self.notes[i], ""] if i in self.notes else []
            out += ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
            out += ["| " + " | ".join(r) + " |" for r in rows]
            out.append("")
        return "\n".join(out)


REPORT = Report()


def target(args: list[str]) -> float:
    """The issues' targets: --version 0.2x the floor, --json 0.8x, the plan document and calendar 1.0x,
    every other command 0.9x."""
    if "--html" in args:
        return 1.0
    return 0.2 if args == ["--version"] else (0.8 if "--json" in args else 0.9)


def find_ref(given: Path | None) -> Path:
    """The reference floor: --ref, TRIPPLAN_REF_FLOOR, or shared/bench/ref_floor.py beside the repository."""
    candidates = [given] if given else []
    if os.environ.get("TRIPPLAN_REF_FLOOR"):
        candidates.append(Path(os.environ["TRIPPLAN_REF_FLOOR"]))
    for folder in [ROOT, *ROOT.parents, Path.cwd(), *Path.cwd().parents]:
        candidates.append(folder / "shared" / "bench" / "ref_floor.py")
    for c in candidates:
        if c.is_file():
            return c.resolve()
    sys.exit(
        "bench: the reference floor shared/bench/ref_floor.py was not found beside the repository "
        f"({ROOT}) nor above it; give --ref PATH or TRIPPLAN_REF_FLOOR. Nothing was measured."
    )


def tripplan_exe() -> str:
    beside = Path(sys.executable).with_name("tripplan")
    return str(beside) if beside.exists() else (shutil.which("tripplan") or "tripplan")


def interpreter(exe: str) -> str:
    """The Python tripplan's console script runs with (its first line), else this one."""
    first = Path(exe).read_bytes()[:300].split(b"\n", 1)[0] if Path(exe).is_file() else b""
    return first[2:].decode().strip() if first.startswith(b"#!") else sys.executable


def compile_installed(exe: str) -> str:
    """Compile tripplan's installed modules to bytecode, as `pip install` does for a wheel.

    An editable install, or a machine with PYTHONDONTWRITEBYTECODE set, would otherwise recompile every
    tripplan module at every run (~85 ms here) and time the compiler rather than tripplan."""
    python = interpreter(exe)
    code = (
        "import compileall, os, tripplan; d = os.path.dirname(tripplan.__file__); "
        "print(d, 'compiled' if compileall.compile_dir(d, quiet=1) else 'NOT compiled')"
    )
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, check=False)
    return done.stdout.strip() or f"not compiled: {done.stderr.strip()[-200:]}"


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, int, int, float]:
    """(wall seconds, peak RSS in KiB, exit code, CPU seconds: user + system) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss, proc.returncode, usage.ru_utime + usage.ru_stime


def startup(exe: str, ref: Path, runs: int, env: dict[str, str]) -> None:
    ref_cmd = [sys.executable, str(ref), "compare"]
    print(f"\nStart-up: median of {runs} runs, each alternated with the reference floor ({ref} compare)")
    print("(cpu: the ratio of the medians of user + system CPU time, which other processes on the machine")
    print(" disturb less than the wall time; the targets are read on the wall-time ratio)")
    print(f"{'command':<50} {'median s':>9} {'ref s':>7} {'ratio':>6} {'cpu':>5} {'MB':>6} {'ref MB':>6}  target")
    rows = REPORT.table(
        f"Start-up (median of {runs} runs, alternated with the floor)",
        ["command", "median s", "floor s", "ratio", "target", "cpu ratio", "MB", "floor MB", "memory"],
    )
    for args in USED_BY:
        timed([exe, *args], env)  # warm-up (also fills the catalog cache)
        timed(ref_cmd, env)
        mine, floor = [], []
        for _ in range(runs):
            mine.append(timed([exe, *args], env))
            floor.append(timed(ref_cmd, env))
        m, r = statistics.median(x[0] for x in mine), statistics.median(x[0] for x in floor)
        cpu = statistics.median(x[3] for x in mine) / statistics.median(x[3] for x in floor)
        mb, rmb = max(x[1] for x in mine) / 1024, max(x[1] for x in floor) / 1024
        goal = target(args)
        verdict = "met" if m / r <= goal else "MISSED"
        memory = "met" if mb <= rmb else "MISSED"
        shown = " ".join(a if not a.startswith(tempfile.gettempdir()) else Path(a).suffix[1:].upper() for a in args)
        print(
            f"{'tripplan ' + shown:<50} {m:9.3f} {r:7.3f} {m / r:6.2f} {cpu:5.2f} {mb:6.1f} {rmb:6.1f}  <= {goal} {verdict}"
            f"; memory <= floor {memory}"
        )
        rows.append(
            [
                f"`tripplan {shown}`",
                f"{m:.3f}",
                f"{r:.3f}",
                f"{m / r:.2f}",
                f"≤ {goal} {verdict}",
                f"{cpu:.2f}",
                f"{mb:.1f}",
                f"{rmb:.1f}",
                f"≤ floor {memory}",
            ]
        )
    classes_built(exe, runs, env)
    for written in (PAGE, CALENDAR):
        written.unlink(missing_ok=True)
    print(
        f"\nCold cache: mean of {runs // 3 or 1} runs, each with an empty cache folder (whatever it must write);"
        "\n'after an edit': the user's folder holds one small file, new to the cache (validated with pydantic)"
    )
    rows = REPORT.table(
        f"Cold cache (mean of {runs // 3 or 1} runs, each with an empty cache folder)",
        ["command", "mean s", "floor s", "ratio", "target"],
    )
    for args, edited in [(a, False) for a in COLD] + [(a, True) for a in COLD]:
        mine, floor = [], []
        for _i in range(runs // 3 or 1):
            with tempfile.TemporaryDirectory() as cache:
                run_env = {**env, "TRIPPLAN_CACHE_DIR": str(Path(cache) / "c")}
                if edited:
                    (Path(cache) / "data").mkdir()
                    (Path(cache) / "data" / "sources.toml").write_text(EDITED, encoding="utf-8")
                    run_env["TRIPPLAN_DATA_DIR"] = str(Path(cache) / "data")
                mine.append(timed([exe, *args], run_env)[0])
            floor.append(timed(ref_cmd, env)[0])
        m, r = statistics.mean(mine), statistics.mean(floor)
        verdict = "met" if m / r <= 1.3 else "MISSED"
        label = "tripplan " + " ".join(args) + (" (after an edit)" if edited else " (cold)")
        print(f"{label:<56} {m:9.3f} {r:7.3f} {m / r:6.2f}  <= 1.3 {verdict}")
        rows.append([f"`{label}`", f"{m:.3f}", f"{r:.3f}", f"{m / r:.2f}", f"≤ 1.3 {verdict}"])


def classes_built(exe: str, runs: int, env: dict[str, str]) -> None:
    """Where the warm commands' time goes: the data classes each builds and the time the standard
    decorator takes to build them (bench/classes.py), beside the run's whole time."""
    sys.path.insert(0, str(ROOT))
    from bench.classes import HEADER, table

    commands = [a for a in USED_BY if a[0] not in ("--version", "--help")]
    print(f"\nData classes built at start-up (median of {runs} runs; bench/classes.py)")
    rows = REPORT.table(f"Data classes built at start-up (median of {runs} runs; bench/classes.py)", HEADER)
    for row in table(interpreter(exe), commands, runs, env):
        shown = " ".join(
            a if not a.startswith(tempfile.gettempdir()) else Path(a).suffix[1:].upper() for a in row[0].split()
        )
        print(" | ".join([shown, *row[1:]]))
        rows.append([shown, *row[1:]])


def make_user_data(folder: Path, n: int, *, prices: int = 0) -> None:
    """n valid clinics (with quotes) in clinics.toml and, when `prices`, that many valid price records in
    prices.toml (their countries cycle as the clinics' do: two in five are Japan's).

    Written record by record, never held whole: a child's peak memory (ru_maxrss) counts the benchmark's
    own resident set at the fork, so a benchmark that held 100,000 records would add it to every figure."""
    folder.mkdir(parents=True, exist_ok=True)
    cities = [("JP", "Tokyo"), ("JP", "Osaka"), ("MX", "Tijuana"), ("KR", "Seoul"), ("TH", "Bangkok")]
    with (folder / "clinics.toml").open("w", encoding="utf-8") as out:
        for i in range(n):
            country, city = cities[i % len(cities)]
            out.write(
                ("\n" if i else "")
                + f'[[clinics]]\nid = "bench-{i}"\nname = "Bench clinic {i}"\ncity = "{city}"\ncountry = "{country}"\n'
                f'licence = "PB{i:07d}"\nasrm_class = "II"\ncell_source = "adipose"\nprocessing = "cultured"\nlanguages = ["en"]\n'
                f'[[clinics.quotes]]\ntreatment = "cultured adipose MSC"\njoints = ["knee"]\nlow = {8000 + i % 500}\n'
                f'high = {12000 + i % 700}\ncurrency = "USD"\n'
            )
    if not prices:
        return
    with (folder / "prices.toml").open("w", encoding="utf-8") as out:
        for i in range(prices):
            country = cities[i % len(cities)][0]
            out.write(
                ("\n" if i else "")
                + f'[[prices]]\nid = "bench-price-{i}"\ncountries = ["{country}"]\ntreatment = "cultured-msc"\n'
                f'processing = "cultured"\nscope = "single-joint"\njoints = ["knee"]\nconditions = ["osteoarthritis"]\n'
                f'low = {7000 + i % 300}\nhigh = {14000 + i % 900}\ncurrency = "USD"\nsource = "seed-knee-pain"\n'
            )


SCALE_COMMANDS = {
    "quote": ["quote", "--joint", "knee", "--from", "US"],
    "compare": ["compare", "--countries", "JP,MX,KR", "--from", "US"],
    "clinics list": ["clinics", "list"],
    "clinics --json": ["clinics", "list", "--json"],
    "clinics show": ["clinics", "show", ONE_CLINIC],
    "clinics check": ["clinics", "check", ONE_CLINIC],
    "quote --clinic": ["quote", "--joint", "knee", "--from", "US", "--clinic", ONE_CLINIC],
}
ONE_CLINIC_COMMANDS = {"clinics show", "clinics check", "quote --clinic"}
ALTERNATED = (
    "'× shipped' of `clinics show/check ID` and `quote --clinic ID`: the median of their warm runs over the",
    "median of as many runs on the shipped catalog, alternated run by run with them (as the floor is in the",
    "start-up part), so that a change in the machine's load falls on both; the other rows: over the shipped",
    "row's median, measured minutes before.",
)
WITH_PRICES = (
    "Rows '+ N prices': the user's folder also holds N price records (prices.toml; two in five are Japan's).",
    "`clinics check ID` and `quote --clinic ID` compare the clinic's quote with every price record for its",
    "country; to find those they make every price record (a record's countries are known once it is made),",
    "so they grow with the number of price records, whatever the number of clinics. The one-clinic target",
    "(issue 25: at 100,000 clinics) is read on the rows with the shipped prices only.",
)


def scale(exe: str, sizes: list[int], runs: int, env: dict[str, str]) -> None:
    """Each command on a user folder of n clinics (the shipped prices only: the rows the targets are read on),
    then on n clinics and n price records of the user's (labelled, without the one-clinic target)."""
    print(f"\nScale: median of {runs} warm runs (catalog cache filled); cold: mean of 2 runs with an empty cache")
    print("(clinics: the user's clinics.toml; the price records are the shipped ones unless '+ N prices')")
    print("\n".join(ALTERNATED + WITH_PRICES))
    print(
        f"{'command':<14} {'clinics':>18} {'warm s':>8} {'x shipped':>10} {'cold s':>8} {'warm MB':>8} {'cold MB':>8}"
    )
    rows = REPORT.table(
        f"Scale (median of {runs} warm runs; cold: mean of 2 runs with an empty cache)",
        ["command", "clinics", "warm s", "× shipped", "cold s", "warm MB", "cold MB", "target"],
    )
    REPORT.notes[len(REPORT.sections) - 1] = list(ALTERNATED + WITH_PRICES)
    with tempfile.TemporaryDirectory() as tmp:
        base: dict[str, float] = {}
        shipped: dict[str, str] = {}  # the environment of the runs on the shipped catalog
        for n, prices in [(0, 0), *((n, 0) for n in sizes), *((n, n) for n in sizes)]:
            label = f"{n:,}" + (f" + {prices:,} prices" if prices else "")
            folder = Path(tmp) / f"data-{n}-{prices}"
            make_user_data(folder, n, prices=prices) if n else folder.mkdir()
            cache = str(Path(tmp) / f"cache-{n}-{prices}")
            run_env = {**env, "TRIPPLAN_DATA_DIR": str(folder), "TRIPPLAN_CACHE_DIR": cache}
            check = timed([exe, "data", "check"], run_env)
            if check[2] != 0:
                print(f"generated data with {label} clinics does not validate (exit {check[2]})")
                return
            shipped = shipped or run_env
            for name, args in SCALE_COMMANDS.items():
                timed([exe, *args], run_env)
                alternated = bool(n) and name in ONE_CLINIC_COMMANDS
                warm, beside = [], []
                for _ in range(runs):
                    if alternated:  # the shipped catalog run by run beside it: the same load falls on both
                        beside.append(timed([exe, *args], shipped)[0])
                    warm.append(timed([exe, *args], run_env))
                colds = []
                for c in range(2):
                    fresh = str(Path(tmp) / f"cold-{n}-{prices}-{name}-{c}")
                    colds.append(timed([exe, *args], {**run_env, "TRIPPLAN_CACHE_DIR": fresh}))
                    shutil.rmtree(fresh, ignore_errors=True)
                cold = (statistics.mean(c[0] for c in colds), max(c[1] for c in colds), 0)
                med = statistics.median(w[0] for w in warm)
                peak = max(w[1] for w in warm) / 1024
                base.setdefault(name, med)
                times = med / (statistics.median(beside) if alternated else base[name])
                goal = ""
                if n >= 100_000 and not prices and name in ONE_CLINIC_COMMANDS:
                    goal = f"≤ {SCALE_LIMIT} × shipped " + ("met" if times <= SCALE_LIMIT else "MISSED")
                elif n >= 100_000 and not prices and name == "clinics --json":
                    goal = f"≤ {STREAM_MB} MB " + ("met" if peak <= STREAM_MB else "MISSED")
                print(
                    f"{name:<14} {label:>18} {med:8.3f} {times:10.2f} {cold[0]:8.3f} {peak:8.1f}"
                    f" {cold[1] / 1024:8.1f}  {goal}"
                )
                rows.append(
                    [
                        f"`{name}`",
                        label,
                        f"{med:.3f}",
                        f"{times:.2f}",
                        f"{cold[0]:.3f}",
                        f"{peak:.1f}",
                        f"{cold[1] / 1024:.1f}",
                        goal,
                    ]
                )
            if n:  # (the shipped catalog's folder and cache stay: the one-clinic rows run beside them)
                shutil.rmtree(folder, ignore_errors=True)
                shutil.rmtree(cache, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--ref", type=Path, default=None)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--large", action="store_true", help="also 100,000 clinics (minutes, about 1 GB)")
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "speed.md", help="where to write the figures")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    exe = tripplan_exe()
    ref = find_ref(args.ref)
    sizes = [int(x) for x in args.sizes.split(",") if x] + ([100_000] if args.large else [])
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        if "TRIPPLAN_DATA_DIR" not in env:  # an empty folder of the user's own, as after `tripplan data path`:
            (Path(tmp) / "empty").mkdir()  # a folder named but missing would print a warning at every run
            env["TRIPPLAN_DATA_DIR"] = str(Path(tmp) / "empty")
        env.setdefault("TRIPPLAN_CACHE_DIR", str(Path(tmp) / "cache"))
        print(f"tripplan: {exe}\npython: {sys.version.split()[0]}, {os.cpu_count()} cores")
        print(f"bytecode: {compile_installed(exe)}")
        if not args.skip_startup:
            startup(exe, ref, args.runs, env)
        scale(exe, sizes, max(3, args.runs // 3), env)
    if args.no_write:
        return
    intro = [
        "Written by `python bench/bench.py "
        + " ".join(a for a in sys.argv[1:] if not a.startswith("--out"))
        + f"` on {dt.date.today().isoformat()}; do not edit by hand (run it again).",
        f"Python {platform.python_version()}, {os.cpu_count()} cores; the reference floor is `{ref.name} compare`,",
        "run alternately with tripplan in the same run, so the ratios, not the seconds, are the figures to read.",
        "The cpu ratio (user + system CPU time) is less disturbed by other processes than the wall-time ratio the",
        "targets are read on: on a busy machine it is the steadier figure.",
        "Targets (issue 25): warm commands ≤ 0.9 × the floor, `--json` ≤ 0.8 ×, a cold first run ≤ 1.3 ×, peak",
        f"memory ≤ the floor's; at 100,000 clinics a command that needs one clinic ≤ {SCALE_LIMIT} × its time on",
        f"the shipped catalog, and `clinics list --json` ≤ {STREAM_MB} MB.",
        f"The schedule commands plan a harvest on {HARVEST} (the first day of the month four months after the",
        "day of the run), so that no run prints overdue warnings.",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(REPORT.markdown(intro), encoding="utf-8")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
