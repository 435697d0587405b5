"""The TOML reader of every data file (tomli, pinned below 2.4 in pyproject.toml): TOML 1.0 only.

tomli 2.4 reads TOML 1.1; tripplan's files must stay readable by every TOML 1.0 tool, so a document only
TOML 1.1 allows is refused like any invalid TOML: file, line and column named, nothing else said. These
tests fail on a reader that accepts TOML 1.1 (that is what the pin protects)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tripplan.errors import DataError
from tripplan.loader import read_toml

from .conftest import Invoke

# (a document valid in TOML 1.1 only, the line and column where TOML 1.0 refuses it: the character, or
# just after an escape)
TOML_1_1_ONLY = {
    "newline inside an inline table": ('[[prices]]\nid = "p"\nx = {a = 1,\n  b = 2}\n', 3, 12),
    "trailing comma in an inline table": ('[[prices]]\nid = "p"\nx = {a = 1, }\n', 3, 13),
    "the \\e escape": ('[[prices]]\nid = "p\\e"\n', 2, 10),
    "the \\x escape": ('[[prices]]\nid = "p\\x41"\n', 2, 10),
    "a time without seconds": ("[[prices]]\nat = 10:30\n", 2, 8),
}


@pytest.mark.parametrize("case", sorted(TOML_1_1_ONLY))
def test_a_toml_1_1_document_is_refused_as_invalid_toml(case: str, tmp_path: Path) -> None:
    text, line, column = TOML_1_1_ONLY[case]
    path = tmp_path / "prices.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as refused:
        read_toml(path)
    [problem] = refused.value.problems
    assert (problem.file, problem.line, problem.column) == (str(path), line, column)
    assert problem.message.endswith("(not valid TOML)")
    assert "at line" not in problem.message  # the position is said once, as file:line:column
    assert str(problem).startswith(f"{path}:{line}:{column}: ")


def test_a_toml_1_0_document_of_the_same_shapes_is_read(tmp_path: Path) -> None:
    """The TOML 1.0 spelling of each case is read (the refusals above are about TOML 1.1 alone)."""
    path = tmp_path / "prices.toml"
    path.write_text('[[prices]]\nid = "p\\u001b"\nx = {a = 1, b = 2}\nat = 10:30:00\n', encoding="utf-8")
    [record] = read_toml(path)["prices"]
    assert record["x"] == {"a": 1, "b": 2}
    assert record["id"] == "p\x1b"
    assert str(record["at"]) == "10:30:00"


def test_data_check_names_the_line_of_a_toml_1_1_document(run: Invoke, data_dir: Path) -> None:
    text, line, column = TOML_1_1_ONLY["newline inside an inline table"]
    (data_dir / "prices.toml").write_text(text, encoding="utf-8")
    result = run("data", "check")
    assert result.exit_code == 1
    assert f"prices.toml:{line}:{column}:" in result.output
    assert "not valid TOML" in result.output
    assert "Traceback" not in result.output
