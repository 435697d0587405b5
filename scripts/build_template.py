"""Compile the plan page's Jinja2 template to Python once, at build time (render/plan_template.py), so
`schedule --html` does not compile it at every run. The module carries a key of the template's text and
the Jinja2 release: tripplan uses it only when both match, and compiles the text otherwise.

    python scripts/build_template.py          # write it
    python scripts/build_template.py --check  # exit 1 if it is not current (CI, tests)
"""

from __future__ import annotations

import sys
from pathlib import Path

from tripplan.render.html import compile_template

TARGET = Path(__file__).resolve().parent.parent / "src" / "tripplan" / "render" / "plan_template.py"


def main() -> int:
    text = compile_template()
    if "--check" in sys.argv[1:]:
        current = TARGET.is_file() and TARGET.read_text(encoding="utf-8") == text
        if not current:
            print(f"{TARGET} is not current: run python scripts/build_template.py", file=sys.stderr)
        return 0 if current else 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
