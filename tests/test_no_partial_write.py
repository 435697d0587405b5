"""A refused output target leaves nothing written: schedule checks every target before writing any."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Invoke


def _exists(p: Path) -> None:
    p.write_text("mine", encoding="utf-8")


def _link(p: Path) -> None:
    (p.parent / "elsewhere.html").write_text("other", encoding="utf-8")
    p.symlink_to(p.parent / "elsewhere.html")


def _folder(p: Path) -> None:
    p.mkdir()


def _fifo(p: Path) -> None:
    os.mkfifo(p)


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (_exists, "already exists; add --force"),
        (_link, "symbolic link"),
        (_folder, "it is a folder"),
        (_fifo, "not a regular file"),
    ],
)
@pytest.mark.parametrize("bad", ["--ics", "--save", "--html"])
def test_one_bad_target_writes_nothing(
    run: Invoke, tmp_path: Path, make: Callable[[Path], None], said: str, bad: str
) -> None:
    targets = {"--ics": tmp_path / "plan.ics", "--save": tmp_path / "plan.toml", "--html": tmp_path / "plan.html"}
    make(targets[bad])
    args = [x for flag, path in targets.items() for x in (flag, str(path))]
    result = run("schedule", "--harvest", "2027-03-01", "--from", "US", *args)
    assert result.exit_code == 1, result.output
    assert said in " ".join(result.stderr.split())
    for flag, path in targets.items():
        if flag != bad:
            assert not path.exists(), f"{flag} was written although {bad} was refused"
    assert "Traceback" not in result.output


def test_a_missing_folder_writes_nothing(run: Invoke, tmp_path: Path) -> None:
    ok = tmp_path / "ok.ics"
    result = run("schedule", "--harvest", "2027-03-01", "--ics", str(ok), "--html", str(tmp_path / "no" / "p.html"))
    assert result.exit_code == 1, result.output
    assert "does not exist" in " ".join(result.stderr.split())
    assert not ok.exists()


def test_force_replaces_every_target(run: Invoke, tmp_path: Path) -> None:
    ics, html = tmp_path / "ok.ics", tmp_path / "exist.ics"
    _exists(html)
    assert run("schedule", "--harvest", "2027-03-01", "--ics", str(ics), "--html", str(html)).exit_code == 1
    assert not ics.exists()
    assert html.read_text(encoding="utf-8") == "mine"
    result = run("schedule", "--harvest", "2027-03-01", "--ics", str(ics), "--html", str(html), "--force")
    assert result.exit_code == 0, result.output
    assert ics.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
