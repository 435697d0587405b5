"""clinics: add/list/show/remove round trip, red flags, and a file that is never lost."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
from pathlib import Path

import pytest

from tripplan.catalog import Catalog
from tripplan.clinic_store import add_clinics
from tripplan.frozen import validate
from tripplan.loader import load_catalog
from tripplan.models import Clinic
from tripplan.redflags import check_clinic

from .conftest import Invoke

ADD = (
    "clinics",
    "add",
    "--id",
    "tokyo-a",
    "--name",
    "Clinic A",
    "--city",
    "Tokyo",
    "--country",
    "JP",
    "--licence",
    "PB3000001",
    "--asrm-class",
    "II",
    "--cell-source",
    "adipose",
    "--processing",
    "cultured",
    "--treatment",
    "cultured adipose MSC",
    "--joints",
    "knee",
    "--price",
    "1500000-1800000",
    "--currency",
    "JPY",
    "--languages",
    "en,ja",
)


def clean(**kw: object) -> Clinic:
    base: dict[str, object] = {
        "id": "clean",
        "name": "Clean",
        "city": "Tokyo",
        "country": "JP",
        "licence": "PB3000001",
        "asrm_class": "II",
        "cell_source": "adipose",
        "processing": "cultured",
        "languages": ["en"],
        "quotes": [
            {"treatment": "cultured adipose MSC", "joints": ["knee"], "low": 9000, "high": 14000, "currency": "USD"}
        ],
    }
    base.update(kw)
    clinic: Clinic = validate(Clinic, base)
    return clinic


def test_a_clean_clinic_with_every_safety_field_stays_clean(cat: Catalog) -> None:
    c = clean(
        route="intra-articular",
        processor="Clean Cell Processing Centre",
        plan_number="PB3180014",
        committee="A specified certified committee",
        claims="Plan filed with the ministry after committee review; risks explained in writing",
    )
    assert check_clinic(cat=cat, clinic=c, language="en").flags == []


def test_plan_number_is_shown_unverified(run: Invoke, data_dir: Path) -> None:
    assert run(*ADD, "--plan-number", "PB3180014", "--route", "intra-articular").exit_code == 0
    shown = " ".join(run("clinics", "show", "tokyo-a").stdout.split())
    assert "PB3180014 (as the clinic gave it; tripplan has not verified it; look it up on the MHLW register" in shown


def test_cli_check_iv_cultured_clinic(run: Invoke, data_dir: Path) -> None:
    assert run(*ADD, "--route", "intravenous", "--processor", "Kohjin Bio Saitama").exit_code == 0
    result = run("clinics", "check", "tokyo-a")
    assert result.exit_code == 1
    text = " ".join(result.stdout.split())
    assert "cultured cells given intravenously" in text
    assert "is named in a regulatory action: 2026-01-23" in text


def test_round_trip(run: Invoke, data_dir: Path) -> None:
    result = run(*ADD, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"added": ["tokyo-a"], "file": str(data_dir / "clinics.toml")}
    path = data_dir / "clinics.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    listed = json.loads(run("clinics", "list", "--country", "JP", "--json").stdout)
    mine = [c for c in listed if c["user"]]
    assert [c["id"] for c in mine] == ["tokyo-a"]
    shown = json.loads(run("clinics", "show", "tokyo-a", "--json").stdout)
    assert shown["quotes"][0]["low"] == 1500000
    removed = run("clinics", "remove", "tokyo-a", "--yes", "--json")
    assert json.loads(removed.stdout)["removed"] == "tokyo-a"
    assert (data_dir / "clinics.toml.bak").exists()
    assert all(not c["user"] for c in json.loads(run("clinics", "list", "--json").stdout))


def test_user_clinic_drives_quote_and_schedule(run: Invoke) -> None:
    assert run(*ADD, "--culture-weeks", "4-5").exit_code == 0
    q = json.loads(run("quote", "--joint", "knee", "--from", "US", "--clinic", "tokyo-a", "--json").stdout)
    dest = q["destinations"][0]
    assert dest["clinic"] == "tokyo-a"
    line = dest["treatment"]["sources"][0]
    assert line["quoted"] == {"low": 1500000, "high": 1800000, "currency": "JPY"}  # both amounts kept
    assert dest["treatment"]["low"] == round(1500000 / 157.250269)  # at the ECB rate of 2026-10-30
    s = json.loads(run("schedule", "--harvest", "2027-03-01", "--clinic", "tokyo-a", "--json").stdout)
    assert s["culture_weeks"] == [4, 5]
    assert s["injection_window"]["earliest"] == "2027-03-29"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--id", "jp-tokyo-cultured-adipose"), "already exists"),
        (("--country", "Narnia"), "unknown destination 'Narnia'"),
        (("--price", "-3"), "--price '-3' must be a whole number"),
        (("--price", "cheap"), "--price 'cheap' must be a whole number"),
        (("--culture-weeks", "6-3"), "the minimum 6 is greater than the maximum 3"),
        (("--id", "Bad Id!"), "invalid clinic: id"),
    ],
)
def test_bad_add_writes_nothing(run: Invoke, data_dir: Path, extra: tuple[str, ...], message: str) -> None:
    result = run(*ADD, *extra)  # a repeated option: the last one wins
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not (data_dir / "clinics.toml").exists()


def test_duplicate_add_and_unknown_remove(run: Invoke) -> None:
    assert run(*ADD).exit_code == 0
    again = run(*ADD)
    assert again.exit_code == 2
    assert "a clinic with id tokyo-a already exists" in again.stderr
    gone = run("clinics", "remove", "nope", "--yes")
    assert gone.exit_code == 2
    assert "unknown clinic 'nope'. Your clinics: tokyo-a" in gone.stderr
    shipped = run("clinics", "remove", "kr-seoul-prp-bmc", "--yes")
    assert "is a shipped profile" in shipped.stderr
    assert run("clinics", "show", "nope").exit_code == 2


def test_add_from_file(run: Invoke, tmp_path: Path) -> None:
    f = tmp_path / "mine.toml"
    f.write_text(
        '[[clinics]]\nid = "seoul-b"\nname = "B"\ncity = "Seoul"\ncountry = "KR"\ncell_source = "bone-marrow"\n'
        'processing = "same-day"\n[[clinics.quotes]]\ntreatment = "BMAC"\njoints = ["knee"]\nlow = 6000\nhigh = 8000\ncurrency = "USD"\n',
        encoding="utf-8",
    )
    result = run("clinics", "add", "--from-file", str(f))
    assert result.exit_code == 0, result.output
    assert "seoul-b" in run("clinics", "list").stdout


def test_invalid_existing_file_is_left_untouched(run: Invoke, data_dir: Path) -> None:
    path = data_dir / "clinics.toml"
    path.write_text("[[clinics]]\nid = 'x'\nbogus = = 1\n", encoding="utf-8")
    before = path.read_bytes()
    result = run(*ADD)
    assert result.exit_code == 1
    assert "clinics.toml:3" in result.stderr
    assert path.read_bytes() == before


def test_crash_mid_write_keeps_old_file(cat: Catalog, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_clinics(data_dir, cat, [clean(id="first")])
    path = data_dir / "clinics.toml"
    before = path.read_bytes()

    def boom(self: Path, target: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", boom)
    with pytest.raises(Exception, match="No space left on device"):
        add_clinics(data_dir, load_catalog(data_dir), [clean(id="second")])
    assert path.read_bytes() == before
    assert [p.name for p in data_dir.iterdir() if p.name.endswith(".tmp")] == []


def _add_one(folder: str, clinic_id: str) -> None:
    cat = load_catalog(Path(folder))
    add_clinics(Path(folder), cat, [clean(id=clinic_id)])


def test_two_concurrent_adds_both_land(data_dir: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_add_one, args=(str(data_dir), f"c{i}")) for i in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    ids = {c.id for c in load_catalog(data_dir).clinics.values() if c.id.startswith("c")}
    assert {"c0", "c1"} <= ids


def test_clean_clinic_raises_no_flag(cat: Catalog) -> None:
    assert check_clinic(cat=cat, clinic=clean(), language="en").flags == []


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"licence": None}, "no-plan-number"),
        (
            {
                "licence": None,
                "processing": "same-day",
                "quotes": [{"treatment": "PRP", "joints": ["knee"], "low": 9000, "high": 9000, "currency": "USD"}],
            },
            "no-licence",
        ),
        ({"name": "ＴＨＥ Ｋ ＣＬＩＮＩＣ"}, "named-in-action"),  # full width, any case
        ({"name": "Tokyo Science Clinic"}, "named-in-action"),  # a name the sources give beside the old one
        ({"processor": "コージンバイオ 埼玉細胞加工センター"}, "named-in-action"),
        ({"processor": "JASC京都幹細胞培養センター"}, "named-in-action"),
        ({"route": "intravenous"}, "iv-cultured"),
        ({"route": "intravenous"}, "iv-joint"),
        ({"cell_source": "iPS cells"}, "pluripotent-class"),
        ({"claims": "Our therapy is approved by MHLW"}, "warning-sign:approved-claim"),
        ({"claims": "厚生労働省の承認を正式に受けて提供"}, "warning-sign:approved-claim"),
        ({"claims": "No risk, no side effects"}, "warning-sign:no-risk"),
        ({"note": "See our patient testimonials"}, "warning-sign:testimonials"),
        (
            {
                "processing": "same-day",
                "cell_source": "PRP",
                "asrm_class": "III",
                "route": "intra-articular",
                "quotes": [{"treatment": "PRP", "joints": ["knee"], "low": 9000, "high": 9000, "currency": "USD"}],
            },
            "prp-joint-class",
        ),
        ({"asrm_class": "III"}, "class-mismatch"),
        (
            {
                "processing": "same-day",
                "quotes": [
                    {
                        "treatment": "cultured stem cells same day",
                        "joints": ["knee"],
                        "low": 9000,
                        "high": 9000,
                        "currency": "USD",
                    }
                ],
            },
            "same-day-sold-as-cultured",
        ),
        ({"cell_source": "iPS cells"}, "ips-offered"),
        (
            {"quotes": [{"treatment": "MSC", "joints": ["knee"], "low": 1000, "high": 2000, "currency": "USD"}]},
            "price-far-below",
        ),
        (
            {"quotes": [{"treatment": "MSC", "joints": ["knee"], "low": 9000, "high": 90000, "currency": "USD"}]},
            "price-far-above",
        ),
        ({"languages": ["ja"]}, "no-coordinator-language"),
    ],
)
def test_each_red_flag(cat: Catalog, changes: dict[str, object], code: str) -> None:
    flags = check_clinic(cat=cat, clinic=clean(**changes), language="en").flags
    assert code in [f.code for f in flags]
    assert all(f.sources and all(s in cat.sources for s in f.sources) for f in flags)


def test_far_price_says_how_far(cat: Catalog) -> None:
    changes = {"quotes": [{"treatment": "MSC", "joints": ["knee"], "low": 1000, "high": 2000, "currency": "USD"}]}
    flag = next(
        f for f in check_clinic(cat=cat, clinic=clean(**changes), language="en").flags if f.code == "price-far-below"
    )
    assert "85% below the lowest sourced price" in flag.message  # 1,000 vs 6,500


def test_cli_check_exit_codes(run: Invoke) -> None:
    assert run(*ADD).exit_code == 0
    assert run("clinics", "check", "tokyo-a").exit_code == 0
    assert run("clinics", "check", "tokyo-a", "--language", "zh").exit_code == 1


def test_lock_file_is_private(run: Invoke, data_dir: Path) -> None:
    assert run(*ADD).exit_code == 0
    for p in data_dir.iterdir():
        assert stat.S_IMODE(p.stat().st_mode) & 0o077 == 0, p
    assert os.access(data_dir, os.W_OK)


def test_add_asks_for_what_is_missing_in_a_terminal(run: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    import tripplan.cli_clinics

    monkeypatch.setattr(tripplan.cli_clinics, "_interactive", lambda: True)
    given = ["Clinic C", "JP", "Osaka", "", "adipose", "cultured", "", "cultured adipose MSC", "knee,hip"]
    answers = "\n".join([*given, "9000-12000", "USD", "", "y"])
    result = run("clinics", "add", "--id", "osaka-c", input=answers + "\n")
    assert result.exit_code == 0, result.output
    shown = json.loads(run("clinics", "show", "osaka-c", "--json").stdout)
    assert (shown["city"], shown["quotes"][0]["joints"], shown["quotes"][0]["high"]) == (
        "Osaka",
        ["knee", "hip"],
        12000,
    )


def test_add_without_terminal_names_missing_options(run: Invoke) -> None:
    result = run("clinics", "add", "--id", "x")
    assert result.exit_code == 2
    assert "missing --name, --city, --country" in result.stderr


@pytest.mark.parametrize("name", ["Clinic", "Tokyo Clinic", "Ginza", "Kyoto Stem Cell Clinic"])
def test_generic_names_are_not_matched_to_actions(cat: Catalog, name: str) -> None:
    flags = check_clinic(cat=cat, clinic=clean(name=name, processor="CPC"), language="en").flags
    assert "named-in-action" not in [f.code for f in flags]


def test_add_and_remove_keep_the_users_comments(run: Invoke, data_dir: Path, tmp_path: Path) -> None:
    path = data_dir / "clinics.toml"
    path.write_text(
        "# my clinics: ask Dr. Kim about the second quote\n"
        '[[clinics]]\nid = "seoul-b"  # met on 2026-10-02\nname = "B"\ncity = "Seoul"\ncountry = "KR"\n'
        'cell_source = "bone-marrow"\nprocessing = "same-day"\n'
        '[[clinics.quotes]]\ntreatment = "BMAC"\njoints = ["knee"]\nlow = 6000\nhigh = 8000\ncurrency = "USD"\n',
        encoding="utf-8",
    )
    assert run(*ADD).exit_code == 0
    text = path.read_text("utf-8")
    assert text.startswith("# my clinics: ask Dr. Kim about the second quote\n")
    assert 'id = "seoul-b"  # met on 2026-10-02' in text
    assert "tokyo-a" in run("clinics", "list").stdout
    assert run("clinics", "remove", "tokyo-a", "--yes").exit_code == 0
    after = path.read_text("utf-8")
    assert 'id = "seoul-b"  # met on 2026-10-02' in after
    assert "tokyo-a" not in after
    assert "# my clinics" in after
    assert run("clinics", "check", "seoul-b").exit_code in (0, 1)  # the file still validates
    assert run("data", "check").exit_code == 0


def test_a_long_list_is_limited_unless_all(run: Invoke, data_dir: Path) -> None:
    records = "".join(
        f'[[clinics]]\nid = "c-{i}"\nname = "C {i}"\ncity = "Tokyo"\ncountry = "JP"\ncell_source = "adipose"\n'
        f'processing = "cultured"\n[[clinics.quotes]]\ntreatment = "MSC"\njoints = ["knee"]\nlow = 9000\n'
        'high = 12000\ncurrency = "USD"\n'
        for i in range(80)
    )
    (data_dir / "clinics.toml").write_text(records, encoding="utf-8")
    short = run("clinics", "list").stdout
    assert "Showing 50 of 8" in short
    assert "--all lists every one" in short
    every = run("clinics", "list", "--all").stdout
    assert "c-79" in every
    assert "Showing" not in every
    assert len(json.loads(run("clinics", "list", "--json").stdout)) >= 80


@pytest.mark.parametrize(
    ("lang", "asked", "refused"),
    [
        ("en", "Remove clinic tokyo-a? [y/N]: ", "Error: invalid input"),
        ("zh", "删除诊所 tokyo-a 吗？ [是 y/否 n，回车为否]: ", "错误：无效的回答（请输入 y 或 n）"),
    ],
)
def test_the_confirmation_speaks_the_language(
    run: Invoke, monkeypatch: pytest.MonkeyPatch, lang: str, asked: str, refused: str
) -> None:
    """Click's own words of a yes/no question ("[y/N]", "Error: invalid input") come from the catalog: as
    Click writes them in English, translated in Chinese; a bad answer is asked again, Enter takes the default,
    and the language's own yes is taken."""
    import tripplan.cli_clinics

    assert run(*ADD).exit_code == 0
    monkeypatch.setattr(tripplan.cli_clinics, "_interactive", lambda: True)
    kept = run("clinics", "remove", "tokyo-a", "--lang", lang, input="maybe\n\n")
    assert kept.exit_code == 0, kept.output
    assert kept.stdout == f"{asked}maybe\n{refused}\n{asked}\n"
    assert run("clinics", "show", "tokyo-a").exit_code == 0  # Enter: the default, no
    yes = "是" if lang == "zh" else "yes"
    removed = run("clinics", "remove", "tokyo-a", "--lang", lang, input=f"{yes}\n")
    assert removed.exit_code == 0, removed.output
    assert run("clinics", "show", "tokyo-a").exit_code != 0


def test_the_confirmation_is_clicks_own_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    """In English tripplan's confirm asks exactly as click.confirm does, byte for byte, for every default."""
    from collections.abc import Callable

    import typer
    from typer.testing import CliRunner

    from tripplan.cli_lazy import confirm

    def app_asking(ask: Callable[..., bool], default: bool | None) -> typer.Typer:
        app = typer.Typer()

        @app.command()
        def main() -> None:
            typer.echo(ask("Go on?", default=default))

        return app

    for default in (None, True, False):
        clicks, ours = (
            CliRunner().invoke(app_asking(a, default), [], input="x\n\ny\n") for a in (typer.confirm, confirm)
        )
        assert ours.output == clicks.output, default
        assert "Error: invalid input" in ours.output
