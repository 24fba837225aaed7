"""Opening the cache: the SQLite file, its pragmas and permissions, and schema migrations.

:func:`open_cache` is the only way in. It

1. creates the data folder (0700) and the database file (0600, readable by the user only);
2. reads the schema revision **read-only** first: a database written by a newer Vendor Desk
   (a revision this version does not know) is refused with :class:`CacheTooNewError` before
   anything is written;
3. copies an existing database to ``vendor-desk.sqlite3.bak-<old revision>-<timestamp>`` (with
   SQLite's online backup, so the copy is consistent even in WAL mode) before migrating it;
4. applies the Alembic migrations shipped inside the package (works from a wheel);
5. returns a :class:`Cache` whose connections run in WAL mode with foreign keys on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger("vendor_desk.cache")

DB_FILENAME = "vendor-desk.sqlite3"
#: The newest migration in ``migrations/versions`` (a test checks they agree). Knowing it
#: without Alembic lets an up-to-date cache open without importing Alembic at all (start-up
#: time: Alembic costs about 150 ms to import).
HEAD_REVISION = "0013"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: How long a connection waits for another one's write lock before giving up (ms).
BUSY_TIMEOUT_MS = 10_000


class CacheError(Exception):
    """The cache cannot be opened."""


class CacheTooNewError(CacheError):
    """The database was written by a newer version of Vendor Desk; nothing was changed."""


def default_data_dir() -> Path:
    """Where the cache lives by default (per user, per platform)."""
    return Path(platformdirs.user_data_dir("Vendor Desk", appauthor=False))


def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest schema revision this version of the app knows (from the migration scripts)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def read_revision(path: Path) -> str | None:
    """The schema revision stored in the file at ``path``, read without writing anything.

    None for a new or empty file.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    uri = f"{path.resolve().as_uri()}?mode=ro"
    connection = sqlite3.connect(uri, uri=True)
    try:
        table = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if table is None:
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else str(row[0])
    finally:
        connection.close()


def _secure_file(path: Path) -> None:
    """Create ``path`` readable and writable by the user only (or tighten an existing one)."""
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    with contextlib.suppress(OSError):  # Windows: ACLs, not modes
        os.chmod(path, 0o600)


def backup_database(path: Path, revision: str) -> Path:
    """A consistent copy of the database next to it; returns the copy's path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.bak-{revision}-{stamp}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.bak-{revision}-{stamp}-{counter}")
        counter += 1
    _secure_file(target)
    source = sqlite3.connect(path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target


#: Indexes that serve only the order list — to sort it by a column (``orders``), and to search
#: it in SQL before the in-memory search index is loaded (``order_search``). A first sync into
#: an empty cache fills the tables without them and builds them once at the end: building an
#: index over the finished table costs a fraction of keeping it up to date order by order
#: (5,008 orders: 0.34 s of inserts less, 0.08 s to build them). :func:`open_cache` builds any
#: that a first sync killed midway left out.
LIST_INDEXES = (
    "ix_orders_account_shipping",
    "ix_orders_account_total",
    "ix_orders_account_earning",
    "ix_orders_account_customer",
    "ix_orders_account_items",
    "ix_orders_account_payment",
    "ix_orders_account_display_status",
    "ix_order_search_created",
)


def _list_indexes() -> list[Any]:
    from vendor_desk.cache.models import Base

    found = [
        index
        for table in Base.metadata.tables.values()
        for index in table.indexes
        if index.name in LIST_INDEXES
    ]
    assert len(found) == len(LIST_INDEXES), "LIST_INDEXES names an index the models lack"
    return found


def missing_list_indexes(connection: Connection) -> list[str]:
    """The list indexes the database lacks (see :data:`LIST_INDEXES`)."""
    present = set(
        connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'")).scalars()
    )
    return [name for name in LIST_INDEXES if name not in present]


def drop_list_indexes(connection: Connection) -> None:
    """Set the list indexes aside (in the caller's transaction) while an empty cache fills."""
    for name in LIST_INDEXES:
        connection.execute(text(f'DROP INDEX IF EXISTS "{name}"'))


def restore_list_indexes(connection: Connection) -> list[str]:
    """Build the list indexes the database lacks (in the caller's transaction), as the models
    and the migrations define them; returns their names."""
    missing = missing_list_indexes(connection)
    for index in _list_indexes():
        if index.name in missing:
            index.create(connection)
    return missing


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's begin events (below) emit BEGIN themselves: pysqlite's implicit
    # transaction handling defers BEGIN and would make read-then-write transactions unsafe.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _build_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _on_connect)

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


class Cache:
    """The open cache of one data folder. Thread-safe: each :meth:`session` has its own
    connection from the pool."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_engine = engine.execution_options(sqlite_begin="IMMEDIATE")
        self._write_sessions = sessionmaker(self._write_engine, expire_on_commit=False)

    @contextlib.contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises.

        ``write=True`` takes SQLite's write lock at the start (``BEGIN IMMEDIATE``): use it for
        transactions that read and then write, so another writer cannot slip in between.
        """
        factory = self._write_sessions if write else self._sessions
        with factory() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _restore_list_indexes(engine: Engine) -> None:
    """Build the list indexes a first sync killed midway left out (one query when none is)."""
    with engine.connect() as connection:
        if not missing_list_indexes(connection):
            return
    with engine.begin() as connection:
        built = restore_list_indexes(connection)
    log.info("order list indexes built again: %s", ", ".join(built))


def attach_cache(path: Path) -> Cache:
    """The cache file another process of the app opened (and migrated) already, for a child
    process that reads it (:mod:`vendor_desk.documents.render_process`). Nothing is migrated
    or rebuilt here: a file at another schema revision is refused.

    Raises:
        CacheError: no usable cache at ``path``, or one at another revision.
    """
    try:
        current = read_revision(path)
    except sqlite3.DatabaseError as error:
        raise CacheError(f"The order cache {path} is damaged or not a database: {error}") from None
    if current != HEAD_REVISION:
        raise CacheError(
            f"The order cache {path} is at schema {current}, not {HEAD_REVISION}: "
            "open it with open_cache first."
        )
    return Cache(path, _build_engine(path))


def open_cache(data_dir: Path | None = None) -> Cache:
    """Open (creating or migrating as needed) the cache in ``data_dir``.

    Raises:
        CacheTooNewError: the database was written by a newer version (left untouched).
        CacheError: the file is not a usable SQLite database.
    """
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o700)
    path = folder / DB_FILENAME
    try:
        current = read_revision(path)
    except sqlite3.DatabaseError as error:
        raise CacheError(f"The order cache {path} is damaged or not a database: {error}") from None
    if current == HEAD_REVISION:
        _secure_file(path)
        engine = _build_engine(path)
        _restore_list_indexes(engine)
        return Cache(path, engine)
    head = head_revision()
    if current is not None and current not in known_revisions():
        raise CacheTooNewError(
            f"The order cache in {folder} was written by a newer version of Vendor Desk "
            f"(schema {current}; this version knows up to {head}). Update Vendor Desk, or "
            "choose another data folder. The cache was left untouched."
        )
    _secure_file(path)
    if current is not None and current != head:
        backup = backup_database(path, current)
        log.info("cache schema %s -> %s; backup at %s", current, head, backup)
    engine = _build_engine(path)
    try:
        if current != head:
            from alembic import command

            with engine.begin() as connection:
                config = _alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        _restore_list_indexes(engine)
    except BaseException:
        engine.dispose()
        raise
    for suffix in ("-wal", "-shm"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            with contextlib.suppress(OSError):
                os.chmod(sidecar, 0o600)
    return Cache(path, engine)
