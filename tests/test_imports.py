"""The package's import graph, read with ``ast`` from the source tree (nothing is imported).

Imports point one way, ``app/`` → ``flows/`` → ``models/``; no module takes part in an
import cycle (imports inside functions count: they only hide the cycle); an import
inside a function says why on its line or the line above (import time, measured); no
module uses another module's private names; ``models/`` imports no Prefect, FastAPI
or apprise.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "flows", "models", "policy", "templates", "deployments")
SKIPPED = ("models/migrations/versions",)


@dataclass
class Module:
    name: str
    path: Path
    tree: ast.Module
    lines: list[str]
    imports: list[tuple[str, ast.stmt, bool]] = field(default_factory=list)
    """(imported module or name's module, the statement, inside a function)."""


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["ethicsflow", *parts])


def _type_checking_only(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def _walk(node: ast.AST, in_function: bool = False):
    """Import statements under ``node`` with whether they run inside a function; the
    bodies of ``if TYPE_CHECKING:`` never run and are left out."""
    for child in ast.iter_child_nodes(node):
        if _type_checking_only(child):
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, in_function
        inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
        yield from _walk(child, inner)


def load() -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if any(str(path.relative_to(ROOT)).startswith(s) for s in SKIPPED):
                continue
            text = path.read_text(encoding="utf-8")
            name = _name(path)
            modules[name] = Module(name, path, ast.parse(text), text.splitlines())
    for module in modules.values():
        is_package = module.path.name == "__init__.py"
        for node, in_function in _walk(module.tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    parent = module.name.split(".")
                    parent = parent if is_package else parent[:-1]
                    parent = parent[: len(parent) - node.level + 1]
                    base = ".".join([*parent, *([base] if base else [])])
                # `from pkg import submodule` imports the submodule.
                targets = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                    for a in node.names
                ]
            for target in targets:
                module.imports.append((target, node, in_function))
    return modules


MODULES = load()


def _ours(target: str) -> str | None:
    """The module of ours that ``target`` names (a name inside it resolves to it)."""
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target or None


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {name: set() for name in MODULES}
    for module in MODULES.values():
        for target, _, _ in module.imports:
            ours = _ours(target)
            if ours is not None and ours != module.name:
                edges[module.name].add(ours)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_package_has_no_import_cycle() -> None:
    assert cycles(graph()) == []


def test_cycles_finds_a_cycle_and_nothing_else() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(edges) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_function_local_and_submodule_imports() -> None:
    """The reader must see what the rules are about, or they would pass vacuously."""
    edges = graph()
    assert len(MODULES) > 80
    assert "ethicsflow.models.cases.intake" in edges["ethicsflow.models.lifecycle.engine"]
    # `from ethicsflow.models.lifecycle import payloads as p` names the submodule.
    assert "ethicsflow.models.lifecycle.payloads" in edges["ethicsflow.models.cases.effects"]
    assert any(local for m in MODULES.values() for _, _, local in m.imports)


LAYERS = [
    ("ethicsflow.models", ("ethicsflow.flows", "ethicsflow.app", "ethicsflow.deployments")),
    ("ethicsflow.flows", ("ethicsflow.app",)),
    ("ethicsflow.models", ("prefect", "fastapi", "apprise")),
]


@pytest.mark.parametrize(("layer", "forbidden"), LAYERS, ids=lambda v: str(v))
def test_imports_point_one_way(layer: str, forbidden: tuple[str, ...]) -> None:
    wrong = [
        f"{module.path.relative_to(ROOT)}:{node.lineno} imports {target}"
        for module in MODULES.values()
        if module.name == layer or module.name.startswith(layer + ".")
        for target, node, _ in module.imports
        if any(target == f or target.startswith(f + ".") for f in forbidden)
    ]
    assert wrong == []


def test_an_import_inside_a_function_says_why() -> None:
    """Allowed only where import time was measured to matter, with a comment saying so
    on the import's line or the line above it."""
    silent = []
    for module in MODULES.values():
        for _, node, local in module.imports:
            if local and not _commented(module, node.lineno):
                silent.append(f"{module.path.relative_to(ROOT)}:{node.lineno}")
    assert sorted(set(silent)) == []


def _commented(module: Module, lineno: int) -> bool:
    """A comment on the import's line, or above the run of imports it belongs to (blank
    lines between the imports of a run allowed)."""
    starts = {}  # every line of an import statement -> its first line
    for node, _ in _walk(module.tree):
        for row in range(node.lineno, (node.end_lineno or node.lineno) + 1):
            starts[row] = node.lineno
    if "#" in module.lines[lineno - 1]:
        return True
    row = lineno - 1
    while row >= 1 and (row in starts or not module.lines[row - 1].strip()):
        row = starts.get(row, row) - 1
    return row >= 1 and module.lines[row - 1].strip().startswith("#")


def test_no_module_uses_another_modules_private_names() -> None:
    used = []
    for module in MODULES.values():
        aliases: dict[str, str] = {}  # local name -> module of ours
        for node, _ in _walk(module.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in MODULES:
                        aliases[alias.asname or alias.name] = alias.name
                continue
            base = node.module or ""
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if full in MODULES:
                    aliases[alias.asname or alias.name] = full
                elif _ours(base) and alias.name.startswith("_") and not alias.name.startswith("__"):
                    used.append(f"{module.name} imports {full}")
        for node in ast.walk(module.tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                used.append(f"{module.name} uses {aliases[node.value.id]}.{node.attr}")
    assert sorted(set(used)) == []


def test_commented_tells_a_silent_import_from_an_explained_one() -> None:
    text = (
        "def f():\n"
        "    x = 1\n"
        "    import json\n"
        "\n"
        "def g():\n"
        "    # imported here: costs 0.2 s at start\n"
        "    import csv\n"
        "\n"
        "    from os import path\n"
    )
    module = Module("m", ROOT / "m.py", ast.parse(text), text.splitlines())
    assert not _commented(module, 3)
    assert _commented(module, 7)
    assert _commented(module, 9)
