"""The README's Quick start has exactly two shell lines, and CI runs the second one verbatim."""

from __future__ import annotations

import re

from tests.conftest import REPO_ROOT


def quick_start_lines() -> list[str]:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def test_quick_start_has_two_lines_and_ci_runs_the_second() -> None:
    lines = quick_start_lines()
    assert len(lines) == 2, lines
    ci_script = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert lines[1] in ci_script
