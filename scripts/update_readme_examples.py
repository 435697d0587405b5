"""Regenerate the output of every ```console block in README.md that starts with `$ tripplan ARGS`.

    python scripts/update_readme_examples.py

Runs the installed tripplan at 100 columns, without colour, on the shipped data, with today fixed to
TRIPPLAN_TODAY (default 2026-11-22). A block that ended with "..." keeps its length and its "...".
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"```console\n\$ tripplan ([^\n]*)\n(.*?)```", re.S)


def run(args: str, env: dict[str, str]) -> str:
    done = subprocess.run(["tripplan", *shlex.split(args)], capture_output=True, text=True, env=env, check=False)
    return done.stdout + done.stderr


def main() -> None:
    with tempfile.TemporaryDirectory() as empty:
        env = {
            **os.environ,
            "COLUMNS": "100",
            "NO_COLOR": "1",
            "TRIPPLAN_TODAY": os.environ.get("TRIPPLAN_TODAY", "2026-11-22"),
            "TRIPPLAN_DATA_DIR": empty,
            "TRIPPLAN_CACHE_DIR": "off",
        }

        def replace(m: re.Match[str]) -> str:
            args, old = m.group(1), m.group(2)
            if "broken/" in args:
                return m.group(0)
            text = "\n".join(line.rstrip() for line in run(args, env).splitlines())
            if old.rstrip().endswith("..."):
                keep = len(old.rstrip().splitlines()) - 1
                text = "\n".join(text.splitlines()[:keep]) + "\n..."
            return f"```console\n$ tripplan {args}\n{text}\n```"

        readme = ROOT / "README.md"
        readme.write_text(BLOCK.sub(replace, readme.read_text("utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
