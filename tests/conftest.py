"""Project-wide test settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring

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


@pytest.fixture
def file_keyring(tmp_path: Path) -> Iterator[PlaintextKeyring]:
    """A real keyring backend (keyrings.alt's plaintext file) in a temp folder, as the process's
    keyring for the test."""
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring" / "keyring_pass.cfg")  # type: ignore[misc]
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
