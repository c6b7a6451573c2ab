"""The wheel installs `ethicsflow.*` only, with its data files, and works from a fresh venv.

The fresh venv gets the wheel (``--no-deps``) and sees the dev venv's
third-party packages through a ``.pth`` path line; a path line does not run the
dev venv's editable-install finder, so `ethicsflow` can only come from the wheel.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = {
    "ethicsflow/policy/policy.yaml",
    "ethicsflow/models/migrations/env.py",
    "ethicsflow/models/migrations/script.py.mako",
    "ethicsflow/models/migrations/versions/0001_initial_schema.py",
    "ethicsflow/app/cli.py",
    "ethicsflow/flows/commands.py",
    "ethicsflow/app/api/static/swagger-ui/swagger-ui-bundle.js",
    "ethicsflow/app/api/static/swagger-ui/LICENSE",
}

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, f"{' '.join(map(str, args))}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def _can_build_without_isolation() -> bool:
    """The venv holds what [build-system] requires (setuptools>=68 and wheel)."""
    try:
        major = int(importlib.metadata.version("setuptools").split(".")[0])
    except importlib.metadata.PackageNotFoundError:
        return False
    return major >= 68 and importlib.util.find_spec("wheel") is not None


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built from a copy of the tree (the work tree stays clean)."""
    work = tmp_path_factory.mktemp("build")
    source = work / "src"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "tests"
        ),
    )
    # Without setuptools>=68 and wheel in the venv, `build` makes its own isolated
    # environment (pip fetches the build requirements from the index or its cache).
    isolation = ["--no-isolation"] if _can_build_without_isolation() else []
    run(sys.executable, "-m", "build", "--wheel", *isolation, "--outdir", work / "dist", source,
        cwd=work)  # fmt: skip
    [built] = (work / "dist").glob("ethicsflow-*.whl")
    return built


def test_wheel_holds_only_the_ethicsflow_namespace_and_its_data(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = archive.read(
            next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        ).decode()

    tops = {name.split("/")[0] for name in names}
    dist_info = {t for t in tops if t.endswith(".dist-info")}
    assert tops - dist_info == {"ethicsflow"}, f"unexpected top-level entries: {sorted(tops)}"
    assert len(dist_info) == 1
    assert names >= REQUIRED, f"missing from the wheel: {sorted(REQUIRED - names)}"
    assert not [n for n in names if "/tests/" in n or n.startswith("tests/")]
    assert "ethicsflow = ethicsflow.app.cli:main" in entry_points
    # every source package is in the wheel (pyproject lists them one by one)
    packages = {
        "ethicsflow/" + str(init.parent.relative_to(ROOT))
        for top in ("app", "flows", "models", "policy", "templates", "deployments")
        for init in (ROOT / top).rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    missing = sorted(p for p in packages if f"{p}/__init__.py" not in names)
    assert not missing, f"packages missing from pyproject's list: {missing}"


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh venv with only the wheel installed, plus the dev venv's third-party packages."""
    root = tmp_path_factory.mktemp("venv") / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", root, cwd=root.parent)
    python = root / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps",
        "--no-index", "--disable-pip-version-check", wheel, cwd=root.parent)  # fmt: skip
    site = Path(
        run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            cwd=root.parent).strip()
    )  # fmt: skip
    (site / "dev_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    yield root


def test_installed_wheel_imports_and_runs_from_the_fresh_venv(venv: Path, tmp_path: Path) -> None:
    python = venv / "bin" / "python"
    code = (
        "import json, ethicsflow.models, ethicsflow.flows.commands, ethicsflow.app.cli\n"
        "from ethicsflow.models.policy import load_policy\n"
        "mods = [ethicsflow.models, ethicsflow.flows.commands, ethicsflow.app.cli]\n"
        "print(json.dumps({'files': [m.__file__ for m in mods],"
        " 'policy': load_policy().version}))"
    )
    shown = json.loads(run(python, "-c", code, cwd=tmp_path))
    for file in shown["files"]:
        assert Path(file).resolve().is_relative_to(venv.resolve()), file
    assert shown["policy"]

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "ETHICSFLOW_"))} | {
        "ETHICSFLOW_HOME": str(tmp_path / "home"),
        "ETHICSFLOW_ENGINE": "inprocess",
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    executable = venv / "bin" / "ethicsflow"
    assert "case" in run(executable, "--help", cwd=tmp_path, env=env)
    init = json.loads(run(executable, "init", "--json", cwd=tmp_path, env=env))
    assert init["revision"]
    assert (tmp_path / "home" / "ethicsflow.db").exists()
    org = json.loads(
        run(executable, "org", "add", "MOJ", "--name", "Ministry of Justice", "--json",
            cwd=tmp_path, env=env)
    )  # fmt: skip
    assert org["code"] == "MOJ"
