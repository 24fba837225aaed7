"""Pulling orders from the marketplace into the cache (and, later, the outbox). No Qt.

syncer = Syncer(cache, account_id, marketplace)
result = syncer.sync(progress=print, cancel=threading.Event())
"""

from vendor_desk.sync.syncer import (
    PER_PAGE,
    RECONCILE_EVERY,
    CancelToken,
    Syncer,
    SyncProgress,
    SyncResult,
)

__all__ = ["PER_PAGE", "RECONCILE_EVERY", "CancelToken", "SyncProgress", "SyncResult", "Syncer"]
