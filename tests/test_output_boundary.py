"""Issue 29, items 1 and 2: one output boundary. Nothing hostile in data, a path, the environment or the
user's own arguments reaches a terminal, a page or a calendar raw; plain data tables are checked like
records. Each reproduction of the issue is here with its exact input."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import icalendar
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tripplan.textsafe import HIDDEN, REFUSED, refused, visible, visible_json, web_address

from .conftest import Invoke

ESC = "\x1b"
OSC52 = "\x1b]52;c;aGVsbG8=\x07"  # an escape that writes the terminal's clipboard
HOSTILE = [
    "\x00",
    "\x07",
    "\x08",
    "\x1b",
    "\r",
    "\x7f",
    "\x85",
    "\x9b",
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


# written out here, not taken from textsafe, so a fault there cannot hide itself
RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\U000e0000-\U000e007f]"
)


def raw(text: str) -> list[str]:
    """The hidden characters in an output (a newline and a tab are allowed)."""
    return RAW.findall(text)


# --- the function itself ---------------------------------------------------------------------------


def test_visible_escapes_exactly_the_hidden_categories() -> None:
    """Every Cc (but tab and newline), Cf, Zl and Zp character of this Python's Unicode is escaped, and
    nothing else but four blank fillers: checked over every code point, not a sample."""
    fillers = {0x34F, 0x115F, 0x1160, 0x3164, 0xFFA0}
    wrong = []
    for n in range(0x110000):
        if 0xD800 <= n < 0xE000:
            continue
        c = chr(n)
        category = unicodedata.category(c)
        want = (category in ("Cc", "Cf", "Zl", "Zp") and c not in "\t\n") or n in fillers
        if want != bool(HIDDEN.fullmatch(c)) and category != "Cn":  # a newer Unicode's format character
            wrong.append(f"U+{n:04X} {category}")
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[2J90", "\\x1b[2J90"),
        (OSC52, "\\x1b]52;c;aGVsbG8=\\x07"),
        ("abc\u202edef", "abc\\u202edef"),
        ("a\u200bb", "a\\u200bb"),
        ("tag\U000e0041", "tag\\U000e0041"),
        ("line\nnext\ttab", "line\nnext\ttab"),
        ("Tōkyō 東京 😀", "Tōkyō 東京 😀"),
    ],
)
def test_visible(text: str, shown: str) -> None:
    assert visible(text) == shown
    assert visible(visible(text)) == visible(text)


@given(st.text())
def test_visible_json_is_the_same_data_with_nothing_hidden(text: str) -> None:
    dumped = visible_json(json.dumps({"k": text}, ensure_ascii=False))
    assert raw(dumped) == []
    assert json.loads(dumped) == {"k": text}


def test_refused_names_the_character() -> None:
    assert refused("ok 東京\u200d") is None  # a zero-width joiner is data (shown escaped, not refused)
    assert "control character" in (refused("\x1b[2J") or "")
    assert "\\x1b" in (refused("\x1b[2J") or "")
    assert "bidirectional" in (refused("a\u202eb") or "")
    assert "\\u202e" in (refused("a\u202eb") or "")
    assert REFUSED.search("\u2066")
    assert not REFUSED.search("tab\tand\nnewline")


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://www.mhlw.go.jp/x", True),
        ("HTTP://example.org", True),
        ("javascript:alert(document.domain)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("  javascript:alert(1)", False),
        ("https:/no-host", False),
        ("vbscript:x", False),
        ("https://example.org/\u202egnp.exe", False),
        ("", False),
    ],
)
def test_web_address(url: str, link: bool) -> None:
    assert web_address(url) is link


# --- reproductions, exact inputs --------------------------------------------------------------------


def test_1_escape_in_a_key_is_not_echoed_raw(run: Invoke, data_dir: Path) -> None:
    """printf '["\\u001b]52;c;…\\u0007x"]\\na = 1\\n' > d/clinics.toml; tripplan data check"""
    (data_dir / "clinics.toml").write_text('["\\u001b]52;c;aGVsbG8=\\u0007x"]\na = 1\n', encoding="utf-8")
    result = run("data", "check")
    assert result.exit_code == 1
    assert "unknown section" in result.stderr
    assert "\\x1b]52;c;aGVsbG8=\\x07x" in result.stderr
    assert raw(result.output) == []


def test_1_escape_in_a_record_field_name_is_not_echoed_raw(run: Invoke, data_dir: Path) -> None:
    (data_dir / "sources.toml").write_text(
        '[[sources]]\nid = "x"\nkind = "article"\ntitle = "t"\npublisher = "p"\n"\\u001b[2Jkey" = 1\n', encoding="utf-8"
    )
    result = run("data", "check")
    assert result.exit_code == 1
    assert "\\x1b[2Jkey" in result.stderr
    assert raw(result.output) == []


VISAS = '[requirements.US]\nJP = "\\u001b[2J90"\n'


@pytest.mark.parametrize(
    "args", [["visa", "--from", "US"], ["quote", "--joint", "knee", "--from", "US"], ["data", "check"]]
)
def test_2_plain_table_value_is_refused_with_file_table_and_key(run: Invoke, data_dir: Path, args: list[str]) -> None:
    """[requirements.US] JP = "\\u001b[2J90" in a user visas.toml: refused, named, never shown raw."""
    (data_dir / "visas.toml").write_text(VISAS, encoding="utf-8")
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert "visas.toml" in result.stderr
    assert "[requirements]" in result.stderr
    assert "US.JP" in result.stderr
    assert "control character" in result.stderr
    assert "\\x1b" in result.stderr
    assert raw(result.output) == []


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("country_names.toml", '[names]\nXX = "\\u202eniapS"\n', "XX"),
        ("country_names.toml", '[names]\n"X\\u001bX" = "Nowhere"\n', "X\\x1bX"),
        ("currencies.toml", '[territories]\n"J\\u202eP" = "JPY"\n', "J\\u202eP"),
        ("visas.toml", '[requirements."U\\u0007S"]\nJP = "90"\n', "U\\x07S"),
    ],
)
def test_2_plain_table_keys_and_values_are_checked(
    run: Invoke, data_dir: Path, name: str, text: str, where: str
) -> None:
    (data_dir / name).write_text(text, encoding="utf-8")
    result = run("data", "check")
    assert result.exit_code == 1, result.output
    assert name in result.stderr
    assert where in result.stderr
    assert "control character" in result.stderr or "bidirectional" in result.stderr
    assert raw(result.output) == []


SOURCE = '[[sources]]\nid = "{id}"\nkind = "article"\ntitle = "Evil"\npublisher = "p"\nurl = "{url}"\n'


@pytest.mark.parametrize("url", ["javascript:alert(document.domain)", "data:text/html;base64,PHNjcmlwdD4="])
def test_3_a_source_address_must_be_http(run: Invoke, data_dir: Path, url: str) -> None:
    (data_dir / "sources.toml").write_text(SOURCE.format(id="evil", url=url), encoding="utf-8")
    result = run("data", "check")
    assert result.exit_code == 1
    assert "sources.toml" in result.stderr
    assert "'url'" in result.stderr
    assert "http" in result.stderr


def test_3_the_page_links_only_http_addresses(cat: object, tmp_path: Path, run: Invoke) -> None:
    """Even a source that bypassed the data check (a record built in memory) is plain text on the page."""
    import datetime as dt
    from dataclasses import replace

    from tripplan.render import html

    result = run("schedule", "--harvest", "2027-03-01", "--from", "US", "--save", str(tmp_path / "p.toml"))
    assert result.exit_code == 0, result.output
    from tripplan.export import read_saved

    plan = read_saved(tmp_path / "p.toml", new_id="0" * 16).record
    bad = ["javascript:alert(document.domain)", "data:text/html,x", "vbscript:x", "https:/nohost"]
    sources = {
        sid: replace(s, url=bad[i % len(bad)])
        for i, (sid, s) in enumerate(cat.sources.items())  # type: ignore[attr-defined]
    }
    page = html.plan_to_html(replace(cat, sources=sources), plan, today=dt.date(2026, 11, 21)).decode()
    assert "javascript:alert(document.domain)" in page  # shown, as text
    assert 'href="javascript' not in page.lower()
    assert all(h.startswith(("http://", "https://", "#")) for h in re.findall(r'href="([^"]*)"', page))


def test_9_escape_in_the_data_folder_and_in_a_typed_id(run: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "d\x1b[2J\u202e"
    result = run("clinics", "show", f"x{OSC52}", env={"TRIPPLAN_DATA_DIR": str(folder)})
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert "d\\x1b[2J\\u202e" in result.stderr
    assert "x\\x1b]52;c;aGVsbG8=\\x07" in result.stderr
    assert raw(result.output) == []


@pytest.mark.parametrize(
    "args",
    [
        ["quote", "--joint", f"k{OSC52}", "--from", "US"],
        ["quote", "--joint", "knee", "--from", "U\u202eS"],
        ["schedule", "--harvest", "2027-03-01\x1b[2J"],
        ["compare", "--countries", "JP,\x1b[31mMX"],
        ["clinics", "remove", "x\x1b[2J", "--yes"],
        ["quote", f"--bogus{OSC52}"],  # Click's own usage error echoes the option
        ["data", "check", "/nonexistent/\x1b[2J"],
    ],
)
def test_9_the_users_own_arguments_are_shown_safely(run: Invoke, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code in (1, 2), result.output
    assert raw(result.output) == [], result.output
    assert "\\x1b" in result.output or "\\u202e" in result.output


def _clinic(**fields: object) -> str:
    record = {
        "id": "mine",
        "name": "My clinic",
        "city": "Tokyo",
        "country": "JP",
        "cell_source": "adipose",
        "processing": "cultured",
        "quotes": [{"treatment": "x", "joints": ["knee"], "low": 9000, "high": 12000, "currency": "USD"}],
    }
    return tomli_w.dumps({"clinics": [{**record, **fields}]})


def test_10_bidi_controls_in_a_clinic_are_refused(run: Invoke, data_dir: Path) -> None:
    (data_dir / "clinics.toml").write_text(_clinic(name="Good \u202eCIMS", note="\u2066x\u2069"), encoding="utf-8")
    result = run("clinics", "list")
    assert result.exit_code == 1
    assert "clinics.toml" in result.stderr
    assert "'name'" in result.stderr
    assert "\\u202e" in result.stderr
    assert "bidirectional" in result.stderr
    assert raw(result.output) == []


def test_10_zero_width_characters_are_shown_in_terminal_json_page_and_calendar(
    run: Invoke, data_dir: Path, tmp_path: Path
) -> None:
    name = "Tokyo\u200b Knee\u2060 Clinic\ufeff"
    (data_dir / "clinics.toml").write_text(_clinic(name=name, note="see\u200dme"), encoding="utf-8")
    shown = run("clinics", "show", "mine")
    assert shown.exit_code == 0, shown.output
    assert visible(name) in shown.stdout
    assert "see\\u200dme" in shown.stdout
    assert raw(shown.output) == []
    assert json.loads(run("clinics", "show", "mine", "--json").stdout)["name"] == name
    assert raw(run("clinics", "show", "mine", "--json").stdout) == []
    page, ics = tmp_path / "p.html", tmp_path / "p.ics"
    result = run("schedule", "--harvest", "2027-03-01", "--clinic", "mine", "--html", str(page), "--ics", str(ics))
    assert result.exit_code == 0, result.output
    assert raw(result.output) == []
    assert visible(name) in result.stdout
    html_text = page.read_text(encoding="utf-8")
    assert raw(html_text) == []
    assert visible(name) in html_text
    ics_text = ics.read_text(encoding="utf-8").replace("\r\n", "\n")
    assert raw(ics_text) == []
    icalendar.Calendar.from_ical(ics.read_bytes())


def test_rich_markup_and_emoji_codes_in_data_are_shown_as_written(run: Invoke, data_dir: Path) -> None:
    name = "[bold red]Loud[/bold red] [link=https://evil.example]x[/link] :warning:"
    (data_dir / "clinics.toml").write_text(_clinic(name=name, city="[blink]Osaka"), encoding="utf-8")
    for args in (
        ["clinics", "show", "mine"],
        ["clinics", "list"],
        ["quote", "--joint", "knee", "--from", "US", "--clinic", "mine"],
    ):
        result = run(*args, env={"COLUMNS": "400"})
        assert result.exit_code == 0, result.output
        assert name in result.stdout or "[bold red]Loud" in result.stdout, (args, result.stdout)
        assert "⚠" not in result.stdout


def test_5_saved_plan_text_is_never_printed_raw(run: Invoke, tmp_path: Path) -> None:
    """Escapes planted in a saved plan (warnings, cell_source): refused or shown escaped, never raw."""
    saved = tmp_path / "p.toml"
    assert run("schedule", "--harvest", "2027-03-01", "--from", "US", "--save", str(saved)).exit_code == 0
    text = saved.read_text(encoding="utf-8")
    planted = re.sub(r'^cell_source = ".*"$', 'cell_source = "\\\\u001b[2Jfat"', text, count=1, flags=re.M)
    planted += '\nwarnings = ["\\u001b]52;c;aGVsbG8=\\u0007 \\u202eevil"]\n' if "\nwarnings" not in text else ""
    saved.write_text(planted, encoding="utf-8")
    result = run("schedule", "--plan", str(saved))
    assert raw(result.output) == [], result.output


# --- the property: every renderer, every hostile character --------------------------------------------

hostile_text = st.text(
    alphabet=st.sampled_from([*HOSTILE, "[", "]", "/", "b", ":", "x", "\\", " ", "é", "東"]), min_size=1, max_size=10
)


@pytest.fixture
def unchecked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The data checks switched off, so hostile text reaches the renderers (the boundary is the last line,
    not the only one)."""
    import tripplan.frozen
    import tripplan.textsafe

    never = re.compile(r"(?!)")
    monkeypatch.setattr(tripplan.frozen, "REFUSED", never)
    monkeypatch.setattr(tripplan.textsafe, "REFUSED", never)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=hostile_text)
