"""A first sync killed with SIGKILL mid-way leaves a sound cache, and the next sync finishes."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.sync.conftest import Env, make_env
from tests.sync.test_sync import cached

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from vendor_desk.cache import open_cache
    from vendor_desk.marketplace import WcfmMarketplace
    from vendor_desk.sync import Syncer
    data_dir, base_url, login, password, account_id = sys.argv[1:6]
    cache = open_cache(Path(data_dir))
    market = WcfmMarketplace(base_url, login, password)
    Syncer(cache, int(account_id), market).sync()
    """
)


@pytest.fixture
def big_env(tmp_path: Path) -> Iterator[Env]:
    yield from make_env(tmp_path, orders=1600, seed=11)


def stored_pages(db: Path) -> int:
    connection = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        row = connection.execute("SELECT first_sync_next_page FROM sync_state").fetchone()
        return int(row[0]) - 1 if row and row[0] else 0
    except sqlite3.OperationalError:
        return 0
    finally:
        connection.close()


def kill_after_pages(env: Env, pages: int) -> None:
    args = [
        sys.executable,
        "-c",
        CHILD,
        str(env.data_dir),
        env.sim.base_url,
        env.login,
        env.password,
        str(env.account_id),
    ]
    child = subprocess.Popen(args, cwd=REPO_ROOT)
    try:
        deadline = time.monotonic() + 30
        while stored_pages(env.cache.path) < pages:
            assert child.poll() is None, "the sync finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(0.03)  # somewhere inside the next page
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=10)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_first_sync_resumes_and_reaches_the_server_state(big_env: Env) -> None:
    env = big_env
    env.sim.inject_fault("delay", r"/wcfmmp/v1/orders", times=None, delay=0.08)
    kill_after_pages(env, 2)
    env.sim.add_orders(40)  # new orders between runs shift the pages
    kill_after_pages(env, 5)
    connection = sqlite3.connect(env.cache.path)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    connection.close()
    env.sim.clear_faults()
    result = env.syncer().sync()
    assert result.kind == "first" and not result.cancelled
    assert cached(env) == env.server_orders()
