"""Entry point. `tripplan --version` answers before the heavy stack is imported."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from tripplan import __version__

        print(f"tripplan {__version__}")
        return
    from tripplan.cli import run

    run()


if __name__ == "__main__":
    main()
