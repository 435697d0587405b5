"""The interactive `clinics add` wraps its questions itself (issue 30 item 2): a terminal left to fold a
prompt cuts words ("JP (Japan" / "), MX", "e." / "g. tokyo-knee-clinic") and starts Chinese lines with a comma."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import typer

from tripplan import i18n
from tripplan.catalog import Catalog
from tripplan.cli_ask import Question, _one, prompt_text, questions
from tripplan.render.common import NO_START


@pytest.fixture(params=["en", "zh"])
def lang(request: pytest.FixtureRequest) -> Iterator[str]:
    before = i18n.current()
    i18n.use(request.param)
    yield request.param
    i18n.use(before)


def _labels(cat: Catalog) -> list[str]:
    return [i18n._(q.label) for q in questions(cat, {})]


@pytest.mark.parametrize("width", [40, 60, 80])
def test_every_question_is_wrapped_whole(cat: Catalog, lang: str, width: int) -> None:
    from rich.cells import cell_len

    for label in _labels(cat):
        lines = prompt_text(label, width).split("\n")
        assert all(cell_len(line) + 2 <= width for line in lines), lines  # room for Click's ": "
        assert all(line.startswith("  ") for line in lines[1:]), lines  # a wrapped line keeps its indent
        assert all(line.strip()[0] not in NO_START for line in lines), lines  # never "，例如" first
        assert "".join(lines).replace(" ", "") == label.replace(" ", ""), (label, lines)  # nothing lost
        for token in ("e.g.", "tokyo-knee-clinic", "(I,", "III;"):
            if token in label:
                assert any(token in line for line in lines), (token, lines)


def test_the_question_asked_is_the_wrapped_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """`clinics add` asks with the wrapped text (the terminal's width read as every output reads it)."""
    monkeypatch.setenv("COLUMNS", "40")
    asked: list[str] = []

    def prompt(text: str, **_kw: object) -> str:
        asked.append(text)
        return "answer"

    monkeypatch.setattr(typer, "prompt", prompt)
    label = "Country (code or English name, e.g. JP)"
    assert _one(Question(option="--x", label=label, check=str.strip)) == "answer"
    assert asked == [prompt_text(label, 40)]
    assert "\n" in asked[0]
    assert "e.g." in asked[0]
