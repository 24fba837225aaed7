"""Recording a marketplace account the connection probe accepted. No Qt.

The account window, the demo, the self-test (and tests and screenshot scripts) all record an
account the same way: the probe's findings (the site's canonical address, the store, the vendor
id, the sign-in that works) go into the cache's accounts table — never the secret::

    probe = probe_marketplace(account)
    account_id = add_probed_account(cache, account, probe)
"""

from __future__ import annotations

from vendor_desk.cache.db import Cache
from vendor_desk.cache.queries import add_account
from vendor_desk.marketplace.probe import AccountInput, ProbeResult


def add_probed_account(cache: Cache, account: AccountInput, probe: ProbeResult) -> int:
    """Record ``account`` as the probe found it (no secret); the new account's id."""
    with cache.session(write=True) as session:
        return add_account(
            session,
            probe.base_url,
            account.login,
            probe.store_name,
            probe.vendor_id,
            probe.auth_method,
        )
