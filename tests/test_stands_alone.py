"""The repository stands alone: a plain clone, with nothing beside it, runs its tests, benchmarks
and scripts. The project's reference material (``../shared``) may be read by people, never by
code — what the tests replay is carried in ``tests/recorded/``."""

from __future__ import annotations

import re

from tests.conftest import RECORDED, REPO_ROOT

#: A path into the reference folder beside the repository, spelt as code would.
_OUTSIDE = re.compile(r"""["']shared["']|/work/shared|\.\./shared""")


def test_no_code_reads_the_reference_folder_beside_the_repository() -> None:
    offenders = []
    for folder in ("vendor_desk", "tests", "bench", "docs", "packaging"):
        for path in sorted((REPO_ROOT / folder).rglob("*.py")):
            if path == REPO_ROOT / "tests" / "test_stands_alone.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if _OUTSIDE.search(line):
                    offenders.append(f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_the_recorded_exchanges_are_in_the_repository() -> None:
    numbered = list(RECORDED.glob("[0-9]*.json"))
    assert len(numbered) >= 200 and (RECORDED / "README.md").is_file()
