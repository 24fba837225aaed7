"""The local order cache: SQLite through SQLAlchemy 2, schema by Alembic. No Qt.

cache = open_cache(data_dir)
with cache.session() as session:
    rows = queries.fetch_rows(session, OrderQuery(account_id=1, group="to_ship"), 0, 100)
"""

from vendor_desk.cache import queries, store
from vendor_desk.cache.db import (
    DB_FILENAME,
    Cache,
    CacheError,
    CacheTooNewError,
    default_data_dir,
    head_revision,
    open_cache,
)
from vendor_desk.cache.queries import (
    SORT_KEYS,
    STATUS_GROUPS,
    AccountInfo,
    OrderDetail,
    OrderQuery,
    OrderRow,
    SyncStatus,
    add_account,
    count_orders,
    fetch_rows,
    group_counts,
    list_accounts,
    order_detail,
    sync_status,
)

__all__ = [
    "DB_FILENAME",
    "SORT_KEYS",
    "STATUS_GROUPS",
    "AccountInfo",
    "Cache",
    "CacheError",
    "CacheTooNewError",
    "OrderDetail",
    "OrderQuery",
    "OrderRow",
    "SyncStatus",
    "add_account",
    "count_orders",
    "default_data_dir",
    "fetch_rows",
    "group_counts",
    "head_revision",
    "list_accounts",
    "open_cache",
    "order_detail",
    "queries",
    "store",
    "sync_status",
]
