"""The tests' own layout: they mirror the source tree and never import one another.

- No module under ``tests/`` imports a test module (``test_*.py``) or a ``conftest.py``:
  shared fixtures live in ``conftest.py`` files, shared helpers in ``tests/support/``.
- Every folder of test modules below ``tests/`` has a source counterpart:
  ``tests/models/cases/`` tests ``models/cases/``, ``tests/app/backup/`` tests ``app/backup/``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
NOT_MIRRORED = {"support"}
"""Folders of ``tests/`` that hold helpers, not tests of a source package."""


def _modules(tests: Path) -> Iterator[Path]:
    yield from sorted(p for p in tests.rglob("*.py") if "__pycache__" not in p.parts)


def _imported(path: Path, tests: Path) -> Iterator[str]:
    """Dotted names this module imports (relative imports resolved against its package)."""
    package = path.relative_to(tests.parent).with_suffix("").parts[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join((*base, *(node.module or "").split("."))).strip(".")
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def _is_test_or_conftest(dotted: str) -> bool:
    parts = dotted.split(".")
    return parts[0] == "tests" and (parts[-1].startswith("test_") or parts[-1] == "conftest")


def bad_imports(tests: Path) -> list[str]:
    """``path: name`` for each import of a test module or a conftest under ``tests``."""
    return [
        f"{path.relative_to(tests.parent)}: {name}"
        for path in _modules(tests)
        for name in sorted(set(_imported(path, tests)))
        if _is_test_or_conftest(name)
    ]


def unmirrored(tests: Path, root: Path) -> list[str]:
    """Folders of test modules below ``tests`` whose source counterpart is not a folder."""
    folders = {p.parent for p in tests.rglob("test_*.py") if "__pycache__" not in p.parts}
    return sorted(
        str(folder.relative_to(root))
        for folder in folders
        if folder != tests
        and folder.relative_to(tests).parts[0] not in NOT_MIRRORED
        and not (root / folder.relative_to(tests)).is_dir()
    )


def test_no_test_module_imports_another_test_module_or_a_conftest() -> None:
    assert bad_imports(TESTS) == []


def test_test_folders_mirror_the_source_tree() -> None:
    assert unmirrored(TESTS, ROOT) == []


def test_the_checks_catch_a_bad_layout(tmp_path: Path) -> None:
    tests = tmp_path / "tests"
    (tests / "models" / "cases").mkdir(parents=True)
    (tests / "models" / "nowhere").mkdir()
    (tmp_path / "models" / "cases").mkdir(parents=True)
    (tests / "models" / "cases" / "test_a.py").write_text("from tests.support import x\n")
    (tests / "models" / "cases" / "test_b.py").write_text(
        "from tests.models.cases.test_a import helper\nfrom . import test_a\n"
        "from ..conftest import Thing\nimport tests.models.cases.test_a\n"
    )
    (tests / "models" / "nowhere" / "test_c.py").write_text("")
    assert bad_imports(tests) == [
        "tests/models/cases/test_b.py: tests.models.cases.test_a",
        "tests/models/cases/test_b.py: tests.models.conftest",
    ]
    assert unmirrored(tests, tmp_path) == ["tests/models/nowhere"]
