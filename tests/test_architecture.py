"""Layering rules of design.md §3, checked with import-linter (contracts in pyproject.toml).

Nothing outside ui/ and app.py imports Qt; domain/ imports nothing else of ours; the simulator
stands alone. The second test proves the contracts bite: a copy of the package with one bad
import must fail the same check.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

LINT = (
    "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
)


def run_lint(cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LINT],
        cwd=cwd,
        env={"PYTHONPATH": str(pythonpath), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_import_contracts_hold() -> None:
    result = run_lint(REPO_ROOT, REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def _copy_project(tmp_path: Path) -> Path:
    shutil.copytree(
        REPO_ROOT / "vendor_desk",
        tmp_path / "vendor_desk",
        ignore=shutil.ignore_patterns("__pycache__", "resources"),
    )
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_qt_below_ui_is_caught(tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    (project / "vendor_desk" / "cache" / "sneaky.py").write_text("from PySide6 import QtCore\n")
    result = run_lint(project, project)
    assert result.returncode != 0
    assert "Qt lives only in ui/ and app.py" in result.stdout
    assert "BROKEN" in result.stdout


def test_domain_importing_our_code_is_caught(tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    (project / "vendor_desk" / "domain" / "sneaky.py").write_text("import vendor_desk.paths\n")
    result = run_lint(project, project)
    assert result.returncode != 0
    assert "domain imports nothing else of ours" in result.stdout
