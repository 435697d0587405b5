"""The plan page's template is compiled once, at build time: the shipped compiled copy is current, used
when it matches the template's text and the Jinja2 release, and never trusted when it does not; icalendar and
Jinja2 are imported only by the runs that write a calendar or a page."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tripplan.catalog import Catalog

ROOT = Path(__file__).resolve().parent.parent


def test_the_compiled_template_is_current() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_template.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def _plan(cat: Catalog) -> object:
    from tripplan.schedule import PlanRequest, plan_for

    request = PlanRequest(destination="JP", joint="knee", harvest=dt.date(2027, 3, 1), nationality="US")
    return plan_for(cat=cat, request=request, today=dt.date(2026, 11, 21))


def test_the_page_is_rendered_without_compiling_the_template(cat: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    import jinja2

    from tripplan.render.html import plan_to_html

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the template was compiled at run time")

    monkeypatch.setattr(jinja2.Environment, "compile", refuse)
    page = plan_to_html(cat, _plan(cat), today=dt.date(2026, 11, 21))  # type: ignore[arg-type]
    assert b"Treatment trip plan: Japan" in page


def test_a_stale_compiled_copy_is_not_used(cat: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edited template (or another Jinja2 release) is compiled from its text: the same page either way."""
    from tripplan.render import html, plan_template

    plan = _plan(cat)
    shipped = html.plan_to_html(cat, plan, today=dt.date(2026, 11, 21))  # type: ignore[arg-type]
    compiled: list[str] = []
    real = html._environment

    def counting() -> object:
        env = real()
        original = env.compile

        def compile_(*args: object, **kwargs: object) -> object:
            compiled.append(str(args[1] if len(args) > 1 else kwargs.get("name")))
            return original(*args, **kwargs)  # type: ignore[arg-type]

        env.compile = compile_  # type: ignore[method-assign]
        return env

    monkeypatch.setattr(plan_template, "KEY", "made from another text")
    monkeypatch.setattr(html, "_environment", counting)
    again = html.plan_to_html(cat, plan, today=dt.date(2026, 11, 21))  # type: ignore[arg-type]
    assert compiled == ["plan.html.j2"]
    assert again == shipped


@pytest.mark.parametrize(
    ("args", "imported"),
    [
        ([], set()),
        (["--html", "plan.html"], {"jinja2"}),
        (["--ics", "plan.ics"], {"icalendar"}),
    ],
)
def test_jinja2_and_icalendar_are_imported_only_when_used(tmp_path: Path, args: list[str], imported: set[str]) -> None:
    code = (  # report the modules loaded however the process ends (os._exit or a normal exit)
        "import atexit, os, sys\n"
        "from tripplan.cli import run\n"
        f"sys.argv = ['tripplan', 'schedule', '--harvest', '2027-03-01', *{args!r}]\n"
        "def report():\n"
        "    sys.stderr.write('MODULES ' + ' '.join(m for m in ('jinja2', 'icalendar') if m in sys.modules) + '\\n')\n"
        "    sys.stderr.flush()\n"
        "atexit.register(report)\n"
        "real_exit = os._exit\n"
        "os._exit = lambda code: (report(), real_exit(code))\n"
        "run()\n"
    )
    env = {**os.environ, "TRIPPLAN_CACHE_DIR": "off", "TRIPPLAN_TODAY": "2026-11-21", "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES"))
    assert set(line.split()[1:]) == imported
