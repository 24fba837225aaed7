"""The write transactions of a full walk (``syncer._WalkWriter``): one transaction per page on
one connection with rarer automatic WAL checkpoints, SQLite's setting restored afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from vendor_desk.cache import add_account, open_cache
from vendor_desk.cache.models import AccountRow
from vendor_desk.sync.syncer import WALK_CHECKPOINT_PAGES, _WalkWriter


def test_pages_commit_one_by_one_and_the_connection_is_given_back_as_it_was(
    tmp_path: Path,
) -> None:
    cache = open_cache(tmp_path)
    with cache.engine.connect() as connection:
        default = connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
    assert default != WALK_CHECKPOINT_PAGES
    writer = _WalkWriter(cache)
    pooled = writer._connection.connection.driver_connection  # stays open in the pool
    assert pooled is not None
    try:
        assert writer._pragma("PRAGMA wal_autocheckpoint") == WALK_CHECKPOINT_PAGES
        with writer.session() as session:
            add_account(session, "http://a", "first", "", 0, "jwt")
        with pytest.raises(RuntimeError), writer.session() as session:
            add_account(session, "http://b", "second", "", 0, "jwt")
            raise RuntimeError("a failed page")
        with cache.session() as other:  # a committed page is visible to every connection
            logins = set(other.scalars(select(AccountRow.login)))
        assert logins == {"first"}
        writer.finish()
    finally:
        writer.close()
    # the writer's connection went back to the pool with SQLite's setting again
    assert cache.engine.pool.checkedout() == 0
    assert pooled.execute("PRAGMA wal_autocheckpoint").fetchone() == (default,)
    cache.close()
