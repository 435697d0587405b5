"""The package's imports form no cycle (every import statement, at the top or inside a function), and the
cache knows nothing of the loader or the domain: it stores entries by digest, no more."""

from __future__ import annotations

import ast
from pathlib import Path

import tripplan

PACKAGE = Path(tripplan.__file__).parent


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(
                        package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                    )
                found.add(base)
                found |= {f"{base}.{a.name}" for a in node.names}
        graph[name] = {m for m in found if m in modules and m != name and m != "tripplan"}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles, state = [], dict.fromkeys(graph, 0)  # 0 unseen, 1 on the path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state[nxt] == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif state[nxt] == 0:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(graph):
        if state[start] == 0:
            visit(start, [start])
    return cycles


def test_the_walk_sees_the_package() -> None:
    graph = _graph()
    assert "tripplan.cache" in graph["tripplan.loader"]
    assert "tripplan.models" in graph["tripplan.loader"]
    assert "tripplan.render.common" in graph["tripplan.cli"]


def test_no_import_cycle() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_one() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_the_cache_imports_neither_the_loader_nor_the_domain() -> None:
    allowed = {"tripplan.files", "tripplan.errors", "tripplan.i18n"}  # files, their errors, and their words
    assert _graph()["tripplan.cache"] <= allowed


# import name -> the distribution pyproject.toml declares for it (where the two differ)
DISTRIBUTION = {"dateutil": "python-dateutil", "tomli_w": "tomli-w", "yaml": "pyyaml"}


def test_every_library_imported_is_a_declared_dependency() -> None:
    """A module the package imports is the standard library's, tripplan's own, or a run-time dependency of
    pyproject.toml: an import that only the test extras happen to install (click comes with khal, while Typer
    carries its own copy) would break a plain install."""
    import re
    import sys
    import tomllib

    project = tomllib.loads((PACKAGE.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower() for d in project["dependencies"]}
    used: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                used |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                used.add(node.module.split(".")[0])
    libraries = {m for m in used if m not in sys.stdlib_module_names and m != "tripplan"}
    undeclared = {m for m in libraries if DISTRIBUTION.get(m, m).lower() not in declared}
    # each of these is a declared requirement of the library that brings it (pydantic, Jinja2)
    assert undeclared <= {"pydantic_core", "markupsafe"}, undeclared