def test_every_renderer_shows_hostile_text_escaped(
    text: str, run: Invoke, data_dir: Path, tmp_path: Path, unchecked: None
) -> None:
    """A clinic whose every text field holds `text`, through the table (clinics show/list, quote,
    schedule), JSON, the page, the calendar, an error (the text typed as an id) and a warning (the text in
    the data folder's name)."""
    fields = {k: f"{k} {text}" for k in ("name", "city", "note", "claims", "contact", "processor", "cell_source")}
    (data_dir / "clinics.toml").write_text(_clinic(**fields), encoding="utf-8")
    page, ics = tmp_path / "p.html", tmp_path / "p.ics"
    outputs = []
    for args in (
        ["clinics", "show", "mine"],
        ["clinics", "list", "--all"],
        ["quote", "--joint", "knee", "--from", "US", "--clinic", "mine"],
        ["schedule", "--harvest", "2027-03-01", "--clinic", "mine", "--html", str(page), "--ics", str(ics), "--force"],
    ):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        outputs.append(result.output)
    shown = run("clinics", "show", "mine", "--json")
    assert json.loads(shown.stdout)["name"] == fields["name"]  # the data itself, unchanged
    outputs.append(shown.stdout)
    outputs.append(page.read_text(encoding="utf-8"))
    outputs.append(ics.read_text(encoding="utf-8").replace("\r\n", "\n"))
    icalendar.Calendar.from_ical(ics.read_bytes())
    typed = text.replace("\x00", "")  # an argument or a path cannot hold a NUL
    outputs.append(run("clinics", "show", f"id{typed}").output)
    outputs.append(run("visa", "--from", "US", env={"TRIPPLAN_DATA_DIR": str(tmp_path / f"d{typed}")}).output)
    for output in outputs:
        assert raw(output) == [], output
    assert visible(fields["name"]) in outputs[0]


