"""Hardening: no argument and no broken data file makes tripplan crash.

Every run must end with exit 0, 1 or 2, never a traceback and never an "Internal error" (which is what
tripplan prints when a bug escapes); with --json and exit 0, stdout must parse as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from tripplan.cli import app
from tripplan.loader import SECTIONS, shipped_data_dir

from .conftest import TODAY

# Characters that act on a terminal or a page instead of being seen: C0/C1 controls (escapes, bell,
# carriage return), bidirectional controls, zero-width characters, separators, a tag. Written out here
# (not taken from tripplan.textsafe) so that a gap there cannot hide itself.
HOSTILE = [
    "\x1b[2J",
    "\x1b]52;c;aGVsbG8=\x07",
    "\x07",
    "\x08",
    "\r",
    "\x7f",
    "\x9b31m",
    "\u200b",
    "\u200d",
    "\u200e",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u2028",
    "\ufeff",
    "\U000e0041",
]
RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\U000e0000-\U000e007f]"
)

NASTY = [
    "",
    " ",
    "JP",
    "jp,MX",
    "XX",
    "JPN",
    "japan",
    "US",
    "CN",
    "LAX",
    "knee",
    "Knee",
    "hip",
    "JP,JP",
    ",",
    "JP,,",
    "2026-02-29",
    "2028-02-29",
    "2026-13-01",
    "0001-01-01",
    "9999-12-31",
    "1970-01-01",
    "2035-12-31",
    "-3",
    "0",
    "6-3",
    "0-0",
    "3-6",
    "99999999999",
    "1e309",
    "nan",
    "-inf",
    "1.5",
    "ÅÄÖ",
    "😀",
    "\x00",
    "a" * 300,
    "--json",
    "-",
    "osteoarthritis",
    "jp-tokyo-cultured-adipose",
    "Δ",
    "../../etc/passwd",
    *HOSTILE,  # every hostile string below, as a whole argument
    "JP\x1b[2J",
    "knee\u202e",
    "[bold]US[/bold]",
    ":warning:",
]
values = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(NASTY),  # twice: the known-nasty values are drawn as often as random ones
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.text(max_size=15),
    st.lists(st.sampled_from([*HOSTILE, "a", "JP", ",", "-", "1", "knee"]), min_size=1, max_size=5).map("".join),
    st.integers(-(10**15), 10**15).map(str),
)

COMMANDS: dict[str, list[str]] = {
    "quote": [
        "--joint",
        "--from",
        "--condition",
        "--to",
        "--clinic",
        "--airport",
        "--currency",
        "--fare",
        "--nightly",
        "--daily",
        "--visa-fee",
        "--rate",
    ],
    "schedule": ["--harvest", "--to", "--clinic", "--from", "--airport", "--culture-weeks", "--inject"],
    "compare": ["--countries", "--from", "--joint", "--airport", "--sort"],
    "visa": ["--from", "--to"],
    "clinics list": ["--country", "--joint"],
    "clinics show": [],
    "clinics check": ["--language"],
    "data check": [],
}
FLAGS = {"quote": ["--companion"], "schedule": ["--stay-through"]}
REQUIRED = {"quote": ["--joint", "--from"], "compare": ["--countries"], "visa": ["--from"], "schedule": ["--harvest"]}


@st.composite
def invocations(draw: st.DrawFn) -> list[str]:
    name = draw(st.sampled_from(sorted(COMMANDS)))
    args = name.split()
    options = COMMANDS[name]
    chosen = list(REQUIRED.get(name, []))
    chosen += draw(st.lists(st.sampled_from(options), max_size=4)) if options else []  # repeats allowed
    for opt in chosen:
        args += [opt, draw(values)]
    if name in ("clinics show", "data check") or (name == "clinics check" and draw(st.booleans())):
        args.append(draw(values))
    for flag in FLAGS.get(name, []):
        if draw(st.booleans()):
            args.append(flag)
    if draw(st.booleans()):
        args.append("--json")
    return args


def invoke(args: list[str], user_dir: Path) -> Result:
    """Run tripplan and check what every run must satisfy, whatever the arguments."""
    env = {
        "COLUMNS": "100",
        "NO_COLOR": "1",
        "TRIPPLAN_TODAY": TODAY.isoformat(),
        "TRIPPLAN_DATA_DIR": str(user_dir),
        "TRIPPLAN_CACHE_DIR": "off",
    }
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    assert "Traceback" not in result.output, (args, result.output)
    assert "Internal error" not in result.output, (args, result.output)
    assert RAW.findall(result.output) == [], (args, result.output)  # nothing hidden reaches the terminal
    if result.exit_code == 0 and args[-1] == "--json":  # the flag the strategy appends last
        json.loads(result.stdout, parse_constant=_not_json)  # strict: NaN and Infinity are not JSON
    return result


def _not_json(word: str) -> None:
    raise AssertionError(f"{word} in --json output: not strict JSON")


@pytest.mark.parametrize(
    "args",
    [
        ["schedule", "--harvest", "0001-01-01"],
        ["schedule", "--harvest", "9999-12-31"],
        ["schedule", "--harvest", "2026-03-01", "--culture-weeks", "0-0"],
        ["schedule", "--harvest", "2026-03-01", "--culture-weeks", "999-9999"],
        ["schedule", "--harvest", "2026-03-01", "--inject", "9999-12-31"],
        ["quote", "--joint", "knee", "--from", "US", "--rate", "nan"],
        ["quote", "--joint", "knee", "--from", "US", "--fare", "99999999999"],
        ["compare", "--countries", "JP", "--sort", "😀"],
    ],
)
def test_known_edges(args: list[str], tmp_path: Path) -> None:
    result = invoke(args, tmp_path / "u")
    assert result.exit_code == 2, result.output


LONG = "a" * 300  # longer than a file name may be (found by the argument fuzzer)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["data", "check", LONG], "cannot be read: File name too long"),
        (["schedule", "--harvest", "2027-03-01", "--save", LONG], "File name too long"),
        (["schedule", "--harvest", "2027-03-01", "--ics", f"{LONG}/x.ics"], "File name too long"),
        (["schedule", "--plan", LONG], "File name too long"),
        (["--data-dir", LONG, "quote", "--joint", "knee", "--from", "US"], "File name too long"),
        (["clinics", "add", "--from-file", LONG], "File name too long"),
    ],
)
def test_impossible_paths(args: list[str], message: str, tmp_path: Path) -> None:
    result = invoke(args, tmp_path / "u")
    assert result.exit_code == 1, result.output
    assert message in result.stderr


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(args=invocations())
def test_argument_fuzzing(args: list[str], tmp_path: Path) -> None:
    invoke(args, tmp_path / "fuzz-user")


def _mutations(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    kind = rng.randrange(5)
    if kind == 4 and text:  # hostile characters put anywhere: in keys, ids, values, section names
        chars = list(text)
        for _ in range(rng.randint(1, 3)):
            chars.insert(rng.randrange(len(chars)), rng.choice(HOSTILE))
        return "".join(chars)
    if kind == 0 and text:  # random bytes changed
        chars = list(text)
        for _ in range(rng.randint(1, 5)):
            chars[rng.randrange(len(chars))] = rng.choice(["=", "[", "]", '"', "\n", "x", "9", "-", "{", "é", "\x00"])
        return "".join(chars)
    if kind == 1 and lines:  # lines deleted
        for _ in range(rng.randint(1, min(5, len(lines)))):
            lines.pop(rng.randrange(len(lines)))
        return "".join(lines)
    if kind == 2 and len(lines) > 2:  # field values swapped between two lines
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        a, b = lines[i].partition("="), lines[j].partition("=")
        if a[1] and b[1]:
            lines[i], lines[j] = a[0] + "=" + b[2], b[0] + "=" + a[2]
        return "".join(lines)
    return text[: rng.randrange(len(text) + 1)]  # truncated


DATA_CASES = [(name, seed) for name in sorted(SECTIONS) for seed in range(12)]


@pytest.mark.parametrize(("name", "seed"), DATA_CASES, ids=[f"{n}-{s}" for n, s in DATA_CASES])
def test_data_fuzzing(name: str, seed: int, tmp_path: Path) -> None:
    rng = random.Random(f"{name}-{seed}")
    user = tmp_path / "user"
    user.mkdir()
    text = (shipped_data_dir() / name).read_text(encoding="utf-8")
    if len(text) > 20000:  # the big generated files: mutate a slice to keep the run fast
        text = text[:20000].rsplit("\n[", 1)[0] + "\n"
    (user / name).write_bytes(_mutations(text, rng).encode("utf-8", "surrogatepass"))
    for args in (
        ["data", "check"],
        ["quote", "--joint", "knee", "--from", "US"],
        ["schedule", "--harvest", "2027-03-01"],
    ):
        result = invoke(args, user)
        if result.exit_code == 1:
            assert name in result.stderr, result.stderr


SPECIAL = ["fifo", "folder", "dangling-link", "link-loop", "link-to-dev-zero"]
SPECIAL_CASES = [(name, kind) for name in sorted(SECTIONS) for kind in SPECIAL]


@pytest.mark.parametrize(("name", "kind"), SPECIAL_CASES, ids=[f"{n}-{k}" for n, k in SPECIAL_CASES])
def test_data_fuzzing_special_files(name: str, kind: str, tmp_path: Path) -> None:
    """A data file that is not a regular file: a clear message naming it, exit 1, never a hang."""
    user = tmp_path / "user"
    user.mkdir()
    target = user / name
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    elif kind == "dangling-link":
        target.symlink_to(tmp_path / "missing.toml")
    elif kind == "link-loop":
        target.symlink_to(target)
    else:
        target.symlink_to("/dev/zero")
    for args in (["data", "check"], ["quote", "--joint", "knee", "--from", "US"]):
        result = invoke(args, user)
        assert name in result.stderr, result.stderr
        if name == "clinics.toml" and args[0] == "quote":  # a command that reads no clinic runs, warned
            assert result.exit_code == 0, (kind, result.output)
            assert result.stderr.startswith("Warning: "), result.stderr
            continue
        assert result.exit_code == 1, (kind, result.output)
