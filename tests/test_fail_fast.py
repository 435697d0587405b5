"""Issue 29, items 5 and 6: big catalogs edited as text (comments kept, the result what a parse gives),
length limits, a folder where no lock can be made, a closed or broken standard output, a clinic that is
never open, and temporary files of killed writes. Each reproduction with its exact input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w

from tripplan import cache
from tripplan.clinic_store import FILE, _edit, _read
from tripplan.files import remove_stale_temps, write_atomic
from tripplan.loader import parse_file

from .conftest import TODAY, Invoke
from .test_clinics import ADD

ENV = {**os.environ, "TRIPPLAN_TODAY": TODAY.isoformat(), "TRIPPLAN_CACHE_DIR": "off", "TRIPPLAN_DEBUG": ""}


def _clinic(i: int, **extra: object) -> dict[str, object]:
    return {
        "id": f"c-{i}",
        "name": f"Clinic {i}",
        "city": "Tokyo",
        "country": "JP",
        "cell_source": "adipose",
        "processing": "cultured",
        "quotes": [{"treatment": "x", "joints": ["knee"], "low": 9000, "high": 12000, "currency": "USD"}],
        **extra,
    }


def _file(n: int) -> str:
    """n clinics, each with a comment above it and one on its id line."""
    out = ["# my clinics\n"]
    for i in range(n):
        block = tomli_w.dumps({"clinics": [_clinic(i)]}).replace(f'id = "c-{i}"', f'id = "c-{i}"  # id of {i}')
        out.append(f"\n# about clinic {i}\n{block}")
    return "".join(out)


def _parsed(path: Path) -> list[object]:
    parsed, problems = parse_file(path, FILE)
    assert problems == []
    return list(parsed.get("clinics", []))


# --- item 5: edits as text ------------------------------------------------------------------------------


@pytest.mark.parametrize("which", [0, 2, 4])
def test_remove_cuts_one_clinic_with_its_comment_and_keeps_the_others(run: Invoke, data_dir: Path, which: int) -> None:
    """Issue 29: the comment written just above the removed clinic goes with it; a comment set apart by a
    blank line, the comments of the other clinics and those inside them stay."""
    path = data_dir / FILE
    apart = "# a note about the file, set apart by a blank line\n\n"
    original = _file(5).replace("# about clinic 2\n", apart + "# about clinic 2\n# more about clinic 2\n")
    path.write_text(original, encoding="utf-8")
    before = _parsed(path)
    assert run("clinics", "remove", f"c-{which}", "--yes").exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert [c.id for c in _parsed(path)] == [c.id for c in before if c.id != f"c-{which}"]  # type: ignore[attr-defined]
    for i in range(5):
        assert (f"# about clinic {i}\n" in text) is (i != which)
        assert (f'id = "c-{i}"  # id of {i}' in text) is (i != which)
    assert ("# more about clinic 2\n" in text) is (which != 2)
    assert apart in text
    assert text.startswith("# my clinics\n")
    assert text == original.replace(_block(original, f"c-{which}"), "")  # nothing else changed


def _block(text: str, clinic_id: str) -> str:
    """A clinic's text in _file's layout: from the comment lines just above its header to the blank line
    before the next clinic's comment."""
    header = text.index(f'[[clinics]]\nid = "{clinic_id}"')
    start = text.rindex("\n\n", 0, header) + 1
    end = text.find("\n\n#", header)
    return text[start : (end + 1 if end >= 0 else len(text))]


