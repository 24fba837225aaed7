"""Project-wide test settings."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent
#: Real HTTP exchanges with a real WCFM marketplace, carried by the repository (README there).
RECORDED = REPO_ROOT / "tests" / "recorded"


def cache_at_revision(folder: Path, revision: str) -> Engine:
    """An engine on a cache file in ``folder`` migrated only up to ``revision`` — the cache an
    older version of the app left (the caller disposes of the engine)."""
    from alembic import command
    from sqlalchemy import create_engine

    from vendor_desk.cache import DB_FILENAME
    from vendor_desk.cache.db import _alembic_config

    engine = create_engine(f"sqlite:///{folder / DB_FILENAME}")
    with engine.begin() as connection:
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return engine
