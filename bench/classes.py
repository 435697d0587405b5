"""Where a command's start-up goes: the data classes it builds, and the time building them takes.

    python bench/classes.py [--runs 5] [COMMAND ...]

Each command is run in a child Python (the one tripplan is installed in) with `dataclasses`' class builder
timed: how many classes the run builds (tripplan's and its libraries'), and the milliseconds spent in the
standard decorator, most of it compiling the methods it writes (`__init__`, `__repr__`, `__eq__`,
`__hash__`, `__setattr__`, `__delattr__`: six per frozen class). The median of the runs is printed beside
the run's whole time from the moment Python starts running the script ("ms of the run"). Prints figures;
asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

# Run in the child: time the standard decorator, run tripplan's entry point, report as one JSON line on fd 3.
CHILD = r"""
import atexit, dataclasses, json, os, sys, time
start = time.perf_counter()
built = {"n": 0, "tripplan": 0, "s": 0.0}
original = dataclasses._process_class
def timed(cls, *args, **kwargs):
    t = time.perf_counter()
    made = original(cls, *args, **kwargs)
    built["s"] += time.perf_counter() - t
    built["n"] += 1
    built["tripplan"] += cls.__module__.startswith("tripplan")
    return made
dataclasses._process_class = timed
def report():
    built["wall"] = time.perf_counter() - start
    os.write(int(os.environ["BENCH_FD"]), (json.dumps(built) + "\n").encode())
atexit.register(report)
sys.argv = ["tripplan", *sys.argv[1:]]
from tripplan.__main__ import main
main()
"""


def measure(python: str, args: list[str], env: dict[str, str]) -> dict[str, float]:
    """One run of `tripplan ARGS`: classes built (all, tripplan's), seconds building them, seconds in all."""
    read, write = os.pipe()
    try:
        subprocess.run(
            [python, "-c", CHILD, *args],
            env={**env, "BENCH_FD": str(write)},
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        os.close(write)
        write = -1
        with os.fdopen(read, "rb") as f:
            read = -1
            line = f.readline()
    finally:
        for fd in (read, write):
            if fd >= 0:
                os.close(fd)
    found: dict[str, float] = json.loads(line) if line else {}
    return found


def table(python: str, commands: list[list[str]], runs: int, env: dict[str, str]) -> list[list[str]]:
    """Rows: command, classes built (tripplan's), ms building them, ms in all, their share (medians of `runs`)."""
    rows = []
    for args in commands:
        got = [m for m in (measure(python, args, env) for _ in range(runs)) if m]
        if not got:
            rows.append([f"`tripplan {' '.join(args)}`", "-", "-", "-", "-"])
            continue
        ms = statistics.median(m["s"] for m in got) * 1000
        wall = statistics.median(m["wall"] for m in got) * 1000
        rows.append(
            [
                f"`tripplan {' '.join(args)}`",
                f"{int(got[0]['n'])} ({int(got[0]['tripplan'])})",
                f"{ms:.0f}",
                f"{wall:.0f}",
                f"{ms / wall:.0%}",
            ]
        )
    return rows


HEADER = ["command", "classes built (tripplan's)", "ms building them", "ms of the run", "share"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("command", nargs="*", help="one command line, quoted (default: quote, schedule, compare)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.bench import interpreter, tripplan_exe

    commands = [c.split() for c in args.command] or [
        ["quote", "--joint", "knee", "--from", "US"],
        ["schedule", "--from", "US"],
        ["compare", "--countries", "JP,MX,KR"],
    ]
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    print(" | ".join(HEADER))
    for row in table(interpreter(tripplan_exe()), commands, args.runs, env):
        print(" | ".join(row))


if __name__ == "__main__":
    main()