def test_add_appends_and_keeps_the_file_as_written(run: Invoke, data_dir: Path) -> None:
    path = data_dir / FILE
    original = _file(3).rstrip("\n") + "  # no newline at the end"
    path.write_text(original, encoding="utf-8")
    assert run(*ADD).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith(original + "\n")
    assert [c.id for c in _parsed(path)] == ["c-0", "c-1", "c-2", "tokyo-a"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "layout",
    [
        "inline",  # clinics = [ {...} ]: a [[clinics]] cannot be appended to it
        "string",  # a header-like line inside a multi-line note
    ],
)
def test_a_file_the_text_edit_cannot_take_is_rewritten_whole(run: Invoke, data_dir: Path, layout: str) -> None:
    path = data_dir / FILE
    fields = 'city = "Tokyo", country = "JP", cell_source = "adipose", processing = "cultured"'
    quote = 'quotes = [{ treatment = "x", joints = ["knee"], low = 9000, high = 12000, currency = "USD" }]'
    if layout == "inline":
        rows = [f'  {{ id = "c-{i}", name = "C{i}", {fields}, {quote} }},\n' for i in range(2)]
        path.write_text("# inline\nclinics = [\n" + "".join(rows) + "]\n", encoding="utf-8")
    else:
        table = fields.replace(", ", "\n") + "\n" + quote + "\n"
        path.write_text(
            f'[[clinics]]\nid = "c-0"\nname = "C0"\n{table}note = """\nsee below\n[[clinics]]\nid = "c-1"\n"""\n'
            f'\n[[clinics]]\nid = "c-1"\nname = "C1"\n{table}',
            encoding="utf-8",
        )
    before = [c.id for c in _parsed(path)]  # type: ignore[attr-defined]
    assert before == ["c-0", "c-1"]
    current, data = _read(path)
    assert _edit(data, current, remove="c-1")[1] is None  # not the text edit
    assert run("clinics", "remove", "c-1", "--yes").exit_code == 0
    assert [c.id for c in _parsed(path)] == ["c-0"]  # type: ignore[attr-defined]
    assert run(*ADD).exit_code == 0
    assert [c.id for c in _parsed(path)] == ["c-0", "tokyo-a"]  # type: ignore[attr-defined]


def test_the_cache_entry_written_after_an_edit_is_what_the_file_holds(
    run: Invoke, data_dir: Path, tmp_path: Path
) -> None:
    path = data_dir / FILE
    path.write_text(_file(4), encoding="utf-8")
    assert run(*ADD).exit_code == 0
    assert run("clinics", "remove", "c-1", "--yes").exit_code == 0
    data = path.read_bytes()
    from tripplan.loader import cache_kind, rebuilt

    store = cache.Store(folder=tmp_path / "cache")
    entry = store.read(cache_kind(path), cache.file_key(FILE, data), rebuilt)
    assert entry is not None, "the edit kept no entry: the next command validates every clinic again"
    assert isinstance(entry["clinics"], cache.Lazy)  # kept one record a line
    assert list(entry["clinics"].values()) == _parsed(path)


@pytest.mark.parametrize(
    ("field", "size", "limit"),
    [("name", 201, 200), ("name", 10_000_000, 200), ("note", 4001, 4000), ("city", 201, 200), ("claims", 4001, 4000)],
)
def test_length_limits_name_the_limit(run: Invoke, data_dir: Path, field: str, size: int, limit: int) -> None:
    """A clinic name of 10 MB kept `clinics list` busy past 20 s: now refused, the limit named."""
    (data_dir / FILE).write_text(tomli_w.dumps({"clinics": [_clinic(0, **{field: "x" * size})]}), encoding="utf-8")
    result = run("clinics", "list")
    assert result.exit_code == 1
    assert f"'{field}'" in result.stderr
    assert f"at most {limit} characters" in result.stderr


def test_length_limit_on_add(run: Invoke, data_dir: Path) -> None:
    args = list(ADD)
    args[args.index("--name") + 1] = "n" * 201
    result = run(*args)
    assert result.exit_code == 2
    assert "at most 200 characters" in result.stderr
    assert not (data_dir / FILE).exists()


def test_names_at_the_limit_are_kept(run: Invoke, data_dir: Path) -> None:
    (data_dir / FILE).write_text(
        tomli_w.dumps({"clinics": [_clinic(0, name="n" * 200, note="x" * 4000)]}), encoding="utf-8"
    )
    assert run("clinics", "show", "c-0").exit_code == 0


# --- item 6 -----------------------------------------------------------------------------------------------


