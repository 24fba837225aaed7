"""Project-wide test settings."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent
#: Real HTTP exchanges with a real WCFM marketplace, carried by the repository (README there).
RECORDED = REPO_ROOT / "tests" / "recorded"