MARKUP = "[/] [/bold] [red]"  # any place that read it as Rich markup fails ("closing tag … nothing to close")


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["clinics", "show", "mine"], True),
        (["clinics", "list"], True),
        (["clinics", "check", "mine"], True),
        (["quote", "--joint", "knee", "--from", "NZ", "--airport", "AKL"], True),
        (["quote", "--joint", "knee", "--from", "US", "--clinic", "mine"], True),
        (["schedule", "--harvest", "2027-03-01", "--from", "US", "--clinic", "mine"], True),
        (["compare", "--countries", "JP,MX", "--from", "NZ", "--airport", "AKL"], True),
        (["visa", "--from", "NZ"], True),
        (["safety"], False),
        (["data", "sources"], True),
    ],
)
def test_markup_in_any_data_is_never_interpreted(run: Invoke, data_dir: Path, args: list[str], shown: bool) -> None:
    (data_dir / "clinics.toml").write_text(
        _clinic(name=f"N {MARKUP}", city=f"C {MARKUP}", note=MARKUP, claims=MARKUP, cell_source=f"fat {MARKUP}"),
        encoding="utf-8",
    )
    (data_dir / "country_names.toml").write_text(f'[names]\nNZ = "Zealand {MARKUP}"\n', encoding="utf-8")
    (data_dir / "sources.toml").write_text(
        f'[[sources]]\nid = "mine"\nkind = "article"\ntitle = "T {MARKUP}"\npublisher = "P {MARKUP}"\nurl = "https://example.org/"\n',
        encoding="utf-8",
    )
    result = run(*args, env={"COLUMNS": "200"})
    assert result.exit_code in (0, 1), result.output  # clinics check exits 1 on a red flag
    assert "Internal error" not in result.output
    assert not shown or MARKUP in result.stdout, result.stdout


def _plain_tables() -> list[tuple[str, str]]:
    from tripplan.loader import SECTIONS

    return [(name, section) for name, spec in SECTIONS.items() for section, entry in spec.items() if entry.plain]


@pytest.mark.parametrize(("name", "section"), _plain_tables())
def test_2_every_plain_table_checks_its_keys(run: Invoke, data_dir: Path, name: str, section: str) -> None:
    """Any table-shaped file, present or future: a hostile key beside a value the shipped file holds."""
    import tomllib

    from tripplan.loader import shipped_data_dir

    shipped = tomllib.loads((shipped_data_dir() / name).read_text(encoding="utf-8")).get(section)
    value = next(iter(shipped.values())) if shipped else {"JP": "90"}  # a table only users write: [requirements]
    (data_dir / name).write_text(tomli_w.dumps({section: {"K\u202eY\x1b": value}}), encoding="utf-8")
    result = run("data", "check")
    assert result.exit_code == 1, result.output
    assert name in result.stderr
    assert f"[{section}]" in result.stderr
    assert "K\\u202eY" in result.stderr
    assert raw(result.output) == []