def test_7_a_folder_where_no_lock_can_be_made_fails_at_once(run: Invoke) -> None:
    """tripplan --data-dir /proc/self clinics remove x -y waited 30 s on the lock."""
    result = run("--data-dir", "/proc/self", "clinics", "remove", "x", "-y")
    assert result.exit_code == 1
    assert "cannot lock the data folder /proc/self" in result.stderr


def test_7_a_lock_file_that_is_a_link_is_not_followed(run: Invoke, data_dir: Path, tmp_path: Path) -> None:
    (data_dir / (FILE + ".lock")).symlink_to(tmp_path / "elsewhere")
    result = run(*ADD)
    assert result.exit_code == 1
    assert "cannot lock the data folder" in result.stderr
    assert not (tmp_path / "elsewhere").exists()


def _tripplan(*args: str, **popen: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "tripplan", *args], env=ENV, **popen)  # type: ignore[call-overload, no-any-return]


def test_8_closed_standard_output_ends_quietly(tmp_path: Path) -> None:
    """tripplan quote --joint knee --from US >&- printed a traceback."""
    done = subprocess.run(
        ["/bin/sh", "-c", f'exec "{sys.executable}" -m tripplan quote --joint knee --from US >&-'],
        env=ENV,
        capture_output=False,
        stderr=subprocess.PIPE,
        check=False,
    )
    assert done.returncode == 1
    assert b"Traceback" not in done.stderr
    assert done.stderr == b""


@pytest.mark.parametrize("json", [False, True])
def test_8_broken_standard_output_ends_quietly(json: bool) -> None:
    """The reader goes away before anything is written (tripplan ... | head, head gone first)."""
    r, w = os.pipe()
    os.close(r)
    proc = _tripplan(
        "quote", "--joint", "knee", "--from", "US", *(["--json"] if json else []), stdout=w, stderr=subprocess.PIPE
    )
    os.close(w)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert b"Traceback" not in stderr
    assert b"Error" not in stderr


def test_11_a_clinic_never_open_is_refused(run: Invoke, data_dir: Path) -> None:
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    (data_dir / FILE).write_text(tomli_w.dumps({"clinics": [_clinic(0, closed_weekdays=days)]}), encoding="utf-8")
    result = run("schedule", "--harvest", "2029-03-01", "--clinic", "c-0")
    assert result.exit_code == 1
    assert "never open" in result.stderr
    assert "c-0" in result.stderr
    (data_dir / FILE).unlink()
    added = run(*ADD, "--closed", ",".join(days))
    assert added.exit_code == 2
    assert "never open" in added.stderr


def test_11_six_closed_days_are_still_a_clinic(run: Invoke, data_dir: Path) -> None:
    days = ["mon", "tue", "wed", "thu", "fri", "sat"]
    (data_dir / FILE).write_text(tomli_w.dumps({"clinics": [_clinic(0, closed_weekdays=days)]}), encoding="utf-8")
    assert run("clinics", "show", "c-0").exit_code == 0


# --- temporary files a killed write left --------------------------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.parametrize("target", ["plan.toml", "plan.ics", "plan.html"])
def test_a_killed_writes_temporary_file_is_removed_by_the_next_write(run: Invoke, tmp_path: Path, target: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    dead = _dead_pid()
    stale = folder / f".{target}.{dead}.abcd1234.tmp"
    stale.write_bytes(b"half")
    other = folder / f".notes.txt.{dead}.zz99zz99.tmp"  # any tripplan temporary file in that folder
    other.write_bytes(b"half")
    live = folder / f".{target}.{os.getppid()}.abcd1234.tmp"  # a running process's write: left alone
    live.write_bytes(b"writing")
    mine = folder / ".keep.tmp"  # not named as tripplan names its files
    mine.write_bytes(b"user's")
    option = {"toml": "--save", "ics": "--ics", "html": "--html"}[target.rsplit(".", 1)[1]]
    result = run("schedule", "--harvest", "2027-03-01", option, str(folder / target))
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert not other.exists()
    assert live.exists()
    assert mine.exists()
    assert (folder / target).exists()


def test_stale_temps_of_another_kind_are_left(tmp_path: Path) -> None:
    dead = _dead_pid()
    link = tmp_path / f".a.{dead}.abcd1234.tmp"
    link.symlink_to(tmp_path / "target")
    folder = tmp_path / f".b.{dead}.abcd1234.tmp"
    folder.mkdir()
    assert remove_stale_temps(tmp_path) == []
    write_atomic(tmp_path / "a", b"x", force=False)
    assert link.is_symlink()
    assert folder.is_dir()


@pytest.mark.parametrize(("remove", "add"), [(0, 0), (2, 0), (4, 0), (None, 2), (3, 1), (None, 0)])
def test_an_edited_entry_is_the_entry_of_the_edited_records(tmp_path: Path, remove: int | None, add: int) -> None:
    """The cache entry kept after an edit, spliced from the old one, decodes to the very records a fresh
    encoding of the new list gives (first, middle, last removed; added; both)."""
    from tripplan.frozen import validate
    from tripplan.loader import by_line, cache_kind, rebuilt
    from tripplan.models import Clinic

    folder, path = tmp_path / "cache", tmp_path / FILE
    folder.mkdir()
    store, kind = cache.Store(folder=folder), cache_kind(path)
    records = validate(list[Clinic], [_clinic(i, note=f'a "quoted", {{braced}} note {i}') for i in range(5)])
    lines = by_line(FILE)
    store.write(kind, "old", {"clinics": records}, lines)
    assert list(store.read(kind, "old", rebuilt)["clinics"].values()) == records  # loaded in this process
    added = validate(list[Clinic], [_clinic(10 + i) for i in range(add)])
    gone = records[remove] if remove is not None else None
    assert store.write_edited(kind, "old", "new", "clinics", {c.id: c for c in added}, gone and gone.id)
    expected = [r for r in records if r is not gone] + added
    raw = store.entry(kind, "new").read_bytes()
    assert dict(cache.decode(raw, "new", rebuilt)["clinics"]) == {c.id: c for c in expected}
    assert raw == cache.encode({"clinics": expected}, "new", lines)  # byte for byte what a full encoding writes
    assert not store.entry(kind, "old").exists()


def test_an_entry_not_loaded_here_is_not_spliced(tmp_path: Path) -> None:
    from tripplan.frozen import validate
    from tripplan.models import Clinic

    records = validate(list[Clinic], [_clinic(0)])
    from tripplan.loader import cache_kind

    store = cache.Store(folder=tmp_path)
    added = {c.id: c for c in records}
    assert not store.write_edited(cache_kind(tmp_path / FILE), "never-loaded", "new", "clinics", added, None)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("which", [1, 2])
def test_a_rewrite_through_tomlkit_also_takes_the_removed_clinics_comment(
    run: Invoke, data_dir: Path, which: int
) -> None:
    """A layout the text edit cannot take (a header-like line inside a multi-line note) goes through
    tomlkit, which keeps the comments above a header in the table before it: they are moved so that the
    removed clinic's own comment goes and the next clinic's stays."""
    path = data_dir / FILE
    blocks = [tomli_w.dumps({"clinics": [_clinic(i)]}) for i in range(3)]
    blocks[0] = blocks[0].replace('id = "c-0"\n', 'id = "c-0"\nnote = """\nsee\n[[clinics]]\n"""\n')
    path.write_text(
        "# my clinics\n" + "".join(f"\n# about clinic {i}\n{b}" for i, b in enumerate(blocks)), encoding="utf-8"
    )
    assert run("clinics", "remove", f"c-{which}", "--yes").exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert [c.id for c in _parsed(path)] == [f"c-{i}" for i in range(3) if i != which]  # type: ignore[attr-defined]
    for i in range(3):
        assert (f"# about clinic {i}\n" in text) is (i != which)
    assert text.index("# about clinic 0") < text.index('id = "c-0"')
    other = 3 - which
    assert text.index(f"# about clinic {other}") < text.index(f'id = "c-{other}"')  # still just above its clinic
    assert text.index('id = "c-0"') < text.index(f"# about clinic {other}")
